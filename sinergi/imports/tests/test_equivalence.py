"""The import and the registry's services write the same registry: one enterprise written both
ways — registered with its figures, then renamed with new figures for the same date — compared
row by row (enterprise, every figure version, the newest-figure pointer)."""

from __future__ import annotations

import datetime

import pytest

from sinergi.imports import services
from sinergi.imports.tests.factories import row, upload, xlsx
from sinergi.registry import services as registry_services
from sinergi.registry.models import Enterprise, Figure

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2023, 12, 31)
FIRST = {"workers": 120, "women_workers": 40, "party_members": 4, "union_members": 60}
SECOND = {"workers": 150, "women_workers": 55, "party_members": 5, "union_members": 90}
# What only the way of writing decides: keys, times, the import's own marks.
NOT_COMPARED = {"id", "tax_id", "search_text", "created_at", "updated_at", "created_by_import_id"}


def _by_services(world, tax_id: str) -> Enterprise:
    editor = world.users["editor_a"]
    enterprise = registry_services.enterprise_create(
        actor=editor,
        data={
            "tax_id": tax_id,
            "name": "Công ty TNHH Đông Á",
            "zone": world.zones["a"],
            "ownership": "domestic_private",
        },
    )
    registry_services.figure_record(actor=editor, enterprise=enterprise, as_of=AS_OF, values=FIRST)
    registry_services.enterprise_update(
        actor=editor, enterprise=enterprise, data={"name": "Công ty Cổ phần Đông Á Mới"}
    )
    registry_services.figure_record(actor=editor, enterprise=enterprise, as_of=AS_OF, values=SECOND)
    return Enterprise.objects.get(pk=enterprise.pk)


def _by_import(world, tax_id: str) -> Enterprise:
    editor = world.users["editor_a"]

    def line(name: str, values: dict[str, int]) -> list:
        return row(
            1,
            tax_id,
            name,
            workers=values["workers"],
            women=values["women_workers"],
            party=values["party_members"],
            party_org="",
            union="",
            union_members=values["union_members"],
        )

    for name, values in (("Công ty TNHH Đông Á", FIRST), ("Công ty Cổ phần Đông Á Mới", SECOND)):
        batch = services.batch_upload(actor=editor, upload=upload(xlsx([line(name, values)])))
        plan = services.batch_commit(batch, actor=editor)
        assert not plan.errors and not plan.file_errors
    return Enterprise.objects.get(tax_id=tax_id)


def _enterprise_row(enterprise: Enterprise) -> dict:
    values = Enterprise.objects.filter(pk=enterprise.pk).values().get()
    values["latest_figure_id"] = _figure_row(Figure.objects.get(pk=values["latest_figure_id"]))
    return {k: v for k, v in values.items() if k not in NOT_COMPARED}


def _figure_row(figure: Figure) -> dict:
    return {
        "as_of": figure.as_of,
        **figure.values(),
        "recorded_by": figure.recorded_by_id,
        "current": figure.superseded_at is None,
    }


def test_an_import_writes_what_the_services_write(world):
    written = _by_services(world, "0100000001")
    imported = _by_import(world, "0100000002")

    assert _enterprise_row(imported) == _enterprise_row(written)
    assert imported.former_names == ["Công ty TNHH Đông Á"]
    # The search key: name, former names and tax id, the same rule both ways.
    assert imported.search_text == written.search_text.replace("0100000001", "0100000002")
    assert "cong ty tnhh dong a" in imported.search_text

    def versions(enterprise: Enterprise) -> list[dict]:
        figures = Figure.objects.filter(enterprise=enterprise).order_by("recorded_at", "pk")
        return [_figure_row(f) for f in figures]

    assert versions(imported) == versions(written)
    assert [v["current"] for v in versions(imported)] == [False, True]
    assert imported.latest_figure.values() == {**imported.latest_figure.values(), **SECOND}
