from __future__ import annotations

import hashlib
from collections.abc import Callable

import django_tables2 as tables
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import AuditEntry

SECONDARY = "data-secondary"

# An id no row has, put in a URL to find where the id goes (see id_url).
_PLACEHOLDER = 987654321987654321


def id_url(viewname: str) -> Callable[[object], str]:
    """`lambda pk: reverse(viewname, args=[pk])` for the rows of one table with one reverse():
    the URL of a placeholder id (with the script prefix of the request being served), split
    around it; each int id goes in between. Anything else than an int, or a URL where the
    placeholder is not found exactly once, goes through reverse() itself. Made per table drawn,
    not kept: the script prefix belongs to the request."""
    url = reverse(viewname, args=[_PLACEHOLDER])
    before, found, after = url.partition(str(_PLACEHOLDER))
    if not found or str(_PLACEHOLDER) in before + after:
        return lambda pk: reverse(viewname, args=[pk])

    def url_for(pk: object) -> str:
        if type(pk) is int:
            return f"{before}{pk}{after}"
        return reverse(viewname, args=[pk])

    return url_for


def secondary(attrs: dict | None = None) -> dict:
    """A column's `attrs`, marked secondary: its cells are folded away while the table's box is
    narrow (a 1366 px screen beside the filters) and the table's "Columns" toggle, drawn by
    core/_table.html, shows them again. The columns that matter first carry no mark."""
    marked = dict(attrs or {})
    for part in ("th", "td"):
        marked[part] = {**marked.get(part, marked.get("cell", {})), SECONDARY: "true"}
    return marked


# How long a list's drawn search and filter panel is kept (a new version is a new key before).
PANEL_SECONDS = 3600


def filters_panel(request, form, version: str) -> SafeString:
    """A list's search and filter panel (core/_filters_panel.html) for `form`, the list's bound
    filter form. Kept per `version` of the data its choices come from (which every write moves:
    the registry's), language, address and the form's own parameters: the same filters at
    another sort, page or page size draw the same panel, and drawing it (a dozen fields, the
    zone select's hundreds of options) cost about a fifth of a 25-row list (bench/README.md).
    The panel must depend on nothing else than these: a form whose choices follow the person
    (their own zones) is drawn with an empty `version`, every time."""
    if not version:
        return render_to_string("core/_filters_panel.html", {"form": form}, request)
    own = [(name, request.GET.getlist(form.add_prefix(name))) for name in form.fields]
    # Any parameter opens the panel (the template's `request.GET`), a page number too.
    key = f"{version}:{get_language()}:{request.path}:{bool(request.GET)}:{own!r}"
    key = "filters-panel:" + hashlib.sha256(key.encode()).hexdigest()
    html = cache.get_or_set(
        key,
        lambda: str(render_to_string("core/_filters_panel.html", {"form": form}, request)),
        PANEL_SECONDS,
    )
    return mark_safe(html)  # our own template's output


class AuditEntryTable(tables.Table):
    at = tables.DateTimeColumn(verbose_name=_("Time"), format="SHORT_DATETIME_FORMAT")
    actor = tables.Column(verbose_name=_("User"), default="—")
    actor_unit = tables.Column(verbose_name=_("Unit"), default="—")
    action = tables.Column(verbose_name=_("Action"))
    content_type = tables.Column(verbose_name=_("Object type"), orderable=False)
    object_repr = tables.TemplateColumn(
        template_name="core/_audit_object_cell.html", verbose_name=_("Object"), orderable=False
    )
    changes = tables.TemplateColumn(
        template_name="core/_audit_changes_cell.html", verbose_name=_("Changes"), orderable=False
    )

    class Meta:
        model = AuditEntry
        fields = ("at", "actor", "actor_unit", "action", "content_type", "object_repr", "changes")
        order_by = ("-at",)
        per_page_field = "table_per_page"

    def render_content_type(self, value):
        model = value.model_class()
        return model._meta.verbose_name if model else value.model
