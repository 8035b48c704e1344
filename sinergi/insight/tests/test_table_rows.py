"""`{% table_rows %}` draws a list's body rows as django-tables2's own cell loop does.

Each list page's table is drawn twice on the same data: by `table_rows` and by the template
loop over django-tables2's cells (`row.items`, `column.attrs.td`, `row.attrs`), the way the
lists were drawn before; the two must be the same HTML, links included, under a script prefix
and in every language.
"""

from __future__ import annotations

import itertools

import pytest
from django.conf import settings
from django.template import Context, RequestContext, Template
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils import translation

from sinergi.core.templatetags.table_rows import table_rows
from sinergi.insight import aggregates

REFERENCE = Template(
    "{% load l10n %}{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>"
    "{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>"
    "{% if column.localize == None %}{{ cell }}{% else %}{% if column.localize %}"
    "{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}</td>"
    "{% endfor %}</tr>\n{% endfor %}"
)

PAGES = [
    "/registry/enterprises/",
    "/registry/enterprises/?sort=-workers",
    "/registry/enterprises/?sort=-has_party",
    "/insight/gaps/",
    "/insight/gaps/?status=potential",
    "/insight/quality/",
    "/programs/",
    "/programs/tasks/",
    "/programs/reports/",
    "/programs/activities/",
    "/reviews/",
    "/audit/",
]


@pytest.fixture
def prefix():
    before = get_script_prefix()
    set_script_prefix("/sinergi/")
    yield "/sinergi/"
    set_script_prefix(before)


def _both(response) -> tuple[str, str]:
    table = response.context["table"]
    table._counter = itertools.count()  # the odd/even count starts again for each drawing
    fast = str(table_rows(Context({}), table))
    table._counter = itertools.count()
    reference = REFERENCE.render(RequestContext(response.wsgi_request, {"table": table}))
    return fast, reference


@pytest.mark.parametrize("language", ["en", "vi", "id"])
def test_each_list_draws_the_rows_django_tables2_draws(figures, program, prefix, language):
    aggregates.refresh()
    client = figures.client("admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    drawn = 0
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        with translation.override(language):
            fast, reference = _both(response)
            assert fast == reference, url
            assert fast in response.content.decode(), url
        drawn += fast.count("<tr ")
    assert drawn > 10


def test_row_links_are_what_reverse_gives_under_the_script_prefix(figures, prefix):
    aggregates.refresh()
    response = figures.client("admin").get("/insight/gaps/")
    fast, _reference = _both(response)
    table = response.context["table"]
    for gap in (row.record for row in table.paginated_rows):
        link = reverse("registry:enterprise_detail", args=[gap.enterprise_id])
        assert link.startswith(prefix)
        assert f'href="{link}"' in fast
    response = figures.client("admin").get("/registry/enterprises/")
    fast, _reference = _both(response)
    for enterprise in figures.enterprises.values():
        assert f'href="{enterprise.get_absolute_url()}"' in fast


def test_names_that_look_like_html_are_escaped_as_django_tables2_escapes_them(figures):
    from sinergi.core.services import SYSTEM
    from sinergi.registry import services

    enterprise = figures.enterprises["b"]
    services.enterprise_update(
        actor=SYSTEM, enterprise=enterprise, data={"name": 'Công ty <b>A & B</b> "Mới"'}
    )
    aggregates.refresh()
    response = figures.client("admin").get("/registry/enterprises/", {"q": "moi"})
    fast, reference = _both(response)
    assert fast == reference
    assert "Công ty &lt;b&gt;A &amp; B&lt;/b&gt; &quot;Mới&quot;</a>" in fast
    assert f'<a href="{enterprise.get_absolute_url()}">' in fast
