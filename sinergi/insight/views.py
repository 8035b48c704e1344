"""Insight pages: the role dashboard, the gap list (with tasks from its rows) and data quality."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from sinergi.accounts.models import Unit
from sinergi.core.downloads import download
from sinergi.core.forms import DateInput
from sinergi.core.paging import versioned_paginator
from sinergi.core.tables import filters_panel, id_url
from sinergi.core.views import ServiceFormView
from sinergi.insight import aggregates, cells, charts, maps, services
from sinergi.insight.dashboard import digest
from sinergi.insight.filtersets import GapFilterSet, ViolationFilterSet
from sinergi.insight.gaps import GAP_ORDER
from sinergi.insight.models import Gap, QualityRule, Snapshot, Violation
from sinergi.insight.tables import GapTable, ViolationTable, figure_source
from sinergi.programs.deadlines import OVERDUE, deadlines_for
from sinergi.programs.models import Area, Indicator, Program, Task
from sinergi.programs.permissions import can_manage_program
from sinergi.registry.choices import Ownership
from sinergi.registry.filtersets import workforce_band_choices
from sinergi.registry.models import OrganisationType, Zone
from sinergi.registry.tables import PageRowsData

# --- Dashboard --------------------------------------------------------------------------------


def _scope(request) -> Zone | None:
    """The zone the dashboard covers: the one asked for; for an editor, the first zone their
    unit keeps; else every zone."""
    raw = request.GET.get("zone", "")
    if raw.isdigit():
        return get_object_or_404(Zone, pk=int(raw))
    user = request.user
    if raw != "all" and user.is_editor:
        return Zone.objects.editable_by(user).order_by("kind", "name").first()
    return None


def indicator_panel(user, snapshot, year: str | None = None) -> dict:
    """The indicators of active programs the person may see, for one program year: the one
    asked for, else the latest year in which any indicator has an actual value."""
    values = snapshot.data.get("indicators", {})
    indicators = list(
        Indicator.objects.visible_to(user)
        .filter(program__status="active")
        .select_related("program")
        .order_by("program_id", "code")
    )
    years: set[str] = set()
    with_data: set[str] = set()
    for indicator in indicators:
        for key, row in values.get(str(indicator.pk), {}).get("years", {}).items():
            years.add(key)
            if row.get("actual") is not None:
                with_data.add(key)
    if year not in years:
        year = max(with_data) if with_data else (max(years) if years else None)
    rows = []
    for indicator in indicators:
        value = values.get(str(indicator.pk), {}).get("years", {}).get(year or "", {})
        target, actual = value.get("target"), value.get("actual")
        rows.append(
            {
                "indicator": indicator,
                "program": indicator.program,
                "target": target,
                "actual": actual,
                "met": value.get("met"),
                "behind": value.get("met") is False,
                # For the bar: the actual against the target (at most the bar's end).
                "bar_max": float(target) if target and float(target) > 0 else None,
                "bar_value": min(float(actual), float(target))
                if actual is not None and target and float(target) > 0
                else None,
            }
        )
    return {"year": year, "years": sorted(years), "rows": rows}


def _overdue(user) -> list:
    tasks = Task.objects.visible_to(user).open().select_related("area__program", "lead_unit")
    if user.is_editor and user.unit_id:
        tasks = tasks.involving(user.unit_id)
    today = timezone.localdate()
    late = [d for d in deadlines_for(tasks, today).values() if d.state == OVERDUE]
    late.sort(key=lambda d: d.first_overdue or today)
    return late


def _own(user, snapshot) -> dict:
    """What the dashboard shows the person whatever the scope: their indicators (for each
    year asked), overdue tasks and the zones they may pick. Kept per person and registry
    version (every write moves it, and so does the day), so a leader walking from zone to
    zone reads them once."""
    own = cache.get(_own_key(user, snapshot))
    if own is None:
        zones = (
            Zone.objects.editable_by(user)
            if user.is_editor
            else Zone.objects.filter(kind__in=("province", "economic_zone"))
        )
        own = {
            "overdue": _overdue(user)[:10],
            "zones": list(zones.order_by("name").values_list("pk", "name")),
            "indicators": {},
        }
        cache.set(_own_key(user, snapshot), own, 3600)
    return own


def _own_key(user, snapshot) -> str:
    return f"insight-own:{snapshot.cache_token}:{user.pk}"


def own_indicators(user, snapshot, year: str | None, own: dict | None = None) -> dict:
    """`indicator_panel` for the person, kept with the rest of `_own` (pass it when read
    already): for no year asked and for each year the panel has (another `?year=` is
    answered, not kept)."""
    own = _own(user, snapshot) if own is None else own
    panel = own["indicators"].get(year)
    if panel is None:
        panel = indicator_panel(user, snapshot, year)
        if year is None or year == panel["year"]:
            own["indicators"][year] = panel
            cache.set(_own_key(user, snapshot), own, 3600)
    return panel


def _rows(entries, types, label, query, gap_query) -> list[dict]:
    rows = []
    for entry in entries:
        total = entry.get("enterprises", 0)
        with_org = entry.get("with_organisation", {})
        gaps = entry.get("gaps", {})
        rows.append(
            {
                **entry,
                "label": label(entry),
                "query": query(entry),
                "gap_query": gap_query(entry),
                "with": [
                    {
                        "code": t.code,
                        "count": with_org.get(t.code, 0),
                        "share": round(100 * with_org.get(t.code, 0) / total, 1) if total else 0,
                    }
                    for t in types
                ],
                "gaps": [{"code": t.code, "count": gaps.get(t.code, 0)} for t in types],
            }
        )
    return rows


def _change(latest, previous, field, code=None) -> int | None:
    if latest is None or previous is None:
        return None
    if code:
        return latest["with_organisation"].get(code, 0) - previous["with_organisation"].get(code, 0)
    return latest.get(field, 0) - previous.get(field, 0)


def _cards(data, types, zone, latest, previous) -> list[dict]:
    totals = data["totals"]
    base = reverse("registry:enterprise_list") + "?status=operating"
    if zone:
        base += f"&zone={zone.pk}"
    with_org = totals.get("with_organisation", {})
    cards = [
        {
            "key": "enterprises",
            "label": _("operating enterprises"),
            "value": totals.get("enterprises", 0),
            "url": base,
            "change": _change(latest, previous, "enterprises"),
        }
    ]
    for org_type in types:
        cards.append(
            {
                "key": f"has-{org_type.code}",
                "label": _("with %(type)s") % {"type": org_type.name},
                "value": with_org.get(org_type.code, 0),
                "url": f"{base}&has={org_type.code}",
                "change": _change(latest, previous, None, org_type.code),
            }
        )
    for key, label in (
        ("party_members", _("party members")),
        ("union_members", _("union members")),
        ("workers", _("workers")),
    ):
        cards.append(
            {
                "key": key,
                "label": label,
                "value": totals.get(key, 0),
                "url": base,
                "change": _change(latest, previous, key),
            }
        )
    cards.append(
        {
            "key": "new_this_year",
            "label": _("newly admitted party members this year"),
            "value": totals.get("new_this_year", 0),
            "url": base,
            # A yearly total: no "since the previous reporting date" to compare.
            "change": None,
        }
    )
    since = datetime.date.fromisoformat(previous["date"]) if previous else None
    for card in cards:
        if card["change"] is not None:
            card["change_text"] = f"{card['change']:+,}"
            card["since"] = since
    return cards


SORT_KEYS = ("name", "enterprises", "party_members", "union_members")


def _sorted_zones(rows: list[dict], sort: str, types) -> list[dict]:
    """The compared zones in the order the reader picked (a column, "-" for descending)."""
    key = sort.lstrip("-")
    codes = [t.code for t in types]
    if key == "name":
        order = lambda r: r["label"].casefold()  # noqa: E731
    elif key in codes:
        i = codes.index(key)
        order = lambda r: (r["with"][i]["share"], r["enterprises"])  # noqa: E731
    else:
        order = lambda r: r.get(key, 0)  # noqa: E731
    # Ties in the order of their names, whichever way the column goes (the rows come in the
    # database's order, which a query without ORDER BY does not promise).
    by_name = sorted(rows, key=lambda r: r["label"].casefold())
    return sorted(by_name, key=order, reverse=sort.startswith("-"))


def _reporting(data, zone_labels: dict, day: str | None, zone: Zone | None) -> dict:
    """The completeness table per reporting date and, for one date, per compared zone."""
    dates = [
        {
            **row,
            "day": datetime.date.fromisoformat(row["date"]),
            "missing": row["expected"] - row["reported"],
            "share": round(100 * row["reported"] / row["expected"], 1) if row["expected"] else 0,
            "on_time_share": round(100 * row["on_time"] / row["expected"], 1)
            if row["expected"]
            else 0,
        }
        for row in data["reporting"]
    ]
    known = [row["date"] for row in dates]
    if day not in known:
        day = known[-1] if known else None
    zones = []
    for zone_id, by_date in data["reporting_by_zone"].items():
        expected, reported, on_time = by_date.get(day, [0, 0, 0])
        if not expected:
            continue
        zones.append(
            {
                "zone_id": zone_id,
                "label": zone_labels.get(zone_id) or _("Without zone"),
                "expected": expected,
                "reported": reported,
                "on_time": on_time,
                "missing": expected - reported,
                "share": round(100 * reported / expected, 1),
                "query": f"&zone={zone_id}" if zone_id else "",
            }
        )
    zones.sort(key=lambda r: (r["share"], r["label"]))
    return {
        "dates": dates[::-1],
        "date": day,
        "day": datetime.date.fromisoformat(day) if day else None,
        "zones": zones,
        "scope_query": f"&zone={zone.pk}" if zone else "",
    }


def _map_zones(entries: list[dict], cover: str, labels: dict) -> list[maps.MapZone]:
    """The map's zones, each with the compared zone it lies in, ordered by that, then name."""
    zones = maps.map_rows(entries, cover)
    for zone in zones:
        if zone.group != zone.pk:
            zone.group_label = labels.get(zone.group, "")
    zones.sort(key=lambda z: (z.group_label.casefold(), z.name.casefold()))
    return zones


