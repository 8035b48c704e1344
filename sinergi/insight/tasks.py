"""Background job: rebuild the insight pre-aggregates after the registry moved."""

from __future__ import annotations

from django_tasks import task

from sinergi.insight import aggregates


@task()
def refresh_aggregates() -> dict:
    version = aggregates.registry_version()
    latest = aggregates.Snapshot.objects.order_by("-id").only("version").first()
    if latest is not None and latest.version == version:
        return {"version": version, "seconds": 0}
    snapshot = aggregates.refresh(version)
    return {"version": snapshot.version, "seconds": snapshot.seconds}
