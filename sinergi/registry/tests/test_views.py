"""Registry pages: search, filters, export, forms calling the services, and query counts."""

import csv
import datetime
import html
import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sinergi.core.models import AuditEntry
from sinergi.core.services import SYSTEM
from sinergi.core.testing import FILTERS_PANEL, drawn, filters_panel_html
from sinergi.registry import services
from sinergi.registry.filtersets import EnterpriseFilterSet
from sinergi.registry.models import Enterprise, Figure, Organisation
from sinergi.registry.tables import group_sizes

pytestmark = pytest.mark.django_db

LIST = reverse("registry:enterprise_list")


def _names(response) -> list[str]:
    return [row.record.name for row in response.context["table"].paginated_rows]


def _figures(world, key, day=datetime.date(2023, 12, 31), **values):
    base = {"workers": 100, "women_workers": 30, "party_members": 0, "union_members": 0}
    return services.figure_record(
        actor=SYSTEM, enterprise=world.enterprises[key], as_of=day, values={**base, **values}
    )


def _unreported(world, tax_id: str, name: str) -> Enterprise:
    """A new enterprise in zone a, with no figures."""
    return services.enterprise_create(
        actor=SYSTEM,
        data={"tax_id": tax_id, "name": name, "zone": world.zones["a"], "ownership": "other"},
    )


def _organisation(world, key, kind, name, founded, **dates):
    return services.organisation_create(
        actor=SYSTEM,
        enterprise=world.enterprises[key],
        data={"type": world.types[kind], "name": name, "founded_on": founded, **dates},
    )


@pytest.mark.parametrize("query", ["dien tu pho moi", "ĐIỆN TỬ", "Dien Tu", "5300100003"])
def test_search_ignores_accents_and_case(world, query):
    response = world.client("viewer").get(LIST, {"q": query})
    assert _names(response) == ["Công ty TNHH Điện tử Phố Mới"]


def test_searching_a_zone_name_without_accents_finds_its_enterprises(world):
    response = world.client("viewer").get(LIST, {"q": "dong pho moi"})
    assert _names(response) == ["Công ty TNHH Điện tử Phố Mới"]


def test_a_search_reads_the_zones_names_once_until_a_zone_changes(world):
    client = world.client("viewer")
    client.get(LIST, {"q": "dong pho moi"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"q": "pho moi"})
    assert _names(response) == ["Công ty TNHH Điện tử Phố Mới"]
    assert not [q for q in queries if 'FROM "registry_zone"' in q["sql"] and "aliases" in q["sql"]]
    services.zone_update(actor=SYSTEM, zone=world.zones["b"], data={"aliases": ["Cảng Biển Xanh"]})
    response = client.get(LIST, {"q": "cang bien xanh"})
    assert _names(response) == ["Công ty Cổ phần Hóa chất Duyên Hải"]


def test_filters_by_has_and_lacks_an_organisation_type(world):
    _organisation(world, "b", "union", "CĐCS", datetime.date(2022, 1, 1))
    client = world.client("viewer")
    assert _names(client.get(LIST, {"has": "trade-union"})) == [
        "Công ty Cổ phần Hóa chất Duyên Hải"
    ]
    assert _names(client.get(LIST, {"lacks": "trade-union"})) == ["Công ty TNHH Điện tử Phố Mới"]


def test_filters_by_zone_include_the_zones_below(world):
    client = world.client("viewer")
    assert len(_names(client.get(LIST, {"zone": world.zones["ez"].pk}))) == 2
    assert len(_names(client.get(LIST, {"zone": world.zones["a"].pk}))) == 1


def test_filters_by_workforce_band_use_the_latest_figures(world):
    _figures(world, "a", workers=30)
    _figures(world, "b", workers=400)
    client = world.client("viewer")
    assert _names(client.get(LIST, {"workforce": "10-49"})) == ["Công ty TNHH Điện tử Phố Mới"]
    assert _names(client.get(LIST, {"workforce": "200-999"})) == [
        "Công ty Cổ phần Hóa chất Duyên Hải"
    ]
    assert _names(client.get(LIST, {"workforce": "1000+"})) == []
    _figures(world, "a", day=datetime.date(2024, 12, 31), workers=1200)
    assert _names(client.get(LIST, {"workforce": "1000+"})) == ["Công ty TNHH Điện tử Phố Mới"]


def test_sorting_by_workers(world):
    _figures(world, "a", workers=30)
    _figures(world, "b", workers=400)
    names = _names(world.client("viewer").get(LIST, {"sort": "-workers"}))
    assert names == ["Công ty Cổ phần Hóa chất Duyên Hải", "Công ty TNHH Điện tử Phố Mới"]