def dashboard_context(
    request,
    current: tuple[Snapshot, bool] | None = None,
    scope: tuple[Zone | None] | None = None,
    types: list[OrganisationType] | None = None,
    own: dict | None = None,
) -> dict:
    """Everything the dashboard shows for the request's scope and choices (page and API).
    `current` is the newest snapshot and its staleness when the caller has read them already
    (its data is large: read once per request); `scope`, the request's zone in a tuple, and
    `types`, the organisation types, and `own`, the person's `_own`, when the caller has
    read them."""
    zone = scope[0] if scope else _scope(request)
    snapshot, stale = current or aggregates.current_snapshot()
    types = list(OrganisationType.objects.all()) if types is None else types
    codes = [t.code for t in types]
    data = digest(snapshot, zone, codes)
    cover, sort = _choices(request, zone, codes)
    trend = data["trend"]
    latest, previous = (trend[-1], trend[-2]) if len(trend) >= 2 else (None, None)
    in_zone = f"&zone={zone.pk}" if zone else ""
    ownership_labels = dict(Ownership.choices)
    band_labels = dict(workforce_band_choices())
    by_zone = _rows(
        data["by_zone"],
        types,
        lambda e: e["name"] or _("Without zone"),
        lambda e: f"&zone={e['zone_id']}" if e["zone_id"] else None,
        lambda e: f"&zone={e['zone_id']}" if e["zone_id"] else None,
    )
    zone_labels = {row["zone_id"]: row["label"] for row in by_zone}
    compared = (
        Zone.objects.filter(pk=data["compared"]).only("name").first() if data["compared"] else None
    )
    type_names = {t.code: t.name for t in types}
    return {
        "zone": zone,
        "snapshot": snapshot,
        "stale": stale,
        "types": types,
        "cover": cover,
        "cover_name": type_names.get(cover, ""),
        "sort": sort,
        "compared": compared,
        "data": data,
        "cards": _cards(data, types, zone, latest, previous),
        "by_zone": _sorted_zones(by_zone, sort, types),
        "by_ownership": _rows(
            data["by_ownership"],
            types,
            lambda e: ownership_labels.get(e["key"], e["key"]),
            lambda e: f"{in_zone}&ownership={e['key']}",
            lambda e: f"{in_zone}&ownership={e['key']}",
        ),
        "by_band": _rows(
            data["by_band"],
            types,
            lambda e: band_labels.get(e["key"], _("no figures")),
            lambda e: f"{in_zone}&workforce={e['key']}" if e["key"] in band_labels else None,
            lambda e: f"{in_zone}&workforce={e['key']}" if e["key"] in band_labels else None,
        ),
        # The charts' sizes in pixels at 100 per inch, so the page reserves their boxes.
        "chart_sizes": {
            "ownership": _pixels(charts.coverage_bars_size(len(data["by_ownership"]), len(types))),
            "band": _pixels(charts.coverage_bars_size(len(data["by_band"]), len(types))),
            "trend": _pixels(charts.TREND_SIZE),
        },
        "trend": [
            {
                **row,
                "day": datetime.date.fromisoformat(row["date"]),
                "counts": [row["with_organisation"].get(t.code, 0) for t in types],
            }
            for row in trend
        ],
        "reporting": _reporting(data, zone_labels, request.GET.get("date"), zone),
        "map_zones": _map_zones(data["map"], cover, zone_labels),
        "map_points": maps.point_rows(
            data.get("points", []), cover, id_url("registry:enterprise_detail")
        ),
        "points_over": data.get("points_over"),
        "points_elsewhere": data.get("points_elsewhere", False),
        "indicators": own_indicators(request.user, snapshot, request.GET.get("year"), own),
        "due_days": settings.SINERGI_FIGURES_DUE_DAYS,
    }


