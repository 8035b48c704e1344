"""The import pipeline end to end: dry run, all-or-nothing commit, update by tax id, undo."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.core import bulk
from sinergi.core.models import AuditEntry
from sinergi.core.services import SYSTEM
from sinergi.imports import services
from sinergi.imports.models import BatchStatus
from sinergi.imports.tests.factories import HEADER, row, upload, xlsx
from sinergi.presets.loader import apply_preset
from sinergi.registry import services as registry_services
from sinergi.registry.models import Enterprise, Figure, Organisation

pytestmark = pytest.mark.django_db

# Sample office files with their expected totals, kept in the repository's test data.
SAMPLES = Path(__file__).resolve().parent / "data"


def _import(world, data: bytes, persona="editor_a", only_valid=False, **kwargs):
    actor = world.users[persona] if world else SYSTEM
    batch = services.batch_upload(actor=actor, upload=upload(data), **kwargs)
    plan = services.batch_commit(batch, actor=actor, only_valid=only_valid)
    batch.refresh_from_db()
    return batch, plan


def _registry_state():
    return (
        Enterprise.objects.count(),
        Figure.objects.count(),
        Organisation.objects.count(),
        list(Enterprise.objects.order_by("pk").values_list("name", "ownership", "sector")),
        list(Figure.objects.order_by("pk").values_list("workers", "superseded_at")),
    )


def test_the_sample_file_imports_to_its_expected_totals(db):
    apply_preset("lao-cai")
    expected = json.loads((SAMPLES / "doanh_nghiep_kcn_2023.expected.json").read_text())
    data = (SAMPLES / "doanh_nghiep_kcn_2023.xlsx").read_bytes()
    batch = services.batch_upload(actor=SYSTEM, upload=upload(data, "doanh_nghiep_kcn_2023.xlsx"))
    plan = services.batch_commit(batch, actor=SYSTEM)
    assert not plan.errors
    assert plan.report_date == datetime.date(2023, 12, 31) and plan.date_from_title
    figures = Figure.objects.filter(as_of=plan.report_date)
    sums = figures.aggregate(Sum("workers"), Sum("party_members"), Sum("union_members"))
    assert Enterprise.objects.count() == expected["enterprises"]
    assert sums["workers__sum"] == expected["workers"]
    assert sums["party_members__sum"] == expected["party_members"]
    assert sums["union_members__sum"] == expected["union_members"]
    by_type = dict(Organisation.objects.values_list("type__code").annotate(n=Count("id")))
    assert by_type["party"] == expected["with_party_organization"]
    assert by_type["trade-union"] == expected["with_trade_union"]
    by_zone = dict(Enterprise.objects.values_list("zone__name").annotate(n=Count("id")))
    assert by_zone == expected["by_zone"]
    reasons = [s.reason for s in plan.skipped]
    assert reasons.count("total") == 5 and "footer" in reasons


def test_a_dry_run_writes_nothing(world):
    before = _registry_state()
    batch = services.batch_upload(
        actor=world.users["editor_a"], upload=upload(xlsx([row(1, "5300200001")]))
    )
    plan = services.batch_check(batch)
    assert plan.counts()["created"] == 1
    assert _registry_state() == before


def test_every_error_is_reported_at_once_with_row_column_value(world):
    rows = [
        row(1, "5300200001", workers="12.5"),
        row(2, "530020002"),
        row(3, "5300200003", zone="KCN Không Có"),
        row(4, "5300200004", women=500),
    ]
    batch = services.batch_upload(actor=world.users["editor_a"], upload=upload(xlsx(rows)))
    with translation.override("en"):
        plan = services.batch_check(batch)
    found = {(e.row, e.column) for e in plan.errors}
    # Header on row 4, numbering on row 5: data starts on row 6, as the spreadsheet shows it.
    assert found == {
        (6, "Tổng số lao động"),
        (7, "Mã số thuế"),
        (8, "Khu công nghiệp"),
        (9, "Trong đó: nữ"),
    }
    lost_zero = next(e for e in plan.errors if e.row == 7)
    assert lost_zero.value == "530020002" and "leading zero" in lost_zero.message


def test_import_writes_nothing_when_one_row_is_bad(world):
    before = _registry_state()
    rows = [row(1, "5300200001"), row(2, "5300200002", party=999)]
    batch, plan = _import(world, xlsx(rows))
    assert plan.errors and batch.status == BatchStatus.CHECKED
    assert _registry_state() == before


def test_only_valid_rows_are_imported_when_that_is_chosen(world):
    rows = [row(1, "5300200001"), row(2, "5300200002", party=999)]
    batch, _plan = _import(world, xlsx(rows), only_valid=True)
    assert batch.status == BatchStatus.COMMITTED
    assert Enterprise.objects.filter(tax_id="5300200001").exists()
    assert not Enterprise.objects.filter(tax_id="5300200002").exists()


def test_existing_enterprises_are_updated_by_tax_id_and_figures_recorded_for_the_file_date(world):
    existing = world.enterprises["a"]
    rows = [row(1, existing.tax_id, name=existing.name, ownership="FDI", workers=300)]
    batch, plan = _import(world, xlsx(rows))
    assert plan.counts()["updated"] == 1 and plan.counts()["created"] == 0
    existing.refresh_from_db()
    assert existing.ownership == "foreign_invested"
    assert existing.latest_figure.workers == 300 and existing.latest_workers == 300
    assert existing.latest_figure.as_of == datetime.date(2023, 12, 31)
    assert existing.latest_figure.import_batch == batch
    entry = AuditEntry.objects.for_object(existing).filter(action="update").get()
    assert (
        entry.before["ownership"] == "domestic_private" and entry.actor == world.users["editor_a"]
    )


def test_the_same_file_twice_changes_nothing_the_second_time(world):
    data = xlsx([row(1, "5300200001"), row(2, "5300200002")])
    _import(world, data)
    state = _registry_state()
    _batch, plan = _import(world, data)
    assert plan.counts()["unchanged"] == 2
    assert _registry_state() == state


def test_a_duplicate_tax_id_within_the_file_is_an_error(world):
    batch = services.batch_upload(
        actor=world.users["editor_a"],
        upload=upload(xlsx([row(1, "5300200001"), row(2, "5300200001")])),
    )
    with translation.override("en"):
        plan = services.batch_check(batch)
    assert [e.row for e in plan.errors] == [7]
    assert "row 6" in plan.errors[0].message


def test_a_name_very_close_to_another_enterprises_is_a_warning(world):
    rows = [row(1, "5300200001", name="CÔNG TY CỔ PHẦN ĐIỆN TỬ PHỐ MỚI")]
    plan = services.batch_check(
        services.batch_upload(actor=world.users["editor_a"], upload=upload(xlsx(rows)))
    )
    assert not plan.errors
    assert len(plan.warnings) == 1 and "5300100003" in plan.warnings[0].message


def test_rows_in_a_zone_the_person_does_not_keep_are_refused(world):
    rows = [row(1, "5300200001", zone="KCN Bắc Duyên Hải")]
    plan = services.batch_check(
        services.batch_upload(actor=world.users["editor_a"], upload=upload(xlsx(rows)))
    )
    assert plan.errors and plan.errors[0].column == "Khu công nghiệp"


def test_a_viewer_cannot_import(world):
    with pytest.raises(PermissionDenied):
        services.batch_upload(actor=world.users["viewer"], upload=upload(xlsx([])))


@pytest.mark.parametrize(
    "title",
    [
        "Danh sách (tính đến ngày 30/06/2024)",
        "Daftar perusahaan per 30 Juni 2024",
        "List of enterprises as of 30 June 2024",
    ],
)
def test_the_reporting_date_is_read_from_the_title(world, title):
    plan = services.batch_check(
        services.batch_upload(
            actor=world.users["editor_a"], upload=upload(xlsx([row(1, "5300200001")], title=title))
        )
    )
    assert plan.report_date == datetime.date(2024, 6, 30)


def test_without_a_date_in_the_title_the_date_is_asked_for(world):
    data = xlsx([row(1, "5300200001")], title="")
    plan = services.batch_check(
        services.batch_upload(actor=world.users["editor_a"], upload=upload(data))
    )
    assert plan.file_errors and not plan.rows
    batch, plan = _import(world, data, report_date=datetime.date(2024, 6, 30))
    assert batch.status == BatchStatus.COMMITTED
    assert Figure.objects.get().as_of == datetime.date(2024, 6, 30)


def test_zone_names_match_by_name_short_name_alias_or_abbreviation(world):
    rows = [
        row(i, f"530020000{i}", zone=zone)
        for i, zone in enumerate(
            [
                "Khu công nghiệp Đông Phố Mới",
                "KCN Đông Phố mới",
                "đông phố mới",
                "Khu cong nghiep Dong Pho Moi",
            ],
            start=1,
        )
    ]
    plan = services.batch_check(
        services.batch_upload(actor=world.users["editor_a"], upload=upload(xlsx(rows)))
    )
    assert not plan.errors
    assert {r.fields["zone"] for r in plan.rows} == {world.zones["a"]}


def test_decomposed_accents_are_stored_as_nfc(world):
    decomposed = "Cong ty Pho\u0302\u0301 Mo\u031b\u0301i"
    _import(world, xlsx([row(1, "5300200001", name=decomposed)]))
    assert Enterprise.objects.get(tax_id="5300200001").name == "Cong ty Phố Mới"


def test_indonesian_headers_and_values_are_understood(world):
    header = [
        "No",
        "Nama Perusahaan",
        "NPWP",
        "Kawasan",
        "Kepemilikan",
        "Jumlah Pekerja",
        "Pekerja Perempuan",
        "Anggota Partai",
        "Organisasi Partai",
        "Serikat Pekerja",
        "Anggota Serikat",
    ]
    rows = [[1, "PT Maju", "5300200001", "Đông Phố Mới", "PMA", "1.250", 300, 3, "Ada", "Ya", 900]]
    _import(world, xlsx(rows, header=header, title="Daftar per 31 Desember 2023"))
    enterprise = Enterprise.objects.get(tax_id="5300200001")
    assert enterprise.ownership == "foreign_invested"
    assert enterprise.latest_figure.workers == 1250
    assert set(enterprise.organisations.values_list("type__code", flat=True)) == {
        "party",
        "trade-union",
    }


@pytest.mark.parametrize("new_rows", [0, 30])
def test_existing_enterprises_are_found_whether_the_file_or_the_registry_is_larger(world, new_rows):
    # A file longer than the registry reads the registry in one pass; a short one looks its
    # tax ids up: both find the existing enterprise.
    existing = world.enterprises["a"]
    rows = [row(1, existing.tax_id, name=existing.name, ownership="FDI")]
    rows += [row(2 + i, f"53004{i:05d}") for i in range(new_rows)]
    assert (Enterprise.objects.count() <= len(rows)) == bool(new_rows)
    _batch, plan = _import(world, xlsx(rows))
    assert plan.counts()["updated"] == 1 and plan.counts()["created"] == new_rows
    assert Enterprise.objects.get(pk=existing.pk).ownership == "foreign_invested"


def test_the_batch_entry_stands_for_the_enterprises_it_created_and_each_change_has_its_own(
    world, client
):
    existing = world.enterprises["a"]
    audit_before = AuditEntry.objects.count()
    rows = [row(1, existing.tax_id, name=existing.name, workers=90), row(2, "5300200001")]
    batch, _plan = _import(world, xlsx(rows))
    new = Enterprise.objects.get(tax_id="5300200001")
    assert new.created_by_import == batch
    assert new.latest_figure.import_batch == batch and new.latest_figure.enterprise == new
    assert new.latest_workers == new.latest_figure.workers is not None
    assert Enterprise.objects.get(pk=existing.pk).created_by_import is None
    # The upload's entry, the commit's entry for the batch and one for the changed enterprise.
    assert AuditEntry.objects.count() == audit_before + 3
    assert not AuditEntry.objects.for_object(new).exists()
    commit = AuditEntry.objects.for_object(batch).get(action="record")
    assert commit.after["counts"]["created"] == 1 and commit.after["checksum"] == batch.checksum
    assert AuditEntry.objects.for_object(existing).get(action="update").after["workers"] == 90
    # The new enterprise's history shows the import that created it.
    client.force_login(world.users["editor_a"])
    page = client.get(f"/registry/enterprises/{new.pk}/history/")
    assert page.status_code == 200
    assert [e.pk for e in page.context["entries"]] == [commit.pk]


def test_undo_restores_the_registry_as_it_was(world):
    existing = world.enterprises["a"]
    registry_services.figure_record(
        actor=SYSTEM, enterprise=existing, as_of=datetime.date(2023, 12, 31), values={"workers": 50}
    )
    before = _registry_state()
    latest_before = Enterprise.objects.get(pk=existing.pk).latest_figure_id
    rows = [row(1, existing.tax_id, name="Tên mới", workers=70), row(2, "5300200001")]
    batch, _plan = _import(world, xlsx(rows))
    assert _registry_state() != before
    services.batch_undo(actor=world.users["editor_a"], batch=batch)
    assert _registry_state() == before
    existing.refresh_from_db()
    assert existing.latest_figure_id == latest_before and existing.former_names == []
    assert existing.latest_workers == 50
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE


def test_an_undone_file_imports_again_with_new_keys(world):
    rows = [
        row(1, "5300200001"),
        row(
            2,
            "5300200002",
            workers=9,
            women=3,
            party=0,
            party_org="",
            union="Không",
            union_members="",
        ),
    ]
    first, _plan = _import(world, xlsx(rows))
    founded = Organisation.objects.filter(enterprise__created_by_import=first).count()
    assert founded >= 1
    undone = max(services.undo_ids(first.undo_data, "created"))
    services.batch_undo(actor=world.users["editor_a"], batch=first)
    second, plan = _import(world, xlsx(rows))
    assert plan.counts()["created"] == 2
    again = Enterprise.objects.filter(created_by_import=second)
    assert min(again.values_list("pk", flat=True)) > undone  # keys are never given twice
    for enterprise in again:
        assert enterprise.latest_figure.import_batch == second
    assert Organisation.objects.filter(enterprise__in=again).count() == founded


def test_undo_is_refused_with_the_list_when_later_changes_touched_its_rows(world):
    batch, _plan = _import(world, xlsx([row(1, "5300200001", name="Công ty Sau")]))
    enterprise = Enterprise.objects.get(tax_id="5300200001")
    registry_services.enterprise_update(
        actor=world.users["editor_a"], enterprise=enterprise, data={"sector": "Cơ khí"}
    )
    state = _registry_state()
    with pytest.raises(ValidationError) as error:
        services.batch_undo(actor=world.users["editor_a"], batch=batch)
    assert "Công ty Sau (5300200001)" in error.value.messages[0]
    assert _registry_state() == state


def test_a_fault_in_the_middle_of_the_write_leaves_the_database_unchanged(world, monkeypatch):
    before = _registry_state()
    audit_count = AuditEntry.objects.count()

    real_insert = bulk.insert_many

    def insert_failing_at_organisations(model, names, rows, **kwargs):
        # Enterprises and figures are already written when the organisations fail.
        if model is Organisation:
            raise RuntimeError("disk full")
        return real_insert(model, names, rows, **kwargs)

    monkeypatch.setattr(bulk, "insert_many", insert_failing_at_organisations)
    batch = services.batch_upload(
        actor=world.users["editor_a"], upload=upload(xlsx([row(1, "5300200001")]))
    )
    with pytest.raises(RuntimeError):
        services.batch_commit(batch, actor=world.users["editor_a"])
    assert _registry_state() == before
    assert AuditEntry.objects.count() == audit_count + 1  # only the upload's own entry
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and "disk full" in batch.failure


GOOD = st.builds(lambda w, p: (w, p), st.integers(1, 5000), st.integers(0, 3))
BAD = st.sampled_from(["party", "tax", "workers", "zone"])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(good=st.lists(GOOD, max_size=6), bad=st.lists(BAD, min_size=1, max_size=3), data=st.data())
def test_any_file_with_at_least_one_bad_row_writes_nothing(world, good, bad, data):
    rows = [
        row(i, f"53003{i:05d}", workers=w, women=0, party=p, union_members=0)
        for i, (w, p) in enumerate(good, start=1)
    ]
    for j, kind in enumerate(bad, start=len(rows) + 1):
        broken = {
            "party": {"workers": 2, "party": 3},
            "tax": {},
            "workers": {"workers": "x"},
            "zone": {"zone": "Nowhere"},
        }[kind]
        tax_id = "123" if kind == "tax" else f"53003{j:05d}"
        rows.insert(
            data.draw(st.integers(0, len(rows))), row(j, tax_id, women=0, union_members=0, **broken)
        )
    before = _registry_state()
    batch, plan = _import(world, xlsx(rows))
    assert plan.errors
    assert _registry_state() == before
    assert batch.status == BatchStatus.CHECKED


def test_a_saved_template_maps_an_unusual_header_next_time(world):
    header = [*HEADER[:2], "Mã ĐKKD", *HEADER[3:]]
    data = xlsx([row(1, "5300200001")], header=header)
    batch = services.batch_upload(actor=world.users["editor_a"], upload=upload(data))
    plan = services.batch_check(batch)
    assert plan.file_errors  # no tax-id column recognised
    columns = {**{int(k): v for k, v in batch.report["mapping"].items()}, 2: "tax_id"}
    services.batch_configure(actor=world.users["editor_a"], batch=batch, columns=columns)
    assert not services.batch_check(batch).errors
    template = services.template_save(
        actor=world.users["editor_a"], batch=batch, name="Mẫu BQL KKT"
    )
    again = services.batch_upload(
        actor=world.users["editor_a"], upload=upload(data), template=template
    )
    assert not services.batch_check(again).errors


def test_a_reporting_date_column_gives_each_rows_figures_their_own_date(world):
    header = [*HEADER, "Ngày báo cáo"]
    small = {"women": 2, "party": 0, "union_members": 5}
    rows = [
        [*row(1, "5300200001", workers=10, **small), "30/06/2023"],
        [*row(2, "5300200002", workers=20, **small), "31/12/2023"],
    ]
    _import(world, xlsx(rows, header=header, title=""))
    dates = dict(Figure.objects.values_list("enterprise__tax_id", "as_of"))
    assert dates == {
        "5300200001": datetime.date(2023, 6, 30),
        "5300200002": datetime.date(2023, 12, 31),
    }


def _indexes() -> list[tuple]:
    """The indexes of the tables an import writes: on SQLite with their full definitions."""
    tables = [m._meta.db_table for m in (Enterprise, Figure, Organisation)]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                f"WHERE type = 'index' AND tbl_name IN ({marks})",
                tables,
            )
            return sorted(cursor.fetchall())
        return sorted(
            (name, tuple(info["columns"]))
            for table in tables
            for name, info in connection.introspection.get_constraints(cursor, table).items()
            if info["index"]
        )


def test_a_file_that_fills_the_registry_leaves_every_index_as_it_was(world, monkeypatch):
    # The rows outnumber what each table holds: on SQLite the indexes are rebuilt at the end.
    monkeypatch.setattr(bulk, "INDEX_REBUILD_FROM", 1)
    indexes = _indexes()
    held = max(Enterprise.objects.count(), Figure.objects.count(), Organisation.objects.count())
    rows = [row(i, f"53004{i:05d}") for i in range(1, held + 2)]
    batch, plan = _import(world, xlsx(rows))
    assert plan.counts()["created"] == len(rows) and batch.status == BatchStatus.COMMITTED
    assert _indexes() == indexes
    assert Enterprise.objects.filter(created_by_import=batch).count() == len(rows)


def test_undo_data_keeps_ids_as_runs_and_reads_them_one_by_one_too():
    assert services.id_runs([]) == []
    assert services.id_runs(range(5, 100_005)) == [[5, 100_004]]
    assert services.id_runs([9, 3, 4, 5, 11, 10, 20, 4]) == [[3, 5], [9, 11], [20, 20]]
    data = {"created": [[3, 5], [9, 9]], "figures_created": [7, 8]}  # runs; one by one
    assert services.undo_ids(data, "created") == [3, 4, 5, 9]
    assert services.undo_ids(data, "figures_created") == [7, 8]
    assert services.undo_ids(data, "organisations_created") == []


def test_an_import_committed_before_ids_were_kept_as_runs_is_undone(world):
    batch, _plan = _import(world, xlsx([row(1, "5300300001"), row(2, "5300300002")]))
    data = batch.undo_data
    for key in ("created", "figures_created", "organisations_created"):
        data[key] = services.undo_ids(data, key)  # as earlier versions kept them
    batch.save(update_fields=["undo_data"])
    services.batch_undo(actor=world.users["editor_a"], batch=batch)
    assert not Enterprise.objects.filter(tax_id__in=["5300300001", "5300300002"]).exists()
    assert not Figure.objects.filter(import_batch=batch).exists()


def test_a_fault_while_the_indexes_are_away_leaves_the_database_unchanged(world, monkeypatch):
    monkeypatch.setattr(bulk, "INDEX_REBUILD_FROM", 1)
    indexes, before = _indexes(), _registry_state()
    real_insert = bulk.insert_many
    seen_inside = []

    def insert_failing_at_organisations(model, names, rows, **kwargs):
        if model is Organisation:
            seen_inside.append(_indexes())
            raise RuntimeError("disk full")
        return real_insert(model, names, rows, **kwargs)

    monkeypatch.setattr(bulk, "insert_many", insert_failing_at_organisations)
    held = max(Enterprise.objects.count(), Figure.objects.count(), Organisation.objects.count())
    rows = [row(i, f"53004{i:05d}") for i in range(1, held + 2)]
    batch = services.batch_upload(actor=world.users["editor_a"], upload=upload(xlsx(rows)))
    with pytest.raises(RuntimeError):
        services.batch_commit(batch, actor=world.users["editor_a"])
    if connection.vendor == "sqlite":
        assert len(seen_inside[0]) < len(indexes)  # they were away during the write
    assert _indexes() == indexes and _registry_state() == before


def test_the_registry_is_compared_alike_read_whole_or_a_chunk_at_a_time(world):
    # A file at least as large as the registry has the registry read in one pass per table;
    # a smaller one has its enterprises looked up a chunk at a time. Both must plan alike.
    def tax(i: int) -> str:
        return f"53005{i:05d}"

    _import(world, xlsx([*(row(i, tax(i)) for i in (1, 2, 3)), row(4, tax(4), union="Không")]))
    second = [
        row(1, tax(1), workers=300),  # a new figure
        row(2, tax(2)),  # unchanged
        row(3, tax(3), ownership="FDI"),  # a field
        row(4, tax(4)),  # a union founded
        row(5, tax(5)),
        row(6, tax(6)),
    ]

    def planned() -> list[dict]:
        batch = services.batch_upload(actor=world.users["editor_a"], upload=upload(xlsx(second)))
        compared = ("row", "action", "fields", "before", "figures", "figure_changed")
        compared += ("previous_figure_id", "organisations", "errors", "warnings")
        return [
            {name: getattr(r, name) for name in compared} for r in services.batch_check(batch).rows
        ]

    assert Enterprise.objects.count() == len(second)  # read whole
    whole = planned()
    _import(world, xlsx([row(7, tax(7))]))
    assert Enterprise.objects.count() > len(second)  # a chunk at a time
    assert planned() == whole
    assert [r["action"] for r in whole] == [
        "update",
        "unchanged",
        "update",
        "update",
        "create",
        "create",
    ]
    assert whole[0]["figures"]["workers"] == 300 and whole[0]["previous_figure_id"]
    assert whole[2]["fields"] == {"ownership": "foreign_invested"}
    assert whole[3]["organisations"] == ["trade-union"]


def test_an_editors_import_asks_about_each_zone_once_not_each_row(world):
    def queries(count: int, first: int) -> int:
        rows = [row(i, f"5300{first + i:06d}") for i in range(count)]
        batch = services.batch_upload(actor=world.users["editor_a"], upload=upload(xlsx(rows)))
        with CaptureQueriesContext(connection) as captured:
            services.batch_check(batch)
        return len(captured)

    assert queries(60, 1000) == queries(10, 2000)


def test_checking_a_file_of_registered_enterprises_queries_the_same_however_long(world):
    # Each row names the zone its enterprise is already in: comparing it reads no zone per row.
    def queries(count: int, first: int) -> int:
        rows = [row(i, f"5300{first + i:06d}") for i in range(count)]
        _import(world, xlsx(rows))
        again = [row(i, f"5300{first + i:06d}", workers=77) for i in range(count)]
        batch = services.batch_upload(actor=world.users["editor_a"], upload=upload(xlsx(again)))
        with CaptureQueriesContext(connection) as captured:
            plan = services.batch_check(batch)
        assert plan.counts()["updated"] == count
        return len(captured)

    assert queries(60, 3000) == queries(10, 4000)


def test_a_count_cell_holding_yes_is_an_error_where_the_number_one_is_not(world):
    rows = [
        row(1, "5300200001", workers=1, women=0, party=0, union_members=0),
        row(2, "5300200002", workers=True, women=0, party=0, union_members=0),
    ]
    batch = services.batch_upload(actor=world.users["editor_a"], upload=upload(xlsx(rows)))
    plan = services.batch_check(batch)
    first, second = plan.rows
    assert not first.errors and first.figures["workers"] == 1
    assert [(e.column, e.value) for e in second.errors] == [("Tổng số lao động", "True")]
    assert second.figures["workers"] is None


def test_the_partner_bodys_coordinator_reads_a_batch_but_cannot_act_on_it(world):
    from sinergi.programs.testing import build_program

    batch = services.batch_upload(
        actor=world.users["editor_b"], upload=upload(xlsx([row(1, "5300200001")]))
    )
    coordinator = world.users["coordinator"]  # of the Economic Zone Board; the batch is the Bloc's
    assert not services.can_see_batch(coordinator, batch)
    build_program(world)  # the two bodies now run a coordination program together
    assert services.can_see_batch(coordinator, batch)
    assert not services.can_act_on_batch(coordinator, batch)
    with pytest.raises(PermissionDenied):
        services.batch_commit(batch, actor=coordinator)


def test_an_enterprises_location_is_read_checked_and_compared(world):
    """Vĩ độ / Kinh độ columns: numbers or text with a decimal comma, kept to five places; half
    a location or one off the earth is an error of its row; the same location again changes
    nothing, a moved one is an update with its value before."""
    from decimal import Decimal

    header = [*HEADER, "Vĩ độ", "Kinh độ"]
    rows = [
        [*row(1, "5300200001"), 22.47312345, 103.9779],
        [*row(2, "5300200002"), "22,51", "103,95"],
        [*row(3, "5300200003"), "", ""],
    ]
    batch, plan = _import(world, xlsx(rows, header=header))
    assert batch.status == BatchStatus.COMMITTED, plan.errors
    located = dict(
        Enterprise.objects.filter(tax_id__startswith="53002000").values_list("tax_id", "latitude")
    )
    assert located == {
        "5300200001": Decimal("22.47312"),
        "5300200002": Decimal("22.51"),
        "5300200003": None,
    }
    assert Enterprise.objects.get(tax_id="5300200002").longitude == Decimal("103.95")

    bad = [
        [*row(4, "5300200004"), 22.5, ""],
        [*row(5, "5300200005"), 95, 103.9],
        [*row(6, "5300200006"), "north", 103.9],
    ]
    batch = services.batch_upload(
        actor=world.users["editor_a"], upload=upload(xlsx(bad, header=header))
    )
    with translation.override("en"):
        plan = services.batch_check(batch)
    assert {(e.row, e.column) for e in plan.errors} == {
        (6, "Kinh độ"),
        (7, "Vĩ độ"),
        (8, "Vĩ độ"),
    }

    again = [[*row(1, "5300200001"), 22.47312, 103.9779]]
    _batch, plan = _import(world, xlsx(again, header=header))
    assert plan.counts()["unchanged"] == 1
    moved = [[*row(1, "5300200001"), 22.48, 103.9779]]
    _batch, plan = _import(world, xlsx(moved, header=header))
    assert plan.counts()["updated"] == 1
    assert plan.rows[0].before == {"latitude": Decimal("22.47312")}
    assert Enterprise.objects.get(tax_id="5300200001").latitude == Decimal("22.48")
