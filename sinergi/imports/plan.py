"""The dry run: read a file, recognise its shape and columns, check every row against the rules
and the registry, and say what importing it would do — without writing anything."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from itertools import chain, compress, repeat
from operator import attrgetter, itemgetter, methodcaller
from typing import Any, Literal

from django.conf import settings
from django.utils import timezone, translation

from sinergi.core.text import nfc, search_key
from sinergi.imports import layout as shape
from sinergi.imports import values
from sinergi.imports.columns import FIELDS, match_headers, targets
from sinergi.imports.messages import FieldLabel, Message, issue_json
from sinergi.imports.messages import deferred as _  # said now, msgid kept for later
from sinergi.imports.reading import Table
from sinergi.registry.choices import FIGURE_FIELDS, FIGURE_FLAGS, FIGURE_VALUES, PARTY_SPLIT
from sinergi.registry.models import (
    Enterprise,
    Figure,
    Organisation,
    OrganisationType,
    Zone,
    complete_party_split_columns,
    figure_rule_violations,
)

ENTERPRISE_COLUMNS = ("name", "zone", "ownership", "sector", "founded_on", "status", "address")
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


@dataclass(slots=True)
class Issue:
    row: int
    column: str  # the file's header, or Sinergi's label of the field (a FieldLabel)
    value: str
    message: str  # a Message where Sinergi says it, to be said again in the reader's language

    def as_json(self) -> dict[str, Any]:
        return issue_json(self.row, self.column, self.value, self.message)


@dataclass(slots=True)
class RowPlan:
    row: int  # as the spreadsheet numbers it
    action: str = "create"  # create | update | unchanged | error
    tax_id: str = ""
    name: str = ""
    enterprise_id: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # enterprise fields to set
    before: dict[str, Any] = field(default_factory=dict)  # their values now (updates)
    figures: dict[str, int | None] = field(default_factory=dict)
    as_of: datetime.date | None = None  # the date the figures describe
    figure_changed: bool = False
    previous_figure_id: int | None = None
    organisations: list[str] = field(default_factory=list)  # type codes to found
    name_key: str = ""  # search_key(name), computed once
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    figures_before: dict[str, int | None] = field(default_factory=dict)  # updates: values now


ROW_FIELDS = tuple(f.name for f in dataclass_fields(RowPlan))  # in the order RowPlan takes them


@dataclass
class Skipped:
    row: int
    reason: str
    text: str = ""


@dataclass
class Plan:
    report_date: datetime.date | None = None
    date_from_title: bool = False
    headers: list[str] = field(default_factory=list)
    header_row: int = 0  # as the spreadsheet numbers it
    mapping: dict[int, str] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    file_errors: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [*self.file_errors, *chain.from_iterable(map(attrgetter("errors"), self.rows))]

    @property
    def warnings(self) -> list[Issue]:
        return list(chain.from_iterable(map(attrgetter("warnings"), self.rows)))

    def counts(self) -> dict[str, int]:
        tally = {
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "skipped": len(self.skipped),
            "errors": 0,
            "rows_with_errors": 0,
            "warnings": sum(map(len, map(attrgetter("warnings"), self.rows))),
        }
        rows = self.rows
        failed = [row for row in rows if row.errors]
        tally["rows_with_errors"] = len(failed)
        tally["errors"] = sum(len(row.errors) for row in failed)
        actions = Counter([row.action for row in rows])
        if failed:
            actions.subtract(Counter([row.action for row in failed]))
        for action, count in actions.items():
            if count:
                key = {"create": "created", "update": "updated"}.get(action, action)
                tally[key] += count
        tally["errors"] += len(self.file_errors)
        return tally

    def summary(self, counts: dict[str, int] | None = None) -> dict[str, Any]:
        """The JSON the CLI prints and the batch keeps (`counts`: `self.counts()`, if at hand)."""
        counts = counts or self.counts()
        return {
            "created": counts["created"],
            "updated": counts["updated"],
            "unchanged": counts["unchanged"],
            "skipped": counts["skipped"],
            "report_date": self.report_date.isoformat() if self.report_date else None,
            "warnings": [w.as_json() for w in self.warnings],
            "errors": [e.as_json() for e in self.errors],
        }


PREVIEW_ROWS = 200


def preview(plan: Plan, limit: int = PREVIEW_ROWS) -> list[dict[str, Any]]:
    """The first rows importing would create or change, as JSON for the batch's page: each
    with its changes as [field code, value now, value after] (codes, ids and ISO dates; the
    page puts them in the reader's language). Rows with errors are left out: they are not
    imported."""
    shown: list[dict[str, Any]] = []
    for row in plan.rows:
        if row.errors or row.action not in ("create", "update"):
            continue
        changes: list[list[Any]] = []
        for key, value in row.fields.items():
            after = value.pk if key == "zone" and value is not None else value
            changes.append([key, _plain(row.before.get(key)), _plain(after)])
        for key, value in row.figures.items():
            before = row.figures_before.get(key)
            if value != before and (value is not None or row.action == "update"):
                changes.append([f"figure:{key}", before, value])
        changes.extend([f"org:{code}", None, True] for code in row.organisations)
        shown.append(
            {
                "row": row.row,
                "action": row.action,
                "tax_id": row.tax_id,
                "name": row.name,
                "enterprise_id": row.enterprise_id,
                "as_of": row.as_of.isoformat() if row.as_of else None,
                "changes": changes,
            }
        )
        if len(shown) >= limit:
            break
    return shown


def _plain(value: Any) -> Any:
    """A value the batch's JSON report can keep."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


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


class Planner:
    """Builds the plan for one table. `can_edit_zone(zone)` says whether the importing person may
    change the registry of that zone (None: enterprises without a zone)."""

    def __init__(
        self,
        table: Table,
        *,
        can_edit_zone: Callable[[Zone | None], bool],
        report_date: datetime.date | None = None,
        mapping: dict[int, str] | None = None,
        country: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ):
        self.table = table
        self.can_edit_zone = can_edit_zone
        self.given_date = report_date
        self.given_mapping = mapping
        self.country = country or settings.SINERGI_COUNTRY
        self.progress = progress or (lambda done, total: None)
        self.org_types = list(OrganisationType.objects.all())
        self.targets = targets(self.org_types)
        # Where the header and the data are: found once, used by the mapping and the plan.
        self.layout = shape.detect(table.rows, self.org_types)

    # --- The whole table -----------------------------------------------------------------------

    def plan(self) -> Plan:
        plan = Plan()
        rows = self.table.rows
        found = self.layout
        if found is None:
            plan.file_errors.append(
                Issue(
                    0,
                    "",
                    "",
                    _(
                        "No header row was recognised: the file needs at least a tax id and a name "
                        "column (e.g. “Mã số thuế”, “Tên doanh nghiệp” / “NPWP”, "
                        "“Nama perusahaan”)."
                    ),
                )
            )
            return plan
        header_row = found.headers or rows[found.header_index]
        plan.header_row = found.header_index + 1
        plan.headers = [nfc(str(c or "")) for c in header_row]
        plan.mapping = (
            {int(k): v for k, v in self.given_mapping.items() if v}
            if self.given_mapping
            else match_headers(header_row, self.org_types)
        )
        plan.unknown_columns = [
            plan.headers[i]
            for i in range(len(plan.headers))
            if plan.headers[i] and i not in plan.mapping
        ]
        mapped = set(plan.mapping.values())
        for required in ("tax_id", "name"):
            if required not in mapped:
                plan.file_errors.append(
                    Issue(
                        found.header_index + 1,
                        FieldLabel(required, FIELDS[required][0]),
                        "",
                        _("No column holds this; map one to it."),
                    )
                )
        plan.report_date = self.given_date or found.report_date
        plan.date_from_title = self.given_date is None and found.report_date is not None
        has_figures = any(code in FIGURE_FIELDS for code in mapped)
        if has_figures and plan.report_date is None and "as_of" not in mapped:
            plan.file_errors.append(
                Issue(
                    0,
                    FieldLabel("as_of", FIELDS["as_of"][0]),
                    "",
                    _(
                        "The title does not say which date the figures describe; "
                        "give the reporting date."
                    ),
                )
            )
        if plan.report_date and plan.report_date > timezone.localdate():
            plan.file_errors.append(
                Issue(
                    0,
                    FieldLabel("as_of", FIELDS["as_of"][0]),
                    plan.report_date.isoformat(),
                    _("Figures cannot describe a date in the future."),
                )
            )
        if plan.file_errors:
            return plan
        self._plan_rows(plan, rows, found.first_data_index)
        return plan

    # --- Rows ----------------------------------------------------------------------------------

    def _plan_rows(self, plan: Plan, rows, start: int) -> None:
        columns = {code: index for index, code in plan.mapping.items()}
        # Errors name a column as the file heads it; a field without a column by its own label.
        labels: dict[str, str] = {
            code: FieldLabel(code, target.label) for code, target in self.targets.items()
        }
        labels.update({code: plan.headers[i] for code, i in columns.items() if plan.headers[i]})
        tax_col = columns["tax_id"]
        body = rows[start:]
        # Most rows have a tax id: only the others need looking at more closely.
        taxes = _columns(body, {"tax_id": tax_col})["tax_id"]
        blank = list(compress(range(len(body)), map(values.is_blank, taxes)))
        numbers = list(range(start + 1, len(rows) + 1))  # as the spreadsheet numbers them
        dropped: set[int] = set()
        for k in blank:
            row, number = body[k], numbers[k]
            if shape.is_empty(row):
                plan.skipped.append(Skipped(number, "empty"))
            elif shape.is_total_row(row):
                plan.skipped.append(Skipped(number, "total", _first_text(row)))
            elif shape.is_footer_row(row) or not _has_data(row, columns):
                plan.skipped.append(Skipped(number, "footer", _first_text(row)))
            else:
                continue
            dropped.add(k)
        if dropped:
            body = [row for k, row in enumerate(body) if k not in dropped]
            numbers = [number for k, number in enumerate(numbers) if k not in dropped]

        zones = list(Zone.objects.all())
        self.zones = zone_index(zones)
        self.zone_by_pk = {zone.pk: zone for zone in zones}
        self._zone_cache: dict[str, Zone | Literal[False] | None] = {}
        self.today = timezone.localdate()
        parsed = self._parse(numbers, body, columns, labels, plan.report_date)
        self._compare_with_registry(plan, parsed, labels)
        plan.rows = parsed
        self.progress(len(body) * 2, len(body) * 2)

    def _zone(self, raw: str) -> Zone | Literal[False] | None:
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

    def _readers(self, columns: dict[str, int]) -> dict[str, list[tuple]]:
        """Per step of `_parse`, the columns it reads: (code, index, parser, args, cache). Most
        columns repeat a few values (counts, dates, Có/Không, ownership words): each distinct
        cell of such a column is parsed once (cache; 1, 1.0 and True are told apart)."""

        def readers(*specs):
            return [
                (code, columns[code], parser, args, None if code in UNIQUE_COLUMNS else {})
                for code, parser, *args in specs
                if code in columns
            ]

        return {
            "identity": readers(("tax_id", values.tax_id, self.country), ("name", values.text)),
            "fields": readers(
                ("sector", values.text),
                ("address", values.text),
                ("founded_on", values.day),
                ("ownership", values.ownership),
                ("status", values.status),
            ),
            "zone": readers(("zone", values.text)),
            "figures": readers(
                *((code, values.count) for code in FIGURE_FIELDS),
                *((code, values.yes_no) for code in FIGURE_FLAGS),
                ("as_of", values.day),
            ),
            "organisations": readers(
                *((f"org:{t.code}", values.yes_no, True) for t in self.org_types)
            ),
        }

    def _parse(self, numbers: list[int], table: list[list], columns, labels, file_date):
        """Every candidate row read and checked on its own, a column at a time: each cell is
        parsed by its column's parser (once per distinct value, for the columns that repeat a
        few), then the rules across a row's cells are checked. The row's issues come in the
        order of its cells, as one reading the row would find them. `numbers`: each row's number
        in the spreadsheet."""
        count = len(table)
        readers = self._readers(columns)
        steps = sum(len(step) for step in readers.values()) or 1
        issues: dict[int, list[Issue]] = {}
        cells = _columns(
            table, {code: columns[code] for step in readers.values() for code, *_r in step}
        )

        def issue(k: int, code: str, shown: str, message: str) -> None:
            issues.setdefault(k, []).append(
                Issue(numbers[k], labels.get(code, code), shown, message)
            )

        got: dict[str, list] = {}

        def read(step: str) -> None:
            for code, _index, parser, args, seen in readers[step]:
                got[code] = _read_column(cells[code], parser, args, seen is not None, code, issue)
                self.progress(len(got) * count // steps, count * 2)

        nothing: list[Any] = [None] * count

        def across(codes: list[str]) -> list[tuple]:
            """Per row, the values read in these columns (empty tuples when there are none)."""
            return list(zip(*(got[code] for code in codes), strict=True)) or [()] * count

        read("identity")
        tax_ids = [value or "" for value in got.get("tax_id", nothing)]
        names = got.get("name", nothing)
        if "name" in columns:
            for k in [k for k, name in enumerate(names) if not name]:
                issue(k, "name", "", _("The name is missing."))
        read("fields")
        field_codes = [code for code, *_rest in readers["fields"]]
        today = self.today
        if "founded_on" in got:
            founded, shown = got["founded_on"], cells["founded_on"]
            for k in [k for k, day in enumerate(founded) if day is not None and day > today]:
                issue(
                    k,
                    "founded_on",
                    _shown(shown[k]),
                    _("The founding date cannot be in the future."),
                )
        zones: list[Zone | None] = nothing
        if readers["zone"]:
            read("zone")
            zones = [None] * count
            for k, raw in enumerate(got["zone"]):
                if not raw:
                    continue
                zone = self._zone(raw)
                if zone is False:
                    issue(k, "zone", raw, _("No zone has this name, short name or alias."))
                elif zone is None:
                    issue(k, "zone", raw, _("More than one zone is known by this name."))
                else:
                    zones[k] = zone
        read("figures")
        if sum(code in columns for code in PARTY_SPLIT) >= 2:
            # The total from its split, or the missing part of the split from the total.
            got |= complete_party_split_columns({c: got[c] for c in PARTY_SPLIT if c in got}, count)
        figure_codes = [code for code in FIGURE_VALUES if code in got]
        figure_rows = across(figure_codes)
        empty = (None,) * len(figure_codes)
        as_of = (
            [day or file_date for day in got["as_of"]] if "as_of" in got else [file_date] * count
        )
        for k in [k for k, day in enumerate(as_of) if day is None or day > today]:
            if figure_rows[k] == empty:
                continue
            if as_of[k] is None:
                message = _(
                    "No reporting date for these figures: fill the column or give the date."
                )
                issue(k, "as_of", "", message)
            else:
                message = _("Figures cannot describe a date in the future.")
                issue(k, "as_of", str(as_of[k]), message)
        # The registry's rules say their messages in the active language: asked with none
        # active, they give the msgids, kept so the messages can be said in the reader's.
        with translation.override(None):
            broken = figure_rule_violations({code: got[code] for code in figure_codes})
        for k, code, msgid in broken:
            shown_cells = cells.get(code)
            issue(k, code, _shown(shown_cells[k]) if shown_cells else "", Message(msgid))
        read("organisations")
        org_codes = [code for code, *_rest in readers["organisations"]]
        org_rows = across(org_codes)
        founding = [code[4:] for code in org_codes]
        # A row's yes/no per column -> the type codes it says exist (a few patterns repeat).
        said = {
            orgs: [c for c, yes in zip(founding, orgs, strict=True) if yes]
            for orgs in set(org_rows)
        }

        # A row's fields: its name, the fields read, its zone, leaving out the empty ones.
        keys = ("name", *field_codes, "zone")
        field_rows = list(zip(names, *(got[code] for code in field_codes), zones, strict=True))
        fields = list(map(dict, map(zip, repeat(keys), field_rows)))
        for k in [k for k, full in enumerate(map(all, field_rows)) if not full]:
            given = zip(keys, field_rows[k], strict=True)
            fields[k] = {key: value for key, value in given if value}
        errors: list[list[Issue]] = [[] for _k in range(count)]
        for k, found in issues.items():
            errors[k] = found
        # The rows are built column by column, with no Python code per row but RowPlan's own.
        by_field = {
            "row": numbers,
            "action": repeat("create"),  # the comparison with the registry decides
            "tax_id": tax_ids,
            "name": [name or "" for name in names],
            "enterprise_id": repeat(None),
            "fields": fields,
            "before": iter(dict, None),  # a new empty dictionary for each row
            "figures": map(dict, map(zip, repeat(figure_codes), figure_rows)),
            "as_of": as_of,
            # Any figure given; for an enterprise already registered, the comparison decides.
            "figure_changed": map(empty.__ne__, figure_rows),
            "previous_figure_id": repeat(None),
            "organisations": map(list, map(said.__getitem__, org_rows)),
            "name_key": repeat(""),
            "errors": errors,
            "warnings": iter(list, None),  # a new empty list for each row
            "figures_before": iter(dict, None),
        }
        return list(map(RowPlan, *(by_field[name] for name in ROW_FIELDS)))

    def _compare_with_registry(self, plan: Plan, rows: list[RowPlan], labels) -> None:
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
                queryset.filter(enterprise_id__in=ids[i : i + CHUNK])
                for i in range(0, len(ids), CHUNK)
            )

        # (enterprise id, reporting date) -> (figure id, its values)
        current_figures: dict[
            tuple[int, datetime.date | None], tuple[int, dict[str, int | None]]
        ] = {}
        active: dict[int, set[str]] = {}
        dates = {r.as_of for r in rows if r.as_of}
        if ids and dates:
            figures = Figure.objects.filter(as_of__in=dates, superseded_at__isnull=True)
            for enterprise_id, as_of, pk, *numbers in of_registered(
                figures.values_list("enterprise_id", "as_of", "id", *FIGURE_VALUES)
            ):
                current_figures[(enterprise_id, as_of)] = (
                    pk,
                    dict(zip(FIGURE_VALUES, numbers, strict=True)),
                )
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
                    row.errors.append(
                        Issue(
                            row.row,
                            labels["tax_id"],
                            row.tax_id,
                            _(
                                "This tax id is also on row %(row)d; "
                                "each enterprise must appear once."
                            )
                            % {"row": first},
                        )
                    )

        found = list(map(existing.get, tax_ids)) if existing else [None] * len(rows)
        # The zone a row would put its enterprise in: the file's, else the registered one.
        targets = list(map(methodcaller("get", "zone"), (row.fields for row in rows)))
        # (row, the zone its registered enterprise is in)
        registered = [(k, self.zone_by_pk.get(e.zone_id)) for k, e in enumerate(found) if e]
        for k, zone in registered:
            if "zone" not in rows[k].fields:
                targets[k] = zone
        # Whether the person may change a zone's registry: asked once per zone, not per row
        # (the file names a few; Zone objects are shared, so each is known by its id).
        zones = dict(zip(map(id, targets), targets, strict=True))
        zones.update((id(zone), zone) for _k, zone in registered)
        allowed = {key: self.can_edit_zone(zone) for key, zone in zones.items()}
        for k in [k for k, zone in enumerate(map(id, targets)) if not allowed[zone]]:
            rows[k].errors.append(self._zone_refused(rows[k], targets[k], labels))
        for k, zone in registered:
            if allowed[id(targets[k])] and not allowed[id(zone)]:
                rows[k].errors.append(self._zone_refused(rows[k], targets[k], labels))

        # New enterprises (each row's action is "create" until found registered; its figures,
        # if any, are all new: figure_changed, from _parse).
        new = [row for row, enterprise in zip(rows, found, strict=True) if enterprise is None]
        for row in new:
            row.fields.setdefault("status", "operating")
        for row in [row for row in new if "ownership" not in row.fields]:
            row.fields["ownership"] = "other"
            row.warnings.append(
                Issue(
                    row.row,
                    labels.get("ownership", ""),
                    "",
                    _("No ownership given; recorded as “other”."),
                )
            )
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
                row.warnings.append(
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
                    )
                )

        # Registered enterprises: what would change.
        for row, enterprise in zip(rows, found, strict=True):
            if enterprise is None:
                continue
            row.enterprise_id = enterprise.id
            changed = {}
            for key, value in row.fields.items():
                if key == "zone":
                    current, value = enterprise.zone_id, value.pk
                else:
                    current = getattr(enterprise, key)
                if current != value:
                    changed[key] = row.fields[key]
                    row.before[key] = current
            row.fields = changed
            figure = current_figures.get((enterprise.id, row.as_of))
            if row.figures:
                if figure is None:
                    row.figure_changed = any(v is not None for v in row.figures.values())
                else:
                    previous_id, previous = figure
                    row.figures_before = previous
                    merged = {**previous, **row.figures}
                    row.figure_changed = merged != previous
                    row.figures = merged
                    row.previous_figure_id = previous_id
            has = active.get(enterprise.id, set())
            missing = [code for code in row.organisations if code not in has]
            row.organisations = missing
            row.action = "update" if (changed or row.figure_changed or missing) else "unchanged"

    @staticmethod
    def _zone_refused(row: RowPlan, zone: Zone | None, labels) -> Issue:
        return Issue(
            row.row,
            labels.get("zone", ""),
            str(zone or ""),
            _("You may not change the registry of this zone."),
        )