def _sort_headers(zone: Zone | None, types, cover: str, sort: str) -> list[dict]:
    """The compared zones' column headings: each a link that sorts by it (descending first,
    then the other way), with its `aria-sort` and arrow."""
    base = reverse("insight:dashboard")
    scope = zone.pk if zone else "all"
    columns = [
        ("name", _("Zone"), False),
        ("enterprises", _("Enterprises"), True),
        *((t.code, t.name, True) for t in types),
        ("party_members", _("Party members"), True),
        ("union_members", _("Union members"), True),
    ]
    headers = []
    for key, label, num in columns:
        aria, arrow, then = "none", "", f"-{key}"
        if sort == key:
            aria, arrow = "ascending", " ▲"
        elif sort == f"-{key}":
            aria, arrow, then = "descending", " ▼", key
        href = f"{base}?zone={scope}&cover={cover}&sort={then}#zones-heading"
        headers.append(
            {"key": key, "label": label, "num": num, "aria": aria, "arrow": arrow, "href": href}
        )
    return headers


def _zone_links():
    """A map shape's link to its zone's operating enterprises (the list's address reversed
    once per map: a national map has hundreds of shapes)."""
    base = reverse("registry:enterprise_list")
    return lambda zone: f"{base}?status=operating&zone={zone.pk}"


