"""The pre-aggregates behind the dashboards, the gap list and the data-quality page.

At national scale (100k enterprises, 2M figures) counting live on every page costs too much,
so one refresh computes everything from the registry in a few grouped queries and stores the
results; pages read those small tables. A refresh is due when the registry version moved: the
newest audit entry, figure or organisation (every write makes one of them) or the day.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from sinergi.insight import completeness, quality
from sinergi.insight.models import (
    GAP_RANK,
    CoverageCell,
    Digest,
    Gap,
    GapStatus,
    QualityRule,
    Snapshot,
    TrendPoint,
    Violation,
)
from sinergi.programs.indicator_values import period_values, year_rows
from sinergi.programs.models import Indicator
from sinergi.registry import counting
from sinergi.registry.choices import FIGURE_FIELDS, PROBATION_MONTHS, RuleStatus
from sinergi.registry.models import Figure, Organisation, OrganisationType
from sinergi.registry.version import registry_version

TREND_DATES = 8
UNKNOWN_BAND = "unknown"
GAP_FIGURES = ("workers", "women_workers", "party_members", "union_members", "youth_members")


def band_of(workers: int | None) -> str:
    """The workforce band key, as the enterprise list's `workforce` filter spells it."""
    if workers is None:
        return UNKNOWN_BAND
    bounds = settings.SINERGI_WORKFORCE_BANDS
    key = UNKNOWN_BAND
    for low, high in zip(bounds, [*bounds[1:], None], strict=True):
        if workers >= low:
            key = f"{low}-{high - 1}" if high else f"{low}+"
    return key


def _eligible_since(types, dates: list[datetime.date]) -> dict[tuple[int, int], datetime.date]:
    """Per (enterprise, type): since which reporting date it has met the rule without a break
    (the reporting date after the last one it did not meet, else the first one it met)."""
    annotations = {}
    for t in types:
        q = t.rule_condition()
        if q is None:
            continue
        annotations[f"fail_{t.pk}"] = Max("as_of", filter=~q)
        annotations[f"ok_{t.pk}"] = Min("as_of", filter=q)
    if not annotations:
        return {}
    result = {}
    rows = (
        Figure.objects.filter(superseded_at__isnull=True)
        .filter(counting.operating_on(timezone.localdate(), "enterprise__"))
        .values("enterprise_id")
        .annotate(**annotations)
        .order_by()
    )
    for row in rows:
        for t in types:
            first_ok = row.get(f"ok_{t.pk}")
            if first_ok is None:
                continue
            last_fail = row.get(f"fail_{t.pk}")
            since = first_ok
            if last_fail is not None and last_fail >= first_ok:
                since = next((d for d in dates if d > last_fail), None)
            result[(row["enterprise_id"], t.pk)] = since
    return result


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


def _probation_ends(today: datetime.date) -> dict[int, datetime.date]:
    """Per enterprise: when the first members admitted within the last probation period become
    official, from the earliest reporting date since then that counts newly admitted members
    (they were admitted on or before it)."""
    start = add_months(today, -PROBATION_MONTHS)
    rows = (
        Figure.objects.filter(
            superseded_at__isnull=True,
            as_of__gt=start,
            as_of__lte=today,
            new_party_members__gt=0,
            enterprise__latest_figure__probationary_party_members__gt=0,
        )
        .values("enterprise_id")
        .annotate(first=Min("as_of"))
        .values_list("enterprise_id", "first")
        .order_by()
    )
    return {pk: add_months(first, PROBATION_MONTHS) for pk, first in rows}


def _gap_status(t: OrganisationType, values: dict) -> GapStatus | None:
    """The gap-list group of an enterprise without an organisation of type `t`, or None."""
    status = t.rule_status(values)
    if status == RuleStatus.ELIGIBLE:
        return GapStatus.ELIGIBLE
    if status == RuleStatus.UNREPORTED and t.potential_met(values):
        return GapStatus.UNREPORTED
    if status == RuleStatus.POTENTIAL:
        return GapStatus.POTENTIAL
    return None


