"""The overview's picture: the map drawn from zone locations, the compared zones side by side,
reporting completeness with the enterprises that did not report, the indicator panel's year,
and the same in the API."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sinergi.core.services import SYSTEM
from sinergi.core.testing import MODEL_BACKEND
from sinergi.insight import aggregates, completeness, maps
from sinergi.insight.models import Digest, Snapshot
from sinergi.insight.views import indicator_panel
from sinergi.registry import services as registry_services
from sinergi.registry.models import OrganisationType

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 6, 30)


def _client(client, world, persona="admin"):
    client.cookies["django_language"] = "en"
    client.force_login(world.users[persona], backend=MODEL_BACKEND)
    return client


def _locate(world):
    registry_services.zone_update(
        actor=SYSTEM, zone=world.zones["a"], data={"latitude": "22.47300", "longitude": "103.97800"}
    )
    registry_services.zone_update(
        actor=SYSTEM,
        zone=world.zones["b"],
        data={
            "boundary": [[103.94, 22.51], [103.96, 22.51], [103.96, 22.52], [103.94, 22.52]],
        },
    )


def test_a_zone_location_needs_both_coordinates_and_a_boundary_of_three_points(world):
    zone = world.zones["a"]
    with pytest.raises(ValidationError) as half:
        registry_services.zone_update(actor=SYSTEM, zone=zone, data={"latitude": "22.5"})
    assert "longitude" in half.value.message_dict
    zone.refresh_from_db()
    with pytest.raises(ValidationError) as bad:
        registry_services.zone_update(
            actor=SYSTEM, zone=zone, data={"boundary": [[103.9, 22.5], [103.9, 95]]}
        )
    assert "boundary" in bad.value.message_dict
    zone.refresh_from_db()
    with pytest.raises(ValidationError):
        registry_services.zone_update(
            actor=SYSTEM, zone=zone, data={"latitude": "120", "longitude": "103"}
        )


def test_the_map_draws_each_located_park_as_a_link_to_its_enterprises(client, figures):
    world = figures
    _locate(world)
    html = _client(client, world).get(reverse("insight:dashboard")).content.decode()
    svg = re.search(r"<svg class=\"zone-map\".*?</svg>", html, re.S).group(0)
    links = dict(re.findall(r'<a href="([^"]+)" aria-label="[^"]*" data-zone="(\d+)"', svg))
    expected = {
        f"/registry/enterprises/?status=operating&amp;zone={world.zones[k].pk}": str(
            world.zones[k].pk
        )
        for k in ("a", "b")
    }
    assert links == expected
    assert "<circle" in svg and "<polygon" in svg  # a point with its area; a boundary
    assert "KCN Đông Phố Mới" in svg and "Khu công nghiệp Bắc Duyên Hải" in svg
    # Enterprise A: no party organisation of 1 operating enterprise — described, not only shaded.
    assert "0 of 1 operating enterprises with Party" in svg
    assert "data-map-table" in html  # the values as a table beside it


def _place(enterprise, latitude, longitude):
    return registry_services.enterprise_update(
        actor=SYSTEM,
        enterprise=enterprise,
        data={"latitude": latitude, "longitude": longitude},
    )


def test_an_enterprise_location_needs_both_coordinates_on_the_earth(world):
    enterprise = world.enterprises["a"]
    with pytest.raises(ValidationError) as half:
        registry_services.enterprise_update(
            actor=SYSTEM, enterprise=enterprise, data={"latitude": "22.47"}
        )
    assert "longitude" in half.value.message_dict
    enterprise.refresh_from_db()
    with pytest.raises(ValidationError):
        _place(enterprise, "22.47", "190")
    enterprise.refresh_from_db()
    assert enterprise.latitude is None and enterprise.longitude is None


def test_enterprises_with_a_location_are_dots_linked_to_their_pages(client, figures):
    world = figures
    _locate(world)
    a = world.enterprises["a"]
    _place(a, "22.47310", "103.97790")
    c = _client(client, world)
    # The map of every zone draws no dots (they would be heaps in small circles): it says where.
    wide = c.get(reverse("insight:dashboard")).content.decode()
    assert "data-enterprise-points" not in wide
    assert "drawn as dots on the map of their park or zone" in wide
    assert c.get(reverse("api:insight_map")).json()["points_elsewhere"] is True
    in_a = f"?zone={world.zones['a'].pk}"
    page = c.get(reverse("insight:dashboard") + in_a).content.decode()
    svg = re.search(r"<svg class=\"zone-map\".*?</svg>", page, re.S).group(0)
    dots = re.findall(r'<a href="([^"]+)" aria-label="([^"]*)" data-enterprise="(\d+)"', svg)
    # Only A has a location; it has no party organisation (the map's default shading).
    assert dots == [
        (
            reverse("registry:enterprise_detail", args=[a.pk]),
            "Công ty TNHH Điện tử Phố Mới: without Party organisation",
            str(a.pk),
        )
    ]
    assert "enterprise without Party organisation" in svg  # the legend
    assert "The dot is the operating enterprise with a recorded location" in page
    # The enterprise page gives the location and a way to the zone's map.
    detail = c.get(a.get_absolute_url()).content.decode()
    assert re.search(r"data-location>22\.47310, 103\.97790", detail)
    # The API gives the same dots.
    data = c.get(reverse("api:insight_map") + in_a).json()
    assert data["enterprises"] == [
        {
            "id": a.pk,
            "name": a.name,
            "latitude": 22.4731,
            "longitude": 103.9779,
            "with_organisation": False,
        }
    ]
    assert data["points_over"] is None and data["points_elsewhere"] is False


def test_a_dissolved_enterprise_is_no_dot_and_too_many_dots_are_left_to_the_zones(
    client, figures, monkeypatch
):
    from sinergi.insight import dashboard

    world = figures
    _locate(world)
    a, b = world.enterprises["a"], world.enterprises["b"]
    _place(a, "22.47310", "103.97790")
    _place(b, "22.51500", "103.95000")
    registry_services.enterprise_update(actor=SYSTEM, enterprise=b, data={"status": "dissolved"})
    # B's zone: B is located but dissolved, so no dot and nothing said of dots elsewhere.
    c = _client(client, world)
    in_b = f"?zone={world.zones['b'].pk}"
    data = c.get(reverse("api:insight_map") + in_b).json()
    assert data["enterprises"] == [] and data["points_over"] is None
    page = c.get(reverse("insight:dashboard") + in_b).content.decode()
    assert "data-enterprise-points" not in page and "dots" not in page
    in_a = f"?zone={world.zones['a'].pk}"
    data = c.get(reverse("api:insight_map") + in_a).json()
    assert [e["id"] for e in data["enterprises"]] == [a.pk]
    monkeypatch.setattr(dashboard, "MAX_POINTS", 0)
    _place(a, "22.47320", "103.97790")  # a new registry version: the digest is drawn again
    page = c.get(reverse("insight:dashboard") + in_a).content.decode()
    assert "data-enterprise-points" not in page
    assert "More than 0 enterprises here have a recorded location" in page
    assert c.get(reverse("api:insight_map") + in_a).json()["points_over"] == 0


def test_a_zone_without_a_location_is_left_off_the_map():
    zones = [
        maps.MapZone(1, "Located", "L", 22.5, 104.0, 100, enterprises=4, with_type=1),
        maps.MapZone(2, "Nowhere", "N", None, None, 100, enterprises=4, with_type=4),
    ]
    svg = maps.render_svg(zones, title="t", type_name="union", link=lambda z: f"/z/{z.pk}")
    assert 'href="/z/1"' in svg and 'href="/z/2"' not in svg
    assert maps.render_svg(zones[1:], title="t", type_name="x", link=str) == ""


def _label_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    """The drawn labels' boxes, measured as the map measures them."""
    boxes = []
    for x, y, size, anchor, text in re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" font-size="(\d+)" text-anchor="(\w+)"[^>]*'
        r'aria-hidden="true">([^<]*)</text>',
        svg,
    ):
        label = maps.Label(0, 0, 0, html.unescape(text), int(size))
        boxes.append(label.box(float(x), float(y), anchor))
    return boxes