def _choices(request, zone: Zone | None, codes: list[str]) -> tuple[str, str]:
    """The map's shading (a type code) and the compared zones' order the request asks for."""
    cover = request.GET.get("cover", "")
    if cover not in codes:
        cover = codes[0] if codes else ""
    sort = request.GET.get("sort", "-enterprises")
    if sort.lstrip("-") not in (*SORT_KEYS, *codes):
        sort = "-enterprises"
    return cover, sort


def dashboard(request):
    """Key figures with their change, a map of the zones, the compared zones side by side,
    reporting completeness, coverage by ownership and workforce, trends, indicators and
    overdue tasks; every number links to the enterprises behind it.

    The part that is the same for everyone looking at one scope with the same choices is
    rendered once per refresh and language; when it is cached, the figures behind it are not
    even summed (only the person's own indicators and overdue tasks are read, and those are
    kept per person: `_own`)."""
    user = request.user
    zone = _scope(request)
    snapshot, stale = aggregates.current_snapshot()
    own = _own(user, snapshot)
    types = list(OrganisationType.objects.all())
    cover, sort = _choices(request, zone, [t.code for t in types])
    vary = ":".join(
        [
            snapshot.cache_token,
            str(zone.pk if zone else "all"),
            get_language() or "",
            cover,
            sort,
            request.GET.get("date", "")[:10],
        ]
    )
    if cache.get(make_template_fragment_key("insight_dashboard", [vary])) is not None:
        context = {
            "zone": zone,
            "snapshot": snapshot,
            "stale": stale,
            "types": types,
            "cover": cover,
            "sort": sort,
            "indicators": own_indicators(user, snapshot, request.GET.get("year"), own),
        }
    else:
        context = dashboard_context(request, (snapshot, stale), (zone,), types, own)
        title = _("Map of the zones: share of operating enterprises with %(type)s") % {
            "type": context["cover_name"]
        }
        groups = [
            maps.MapZone(
                pk=row["zone_id"],
                name=row["label"],
                label=row["label"],
                latitude=None,
                longitude=None,
                area_ha=None,
            )
            for row in context["by_zone"]
            if row["zone_id"]
        ]
        context.update(
            {
                # Built from escaped parts in maps.render_svg.
                "map_svg": mark_safe(
                    maps.render_svg(
                        context["map_zones"],
                        title=title,
                        type_name=context["cover_name"],
                        link=_zone_links(),
                        group_labels=groups,
                        points=context["map_points"],
                    )
                ),
                "sources": snapshot.data.get("sources", []),
                "sort_headers": _sort_headers(zone, types, cover, sort),
            }
        )
        _table_cells(context)
    context.update(
        {
            "cache_vary": vary,
            "zone_options": _zone_options(own["zones"], zone),
            "scope_value": zone.pk if zone else "all",
            "overdue": own["overdue"],
        }
    )
    return render(request, "insight/dashboard.html", context)


