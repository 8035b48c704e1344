"""The dashboard's number cells built in Python read as the template loops that built them before:
the same markup, numbers localised the same way in each language, links escaped the same way."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sinergi.insight import cells
from sinergi.insight.maps import MapZone

LOOPS = Template(
    "{% load humanize %}"
    '{% for cell in row.with %}<td class="num bar-cell">{% if row.query is not None %}'
    '<a href="{{ url }}?status=operating{{ row.query }}&amp;has={{ cell.code }}">'
    "{{ cell.count|intcomma }}</a>{% else %}{{ cell.count|intcomma }}{% endif %} "
    '<span class="share">{{ cell.share|floatformat:0 }}%</span><meter min="0" max="100" '
    "value=\"{{ cell.share|stringformat:'s' }}\">{{ cell.share }}%</meter></td>{% endfor %}"
    '|{% for cell in row.gaps %}<td class="num">{% if row.gap_query is not None %}'
    '<a href="{{ gaps }}?type={{ cell.code }}{{ row.gap_query }}">{{ cell.count|intcomma }}</a>'
    "{% else %}{{ cell.count|intcomma }}{% endif %}</td>{% endfor %}"
    '|{% for n in numbers %}<td class="num">{{ n|intcomma }}</td>{% endfor %}'
    '|{% for cell in row.with %}<td class="num">{% if row.query is not None %}'
    '<a href="{{ url }}?status=operating{{ row.query }}&amp;has={{ cell.code }}">'
    "{{ cell.count|intcomma }}</a>{% else %}{{ cell.count|intcomma }}{% endif %} "
    '<meter min="0" max="100" value="{{ cell.share|stringformat:\'s\' }}">{{ cell.share }}%'
    "</meter></td>{% endfor %}"
)


@pytest.mark.parametrize("language", ["vi", "en", "id"])
@pytest.mark.parametrize("query", ["&zone=12&ownership=state", None])
def test_cells_are_what_the_template_loops_gave(language, query):
    row = {
        "query": query,
        "gap_query": query,
        "with": [
            {"code": "party", "count": 12345, "share": 33.3},
            {"code": "trade-union", "count": 0, "share": 0},
            {"code": "youth-union", "count": 7, "share": 100.0},
        ],
        "gaps": [{"code": "party", "count": 2048}, {"code": "trade-union", "count": 0}],
    }
    numbers = [0, 999, 1000, 1234567]
    with translation.override(language):
        expected = LOOPS.render(
            Context({"row": row, "url": "/e/", "gaps": "/g/", "numbers": numbers})
        )
        built = "|".join(
            [
                cells.coverage(row, "/e/", shares=True),
                cells.gaps(row, "/g/"),
                cells.numbers(numbers),
                cells.coverage(row, "/e/", shares=False),
            ]
        )
    assert built == expected
    assert ("12.345" if language != "en" else "12,345") in built
    if query:
        assert "&amp;zone=12&amp;ownership=state&amp;has=party" in built


MAP_LOOP = Template(
    "{% load humanize l10n %}"
    '{% for z in zones %}<tr><th scope="row"><a href="{{ url }}?status=operating&amp;'
    'zone={{ z.pk|unlocalize }}">{{ z.label }}</a>{% if z.group_label %} <span class="share">'
    '{{ z.group_label }}</span>{% endif %}</th><td class="num">{{ z.enterprises|intcomma }}</td>'
    '<td class="num">{{ z.with_type|intcomma }}</td><td class="num">{% if z.share is not None %}'
    "{{ z.share|floatformat:0 }}{% else %}—{% endif %}</td></tr>{% endfor %}"
)


@pytest.mark.parametrize("language", ["vi", "en", "id"])
def test_the_map_table_rows_are_what_the_template_loop_gave(language):
    zones = [
        MapZone(
            1234,
            "KCN Tằng Loỏng",
            "Tằng Loỏng",
            None,
            None,
            None,
            enterprises=4321,
            with_type=2161,
            group_label="Lào Cai & <Yên Bái>",
        ),
        MapZone(7, "Khu A", "Khu A", None, None, None, enterprises=3, with_type=1),
        MapZone(8, "Khu B", "Khu B", None, None, None),
        # Halves round up, as floatformat rounds them (12.5 -> 13, 37.5 -> 38).
        *(MapZone(9 + k, "C", "C", None, None, None, enterprises=8, with_type=k) for k in range(9)),
        MapZone(20, "D", "D", None, None, None, enterprises=2000, with_type=999),
    ]
    with translation.override(language):
        expected = MAP_LOOP.render(Context({"zones": zones, "url": "/e/"}))
        built = cells.map_values(zones, "/e/")
    assert built == expected
    assert "&lt;Yên Bái&gt;" in built and ">33</td>" in built and ">13</td>" in built
    assert ("4.321" if language != "en" else "4,321") in built


@pytest.mark.parametrize("language", ["vi", "en", "id"])
def test_integers_are_written_as_intcomma_writes_them(language):
    values = [0, 7, -7, 999, 1000, -1234567, 10**15, True, 2.5, Decimal("12345.5"), None, "x"]
    with translation.override(language):
        number = cells.integers()
        assert [number(v) for v in values] == [intcomma(v) for v in values]


@pytest.mark.parametrize("language", ["vi", "en", "id"])
def test_shares_are_written_as_floatformat_and_localize_write_them(language):
    rng = random.Random(7)
    values = [0, 0.0, 5, 0.5, 1.5, 2.5, 12.5, 37.5, 99.5, 99.95, 100, 100.0, 33.3, 66.7]
    values += [100 * a / b for b in range(1, 60) for a in range(b + 1)]
    values += [rng.uniform(0, 100) for _ in range(2000)] + [round(rng.uniform(0, 100), 1)] * 50
    values += [0.49999999999999994, 1e-05, 999.5, 1000, 1234.5, -2.5, Decimal("12.5"), None]
    with translation.override(language):
        decimal = cells.decimals()
        for value in values:
            assert cells.whole(value) == floatformat(value, 0), value
            assert decimal(value) == localize(value), value
        assert decimal(33.3) == ("33.3" if language == "en" else "33,3")


COMPARED_LOOP = Template(
    "{% load humanize l10n i18n %}"
    '{% for row in by_zone %}<tr><th scope="row">{% if row.zone_id %}<a href="{{ dashboard_url }}'
    '?zone={{ row.zone_id|unlocalize }}&amp;cover={{ cover }}">{{ row.label }}</a>{% else %}'
    '{{ row.label }}{% endif %}</th><td class="num">{% if row.query is not None %}<a href="'
    '{{ list_url }}?status=operating{{ row.query }}">{{ row.enterprises|intcomma }}</a>'
    '{% else %}{{ row.enterprises|intcomma }}{% endif %}</td>{{ row.with_html }}<td class="num">'
    '{{ row.party_members|intcomma }}</td><td class="num">{{ row.union_members|intcomma }}</td>'
    "</tr>{% endfor %}"
    '|{% for row in zones %}<tr><th scope="row">{{ row.label }}</th><td class="num">'
    '{{ row.expected|intcomma }}</td><td class="num">{{ row.reported|intcomma }} <meter min="0" '
    'max="100" value="{{ row.share|stringformat:\'s\' }}">{{ row.share }}%</meter></td>'
    '<td class="num">{{ row.on_time|intcomma }}</td><td class="num">{% if row.missing %}'
    '<a data-missing href="{{ list_url }}?not_reported={{ date }}{{ row.query }}">'
    "{{ row.missing|intcomma }}</a>{% else %}0{% endif %}</td><td>{% if row.missing %}"
    '<a data-missing-export href="{{ export_url }}?not_reported={{ date }}{{ row.query }}">'
    '{% translate "Export the missing (XLSX)" %}</a>{% endif %}</td></tr>{% endfor %}'
)


@pytest.mark.parametrize("language", ["vi", "en", "id"])
def test_the_zone_tables_rows_are_what_the_template_loops_gave(language):
    by_zone = [
        {
            "zone_id": 12,
            "label": "Lào Cai & <Yên Bái>",
            "query": "&zone=12",
            "enterprises": 12345,
            "with_html": mark_safe('<td class="num">7</td>'),
            "party_members": 2048,
            "union_members": 0,
        },
        {
            "zone_id": None,
            "label": "Without zone",
            "query": None,
            "enterprises": 3,
            "with_html": mark_safe(""),
            "party_members": None,
            "union_members": 1000000,
        },
    ]
    zones = [
        {
            "label": "KCN <A>",
            "expected": 1200,
            "reported": 1199,
            "on_time": 1000,
            "missing": 1,
            "share": 99.9,
            "query": "&zone=3",
        },
        {
            "label": "B & C",
            "expected": 5,
            "reported": 5,
            "on_time": 0,
            "missing": 0,
            "share": 100.0,
            "query": "",
        },
        {
            "label": "D",
            "expected": 2,
            "reported": 0,
            "on_time": 0,
            "missing": 2,
            "share": 0.0,
            "query": "&zone=4&x=<y>",
        },
    ]
    urls = {"dashboard_url": "/d/", "list_url": "/e/", "export_url": "/x.xlsx"}
    with translation.override(language):
        expected = COMPARED_LOOP.render(
            Context(
                {**urls, "by_zone": by_zone, "zones": zones, "cover": "party", "date": "2025-06-30"}
            )
        )
        built = "|".join(
            [
                cells.compared_zones(by_zone, ("/d/", "/e/"), "party"),
                cells.reporting_zones(
                    zones,
                    ("/e/", "/x.xlsx"),
                    "2025-06-30",
                    cells.escape(_("Export the missing (XLSX)")),
                ),
            ]
        )
    assert built == expected
    assert "Lào Cai &amp; &lt;Yên Bái&gt;" in built and "&amp;x=&lt;y&gt;" in built
    assert ("12.345" if language != "en" else "12,345") in built
    assert built.count("data-missing-export") == 2


DATES_LOOP = Template(
    "{% load humanize l10n %}"
    '{% for row in dates %}<tr{% if row.date == selected %} class="selected"{% endif %}>'
    '<th scope="row"><a href="/d/?zone={{ scope|unlocalize }}&amp;cover={{ cover }}&amp;'
    'date={{ row.date }}#reporting-heading">{{ row.day|date:"SHORT_DATE_FORMAT" }}</a></th>'
    '<td class="num">{{ row.expected|intcomma }}</td><td class="num">{{ row.reported|intcomma }}'
    ' <span class="share">{{ row.share|floatformat:0 }}%</span></td><td class="num">'
    '{{ row.on_time|intcomma }} <span class="share">{{ row.on_time_share|floatformat:0 }}%'
    '</span></td><td class="num">{% if row.missing %}<a href="/e/?not_reported={{ row.date }}'
    '{{ query }}">{{ row.missing|intcomma }}</a>{% else %}0{% endif %}</td></tr>{% endfor %}'
    '|{% for row in trend %}<tr><th scope="row">{{ row.day|date:"SHORT_DATE_FORMAT" }}</th>'
    "{{ row.counts_html }}</tr>{% endfor %}"
    '|{% for row in trend %}<tr><th scope="row">{{ row.day|date:"SHORT_DATE_FORMAT" }}</th>'
    '<td class="num">{{ row.enterprises|intcomma }}</td><td class="num">'
    '{{ row.reported|default:0|intcomma }}</td>{{ row.counts_html }}<td class="num">'
    '{{ row.party_members|intcomma }}</td><td class="num">{{ row.union_members|intcomma }}</td>'
    '<td class="num">{{ row.new_party_members|intcomma }}</td></tr>{% endfor %}'
)


@pytest.mark.parametrize("language", ["vi", "en", "id"])
@pytest.mark.parametrize("scope", [12, "all"])
def test_the_date_tables_rows_are_what_the_template_loops_gave(language, scope):
    query = "" if scope == "all" else f"&zone={scope}"
    dates = [
        {
            "date": "2025-12-31",
            "day": datetime.date(2025, 12, 31),
            "expected": 12000,
            "reported": 11999,
            "on_time": 9000,
            "missing": 1,
            "share": 99.99,
            "on_time_share": 75.0,
        },
        {
            "date": "2025-06-30",
            "day": datetime.date(2025, 6, 30),
            "expected": 8,
            "reported": 8,
            "on_time": 1,
            "missing": 0,
            "share": 100.0,
            "on_time_share": 12.5,
        },
        {
            "date": "2024-12-31",
            "day": datetime.date(2024, 12, 31),
            "expected": 0,
            "reported": 0,
            "on_time": 0,
            "missing": 0,
            "share": 0,
            "on_time_share": 0,
        },
    ]
    trend = [
        {
            "day": datetime.date(2024, 12, 31),
            "enterprises": 1234,
            "reported": None,
            "counts_html": mark_safe('<td class="num">5</td>'),
            "party_members": 1000,
            "union_members": 0,
            "new_party_members": 7,
        },
        {
            "day": datetime.date(2025, 6, 30),
            "enterprises": 0,
            "reported": 4321,
            "counts_html": mark_safe(""),
            "party_members": 2,
            "union_members": 1234567,
            "new_party_members": 0,
        },
    ]
    with translation.override(language):
        expected = DATES_LOOP.render(
            Context(
                {
                    "dates": dates,
                    "trend": trend,
                    "selected": "2025-06-30",
                    "scope": scope,
                    "cover": "trade-union",
                    "query": query,
                }
            )
        )
        built = "|".join(
            [
                cells.reporting_dates(
                    dates, "2025-06-30", ("/d/", "/e/"), (str(scope), "trade-union", query)
                ),
                *cells.trend_rows(trend),
            ]
        )
    assert built == expected
    assert built.count('class="selected"') == 1 and ">13%<" in built
    assert "31/12/2025" in built


BREAKDOWN_LOOP = Template(
    "{% load humanize %}"
    '{% for row in rows %}<tr><th scope="row">{{ row.label }}</th><td class="num">'
    '{% if row.query is not None %}<a href="/e/?status=operating{{ row.query }}">'
    "{{ row.enterprises|intcomma }}</a>{% else %}{{ row.enterprises|intcomma }}{% endif %}</td>"
    '{{ row.with_html }}<td class="num">{{ row.party_members|intcomma }}</td><td class="num">'
    "{{ row.union_members|intcomma }}</td>{{ row.gaps_html }}</tr>{% endfor %}"
)


@pytest.mark.parametrize("language", ["vi", "en", "id"])
def test_the_breakdown_rows_are_what_the_template_loop_gave(language):
    rows = [
        {
            "label": "Nhà nước & <FDI>",
            "query": "&zone=3&ownership=state",
            "enterprises": 4321,
            "with_html": mark_safe('<td class="num">1</td>'),
            "party_members": 1234567,
            "union_members": 0,
            "gaps_html": mark_safe('<td class="num">2</td>'),
        },
        {
            "label": "no figures",
            "query": None,
            "enterprises": 0,
            "with_html": mark_safe(""),
            "party_members": None,
            "union_members": 1000,
            "gaps_html": mark_safe(""),
        },
    ]
    with translation.override(language):
        expected = BREAKDOWN_LOOP.render(Context({"rows": rows}))
        built = cells.breakdown(rows, "/e/")
    assert built == expected
    assert "Nhà nước &amp; &lt;FDI&gt;" in built and "&amp;zone=3&amp;ownership=state" in built
