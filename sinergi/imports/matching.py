"""Matching a file's rows with the registry: zones named the way files name them (short names,
aliases, abbreviations), enterprises by tax id, a registered twin by its name without the legal
form, and what importing each row would change."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from itertools import chain
from operator import methodcaller
from typing import Any, Literal

from django.utils import timezone

from sinergi.core.text import search_key
from sinergi.imports.columns import FIELDS
from sinergi.imports.messages import deferred as _  # said now, msgid kept for later
from sinergi.imports.results import Issue, Plan, RowPlan
from sinergi.registry.choices import ENTERPRISE_FIELDS, FIGURE_VALUES
from sinergi.registry.models import Enterprise, Figure, Organisation, Zone

# The registry's fields of an enterprise that an import can set: those a column can hold, the
# tax id aside (it finds the enterprise). A field added to both is compared without a change here.
ENTERPRISE_COLUMNS = tuple(f for f in ENTERPRISE_FIELDS if f in FIELDS and f != "tax_id")
# What the comparison reads of a registered enterprise (the zone by its id).
REGISTERED = ("id", "tax_id", "zone_id", "name", *ENTERPRISE_COLUMNS[2:])
CHUNK = 900  # stays under SQLite's limit on query parameters

# Words that say what legal form a name has, not which enterprise it is ("Công ty TNHH …").
LEGAL_FORM_WORDS = {
    "cong",
    "ty",
    "tnhh",
    "mtv",
    "co",
    "phan",
    "cp",
    "ctcp",
    "chi",
    "nhanh",
    "doanh",
    "nghiep",
    "tu",
    "nhan",
    "dntn",
    "hop",
    "tac",
    "xa",
    "htx",
    "van",
    "phong",
    "dai",
    "dien",
    "pt",
    "cv",
    "tbk",
    "tbk.",
    "persero",
    "tbk,",
    "company",
    "limited",
    "ltd",
    "co.",
    "jsc",
    "llc",
    "inc",
    "viet",
    "nam",
    "vietnam",
    "one",
    "member",
}
ABBREVIATIONS = (
    (r"^kcn\b", "khu cong nghiep"),
    (r"^kkt\b", "khu kinh te"),
    (r"^kktck\b", "khu kinh te cua khau"),
    (r"^khu tm ?- ?cn\b", "khu thuong mai - cong nghiep"),
    (r"^ktm ?- ?cn\b", "khu thuong mai - cong nghiep"),
    (r"^kcx\b", "khu che xuat"),
    (r"^ki\b", "kawasan industri"),
    (r"^kek\b", "kawasan ekonomi khusus"),
)


def _expand(key: str) -> str:
    for pattern, replacement in ABBREVIATIONS:
        key = re.sub(pattern, replacement, key)
    return key


def zone_index(zones: Iterable[Zone]) -> dict[str, Zone | None]:
    """Every way of naming a zone (name, short name, aliases, abbreviations expanded) -> zone;
    a name shared by two zones maps to None (ambiguous)."""
    index: dict[str, Zone | None] = {}
    for zone in zones:
        for label in (zone.name, zone.short_name, *zone.aliases, zone.code):
            if not label:
                continue
            for key in {search_key(label), _expand(search_key(label))}:
                if (known := index.get(key)) is not None and known.pk != zone.pk:
                    index[key] = None
                else:
                    index[key] = zone
    return index


def name_core(name: str, key: str | None = None) -> str:
    """A name without its legal-form words, to spot the same enterprise under two tax ids."""
    key = search_key(name) if key is None else key
    return " ".join([w for w in key.split() if w not in LEGAL_FORM_WORDS])


class ZoneNames:
    """The zones as the registry knows them, for naming in a file's cells."""

    def __init__(self, zones: list[Zone]):
        self.zones = zone_index(zones)
        self.by_pk = {zone.pk: zone for zone in zones}
        self._zone_cache: dict[str, Zone | Literal[False] | None] = {}

    def __call__(self, raw: str) -> Zone | Literal[False] | None:
        """The zone a cell names: a Zone, None when ambiguous, False when unknown. Files repeat
        a handful of zone names thousands of times, so each is looked up once."""
        if raw not in self._zone_cache:
            key = search_key(raw)
            found: Zone | Literal[False] | None = False
            for candidate in (key, _expand(key)):
                if candidate in self.zones:
                    found = self.zones[candidate]
                    break
            self._zone_cache[raw] = found
        return self._zone_cache[raw]