def _zone_options(zones: list[tuple[int, str]], selected: Zone | None) -> str:
    """The zone choice's `<option>`s from (id, name) in order (a national deployment's viewer
    has a hundred). A zone shown that is not among them (a park, when the choice lists
    provinces and economic zones) comes first, chosen, so the choice names what the page shows."""
    chosen = selected.pk if selected else None
    if selected is not None and all(pk != chosen for pk, _name in zones):
        zones = [(selected.pk, selected.name), *zones]
    return mark_safe(  # names escaped here; ids are numbers
        "".join(
            f'<option value="{pk}"{" selected" if pk == chosen else ""}>{escape(name)}</option>'
            for pk, name in zones
        )
    )


def _table_cells(context: dict) -> None:
    """The tables' rows as HTML, written in Python (see insight/cells.py): a national page has
    hundreds of them, and template loops cost more than the figures."""
    list_url, gap_url = reverse("registry:enterprise_list"), reverse("insight:gap_list")
    dashboard_url = reverse("insight:dashboard")
    for row in context["by_zone"]:
        row["with_html"] = cells.coverage(row, list_url, shares=True)
    context["zone_rows"] = cells.compared_zones(
        context["by_zone"], (dashboard_url, list_url), context["cover"]
    )
    reporting, zone = context["reporting"], context["zone"]
    context["reporting_date_rows"] = cells.reporting_dates(
        reporting["dates"],
        reporting["date"],
        (dashboard_url, list_url),
        (str(zone.pk) if zone else "all", context["cover"], reporting["scope_query"]),
    )
    context["reporting_zone_rows"] = cells.reporting_zones(
        reporting["zones"],
        (list_url, reverse("registry:enterprise_export", args=["xlsx"])),
        reporting["date"] or "",
        escape(_("Export the missing (XLSX)")),
    )
    for row in (*context["by_ownership"], *context["by_band"]):
        row["with_html"] = cells.coverage(row, list_url, shares=False)
        row["gaps_html"] = cells.gaps(row, gap_url)
    context["ownership_rows"] = cells.breakdown(context["by_ownership"], list_url)
    context["band_rows"] = cells.breakdown(context["by_band"], list_url)
    # The headings blocktranslate gave, the type's name escaped, in a loop of their own.
    context["could_found"] = [
        mark_safe(_("Could found: %(type)s") % {"type": cells.escape(t.name)})
        for t in context["types"]
    ]
    for row in context["trend"]:
        row["counts_html"] = cells.numbers(row["counts"])
    context["trend_rows"], context["trend_full_rows"] = cells.trend_rows(context["trend"])
    context["map_values"] = cells.map_values(context["map_zones"], list_url)


def _pixels(size: tuple[float, float]) -> tuple[int, int]:
    return round(size[0] * 100), round(size[1] * 100)


@cache_control(private=True, max_age=300)
def trend_chart(request):
    zone = _scope(request)
    snapshot, _stale = aggregates.current_snapshot()
    types = list(OrganisationType.objects.all())
    data = digest(snapshot, zone, [t.code for t in types])
    svg = charts.coverage_over_time(data["trend"], types)
    return HttpResponse(svg, content_type="image/svg+xml")


@cache_control(private=True, max_age=300)
def coverage_chart(request, by: str):
    """Coverage by ownership or by workforce band as bars (the table beside it has the rows)."""
    if by not in ("ownership", "band"):
        raise Http404
    context = dashboard_context(request)
    if by == "ownership":
        rows, title = context["by_ownership"], _("Coverage by ownership")
    else:
        rows, title = context["by_band"], _("Coverage by workforce")
    svg = charts.coverage_bars(rows, context["types"], title)
    return HttpResponse(svg, content_type="image/svg+xml")