@pytest.mark.parametrize("sort", ["workers", "-workers"])
def test_enterprises_without_figures_sort_last_by_workers_on_every_database(world, sort):
    _figures(world, "a", workers=30)
    _figures(world, "b", workers=400)
    _unreported(world, "5300999998", "Công ty Chưa Báo Cáo")
    names = _names(world.client("viewer").get(LIST, {"sort": sort}))
    assert names[-1] == "Công ty Chưa Báo Cáo"
    response = world.client("viewer").get(
        reverse("registry:enterprise_export", args=["csv"]), {"sort": sort}
    )
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    assert [row[1] for row in csv.reader(io.StringIO(text))][-1] == "Công ty Chưa Báo Cáo"


def test_csv_export_holds_exactly_the_filtered_rows(world):
    _figures(world, "a", workers=1250, party_members=4)
    response = world.client("viewer").get(
        reverse("registry:enterprise_export", args=["csv"]), {"q": "pho moi"}
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2
    assert rows[1][:2] == ["5300100003", "Công ty TNHH Điện tử Phố Mới"]
    assert "1250" in rows[1]


def test_csv_export_keeps_the_lists_sort_order(world):
    _figures(world, "a", workers=30)
    _figures(world, "b", workers=400)
    response = world.client("viewer").get(
        reverse("registry:enterprise_export", args=["csv"]), {"sort": "-workers"}
    )
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    names = [row[1] for row in csv.reader(io.StringIO(text))][1:]
    assert names == ["Công ty Cổ phần Hóa chất Duyên Hải", "Công ty TNHH Điện tử Phố Mới"]


def test_list_query_count_does_not_grow_with_page_size(world):
    zone = world.zones["a"]
    for index in range(60):
        enterprise = services.enterprise_create(
            actor=SYSTEM,
            data={
                "tax_id": f"53009{index:05d}",
                "name": f"Công ty {index}",
                "zone": zone,
                "ownership": "other",
            },
        )
        services.figure_record(
            actor=SYSTEM,
            enterprise=enterprise,
            as_of=datetime.date(2023, 12, 31),
            values={"workers": index},
        )
    client = world.client("viewer")
    client.get(LIST)  # what the first page reads once per registry version (the zone filter)
    counts = []
    for per_page in (10, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"per_page": per_page})
        assert len(_names(response)) == per_page
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner and statistics")
def test_a_filtered_count_is_read_from_the_filters_index(world):
    """A count by status, ownership and workforce reads one index, not every row the filters
    pass (the rows are wide: 50 ms at national scale against 2.4), once ANALYZE has described
    the index as migration 0017 does. Fails if the index goes or loses a filter's column."""
    zone = world.zones["a"]
    statuses, ownerships = ["operating", "suspended", "dissolved"], ["state", "domestic_private"]
    Enterprise.objects.bulk_create(
        Enterprise(
            tax_id=f"99{i:08d}",
            name=f"Enterprise {i}",
            zone=zone,
            status=statuses[i % 3],
            ownership=ownerships[i % 2],
            latest_workers=i % 27 * 10,  # as nationally: about 110 enterprises a value
            search_text=f"enterprise {i}",
        )
        for i in range(20000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_enterprise")
        for data in (
            {"status": "operating", "workforce": "10-49"},
            {"ownership": ["state"], "workforce": "50-199"},
            {"status": "suspended", "ownership": ["state"], "zone": zone.pk},
        ):
            filterset = EnterpriseFilterSet(data, queryset=Enterprise.objects.all())
            assert filterset.is_valid(), filterset.errors
            sql, params = filterset.qs.order_by().values("pk").query.sql_with_params()
            cursor.execute(f"EXPLAIN QUERY PLAN SELECT COUNT(*) FROM ({sql})", params)
            plan = " | ".join(row[-1] for row in cursor.fetchall())
            assert "COVERING INDEX registry_ent_filters_idx" in plan, (data, plan)


@pytest.mark.parametrize(
    "narrowing, narrow",
    [
        ({}, False),
        ({"zone": "a"}, True),
        ({"status": "dissolved"}, True),
        ({"q": "ung"}, False),
        ({"workforce": "200-999"}, True),
        ({"workforce": "10-49"}, False),
    ],
    ids=["none", "zone", "status", "search", "large-workforce", "small-workforce"],
)
def test_the_organisation_filters_and_sorts_agree_however_the_list_is_narrowed(
    world, narrowing, narrow
):
    """With a zone, a rare status or a band of large workforces the list asks for
    organisations per enterprise, otherwise as one list of holders (`holding`): either way the
    same enterprises, in the same order. On SQLite the form each takes is checked too
    (PostgreSQL plans both alike)."""
    today = timezone.localdate()
    party = world.types["party"]
    year = datetime.date(2020, 1, 1)
    for i, (zone, status, kind, dissolved, workers) in enumerate(
        [
            ("a", "operating", "party", None, 300),  # active
            ("a", "dissolved", "party", None, 300),  # active
            ("a", "dissolved", "party", datetime.date(2022, 1, 1), 300),  # dissolved since
            ("b", "operating", "union", None, 20),  # another type only
            ("b", "dissolved", None, None, 300),  # no organisation at all
            ("b", "operating", "party", None, 20),  # active
        ]
    ):
        enterprise = services.enterprise_create(
            actor=SYSTEM,
            data={
                "tax_id": f"54002{i:05d}",
                "name": f"Công ty Trung {i}",
                "zone": world.zones[zone],
                "ownership": "domestic_private",
                "status": status,
            },
        )
        world.enterprises[f"t{i}"] = enterprise
        _figures(world, f"t{i}", workers=workers, women_workers=0)
        if kind:
            _organisation(world, f"t{i}", kind, f"Tổ chức {i}", year, dissolved_on=dissolved)
    data = {k: world.zones[v].pk if k == "zone" else v for k, v in narrowing.items()}
    base = EnterpriseFilterSet(data, queryset=Enterprise.objects.all()).qs
    holders = set(
        Organisation.objects.active_on(today)
        .filter(type=party)
        .values_list("enterprise", flat=True)
    )
    # In id order: a flag's sort lists each group so (PageRowsData).
    with_party = [e.name for e in base.order_by("pk") if e.pk in holders]
    without = [e.name for e in base.order_by("pk") if e.pk not in holders]
    assert with_party and without, (with_party, without)  # both sides have someone to find
    client = world.client("viewer")
    for extra, expected in (({"has": "party"}, with_party), ({"lacks": "party"}, without)):
        with CaptureQueriesContext(connection) as queries:
            names = _names(client.get(LIST, {**data, **extra, "per_page": 100}))
        assert sorted(names) == sorted(expected), extra
        if connection.vendor == "sqlite":
            asked = [
                q["sql"]
                for q in queries
                if "registry_organisation" in q["sql"] and "COUNT(*)" in q["sql"]
            ]
            assert asked and all(("EXISTS" in sql) == narrow for sql in asked), asked
    sorted_names = _names(client.get(LIST, {**data, "sort": "-has_party", "per_page": 100}))
    assert sorted_names == with_party + without
    # Sorted by the flag the filters fix: one group, the whole list, counted once (by the
    # paginator, kept under the registry version a snapshot gives) whichever way it is sorted.
    from sinergi.insight.aggregates import refresh

    refresh()
    for extra, expected in (({"has": "party"}, with_party), ({"lacks": "party"}, without)):
        with CaptureQueriesContext(connection) as queries:
            for sort in ("has_party", "-has_party"):
                page = client.get(LIST, {**data, **extra, "sort": sort, "per_page": 100})
                assert _names(page) == expected, (extra, sort)
        counts = [q for q in queries if "COUNT(" in q["sql"] and "organisation" in q["sql"]]
        assert len(counts) == 1, (extra, counts)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction
def test_deep_pages_by_tax_id_and_the_zones_group_sizes_are_read_from_indexes(world):
    """On PostgreSQL a deep page sorted by tax id either way walks an index (migration 0019),
    not a sort of every enterprise; the zone sort's group sizes are counted from the zone's
    index alone (COUNT(*): counting the ids read every row). Fails without the index or with
    COUNT(id)."""
    Enterprise.objects.bulk_create(
        Enterprise(
            tax_id=f"99{i:08d}",
            name=f"Enterprise {i}",
            zone=world.zones["a" if i % 2 else "b"],
            latest_workers=i % 27 * 10,
            search_text=f"enterprise {i}",
        )
        for i in range(20000)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registry_enterprise")
    for order in ("tax_id", "-tax_id"):
        page = Enterprise.objects.order_by(order, "pk").values_list("pk", flat=True)
        plan = page[15000:15025].explain()
        assert "Seq Scan" not in plan and "registry_ent_tax_id_id_idx" in plan, (order, plan)
    with CaptureQueriesContext(connection) as queries:
        assert sum(group_sizes(Enterprise.objects.all(), "zone_id").values()) == 20002
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan" in plan, plan


def test_list_reads_the_organisation_types_once(world):
    """The view's list of types labels the has/lacks checkboxes too (each widget read them
    again), and they still list every type with its name, the chosen one checked."""
    with CaptureQueriesContext(connection) as queries:
        response = world.client("viewer").get(LIST, {"has": "party"})
    reads = [q for q in queries if 'FROM "registry_organisationtype"' in q["sql"]]
    # One for the view, one for the filter's check of the chosen code.
    assert len(reads) == 2
    page = response.content.decode()
    for org_type in world.types.values():
        for name in ("has", "lacks"):
            assert f'name="{name}" value="{org_type.code}"' in page
        assert html.escape(org_type.name) in page
    assert re.search(r'name="has" value="party"[^>]* checked', page)
    assert not re.search(r'name="lacks" value="party"[^>]* checked', page)


def test_the_enterprise_form_creates_through_the_service_with_an_audit_entry(world):
    response = world.client("editor_a").post(
        reverse("registry:enterprise_create"),
        {
            "tax_country": "VN",
            "tax_id": "5300100087",
            "name": "Công ty Minh Đức",
            "zone": world.zones["a"].pk,
            "ownership": "state",
            "status": "operating",
        },
    )
    enterprise = Enterprise.objects.get(tax_id="5300100087")
    assert response.status_code == 302 and response["Location"] == enterprise.get_absolute_url()
    assert AuditEntry.objects.for_object(enterprise).get().actor == world.users["editor_a"]


def test_the_enterprise_form_only_offers_the_editors_zones(world):
    form = world.client("editor_a").get(reverse("registry:enterprise_create")).context["form"]
    assert list(form.fields["zone"].queryset) == [world.zones["a"]]


def test_a_duplicate_tax_id_in_the_form_is_shown_at_the_field_and_nothing_saved(world):
    response = world.client("editor_a").post(
        reverse("registry:enterprise_create"),
        {
            "tax_country": "VN",
            "tax_id": "5300100003",
            "name": "Copy",
            "zone": world.zones["a"].pk,
            "ownership": "state",
            "status": "operating",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["tax_id"]
    assert Enterprise.objects.count() == 2


def test_editing_an_enterprise_audits_before_and_after(world):
    enterprise = world.enterprises["a"]
    response = world.client("editor_a").post(
        reverse("registry:enterprise_update", args=[enterprise.pk]),
        {
            "tax_country": "VN",
            "tax_id": enterprise.tax_id,
            "name": enterprise.name,
            "zone": world.zones["a"].pk,
            "ownership": "cooperative",
            "status": "operating",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.for_object(enterprise).filter(action="update").get()
    assert (entry.before["ownership"], entry.after["ownership"]) == (
        "domestic_private",
        "cooperative",
    )


def test_a_viewer_posting_to_a_form_is_refused_and_nothing_changes(world):
    enterprise = world.enterprises["a"]
    response = world.client("viewer").post(
        reverse("registry:figure_record", args=[enterprise.pk]),
        {"as_of": "2023-12-31", "workers": "10"},
    )
    assert response.status_code == 403
    assert not Figure.objects.exists()


def test_bad_figures_in_the_form_are_shown_at_their_fields_in_the_users_language(world):
    editor = world.users["editor_a"]
    editor.language = "vi"
    editor.save()
    response = world.client("editor_a").post(
        reverse("registry:figure_record", args=[world.enterprises["a"].pk]),
        {"as_of": "2023-12-31", "workers": "10", "women_workers": "11", "party_members": "-1"},
    )
    errors = response.context["form"].errors
    assert "women_workers" in errors and "party_members" in errors
    english = "Women workers cannot exceed workers."
    with translation.override("vi"):
        vietnamese = translation.gettext(english)
    assert vietnamese != english
    assert errors["women_workers"] == [vietnamese]
    assert not Figure.objects.exists()


def test_recorded_figures_show_on_the_page_and_in_the_history(world):
    enterprise = world.enterprises["a"]
    client = world.client("editor_a")
    client.post(
        reverse("registry:figure_record", args=[enterprise.pk]),
        {"as_of": "2024-06-30", "workers": "321", "source": "báo cáo 6 tháng"},
    )
    detail = client.get(enterprise.get_absolute_url()).content.decode()
    assert "321" in detail
    history = client.get(reverse("registry:enterprise_history", args=[enterprise.pk]))
    assert any(e.after and e.after.get("workers") == 321 for e in history.context["entries"])
    assert "321" in history.content.decode()


def test_the_figures_chart_is_an_svg(world):
    _figures(world, "a", day=datetime.date(2023, 6, 30), workers=80)
    _figures(world, "a", workers=100)
    response = world.client("viewer").get(
        reverse("registry:enterprise_chart", args=[world.enterprises["a"].pk])
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") and b"<svg" in response.content


def test_the_zone_tree_rolls_counts_up_to_the_parents(world):
    _organisation(world, "a", "party", "Chi bộ", datetime.date(2021, 1, 1))
    _figures(world, "a", workers=120, party_members=4)
    _figures(world, "b", workers=80)
    tree = world.client("viewer").get(reverse("registry:zone_list")).context["tree"]
    by_code = {row["zone"].code: row for row in tree}
    assert by_code["prov"]["enterprises"] == 2 and by_code["prov"]["workers"] == 200
    assert by_code["kcn-a"]["coverage"]["has_party"] == 1
    assert by_code["ez"]["coverage"]["has_party"] == 1
    assert by_code["kcn-b"]["coverage"]["has_party"] == 0
    assert [row["depth"] for row in tree] == [0, 1, 2, 2]


def test_a_huge_page_size_is_capped(world):
    zone = world.zones["a"]
    for index in range(205):
        services.enterprise_create(
            actor=SYSTEM,
            data={
                "tax_id": f"53008{index:05d}",
                "name": f"C {index}",
                "zone": zone,
                "ownership": "other",
            },
        )
    response = world.client("viewer").get(LIST, {"per_page": 100000})
    assert len(_names(response)) == 200


def _parks(world, count):
    for index in range(count):
        services.zone_create(
            actor=SYSTEM,
            data={
                "parent": world.zones["ez"],
                "kind": "industrial_park",
                "code": f"kcn-p{index:02d}",
                "name": f"KCN Phụ {index:02d}",
            },
        )


def test_the_zone_list_is_paged_with_the_counts_of_the_whole_tree(world):
    _parks(world, 30)
    _organisation(world, "a", "party", "Chi bộ", datetime.date(2021, 1, 1))
    _figures(world, "a", workers=120, party_members=4)
    client = world.client("viewer")
    response = client.get(reverse("registry:zone_list"))
    tree = response.context["tree"]
    page = response.context["page"]
    assert len(tree) == 34 and page.paginator.count == 34
    assert list(page.object_list) == tree[:25]
    html = response.content.decode()
    assert 'class="pagination"' in html and "?page=2" in html
    assert html.count('<td class="depth-') == 25

    second = client.get(reverse("registry:zone_list"), {"page": 2, "per_page": 10})
    assert list(second.context["page"].object_list) == tree[10:20]
    # Each row keeps the rolled-up numbers of the full tree.
    by_code = {row["zone"].code: row for row in tree}
    assert by_code["prov"]["coverage"]["has_party"] == 1 and by_code["prov"]["workers"] == 120

    assert len(client.get(reverse("registry:zone_list"), {"per_page": 5}).context["page"]) == 10
    last = client.get(reverse("registry:zone_list"), {"page": 99, "per_page": "x"})
    assert last.status_code == 200 and last.context["page"].number == 2


def test_zone_list_query_count_does_not_grow_with_page_size(world):
    _parks(world, 30)
    client = world.client("viewer")
    counts = []
    for per_page in (10, 50):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("registry:zone_list"), {"per_page": per_page})
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_list_flags_and_their_sort_match_the_organisations(world):
    _organisation(world, "b", "party", "Chi bộ", datetime.date(2021, 1, 1))
    _organisation(
        world,
        "a",
        "party",
        "Chi bộ cũ",
        datetime.date(2020, 1, 1),
        dissolved_on=datetime.date(2021, 1, 1),
    )
    client = world.client("viewer")
    rows = client.get(LIST, {"sort": "-has_party"}).context["table"].paginated_rows
    records = [row.record for row in rows]
    expected = {
        e.pk: e.has_party
        for e in Enterprise.objects.with_organisation_flags(list(world.types.values()))
    }
    assert [r.has_party for r in records] == sorted(expected.values(), reverse=True)
    assert all(r.has_party == expected[r.pk] for r in records)
    assert records[0] == world.enterprises["b"]
    assert _names(client.get(LIST, {"has": "party"})) == [world.enterprises["b"].name]


def test_an_invalid_filter_shows_an_empty_list_not_an_error(world):
    response = world.client("viewer").get(LIST, {"zone": 999999})
    assert response.status_code == 200 and _names(response) == []


def test_the_list_html_is_kept_per_registry_version_and_a_write_renews_it(world):
    from sinergi.insight.aggregates import refresh

    refresh()  # with a snapshot, lists are cached under the registry version
    client = world.client("viewer")
    first = client.get(LIST, {"sort": "name"})
    assert "table" in first.context  # built and rendered
    with CaptureQueriesContext(connection) as queries:
        again = client.get(LIST, {"sort": "name"})
    assert "table" not in again.context  # served from the cache
    assert again.context["list_html"] == first.context["list_html"]
    assert not any("registry_enterprise" in q["sql"] for q in queries.captured_queries)
    # Another reader in another language: the same address in Vietnamese is its own entry.
    reader = world.users["editor_a"]
    reader.language = "vi"
    reader.save(update_fields=["language"])
    in_vietnamese = world.client("editor_a").get(LIST, {"sort": "name"})
    assert "table" in in_vietnamese.context and 'lang="vi"' in in_vietnamese.content.decode()
    # A write moves the registry version: the next request shows it.
    _unreported(world, "5300999999", "Công ty Mới Ghi")
    fresh = client.get(LIST, {"sort": "name"})
    assert "table" in fresh.context
    assert "Công ty Mới Ghi" in fresh.content.decode()


def test_the_filter_panel_is_drawn_once_for_the_same_filters_at_any_sort_or_page(world):
    from sinergi.insight.aggregates import refresh

    refresh()  # with a snapshot, lists are cached under the registry version
    client = world.client("viewer")
    first = client.get(LIST, {"status": "operating", "sort": "name"})
    assert FILTERS_PANEL in drawn(first)
    assert '<option value="operating" selected>' in filters_panel_html(first)
    # Another sort and page size of the same filters: a new list, the panel as it was drawn.
    other = client.get(LIST, {"status": "operating", "sort": "-workers", "per_page": 50})
    assert "table" in other.context and FILTERS_PANEL not in drawn(other)
    assert filters_panel_html(other) == filters_panel_html(first)
    # Other filters, or none (the panel then starts folded), draw their own panel.
    changed = client.get(LIST, {"status": "suspended", "sort": "name"})
    assert FILTERS_PANEL in drawn(changed)
    assert '<option value="suspended" selected>' in filters_panel_html(changed)
    assert '<option value="operating" selected>' not in filters_panel_html(changed)
    bare = client.get(LIST)
    assert FILTERS_PANEL in drawn(bare) and " open>" not in filters_panel_html(bare)
    # In another language, its own panel.
    reader = world.users["editor_a"]
    reader.language = "vi"
    reader.save(update_fields=["language"])
    in_vietnamese = world.client("editor_a").get(LIST, {"status": "operating", "sort": "-workers"})
    assert FILTERS_PANEL in drawn(in_vietnamese) and "Tìm kiếm và lọc" in filters_panel_html(
        in_vietnamese
    )
    # A write moves the version: a zone renamed shows in the next panel.
    zone = Enterprise.objects.exclude(zone=None).first().zone
    services.zone_update(actor=SYSTEM, zone=zone, data={"name": "Khu Mới Đổi Tên"})
    renamed = client.get(LIST, {"status": "operating", "sort": "tax_id"})
    assert FILTERS_PANEL in drawn(renamed) and "Khu Mới Đổi Tên" in filters_panel_html(renamed)


def test_a_list_drawn_in_parts_works_the_menu_out_once(world, monkeypatch):
    from sinergi.core import context_processors
    from sinergi.insight.aggregates import refresh

    refresh()  # with a snapshot, the list draws its table and its filter panel apart
    worked_out = []
    menu = context_processors._navigation
    monkeypatch.setattr(
        context_processors, "_navigation", lambda request: worked_out.append(1) or menu(request)
    )
    response = world.client("viewer").get(LIST, {"sort": "-workers"})
    assert FILTERS_PANEL in drawn(response) and "core/_filtered_table.html" in drawn(response)
    assert len(worked_out) == 1
    assert f'<a href="{LIST}" aria-current="page">' in response.content.decode()


def _listed(tax_id, name, zone, ownership, workers=None):
    """An enterprise for the list's paging tests, with a workforce figure when `workers` is
    given (without one it sorts last by workers)."""
    enterprise = services.enterprise_create(
        actor=SYSTEM,
        data={"tax_id": tax_id, "name": name, "zone": zone, "ownership": ownership},
    )
    if workers is not None:
        services.figure_record(
            actor=SYSTEM,
            enterprise=enterprise,
            as_of=datetime.date(2023, 12, 31),
            values={"workers": workers, "party_members": 0},
        )
    return enterprise


@pytest.mark.parametrize(
    "sort",
    [
        "zone",
        "-zone",
        "has_party",
        "-has_party",
        "has_trade-union",
        "-has_trade-union",
        "workers",
        "-workers",
        "status",
    ],
)
@pytest.mark.parametrize("with_version", [False, True])
def test_sorts_read_as_groups_or_by_a_copied_value_page_exactly_as_the_plain_order(
    world, sort, with_version
):
    """Sorting by zone or by an organisation flag reads the page from groups in id order, and
    by workforce through the workers copied onto the enterprise: every page holds what the
    plain ORDER BY (with the id breaking ties) puts there."""
    from django.db.models import F

    from sinergi.registry.models import OrganisationType, has_active_organisation

    for n in range(12):  # enough rows for several pages of 10, some without zone or figures
        _listed(
            f"53009{n:05d}",
            f"Công ty Thử {n}",
            world.zones["a" if n % 3 else "b"] if n % 4 else None,
            "other",
            10 * (n % 5) if n % 2 else None,
        )
    first, second, *_rest = world.enterprises
    _organisation(world, first, "party", "Chi bộ", None)
    _organisation(world, first, "union", "Công đoàn", None)
    _organisation(world, first, "union", "Công đoàn bộ phận", None)  # counted once
    # Two dissolved, one of them today: neither makes the flag, nor a group's size.
    _organisation(
        world,
        second,
        "party",
        "Chi bộ cũ",
        datetime.date(2020, 1, 1),
        dissolved_on=datetime.date(2022, 1, 1),
    )
    _organisation(
        world,
        second,
        "union",
        "Công đoàn cũ",
        datetime.date(2020, 1, 1),
        dissolved_on=timezone.localdate(),
    )
    if with_version:
        # Under a registry version the sizes and totals are kept, and a filtered list's last
        # group is sized as its total less the others'.
        from sinergi.insight.aggregates import refresh

        refresh()
    today = datetime.date.today()
    types = list(OrganisationType.objects.all())
    flags = {t.flag: has_active_organisation(t, today) for t in types}
    plain = Enterprise.objects.annotate(**flags)
    key, descending = sort.lstrip("-"), sort.startswith("-")
    named = {"zone": "zone__name", "workers": "latest_figure__workers"}
    field = F(named.get(key, key.replace("-", "_")))  # a flag's annotation: OrganisationType.flag
    # Where the list puts NULLs: no figures last either way; no zone where the database puts
    # a NULL (SQLite: first ascending; PostgreSQL: last ascending).
    nulls_first = key == "zone" and (connection.vendor == "sqlite") != descending
    nulls = {"nulls_first": True} if nulls_first else {"nulls_last": True}
    expression = field.desc(**nulls) if descending else field.asc(**nulls)
    client = world.client("viewer")
    # Unfiltered, and filtered (the zones' sizes then come from a grouped subquery on SQLite).
    for filters in ({}, {"ownership": "other"}):
        expected = [e.name for e in plain.filter(**filters).order_by(expression, "pk")]
        shown = []
        for page in range(1, len(expected) // 10 + 2):
            query = {"sort": sort, "per_page": 10, "page": page, **filters}
            shown += _names(client.get(LIST, query))
        assert shown == expected


def test_filtering_by_ownership_or_organisation_reads_no_distinct_rows(world):
    """Every filter of the list reads the enterprise's own columns or an EXISTS: nothing can
    repeat a row, so no query sorts out duplicates (a DISTINCT over every column is slow at
    national scale)."""
    client = world.client("viewer")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            LIST, {"ownership": ["domestic_private", "foreign_invested"], "lacks": "party"}
        )
    assert response.status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"]]


@pytest.mark.parametrize("sort", ["name", "-name", "tax_id", "-workers", "workers", "-status"])
def test_a_filter_that_keeps_few_rows_sorts_them_and_pages_exactly_as_the_plain_order(world, sort):
    """With a filter that keeps few of the registry's rows, SQLite is told to sort them (the
    ORDER BY written `+column`) rather than walk the sort's index past the rows the filter
    drops; every page still holds what the plain ORDER BY (the id breaking ties) puts there."""
    from django.db.models import F

    from sinergi.insight.aggregates import refresh

    for n in range(33):
        _listed(
            f"53008{n:05d}",
            f"Công ty Lọc {n % 5}",  # names repeat: the id breaks the ties
            world.zones["a"],
            "state" if n % 3 else "other",
            10 * (n % 4) if n % 2 else None,
        )
    refresh()  # a registry version: the counts that decide are kept under it
    key, descending = sort.lstrip("-"), sort.startswith("-")
    field = F({"workers": "latest_figure__workers"}.get(key, key))
    order = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
    kept = Enterprise.objects.filter(ownership="state")
    expected = [e.name + e.tax_id for e in kept.order_by(order, "pk")]
    client = world.client("viewer")
    shown, sorted_here = [], False
    for page in range(1, -(-len(expected) // 10) + 1):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                LIST, {"ownership": "state", "sort": sort, "per_page": 10, "page": page}
            )
        rows = response.context["table"].paginated_rows
        shown += [row.record.name + row.record.tax_id for row in rows]
        sorted_here |= any('ORDER BY +"registry_enterprise"' in q["sql"] for q in queries)
    assert shown == expected and len(expected) > 20  # three pages
    # A few rows of the registry's: on SQLite the page is sorted, not walked along an index.
    assert sorted_here == (connection.vendor == "sqlite")


def _chart_src(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(url)
    assert page["Content-Language"] == language
    return re.search(r'<img src="([^"]*chart\.svg[^"]*)"', page.content.decode())[1]


def test_the_chart_address_changes_with_the_language_and_with_a_new_figure(world):
    """A browser keeps a chart for a minute by its address: the page after a language switch or
    a new figure must ask for another address, which the server draws again."""
    _figures(world, "a", day=datetime.date(2023, 6, 30), workers=80)
    client = world.client("viewer")
    url = world.enterprises["a"].get_absolute_url()
    seen = {language: _chart_src(client, url, language) for language in ("vi", "id", "en")}
    assert len(set(seen.values())) == 3
    assert _chart_src(client, url, "vi") == seen["vi"]  # the same page, the same address
    _figures(world, "a", workers=100)
    again = _chart_src(client, url, "vi")
    assert again != seen["vi"]
    chart = client.get(html.unescape(again))
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content


def test_a_chart_labels_at_most_the_dates_it_has_room_for_and_always_the_newest():
    from sinergi.registry.charts import sparse_labels

    dates = [f"d{n}" for n in range(20)]
    for most in (1, 6, 9, 20, 30):
        shown = sparse_labels(dates, most)
        kept = [label for label in shown if label]
        assert len(shown) == 20 and 0 < len(kept) <= most and shown[-1] == "d19"
        assert kept == [d for d in dates if d in kept]  # in place, in order
    assert sparse_labels(dates, 9).count("") == 20 - 7  # every third from the newest
    assert sparse_labels(["a", "b", "c"], 9) == ["a", "b", "c"]
    assert sparse_labels([], 9) == []


@pytest.mark.parametrize(("language", "thousands"), [("vi", "."), ("id", "."), ("en", ",")])
def test_a_chart_writes_its_numbers_as_the_page_does(world, language, thousands):
    """27000 workers: the axis reads 12.000 in Vietnamese and Indonesian, 12,000 in English,
    as the table beside it does (matplotlib's own labels read 12000 in every language)."""
    _figures(world, "a", workers=27000, women_workers=12000)
    client = world.client("viewer")
    src = _chart_src(client, world.enterprises["a"].get_absolute_url(), language)
    svg = client.get(html.unescape(src)).content.decode()
    labels = re.findall(r"<!-- ([^<>]*?) -->", svg)  # the SVG names each text it draws
    assert f"12{thousands}000" in labels
    assert not [label for label in labels if re.fullmatch(r"\d{4,}", label)]


def test_an_axis_writes_fractions_and_large_numbers_in_the_language():
    from matplotlib.ticker import FuncFormatter

    from sinergi.registry.charts import number_ticks, plt

    fig, ax = plt.subplots()
    try:
        for language, expected in (
            ("vi", ["0", "0,3", "2,5", "1.250.000"]),
            ("en", ["0", "0.3", "2.5", "1,250,000"]),
        ):
            with translation.override(language):
                number_ticks(ax.yaxis)
            formatter = ax.yaxis.get_major_formatter()
            assert isinstance(formatter, FuncFormatter)
            values = (0.0, 0.1 + 0.2, 2.5, 1_250_000.0)
            assert [formatter(value, n) for n, value in enumerate(values)] == expected
    finally:
        plt.close(fig)