# Columns whose cells are (nearly) all different: caching their parsed values would not pay.
UNIQUE_COLUMNS = frozenset({"tax_id", "name", "address"})
# Cell types a cache must tell apart: True == 1 == 1.0 as dictionary keys.
NUMBERS = frozenset({bool, int, float})


def _columns(table: list[list], columns: dict[str, int]) -> dict[str, Sequence]:
    """The cells of the named columns ({code: index}), a column each; a row too short for a
    column gives None there."""
    width = min(map(len, table), default=0)
    # A column at a time, each one pass in C (transposing the rows at once costs three times as
    # much: it builds a tuple per row first).
    return {
        code: list(map(itemgetter(index), table))
        if index < width
        else [row[index] if index < len(row) else None for row in table]
        for code, index in columns.items()
    }


def _read_cell(parser, raw, args) -> tuple[Any, str | None]:
    """(value, None), or (None, the message) when the cell cannot be read."""
    try:
        return parser(raw, *args), None
    except values.CellError as error:
        return None, error.message


def _read_column(cells: Sequence, parser, args, repeats: bool, code: str, issue) -> list:
    """The column's cells parsed; `issue(k, code, shown, message)` for each one that cannot be
    (its value is then None). A column that repeats few values (`repeats`) is parsed once per
    distinct value."""
    if not repeats:
        parsed: list[Any] = []
        append = parsed.append
        for k, raw in enumerate(cells):
            try:
                append(parser(raw, *args))
            except values.CellError as error:
                append(None)
                issue(k, code, _shown(raw), error.message)
        return parsed
    distinct = set(cells)
    keys = cells
    # True == 1 == 1.0 as keys: a column holding numbers of more than one type (say, yes and 1)
    # is keyed by (type, value) so that each is parsed as what it is.
    if any(type(v) in NUMBERS for v in distinct) and len(set(map(type, cells)) & NUMBERS) > 1:
        keys = list(zip(map(type, cells), cells, strict=True))
        distinct = set(keys)
    results = {key: _read_cell(parser, key if keys is cells else key[1], args) for key in distinct}
    parsed = list(map({key: value for key, (value, _m) in results.items()}.__getitem__, keys))
    if any(message is not None for _value, message in results.values()):
        for k, key in enumerate(keys):
            message = results[key][1]
            if message is not None:
                issue(k, code, _shown(cells[k]), message)
    return parsed


def _first_text(row) -> str:
    return next((str(c).strip() for c in row if isinstance(c, str) and c.strip()), "")[:80]


def _has_data(row, columns: dict[str, int]) -> bool:
    """Whether a row without a tax id still carries enterprise data (then it is an error row)."""
    for code in ("name", *FIGURE_VALUES):
        index = columns.get(code)
        if index is not None and index < len(row) and not values.is_blank(row[index]):
            return True
    return False


def _shown(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)