# --- Gap list ---------------------------------------------------------------------------------


def _gap_queryset():
    # Not the figure's import batch: its report and undo data (large JSON) are not shown; the
    # source names the batch by the figure's import_batch_id.
    return Gap.objects.select_related("enterprise", "zone", "type", "figure__recorded_by").order_by(
        *GAP_ORDER
    )


# What a gap list row shows of the gap's joins: the enterprise's name (its link is by id), and
# where the figure came from (its date, its import batch or who recorded it, or its source).
# The rest of the enterprise's, the figure's and the person's columns are not read: a hundred
# rows' instances built with every column cost more than the page's queries.
GAP_PAGE_FIELDS = (
    *(f.attname for f in Gap._meta.concrete_fields),
    "enterprise__name",
    "figure__as_of",
    "figure__import_batch_id",
    "figure__recorded_by_id",
    "figure__source",
    "figure__recorded_by__username",
    "figure__recorded_by__first_name",
    "figure__recorded_by__last_name",
)


def _gap_page(ids: list[int]) -> dict[int, Gap]:
    """The gap list page's rows by id with what the table shows: the enterprise (without its
    former names) and the figure with who recorded it joined; the page's few organisation types
    and zones (without their boundary and aliases) read once and shared by its rows, so their
    JSON is decoded once per page, not once per row."""
    gaps = (
        Gap.objects.select_related("enterprise", "figure__recorded_by")
        .only(*GAP_PAGE_FIELDS)
        .in_bulk(ids)
    )
    types = OrganisationType.objects.in_bulk({gap.type_id for gap in gaps.values()})
    zone_ids = {gap.zone_id for gap in gaps.values()} - {None}
    zones = Zone.objects.defer("boundary", "aliases").in_bulk(zone_ids) if zone_ids else {}
    page = {}
    for pk, gap in gaps.items():
        if gap.type_id in types:  # as the join on the type did
            gap.type = types[gap.type_id]
            gap.zone = zones.get(gap.zone_id)  # None without one, as the outer join gave
            page[pk] = gap
    return page


class _InsightList:
    """The table paginates (one COUNT, cached per registry version); the generic list view must
    not paginate a second time. The filter panel is kept per version too (`filters_panel`)."""

    def paginate_queryset(self, queryset, page_size):
        return (None, None, queryset, False)

    @property
    def paginator_class(self):
        return versioned_paginator(self.snapshot.cache_token)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filters_panel"] = filters_panel(
            self.request, context["filter"].form, self.snapshot.cache_token
        )
        return context


class GapListView(_InsightList, SingleTableMixin, FilterView):
    """Enterprises that could found an organisation now, ranked, with the reason."""

    template_name = "insight/gap_list.html"
    filterset_class = GapFilterSet
    table_class = GapTable
    paginate_by = 25

    def get_queryset(self):
        # Lean: the filters, the order, the count and the page's ids need no joins (a province
        # has some 20,000 gaps: sorting them with five joined tables' columns cost ~0.35 s on
        # SQLite); `get_table_data` loads the page's rows with their relations.
        self.snapshot, self.stale = aggregates.current_snapshot()
        return Gap.objects.order_by(*GAP_ORDER)

    def get_table_data(self):
        return PageRowsData(super().get_table_data(), load=_gap_page)

    def get_table_kwargs(self):
        return {"can_task": services.can_create_gap_tasks(self.request.user)}

    def get_paginate_by(self, table_data):
        try:
            return max(10, min(200, int(self.request.GET.get("per_page", self.paginate_by))))
        except ValueError:
            return self.paginate_by

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["snapshot"], context["stale"] = self.snapshot, self.stale
        context["query_string"] = self.request.GET.urlencode()
        context["can_task"] = services.can_create_gap_tasks(self.request.user)
        return context


