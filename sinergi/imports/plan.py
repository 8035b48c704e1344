"""The dry run: read a file, recognise its shape and columns, check every row against the rules
and the registry, and say what importing it would do — without writing anything.

One module per stage, run in order by the `Planner`: sheet.py (the table's shape, found once,
and its column mapping), rows.py (the rows that hold data, each read and checked on its own),
matching.py (zones by name, the rows against the registry); results.py holds what a plan is."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from sinergi.core.text import nfc
from sinergi.imports.columns import FIELDS, targets
from sinergi.imports.matching import (
    CHUNK,
    ENTERPRISE_COLUMNS,
    REGISTERED,
    ZoneNames,
    compare_with_registry,
    name_core,
    zone_index,
)
from sinergi.imports.messages import FieldLabel
from sinergi.imports.messages import deferred as _  # said now, msgid kept for later
from sinergi.imports.results import (
    PREVIEW_ROWS,
    ROW_FIELDS,
    Issue,
    Plan,
    RowPlan,
    Skipped,
    preview,
)
from sinergi.imports.rows import column_readers, data_rows, read_rows, row_cells
from sinergi.imports.sheet import Sheet
from sinergi.registry.choices import FIGURE_FIELDS
from sinergi.registry.models import Zone

# Known here by the modules and tests that plan, commit and undo.
__all__ = [
    "CHUNK",
    "ENTERPRISE_COLUMNS",
    "PREVIEW_ROWS",
    "REGISTERED",
    "ROW_FIELDS",
    "Issue",
    "Plan",
    "Planner",
    "RowPlan",
    "Sheet",
    "Skipped",
    "name_core",
    "preview",
    "zone_index",
]


class Planner:
    """Builds the plan for one sheet. `can_edit_zone(zone)` says whether the importing person may
    change the registry of that zone (None: enterprises without a zone). `mapping` (column index
    -> field code) replaces the recognised one: the person's corrections or a template."""

    def __init__(
        self,
        sheet: Sheet,
        *,
        can_edit_zone: Callable[[Zone | None], bool],
        report_date: datetime.date | None = None,
        mapping: dict[int, str] | None = None,
        country: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        keep_table: bool = True,
    ):
        self.sheet = sheet
        # False: the sheet is this planner's alone, and its rows are let go once their cells
        # are taken (a large file's cells then are not held through the comparison and the
        # writing).
        self.keep_table = keep_table
        self.can_edit_zone = can_edit_zone
        self.given_date = report_date
        self.given_mapping = mapping
        self.country = country or settings.SINERGI_COUNTRY
        self.progress = progress or (lambda done, total: None)
        self.targets = targets(sheet.org_types)

    @property
    def table(self):
        return self.sheet.table

    @property
    def org_types(self):
        return self.sheet.org_types

    @property
    def layout(self):
        return self.sheet.layout

    # --- The whole table -----------------------------------------------------------------------

    def plan(self) -> Plan:
        plan = Plan()
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
        plan.header_row = found.header_index + 1
        plan.headers = [nfc(str(c or "")) for c in self.sheet.header_cells()]
        plan.mapping = (
            {int(k): v for k, v in self.given_mapping.items() if v}
            if self.given_mapping
            else self.sheet.recognised_mapping()
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
        self._plan_rows(plan, found.first_data_index)
        return plan

    # --- Rows ----------------------------------------------------------------------------------

    def _plan_rows(self, plan: Plan, start: int) -> None:
        columns = {code: index for index, code in plan.mapping.items()}
        # Errors name a column as the file heads it; a field without a column by its own label.
        labels: dict[str, str] = {
            code: FieldLabel(code, target.label) for code, target in self.targets.items()
        }
        labels.update({code: plan.headers[i] for code, i in columns.items() if plan.headers[i]})
        body, numbers, skipped = data_rows(self.table.rows, start, columns)
        plan.skipped.extend(skipped)
        readers = column_readers(columns, self.org_types, self.country)
        cells = row_cells(body, columns, readers)
        total = len(body)
        del body
        if not self.keep_table:
            self.table.rows = []
        zones = ZoneNames(list(Zone.objects.all()))
        parsed = read_rows(
            numbers,
            cells,
            columns,
            labels,
            plan.report_date,
            readers=readers,
            zone_of=zones,
            today=timezone.localdate(),
            progress=self.progress,
        )
        compare_with_registry(
            plan, parsed, labels, zone_by_pk=zones.by_pk, can_edit_zone=self.can_edit_zone
        )
        plan.rows = parsed
        self.progress(total * 2, total * 2)
