"""What a dry run finds: per row what importing would do (create, update, unchanged) with its
errors and warnings, the rows skipped, the file's own errors, and the summary and preview the
batch keeps. Built by the planner (plan.py), read by the commit, the pages and the command."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from itertools import chain
from operator import attrgetter
from types import MappingProxyType
from typing import Any

from sinergi.imports.messages import issue_json


@dataclass(slots=True)
class Issue:
    row: int
    column: str  # the file's header, or Sinergi's label of the field (a FieldLabel)
    value: str
    message: str  # a Message where Sinergi says it, to be said again in the reader's language

    def as_json(self) -> dict[str, Any]:
        return issue_json(self.row, self.column, self.value, self.message)


# What most rows hold for their issues and their values before: one shared empty tuple and
# mapping, not four new containers per row (a file of 100,000 rows would make 400,000). They
# cannot be changed in place: a row that gets an issue or a value before is given its own.
NO_ISSUES: tuple[Issue, ...] = ()
NOTHING_BEFORE: Mapping[str, Any] = MappingProxyType({})


def _nothing_before() -> Mapping[str, Any]:
    return NOTHING_BEFORE


@dataclass(slots=True)
class RowPlan:
    row: int  # as the spreadsheet numbers it
    action: str = "create"  # create | update | unchanged | error
    tax_id: str = ""
    name: str = ""
    enterprise_id: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # enterprise fields to set
    before: Mapping[str, Any] = field(default_factory=_nothing_before)  # their values now (updates)
    figures: dict[str, int | None] = field(default_factory=dict)
    as_of: datetime.date | None = None  # the date the figures describe
    figure_changed: bool = False
    previous_figure_id: int | None = None
    organisations: list[str] = field(default_factory=list)  # type codes to found
    name_key: str = ""  # search_key(name), computed once
    errors: Sequence[Issue] = NO_ISSUES
    warnings: Sequence[Issue] = NO_ISSUES
    # Updates: the figures now.
    figures_before: Mapping[str, int | None] = field(default_factory=_nothing_before)


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