def gap_export(request, fmt: str):
    """The filtered gap list as CSV or XLSX, in the list's order."""
    filterset = GapFilterSet(request.GET, queryset=_gap_queryset(), request=request)
    gaps = filterset.qs if filterset.is_valid() else Gap.objects.none()
    header = [
        _("Tax id"),
        _("Enterprise"),
        _("Organisation type"),
        _("Zone"),
        _("Members"),
        _("Workers"),
        _("Eligible since"),
        _("Reason"),
        _("Figures as of"),
        _("Source"),
        _("Group"),
        _("Pipeline"),
    ]
    rows = (
        [
            gap.enterprise.tax_id,
            gap.enterprise.name,
            gap.type.name,
            gap.zone.name if gap.zone else "",
            gap.members,
            gap.workers,
            gap.eligible_since,
            services.gap_reason(gap),
            gap.figure.as_of if gap.figure else None,
            figure_source(gap.figure),
            gap.get_status_display(),
            services.gap_pipeline(gap),
        ]
        for gap in gaps.iterator(chunk_size=2000)
    )
    return download("gaps", header, rows, fmt, title=_("Gap list"))


class GapTaskForm(forms.Form):
    area = forms.ModelChoiceField(queryset=Area.objects.none(), label=gettext_lazy("Area"))
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=400,
        required=False,
        help_text=gettext_lazy("Empty: “Found … in N enterprise(s)”."),
    )
    lead_unit = forms.ModelChoiceField(
        queryset=Unit.objects.order_by("name"), label=gettext_lazy("Lead unit")
    )
    supporting_units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.order_by("name"),
        label=gettext_lazy("Supporting units"),
        required=False,
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due date"),
        widget=DateInput(),
        initial=lambda: timezone.localdate() + datetime.timedelta(days=90),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        programs = [
            p.pk
            for p in Program.objects.visible_to(user).filter(status__in=("active", "draft"))
            if can_manage_program(user, p)
        ]
        self.fields["area"].queryset = Area.objects.filter(program__in=programs).select_related(
            "program"
        )
        self.fields["area"].label_from_instance = lambda a: f"{a.program.code} · {a}"


class GapTaskCreateView(ServiceFormView):
    """A program task to found the organisations of one gap row or a selection of them."""

    form_class = GapTaskForm
    template_name = "insight/gap_task_form.html"
    success_message = gettext_lazy("Task created.")

    def dispatch(self, request, *args, **kwargs):
        if not services.can_create_gap_tasks(request.user):
            raise PermissionDenied
        source = request.POST if request.method == "POST" else request.GET
        ids = [int(v) for v in source.getlist("gap") if v.isdigit()]
        self.gaps = list(
            Gap.objects.filter(pk__in=ids[:500]).select_related("enterprise", "zone", "type")
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["gaps"] = [(gap, services.gap_reason(gap)) for gap in self.gaps]
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        area = data.pop("area")
        return services.gap_task_create(
            actor=self.request.user, area=area, gaps=self.gaps, data=data
        )


# --- Data quality -----------------------------------------------------------------------------


class ViolationListView(_InsightList, SingleTableMixin, FilterView):
    """The data-quality rules, how many enterprises break each, and those enterprises with a
    link to fix them."""

    template_name = "insight/quality.html"
    filterset_class = ViolationFilterSet
    table_class = ViolationTable
    paginate_by = 25

    def get_queryset(self):
        self.snapshot, self.stale = aggregates.current_snapshot()
        return Violation.objects.select_related("enterprise", "zone", "rule").order_by(
            "enterprise__name", "pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = self.snapshot.data.get("rule_counts", {})
        context["rules"] = [
            (rule, counts.get(str(rule.pk), 0)) for rule in QualityRule.objects.all()
        ]
        context["snapshot"], context["stale"] = self.snapshot, self.stale
        context["can_manage"] = services.can_manage_rules(self.request.user)
        return context


class QualityRuleForm(forms.ModelForm):
    class Meta:
        model = QualityRule
        fields = ["name", "left", "operator", "right", "active", "sort_order"]


class QualityRuleCreateView(ServiceFormView):
    form_class = QualityRuleForm
    template_name = "insight/qualityrule_form.html"
    success_message = gettext_lazy("Rule saved; the violations are recounted.")
    rule = None

    def dispatch(self, request, *args, **kwargs):
        if not services.can_manage_rules(request.user):
            raise PermissionDenied
        if "pk" in kwargs:
            self.rule = get_object_or_404(QualityRule, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.rule is not None:
            kwargs["instance"] = QualityRule.objects.get(pk=self.rule.pk)
        return kwargs

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "rule": self.rule}

    def perform(self, form):
        data = {name: form.cleaned_data[name] for name in QualityRuleForm.Meta.fields}
        return services.quality_rule_save(actor=self.request.user, data=data, rule=self.rule)


def home(request):
    """The overview every signed-in user lands on: the role dashboard."""
    return dashboard(request)