def _trend(types, dates: list[datetime.date]) -> list[TrendPoint]:
    """Per zone and date: the counts of `registry.counting` on that date — operating
    enterprises, those reporting figures, members, organisations per type, and the members
    newly admitted on the figures of that reporting date."""
    points: list[TrendPoint] = []
    codes = {t.pk: t.code for t in types}
    for day in dates:
        for zone, counts in counting.by_zone(day, types=types, start=day).items():
            points.append(
                TrendPoint(
                    zone_id=zone,
                    as_of=day,
                    enterprises=counts.enterprises,
                    reported=counts.reported,
                    workers=counts.members["workers"],
                    party_members=counts.members["party_members"],
                    union_members=counts.members["union_members"],
                    new_party_members=counts.newly_admitted,
                    with_organisation={
                        codes[type_id]: n for type_id, n in counts.with_organisation.items()
                    },
                )
            )
    return points


def _sources() -> list[dict[str, Any]]:
    """Where the newest figures of operating enterprises came from: import batch or person."""
    rows = (
        counting.enterprises_operating_on(timezone.localdate())
        .filter(latest_figure__isnull=False)
        .values(
            "latest_figure__import_batch_id",
            "latest_figure__import_batch__file_name",
            "latest_figure__recorded_by_id",
            "latest_figure__recorded_by__username",
            "latest_figure__recorded_by__first_name",
            "latest_figure__recorded_by__last_name",
        )
        .annotate(n=Count("id"), newest=Max("latest_figure__recorded_at"))
        .order_by("-n")[:8]
    )
    sources = []
    for row in rows:
        person = " ".join(
            p
            for p in (
                row["latest_figure__recorded_by__first_name"],
                row["latest_figure__recorded_by__last_name"],
            )
            if p
        ) or (row["latest_figure__recorded_by__username"] or "")
        sources.append(
            {
                "batch": row["latest_figure__import_batch_id"],
                "file": row["latest_figure__import_batch__file_name"] or "",
                "person": person,
                "count": row["n"],
                "recorded_at": row["newest"].isoformat() if row["newest"] else None,
            }
        )
    return sources


def _indicators(today: datetime.date) -> dict[str, Any]:
    """Target vs actual of every program year for every indicator of an active program (the
    dashboard shows the latest year with data, or the year the reader picks)."""

    result = {}
    for indicator in Indicator.objects.filter(program__status="active").select_related(
        "program", "organisation_type"
    ):
        try:
            values = period_values(indicator, today)
            rows = year_rows(indicator, values, today)
        except Exception:
            continue
        result[str(indicator.pk)] = {
            "years": {
                str(row.year): {
                    "target": str(row.target) if row.target is not None else None,
                    "actual": str(row.actual) if row.actual is not None else None,
                    "met": row.met,
                }
                for row in rows
            }
        }
    return result


