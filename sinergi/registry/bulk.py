"""The registry's rules in bulk form, for writers of many enterprises at once (the import).

The single-row services in `registry.services` and these functions share the rules: the search
key, keeping the former name on a rename, a new figure version superseding the current one for
its date, and the newest-figure pointer. The caller checks permission, validates, holds the
transaction and writes the audit entries (`core.audit.record_many`); nothing here does.

Rows are built by field name: a field added to `ENTERPRISE_FIELDS` or `FIGURE_FIELDS` (and the
model) is written here without touching this module.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from sinergi.core import audit, bulk
from sinergi.core.bulk import concrete_field
from sinergi.core.text import search_key
from sinergi.registry.choices import ENTERPRISE_FIELDS, FIGURE_VALUES
from sinergi.registry.models import Enterprise, Figure

# How many ids go into one `pk IN (…)`: below SQLite's limit on parameters.
CHUNK = 900

# An enterprise row as the registry stores it: the fields a person sets, then what the registry
# derives or keeps itself.
ENTERPRISE_COLUMNS = (
    "id",
    *ENTERPRISE_FIELDS,
    "search_text",
    "latest_figure",
    "latest_workers",
    "created_by_import",
    "created_at",
    "updated_at",
)
# A figure version: the values, then where and when it was recorded.
FIGURE_COLUMNS = (
    "id",
    "enterprise",
    "as_of",
    *FIGURE_VALUES,
    "source",
    "recorded_by",
    "recorded_at",
    "import_batch",
)
# The current versions of an enterprise's figures, newest reporting date first.
NEWEST_FIRST = ("-as_of", "-recorded_at")


def enterprise_search_text(
    name: str, former_names: Sequence[str], tax_id: str, *, name_key: str = ""
) -> str:
    """What enterprise search matches: the name, the former names and the tax id, as keys.
    `name_key`, when the caller already holds `search_key(name)`, saves computing it again."""
    if name_key and not former_names:
        if not tax_id:
            return name_key
        # A tax id is one word of digits (and a dash): its key is itself, lower case.
        tax_key = tax_id.lower() if tax_id.isascii() and tax_id.split() == [tax_id] else ""
        return f"{name_key} {tax_key or search_key(tax_id)}"
    return search_key(name, *former_names, tax_id)


def former_names_after(former_names: Sequence[str], old_name: str, new_name: str) -> list[str]:
    """A rename keeps the old name among the former names (once)."""
    names = list(former_names)
    if old_name and new_name != old_name and old_name not in names:
        names.append(old_name)
    return names


def newest_figure(enterprise: Any) -> QuerySet[Figure]:
    """The current figure version with the newest reporting date of `enterprise` (an instance,
    an id or an OuterRef), as a one-row queryset."""
    return Figure.objects.filter(enterprise=enterprise, superseded_at__isnull=True).order_by(
        *NEWEST_FIRST
    )[:1]


def _defaults(model: type[Enterprise] | type[Figure], names: Sequence[str]) -> dict[str, Any]:
    """Each field's model default (Django's: "" for text, None for a nullable field)."""
    return {name: concrete_field(model, name).get_default() for name in names}


def enterprises_insert(
    rows: Iterable[Mapping[str, Any]],
    *,
    now: datetime.datetime,
    defaults: Mapping[str, Any] | None = None,
) -> None:
    """Insert new enterprises. Each row maps field names to values (the zone as an id, the id
    already reserved with `core.bulk.reserve_ids`, optionally "name_key": the name's search
    key if the caller has it); a field a row lacks takes `defaults`, then the model's default.
    The search key is derived here."""
    to_json = bulk.preparer(Enterprise, "former_names")
    to_day = bulk.preparer(Enterprise, "founded_on")
    to_time = bulk.preparer(Enterprise, "created_at")
    stamp = to_time(now)
    no_names = to_json([])
    base = _defaults(Enterprise, ENTERPRISE_COLUMNS) | dict(defaults or {})
    base |= {"former_names": [], "created_at": stamp, "updated_at": stamp}
    take = itemgetter(*ENTERPRISE_COLUMNS)

    def prepared() -> Iterable[tuple[Any, ...]]:
        # Values are prepared for the database here, each distinct one once (see core.bulk).
        for row in rows:
            values = {**base, **row}
            former = values["former_names"]
            values["search_text"] = enterprise_search_text(
                values["name"], former, values["tax_id"], name_key=values.get("name_key", "")
            )
            values["former_names"] = to_json(former) if former else no_names
            if (day := values["founded_on"]) is not None:
                values["founded_on"] = to_day(day)
            for name in ("created_at", "updated_at"):
                if name in row:
                    values[name] = to_time(row[name])
            yield take(values)

    bulk.insert_many(Enterprise, ENTERPRISE_COLUMNS, prepared(), prepared=True)


def enterprises_update(
    changes: Mapping[int, Mapping[str, Any]], *, now: datetime.datetime
) -> dict[str, dict[str, Any]]:
    """Apply `changes` (enterprise id -> field name -> new value, foreign keys as instances or
    ids). A rename keeps the old name among the former names and every change of name renews
    the search key, as `enterprise_update` does. Returns, per enterprise id (as text), the values
    the changed fields held before, as audit entries store them."""
    fields = [concrete_field(Enterprise, name) for name in ENTERPRISE_FIELDS]
    attnames = {f.name: f.attname for f in fields}
    befores: dict[str, dict[str, Any]] = {}
    by_fields: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    ids = [pk for pk, values in changes.items() if values]
    for i in range(0, len(ids), CHUNK):
        current = {
            row["id"]: row
            for row in Enterprise.objects.filter(pk__in=ids[i : i + CHUNK]).values(
                "id", "search_text", *attnames.values()
            )
        }
        for pk in ids[i : i + CHUNK]:
            now_values = current[pk]
            values = {name: getattr(v, "pk", v) for name, v in changes[pk].items()}
            before = {name: audit.jsonable(now_values[attnames[name]]) for name in values}
            if "name" in values:
                former = now_values["former_names"]
                before |= {"former_names": former, "search_text": now_values["search_text"]}
                former = former_names_after(former, now_values["name"], values["name"])
                values |= {
                    "former_names": former,
                    "search_text": enterprise_search_text(
                        values["name"], former, values.get("tax_id", now_values["tax_id"])
                    ),
                }
            befores[str(pk)] = before
            values["updated_at"] = now
            names = tuple(sorted(values))
            by_fields.setdefault(names, []).append((pk, *[values[n] for n in names]))
    for names, rows in by_fields.items():
        bulk.update_many(Enterprise, names, rows)
    return befores


def figures_replace(
    rows: Iterable[Mapping[str, Any]],
    *,
    superseded: Sequence[int],
    now: datetime.datetime,
    recorded_by: int | None,
    source: str,
    import_batch: int | None = None,
) -> None:
    """Record new figure versions: the `superseded` current versions (the ones for the same
    enterprise and date) are marked superseded at `now`, and the new rows inserted. Each row maps
    "id" (reserved), "enterprise" (an id), "as_of" and the figure fields it holds to values.
    Then call `latest_figure_refresh` for the enterprises that already existed."""
    for i in range(0, len(superseded), CHUNK):
        Figure.objects.filter(pk__in=superseded[i : i + CHUNK]).update(superseded_at=now)
    base = _defaults(Figure, FIGURE_COLUMNS) | {
        "source": source,
        "recorded_by": recorded_by,
        "recorded_at": now,
        "import_batch": import_batch,
    }
    take = itemgetter(*FIGURE_COLUMNS)
    as_of = bulk.preparer(Figure, "as_of")
    recorded_at = bulk.preparer(Figure, "recorded_at")(now)

    def prepared() -> Iterable[tuple[Any, ...]]:
        for row in rows:
            values = {**base, **row}
            values["as_of"] = as_of(values["as_of"])
            values["recorded_at"] = recorded_at
            yield take(values)

    bulk.insert_many(Figure, FIGURE_COLUMNS, prepared(), prepared=True)


def latest_figure_pointers(enterprise_ids: Sequence[int]) -> dict[str, int | None]:
    """Where each enterprise's newest-figure pointer stands now (enterprise id as text)."""
    pointers: dict[str, int | None] = {}
    for i in range(0, len(enterprise_ids), CHUNK):
        pointers.update(
            (str(pk), latest)
            for pk, latest in Enterprise.objects.filter(
                pk__in=enterprise_ids[i : i + CHUNK]
            ).values_list("pk", "latest_figure_id")
        )
    return pointers


def latest_figure_refresh(enterprise_ids: Sequence[int]) -> None:
    """Point each enterprise at its current figure with the newest reporting date."""
    newest = Subquery(newest_figure(OuterRef("pk")).values("pk"))
    workers = Subquery(newest_figure(OuterRef("pk")).values("workers"))  # decision 0012
    for i in range(0, len(enterprise_ids), CHUNK):
        Enterprise.objects.filter(pk__in=enterprise_ids[i : i + CHUNK]).update(
            latest_figure=newest, latest_workers=workers
        )
