"""The dashboard's number cells built in Python read as the template loops that built them before:
the same markup, numbers localised the same way in each language, links escaped the same way."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.utils import translation

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
