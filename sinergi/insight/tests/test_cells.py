"""The dashboard's number cells built in Python read as the template loops that built them before:
the same markup, numbers localised the same way in each language, links escaped the same way."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from sinergi.insight import cells

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
