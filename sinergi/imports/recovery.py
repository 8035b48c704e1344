"""Batches a stopped process left behind (a crash, a killed worker or `sinergi import`),
recovered when a worker starts (`sinergi worker`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.core import audit
from sinergi.core.models import AuditAction
from sinergi.core.services import SYSTEM
from sinergi.imports.models import RUNNING, BatchStatus, ImportBatch

JOBS = ("sinergi.imports.tasks.check_batch", "sinergi.imports.tasks.commit_batch")


def batches_recover() -> dict[str, int]:
    """Batches waiting, being checked or being imported with no job queued or running for
    them. A check writes nothing to the registry, so an interrupted one is queued again; an
    interrupted import rolled back, so the batch is marked failed with a message saying
    nothing was written. Batches whose job is still queued or running are left alone (several
    workers may run at once)."""
    from django_tasks_db.models import DBTaskResult

    from sinergi.imports import tasks

    live = set()
    for job in DBTaskResult.objects.filter(
        status__in=["READY", "RUNNING"], task_path__in=JOBS
    ).only("args_kwargs"):
        arguments = (job.args_kwargs or {}).get("args") or []
        if arguments:
            live.add(arguments[0])
    counts = {"requeued": 0, "failed": 0}
    stale = ImportBatch.objects.filter(status__in=RUNNING).exclude(pk__in=live)
    for batch in stale.only("pk", "status"):
        interrupted_import = batch.status == BatchStatus.COMMITTING
        with transaction.atomic():
            if interrupted_import:
                ImportBatch.objects.filter(pk=batch.pk).update(
                    status=BatchStatus.FAILED,
                    failure=_(
                        "The import was interrupted before it finished; nothing of this file "
                        "was written. Upload it again."
                    ),
                )
                counts["failed"] += 1
            else:
                ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.QUEUED)
                tasks.check_batch.enqueue(batch.pk)
                counts["requeued"] += 1
            audit.record(
                actor=SYSTEM,
                action=AuditAction.UPDATE,
                obj=batch,
                before={"status": batch.status},
                after={"status": "failed" if interrupted_import else "queued"},
                message=_("interrupted batch recovered when a worker started"),
            )
    return counts