def _overlapping(boxes) -> list:
    return [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def test_labels_of_crowded_zones_never_cover_one_another():
    """Twelve parks a few kilometres apart (a dense economic zone): each label that is drawn
    has a place of its own; those with none are left to the hover title and the table."""
    zones = [
        maps.MapZone(i, f"Khu công nghiệp số {i}", f"KCN số {i}", 22.50 + 0.01 * (i % 4),
                     104.00 + 0.012 * (i // 4), 150, enterprises=40 - i, with_type=i)
        for i in range(1, 13)
    ]  # fmt: skip
    svg = maps.render_svg(zones, title="t", type_name="union", link=lambda z: f"/z/{z.pk}")
    boxes = _label_boxes(svg)
    assert boxes and not _overlapping(boxes)
    assert all(f'href="/z/{i}"' in svg for i in range(1, 13))  # every zone is still a link
    assert "KCN số 1 ·" in svg  # the zone with most enterprises is labelled first


def test_the_four_parks_of_a_province_are_all_labelled():
    parks = [
        maps.MapZone(1, "KCN Đông Phố Mới", "Đông Phố Mới", 22.48, 103.97, 120, enterprises=40),
        maps.MapZone(2, "KCN Bắc Duyên Hải", "Bắc Duyên Hải", 22.52, 103.96, 90, enterprises=30),
        maps.MapZone(3, "KCN Tằng Loỏng", "Tằng Loỏng", 22.29, 104.08, 1100, enterprises=20),
        maps.MapZone(4, "KKT cửa khẩu Lào Cai", "KKT cửa khẩu", 22.51, 103.94, 400, enterprises=9),
    ]
    svg = maps.render_svg(parks, title="t", type_name="union", link=lambda z: f"/z/{z.pk}")
    boxes = _label_boxes(svg)
    assert len(boxes) == 4 and not _overlapping(boxes)


def test_shades_follow_the_highest_share_shown():
    assert maps.class_top([3.0, 8.0, 11.0]) == 20
    assert maps.shade(11.0, 20) == maps.SHADES[2]
    assert maps.shade(None, 20) == maps.NO_DATA
    assert maps.class_top([95.0]) == 100 and maps.shade(100.0, 100) == maps.SHADES[-1]


def test_the_province_dashboard_compares_its_parks_side_by_side_sortable(client, figures):
    world = figures
    c = _client(client, world)
    url = reverse("insight:dashboard") + f"?zone={world.zones['province'].pk}"
    html = c.get(url).content.decode()
    table = re.search(r"data-compared-zones>.*?</table>", html, re.S).group(0)
    names = re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a>', table)
    # The province has one economic zone: its parks are compared, largest first.
    assert sorted(names) == ["KCN Đông Phố Mới", "Khu công nghiệp Bắc Duyên Hải"]
    assert "Zones of Khu kinh tế Thử side by side" in html
    by_name = c.get(url + "&sort=name").content.decode()
    table = re.search(r"data-compared-zones>.*?</table>", by_name, re.S).group(0)
    names = re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a>', table)
    assert names == sorted(names, key=str.casefold)
    descending = c.get(url + "&sort=-name").content.decode()
    table = re.search(r"data-compared-zones>.*?</table>", descending, re.S).group(0)
    assert re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a>', table) == names[::-1]


def test_completeness_counts_reported_on_time_and_lists_the_missing(client, figures):
    world = figures
    a, b = world.enterprises["a"], world.enterprises["b"]
    late = timezone.make_aware(datetime.datetime(2024, 9, 1, 9))
    registry_services.figure_record(
        actor=SYSTEM,
        enterprise=a,
        as_of=datetime.date(2024, 12, 31),
        values={"workers": 41, "party_members": 4},
        recorded_at=late.replace(year=2025, month=1, day=10),
    )
    counts = completeness.per_zone([DAY, datetime.date(2024, 12, 31)])
    za, zb = str(world.zones["a"].pk), str(world.zones["b"].pk)
    # Figures recorded "now" for 2024-06-30: reported, but long after the 30 days.
    assert counts[DAY.isoformat()][za] == [1, 1, 0]
    assert counts["2024-12-31"][za] == [1, 1, 1]
    assert counts["2024-12-31"][zb] == [1, 0, 0]
    missing = completeness.not_reported(
        a.__class__.objects.filter(status="operating"), datetime.date(2024, 12, 31)
    )
    assert list(missing) == [b]

    aggregates.refresh()
    c = _client(client, world)
    html = c.get(reverse("insight:dashboard") + "?date=2024-12-31").content.decode()
    rows = re.search(r"data-reporting-zones>.*?</table>", html, re.S).group(0)
    link = re.search(r'data-missing href="([^"]+)"', rows).group(1).replace("&amp;", "&")
    assert "not_reported=2024-12-31" in link
    listed = c.get(link).content.decode()
    assert b.name in listed and a.name not in listed
    export = re.search(r'data-missing-export href="([^"]+)"', rows).group(1).replace("&amp;", "&")
    response = c.get(export.replace("export.xlsx", "export.csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    tax_ids = {row[0] for row in csv.reader(io.StringIO(body))}
    assert b.tax_id in tax_ids and a.tax_id not in tax_ids


def test_the_indicator_panel_shows_the_latest_year_with_data_or_the_one_picked(world, program):
    surveyed, party = program.indicators["surveyed"], program.indicators["party"]
    snapshot = Snapshot(
        version="v",
        data={
            "indicators": {
                str(surveyed.pk): {
                    "years": {
                        "2023": {"target": "10", "actual": "12", "met": True},
                        "2024": {"target": "20", "actual": "15", "met": False},
                        "2025": {"target": "50", "actual": None, "met": None},
                    }
                },
                str(party.pk): {"years": {"2024": {"target": "5", "actual": None}}},
            }
        },
    )
    admin = world.users["admin"]
    panel = indicator_panel(admin, snapshot)
    assert panel["year"] == "2024" and panel["years"] == ["2023", "2024", "2025"]
    row = next(r for r in panel["rows"] if r["indicator"] == surveyed)
    assert (row["target"], row["actual"], row["behind"]) == ("20", "15", True)
    assert row["program"].title and row["bar_max"] == 20.0 and row["bar_value"] == 15.0
    picked = indicator_panel(admin, snapshot, "2023")
    row = next(r for r in picked["rows"] if r["indicator"] == surveyed)
    assert picked["year"] == "2023" and row["behind"] is False
    assert indicator_panel(admin, snapshot, "1999")["year"] == "2024"


def test_the_api_carries_the_dashboard_the_map_and_completeness(client, figures):
    world = figures
    _locate(world)
    c = _client(client, world)
    data = c.get(reverse("api:insight_dashboard")).json()
    assert {z["label"] for z in data["zones"]} == {
        "KCN Đông Phố Mới",
        "Khu công nghiệp Bắc Duyên Hải",
    }
    assert data["compared"]["name"] == "Khu kinh tế Thử"
    assert {"cards", "ownership", "workforce", "trend", "reporting", "map", "indicators"} <= set(
        data
    )
    map_data = c.get(reverse("api:insight_map") + "?cover=trade-union").json()
    located = {z["name"]: z for z in map_data["zones"]}
    assert located["Khu công nghiệp Đông Phố Mới"]["latitude"] == 22.473
    assert len(located["Khu công nghiệp Bắc Duyên Hải"]["boundary"]) == 4
    assert map_data["cover"] == "trade-union"
    reporting = c.get(reverse("api:insight_completeness")).json()
    assert reporting["dates"][0]["date"] == DAY.isoformat()
    assert reporting["dates"][0]["expected"] == 2 and reporting["dates"][0]["reported"] == 2
    assert client.logout() is None
    assert c.get(reverse("api:insight_map")).status_code == 401


@pytest.mark.parametrize("by", ["ownership", "band"])
def test_the_coverage_bar_charts_are_svg(client, figures, by):
    response = _client(client, figures).get(reverse("insight:coverage_chart", args=[by]))
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_the_page_reserves_each_charts_box_at_the_charts_own_proportions(client, figures):
    """The images carry the width and height the SVG is drawn at, so nothing below them moves
    when they arrive (the browser reserves the box from these attributes)."""
    c = _client(client, figures)
    url = reverse("insight:dashboard") + f"?zone={figures.zones['province'].pk}"
    html = c.get(url).content.decode()
    images = re.findall(r'<img src="([^"]+)"[^>]*? width="(\d+)" height="(\d+)"', html)
    assert len(images) == 3, images
    for src, width, height in images:
        svg = c.get(src.replace("&amp;", "&")).content.decode()
        drawn = re.search(r'<svg[^>]*width="([\d.]+)pt" height="([\d.]+)pt"', svg)
        assert drawn, svg[:300]
        assert abs(float(drawn[1]) / float(drawn[2]) - int(width) / int(height)) < 0.005, src


def test_a_cached_overview_shows_what_the_first_view_drew(client, figures, program):
    c = _client(client, figures)
    url = reverse("insight:dashboard") + f"?zone={figures.zones['province'].pk}&sort=name"
    first, second = (c.get(url).content.decode() for _ in range(2))

    def part(html, start, end):
        return html[html.index(start) : html.index(end, html.index(start))]

    assert part(first, "data-key-figures", "indicators-heading") == part(
        second, "data-key-figures", "indicators-heading"
    )
    assert "data-compared-zones" in second and "data-reporting-dates" in second
    # The person's own part is read on every view: the program's indicators are there.
    assert program.indicators["surveyed"].name in second
    other = c.get(url.replace("sort=name", "sort=-name")).content.decode()
    assert part(other, "data-compared-zones", "</table>") != part(
        second, "data-compared-zones", "</table>"
    )


def test_each_page_reads_the_newest_snapshots_data_only_when_it_is_new(figures):
    """The newest snapshot's data (large at national scale) is read once per process and
    snapshot; a newer snapshot is read as soon as it exists."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    aggregates.current_snapshot()  # computes the first snapshot
    first, _stale = aggregates.current_snapshot()
    with CaptureQueriesContext(connection) as queries:
        again, _stale = aggregates.current_snapshot()
    assert again.pk == first.pk and again.data == first.data
    assert not any('"data"' in q["sql"] for q in queries.captured_queries)

    registry_services.enterprise_update(
        actor=SYSTEM, enterprise=figures.enterprises["b"], data={"sector": "Dệt may"}
    )
    newer = aggregates.refresh()
    Snapshot.objects.filter(pk=newer.pk).update(data={**newer.data, "sources": ["marked"]})
    # (An update in place is not something Sinergi does: it only shows which read is used.)
    latest, _stale = aggregates.current_snapshot()
    assert latest.pk == newer.pk and latest.data["sources"] == ["marked"]


def test_every_zones_picture_is_summed_at_the_refresh_and_read_as_summed_live(client, figures):
    """The picture of every scope (every zone together: the national map's hundreds of zones;
    each zone with zones under it; each park, with its map's dots) is summed when the
    pre-aggregates are refreshed and kept as a Digest row; read back, each is what summing it
    live gives, and the pages draw from them without reading the coverage cells."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sinergi.insight import dashboard
    from sinergi.registry.models import Zone

    _locate(figures)
    _place(figures.enterprises["a"], "22.47310", "103.97790")
    snapshot = aggregates.refresh()
    codes = list(OrganisationType.objects.values_list("code", flat=True))
    rows = Digest.objects.filter(snapshot=snapshot)
    assert [types for types in rows.values_list("types", flat=True) if types != codes] == []
    kept = dict(rows.values_list("scope", "data"))
    above = set(Zone.objects.filter(children__isnull=False).values_list("pk", flat=True))
    every = set(Zone.objects.values_list("pk", flat=True))
    assert set(kept) == {"all", *(f"zone-{pk}" for pk in every)} and above < every
    dots = 0
    for key, packed in kept.items():
        zone = None if key == "all" else Zone.objects.get(pk=key.removeprefix("zone-"))
        ids = None if zone is None else set(packed["scope"])
        live = dashboard._compute(snapshot, zone, codes)
        if zone is None or zone.pk in above:
            # A wider map draws no dots: its page asks whether some exist.
            assert "points_elsewhere" not in packed
            assert {**dashboard.restored(packed), **dashboard._points(ids, leaf=False)} == live
        else:
            assert dashboard.restored(packed) == live
            dots += len(packed["points"])
    assert dots == 1  # enterprise A, in its park's picture
    everything = dashboard._compute(snapshot, None, codes)
    assert everything["map"] and any(k is not None for k in everything["reporting_by_zone"])

    c = _client(client, figures)
    park = figures.zones["a"]
    for scope in ("all", park.parent_id, park.pk):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            page = c.get(reverse("insight:dashboard") + f"?zone={scope}")
        assert page.status_code == 200
        read = [q["sql"] for q in queries.captured_queries if "insight_coveragecell" in q["sql"]]
        assert read == [], scope
    assert park.name in page.content.decode()

    # Organisation types changed since the refresh: the picture is summed live again. (The
    # snapshot changed in place, which Sinergi never does.)
    cache.clear()
    rows.update(types=["other"])
    with CaptureQueriesContext(connection) as queries:
        c.get(reverse("insight:dashboard") + "?zone=all")
    assert any("insight_coveragecell" in q["sql"] for q in queries.captured_queries)


def test_compared_zones_that_tie_come_in_the_order_of_their_names():
    """The zones come from the database in no promised order: ties are put in name order,
    whichever way the column is sorted, so the same page reads the same on each database."""
    from sinergi.insight.views import _sorted_zones

    rows = [
        {"label": label, "enterprises": n, "with": []}
        for label, n in (
            ("Sông 7", 46),
            ("Bắc 2", 46),
            ("Trung tâm 6", 34),
            ("An 1", 34),
            ("Ba", 50),
        )
    ]
    down = [r["label"] for r in _sorted_zones(rows, "-enterprises", [])]
    up = [r["label"] for r in _sorted_zones(rows[::-1], "enterprises", [])]
    assert down == ["Ba", "Bắc 2", "Sông 7", "An 1", "Trung tâm 6"]
    assert up == ["An 1", "Trung tâm 6", "Bắc 2", "Sông 7", "Ba"]


def test_the_persons_own_panels_are_read_once_per_version_and_follow_every_write(
    client, figures, program
):
    """Indicators, overdue tasks and the zone choice are the person's whatever the scope: kept
    per person and registry version, so walking from zone to zone does not read them again,
    and a write (here a task overdue since 2025) shows on the next view."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sinergi.programs import services as program_services

    c = _client(client, figures)
    url = reverse("insight:dashboard") + "?zone={}"
    first = c.get(url.format(figures.zones["province"].pk)).content.decode()
    assert program.indicators["surveyed"].name in first
    with CaptureQueriesContext(connection) as queries:
        other = c.get(url.format(figures.zones["a"].pk)).content.decode()
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "programs_task" not in read and "programs_indicator" not in read
    assert program.indicators["surveyed"].name in other
    assert "Hạn đã qua từ 2025" not in other

    program_services.task_create(
        actor=SYSTEM,
        program=program.program,
        data={
            "area": program.areas["survey"],
            "title": "Hạn đã qua từ 2025",
            "lead_unit": figures.units["ezb_dept"],
            "starts_on": datetime.date(2025, 6, 1),
            "due_on": datetime.date(2025, 12, 1),
        },
    )
    after = c.get(url.format(figures.zones["a"].pk)).content.decode()
    assert "Hạn đã qua từ 2025" in after


def test_the_zone_choice_names_the_zone_shown_even_a_park_it_does_not_list(client, figures):
    """A viewer's zone choice lists provinces and economic zones; on a park's dashboard the
    park is there too, chosen, instead of "All"."""
    c = _client(client, figures, "viewer")
    park, province = figures.zones["a"], figures.zones["province"]

    def choice(zone):
        html = c.get(reverse("insight:dashboard") + f"?zone={zone.pk}").content.decode()
        return re.search(r'<select name="zone" id="id_zone">(.*?)</select>', html, re.S).group(1)

    on_park = choice(park)
    assert re.findall(r"<option[^>]* selected>([^<]+)<", on_park) == [park.name]
    assert on_park.count(f'value="{park.pk}"') == 1
    on_province = choice(province)
    assert re.findall(r"<option[^>]* selected>([^<]+)<", on_province) == [province.name]
    assert f'value="{park.pk}"' not in on_province


def test_the_persons_kept_indicators_hold_only_years_the_panel_has(client, figures, program):
    """Any `?year=` is answered, but only the panel of no year asked and of the program's own
    years are kept: a run of made-up years does not grow the person's cache entry."""
    from django.core.cache import cache

    from sinergi.insight import views

    c = _client(client, figures)
    url = reverse("insight:dashboard") + f"?zone={figures.zones['province'].pk}"
    c.get(url)
    for year in ("1999", "abc", "2023"):
        assert c.get(url + f"&year={year}").status_code == 200
    snapshot, _stale = aggregates.current_snapshot()
    own = cache.get(f"insight-own:{snapshot.cache_token}:{figures.users['admin'].pk}")
    panel_years = set(views.indicator_panel(figures.users["admin"], snapshot)["years"])
    assert None in own["indicators"]
    assert set(own["indicators"]) - {None} <= panel_years
    assert "1999" not in own["indicators"] and "abc" not in own["indicators"]