def refresh(version: str | None = None, today: datetime.date | None = None) -> Snapshot:
    """Rebuild every pre-aggregate from the registry, in one transaction (`today` for tests of
    what depends on the day, such as probation periods)."""
    started = time.monotonic()
    version = version or registry_version()
    today = today or timezone.localdate()
    types = list(OrganisationType.objects.all())
    dates = sorted(
        Figure.objects.filter(superseded_at__isnull=True, as_of__lte=today)
        .values_list("as_of", flat=True)
        .distinct()
        .order_by()
    )
    since = _eligible_since(types, dates)
    probation_ends = _probation_ends(today)
    new_this_year = dict(
        counting.newly_admitted_figures(today.replace(month=1, day=1), today)
        .values("enterprise_id")
        .annotate(n=Sum("new_party_members"))
        .values_list("enterprise_id", "n")
        .order_by()
    )
    rows = (
        counting.enterprises_operating_on(today)
        .annotate(**{t.flag: counting.has_organisation_on(t, today) for t in types})
        .values_list(
            "id",
            "zone_id",
            "ownership",
            "latest_figure_id",
            *[f"latest_figure__{f}" for f in FIGURE_FIELDS],
            *[t.flag for t in types],
        )
        .order_by()
    )
    cells: dict[tuple, CoverageCell] = {}
    gaps: list[Gap] = []
    for row in rows.iterator(chunk_size=5000):
        enterprise_id, zone_id, ownership, figure_id = row[:4]
        values = dict(zip(FIGURE_FIELDS, row[4 : 4 + len(FIGURE_FIELDS)], strict=True))
        flags = row[4 + len(FIGURE_FIELDS) :]
        band = band_of(values["workers"]) if figure_id else UNKNOWN_BAND
        key = (zone_id, ownership, band)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = CoverageCell(
                zone_id=zone_id, ownership=ownership, band=band, with_organisation={}, gaps={}
            )
        cell.enterprises += 1
        for field in ("workers", "women_workers", "party_members", "union_members"):
            setattr(cell, field, getattr(cell, field) + (values[field] or 0))
        cell.youth_members += values["youth_members"] or 0
        cell.new_this_year += new_this_year.get(enterprise_id) or 0
        for t, has in zip(types, flags, strict=True):
            if has:
                cell.with_organisation[t.code] = cell.with_organisation.get(t.code, 0) + 1
            elif figure_id and (status := _gap_status(t, values)) is not None:
                eligible = status == GapStatus.ELIGIBLE
                if eligible:
                    cell.gaps[t.code] = cell.gaps.get(t.code, 0) + 1
                gaps.append(
                    Gap(
                        enterprise_id=enterprise_id,
                        type_id=t.pk,
                        figure_id=figure_id,
                        zone_id=zone_id,
                        ownership=ownership,
                        status=status,
                        rank=GAP_RANK[status],
                        members=(values.get(t.rank_field) or 0) if t.rank_field else 0,
                        eligible_since=since.get((enterprise_id, t.pk)) if eligible else None,
                        figures=values,
                        probation_ends=probation_ends.get(enterprise_id),
                        **{f: values[f] or 0 for f in GAP_FIGURES},
                    )
                )
    zones: dict[str, dict] = {}
    for cell in cells.values():
        if cell.zone_id is None:
            continue
        entry = zones.setdefault(str(cell.zone_id), {"enterprises": 0, "workers": 0, "with": {}})
        entry["enterprises"] += cell.enterprises
        entry["workers"] += cell.workers
        for code, n in cell.with_organisation.items():
            entry["with"][code] = entry["with"].get(code, 0) + n
    # The trend ends with today, the date of the key figures, so the two always agree.
    trend_dates = dates[-TREND_DATES:]
    if not trend_dates or trend_dates[-1] != today:
        trend_dates = [*trend_dates[-(TREND_DATES - 1) :], today]
    trend = _trend(types, trend_dates)
    reporting = completeness.per_zone(dates[-TREND_DATES:])
    violations = list(quality.evaluate_all(QualityRule.objects.filter(active=True), today))
    with transaction.atomic():
        for model in (CoverageCell, TrendPoint, Gap, Violation):
            model.objects.all().delete()
        CoverageCell.objects.bulk_create(cells.values(), batch_size=2000)
        TrendPoint.objects.bulk_create(trend, batch_size=2000)
        Gap.objects.bulk_create(gaps, batch_size=5000)
        Violation.objects.bulk_create(violations, batch_size=5000)
        snapshot = Snapshot.objects.create(
            version=version,
            figures_as_of=dates[-1] if dates else None,
            data={
                "dates": [d.isoformat() for d in trend_dates],
                "sources": _sources(),
                "zones": zones,
                "indicators": _indicators(today),
                "completeness": reporting,
                "rule_counts": dict(Counter(str(v.rule_id) for v in violations)),
            },
        )
        Snapshot.objects.filter(id__lt=snapshot.pk - 5).delete()
    vacuum_rewritten()
    # The dashboard's picture of every scope, summed once here rather than on a page (the
    # national map's hundreds of zones: 150-300 ms; a park's with its dots: 5-20 ms). After the
    # commit, so that SQLite's write lock is not held for them (4-5 s at national scale);
    # until they are written a page sums its own picture, as when the types changed.
    from sinergi.insight import dashboard  # which reads this module

    codes = [t.code for t in types]
    pictures = dashboard.stored(snapshot, codes)
    with transaction.atomic():
        Digest.objects.bulk_create(
            Digest(snapshot=snapshot, scope=scope, types=codes, data=picture)
            for scope, picture in pictures.items()
        )
    Snapshot.objects.filter(pk=snapshot.pk).update(seconds=round(time.monotonic() - started, 2))
    snapshot.seconds = round(time.monotonic() - started, 2)
    return snapshot