def compare_with_registry(
    plan: Plan,
    rows: list[RowPlan],
    labels: dict[str, str],
    *,
    zone_by_pk: dict[int, Zone],
    can_edit_zone: Callable[[Zone | None], bool],
) -> None:
    """Each row against the registry as it is: a tax id twice in the file, the zone the row
    would put its enterprise in and whether the person may change that zone's registry, new
    enterprises (defaults, a registered twin under another tax id) and, for registered ones,
    what would change (fields, figures of the row's date, organisations not yet active). Sets
    each row's action, before-values, errors and warnings in place."""
    # The registry is read as plain rows, not model instances: an update file of 100,000
    # registered enterprises reads 100,000 of them and their figures.
    existing: dict[str, Any] = {}  # tax id -> (id, tax_id, zone_id, the compared fields)
    tax_ids = [r.tax_id for r in rows if r.tax_id]
    enterprises = Enterprise.objects.values_list(*REGISTERED, named=True)
    # A registry no larger than the file (a first import, or this year's file of the whole
    # registry): one pass over each table costs less than looking the file's enterprises
    # up a chunk at a time.
    whole = Enterprise.objects.count() <= len(tax_ids)
    if whole:
        wanted = set(tax_ids)
        for enterprise in enterprises.iterator(chunk_size=5000):
            if enterprise.tax_id in wanted:
                existing[enterprise.tax_id] = enterprise
    else:
        for i in range(0, len(tax_ids), CHUNK):
            for enterprise in enterprises.filter(tax_id__in=tax_ids[i : i + CHUNK]):
                existing[enterprise.tax_id] = enterprise
    ids = [e.id for e in existing.values()]

    def of_registered(queryset) -> Iterable[tuple]:
        """The queryset's rows (values_list, the enterprise id first) for the file's
        registered enterprises."""
        if whole:
            found = set(ids)
            return (r for r in queryset.iterator(chunk_size=5000) if r[0] in found)
        return chain.from_iterable(
            queryset.filter(enterprise_id__in=ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)
        )

    # (enterprise id, reporting date) -> (figure id, its values in FIGURE_VALUES' order): tuples,
    # not a dict per figure (a re-import of 100,000 registered enterprises reads as many).
    current_figures: dict[tuple[int, datetime.date | None], tuple[int, tuple]] = {}
    active: dict[int, set[str]] = {}
    dates = {r.as_of for r in rows if r.as_of}
    if ids and dates:
        figures = Figure.objects.filter(as_of__in=dates, superseded_at__isnull=True)
        for enterprise_id, as_of, pk, *numbers in of_registered(
            figures.values_list("enterprise_id", "as_of", "id", *FIGURE_VALUES)
        ):
            current_figures[(enterprise_id, as_of)] = (pk, tuple(numbers))
    if ids:
        day = plan.report_date or timezone.localdate()
        organisations = Organisation.objects.active_on(day)
        for enterprise_id, code in of_registered(
            organisations.values_list("enterprise_id", "type__code")
        ):
            active.setdefault(enterprise_id, set()).add(code)

    # The checks go over the rows a check at a time; each row's issues still come in the
    # order a reading of the row would find them (tax id, then zone).
    tax_ids = [row.tax_id for row in rows]
    given = [tax_id for tax_id in tax_ids if tax_id]
    if len(set(given)) < len(given):
        seen: dict[str, int] = {}
        for row in rows:
            if not row.tax_id:
                continue
            first = seen.setdefault(row.tax_id, row.row)
            if first != row.row:
                row.errors = [
                    *row.errors,
                    Issue(
                        row.row,
                        labels["tax_id"],
                        row.tax_id,
                        _("This tax id is also on row %(row)d; each enterprise must appear once.")
                        % {"row": first},
                    ),
                ]

    found = list(map(existing.get, tax_ids)) if existing else [None] * len(rows)
    # The zone a row would put its enterprise in: the file's, else the registered one.
    targets = list(map(methodcaller("get", "zone"), (row.fields for row in rows)))
    # (row, the zone its registered enterprise is in)
    registered = [(k, zone_by_pk.get(e.zone_id)) for k, e in enumerate(found) if e]
    for k, zone in registered:
        if "zone" not in rows[k].fields:
            targets[k] = zone
    # Whether the person may change a zone's registry: asked once per zone, not per row
    # (the file names a few; Zone objects are shared, so each is known by its id).
    zones = dict(zip(map(id, targets), targets, strict=True))
    zones.update((id(zone), zone) for _k, zone in registered)
    allowed = {key: can_edit_zone(zone) for key, zone in zones.items()}
    for k in [k for k, zone in enumerate(map(id, targets)) if not allowed[zone]]:
        rows[k].errors = [*rows[k].errors, _zone_refused(rows[k], targets[k], labels)]
    for k, zone in registered:
        if allowed[id(targets[k])] and not allowed[id(zone)]:
            rows[k].errors = [*rows[k].errors, _zone_refused(rows[k], targets[k], labels)]

    # New enterprises (each row's action is "create" until found registered; its figures,
    # if any, are all new: figure_changed, from _parse).
    new = [row for row, enterprise in zip(rows, found, strict=True) if enterprise is None]
    for row in new:
        row.fields.setdefault("status", "operating")
    for row in [row for row in new if "ownership" not in row.fields]:
        row.fields["ownership"] = "other"
        row.warnings = [
            *row.warnings,
            Issue(
                row.row,
                labels.get("ownership", ""),
                "",
                _("No ownership given; recorded as “other”."),
            ),
        ]
    named = [row for row in new if row.name]
    for row, key in zip(named, map(search_key, [row.name for row in named]), strict=True):
        row.name_key = key
    # The registered names without their legal forms, to spot a new row that is already
    # registered under another tax id (read only when the file has new enterprises).
    cores: dict[str, tuple[str, str]] = {}
    if named:
        registered_names = Enterprise.objects.values_list("tax_id", "name")
        for tax, name in registered_names.iterator(chunk_size=5000):
            cores.setdefault(name_core(name), (tax, name))
    for row in named if cores else ():
        core = name_core(row.name, row.name_key)
        twin = cores.get(core)
        if core and twin and twin[0] != row.tax_id:
            row.warnings = [
                *row.warnings,
                Issue(
                    row.row,
                    labels["name"],
                    row.name,
                    _(
                        "A very similar name is already registered under "
                        "tax id %(tax_id)s "
                        "(“%(name)s”)."
                    )
                    % {"tax_id": twin[0], "name": twin[1]},
                ),
            ]

    # Registered enterprises: what would change.
    for row, enterprise in zip(rows, found, strict=True):
        if enterprise is None:
            continue
        row.enterprise_id = enterprise.id
        changed = {}
        before = {}
        for key, value in row.fields.items():
            if key == "zone":
                current, value = enterprise.zone_id, value.pk
            else:
                current = getattr(enterprise, key)
            if current != value:
                changed[key] = row.fields[key]
                before[key] = current
        row.fields = changed
        if before:
            row.before = before
        figure = current_figures.get((enterprise.id, row.as_of))
        if row.figures:
            if figure is None:
                row.figure_changed = any(v is not None for v in row.figures.values())
            else:
                previous_id, values = figure
                previous = dict(zip(FIGURE_VALUES, values, strict=True))
                merged = {**previous, **row.figures}
                row.figure_changed = merged != previous
                if row.figure_changed:
                    row.figures_before = previous
                    row.figures = merged
                    row.previous_figure_id = previous_id
                else:
                    # Nothing to write or to show: the row keeps no copy of the registry's
                    # figures (an unchanged file of 100,000 rows would hold two dicts a row).
                    row.figures = {}
        has = active.get(enterprise.id, set())
        missing = [code for code in row.organisations if code not in has]
        row.organisations = missing
        row.action = "update" if (changed or row.figure_changed or missing) else "unchanged"


def _zone_refused(row: RowPlan, zone: Zone | None, labels) -> Issue:
    return Issue(
        row.row,
        labels.get("zone", ""),
        str(zone or ""),
        _("You may not change the registry of this zone."),
    )