def vacuum_rewritten() -> None:
    """On PostgreSQL, VACUUM ANALYZE the tables a refresh rewrites (the gaps, coverage cells,
    trend points and violations): their rows are all new, so until a vacuum marks their pages
    all-visible every count and page of the gap list reads the table's rows instead of only
    its indexes (one park's gap count: 250 ms instead of a few), and the old rows' index
    entries are still walked. Skipped inside a transaction (VACUUM cannot run there) and on
    SQLite."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in (CoverageCell, TrendPoint, Gap, Violation):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def fresh_zone_counts() -> dict[int, dict] | None:
    """Per zone (its own enterprises, not those below): operating enterprises, workers and
    organisations per type code, from the pre-aggregates when they match the registry now;
    None when there are none or they are stale, so the caller counts live."""
    snapshot = Snapshot.objects.order_by("-id").only("version").first()
    if snapshot is None or snapshot.version != registry_version():
        return None
    data = Snapshot.objects.filter(pk=snapshot.pk).values_list("data__zones", flat=True).first()
    return {int(pk): row for pk, row in (data or {}).items()}


def close_founded_gaps() -> int:
    """Drop the gaps whose organisation was founded since the refresh: cheap, so the gap list
    is right at once while the full refresh runs in the background."""
    from django.db.models import Exists, OuterRef

    founded = Organisation.objects.active_on(timezone.localdate()).filter(
        enterprise_id=OuterRef("enterprise_id"), type_id=OuterRef("type_id")
    )
    deleted, _by_model = Gap.objects.filter(Exists(founded)).delete()
    return deleted


_FIRST_REFRESH = threading.Lock()
# The newest snapshot's data as this process last read it, with the snapshot it belongs to: a
# snapshot never changes once written, so each page need not read and decode it again (about
# 10 ms at national scale). A tuple, replaced whole, so threads never see half of one.
_newest_data: tuple[tuple, dict] | None = None


def _newest() -> Snapshot | None:
    """The newest snapshot, its data read from the database only when it is a new one."""
    global _newest_data
    snapshot = Snapshot.objects.order_by("-id").defer("data").first()
    if snapshot is None:
        return None
    key = (snapshot.pk, snapshot.computed_at, snapshot.version)
    memo = _newest_data
    if memo is None or memo[0] != key:
        data = Snapshot.objects.filter(pk=snapshot.pk).values_list("data", flat=True).first()
        memo = _newest_data = (key, data or {})
    snapshot.data = memo[1]
    return snapshot


def current_snapshot() -> tuple[Snapshot, bool]:
    """The newest snapshot and whether the registry moved since. The first one is computed
    here; later ones by a background job, asked for once per version. The snapshot carries
    the registry version of now (`registry_version`), for cache keys."""
    version = registry_version()
    snapshot = _newest()
    if snapshot is None:
        # The first one: the requests that arrive meanwhile wait for it instead of each
        # computing their own (minutes at national scale; `sinergi demo` computes it ahead).
        with _FIRST_REFRESH:
            snapshot = _newest() or refresh(version)
    elif snapshot.version != version and cache.add(f"insight-refresh:{version}", True, 600):
        from sinergi.insight.tasks import refresh_aggregates

        close_founded_gaps()
        refresh_aggregates.enqueue()
        snapshot = _newest() or snapshot
    snapshot.registry_version = version
    snapshot.cache_token = f"{version}:{snapshot.computed_at.isoformat()}"
    return snapshot, snapshot.version != version


def list_cache_token() -> str:
    """What a cached list count depends on: the registry version and the newest snapshot's time
    (so ids reused after a rollback never meet an old entry); empty without a snapshot."""
    computed_at = Snapshot.objects.order_by("-id").values_list("computed_at", flat=True).first()
    return f"{registry_version()}:{computed_at.isoformat()}" if computed_at else ""
