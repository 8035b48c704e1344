from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from html import escape  # django.utils.html.escape's result, without its lazy-text wrapper

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.core.formatting import Shown
from sinergi.core.tables import id_url, secondary
from sinergi.insight.models import Gap, Violation
from sinergi.insight.services import gap_pipeline, gap_reason

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def figure_source(figure) -> str:
    """Where a figure came from: its import batch, else the person who recorded it."""
    if figure is None:
        return ""
    if figure.import_batch_id:
        return _("Import #%(batch)d") % {"batch": figure.import_batch_id}
    if figure.recorded_by_id:
        return figure.recorded_by.get_full_name() or figure.recorded_by.username
    return figure.source


class GapTable(tables.Table):
    select = tables.CheckBoxColumn(
        accessor="pk",
        # Each row's box is written by GapTable.render_select.
        attrs={
            "th__input": {
                "data-select-all": "gap",
                "aria-label": gettext_lazy("Select every row on this page"),
            },
            # A narrow first column: the enterprise beside it stays in view too when the table
            # scrolls sideways.
            "cell": {"class": "select"},
        },
        orderable=False,
    )
    enterprise = tables.Column(
        verbose_name=gettext_lazy("Enterprise"),
        linkify=("registry:enterprise_detail", [tables.A("enterprise_id")]),
        order_by=("enterprise__name",),
        attrs={"td": {"class": "name"}},
    )
    type = tables.Column(verbose_name=gettext_lazy("Organisation type"), order_by=("type",))
    status = tables.Column(verbose_name=gettext_lazy("Group"), order_by=("rank",))
    zone = tables.Column(verbose_name=gettext_lazy("Zone"), default="—", order_by=("zone__name",))
    members = tables.Column(verbose_name=gettext_lazy("Members"), attrs=NUM)
    workers = tables.Column(verbose_name=gettext_lazy("Workers"), attrs=NUM)
    # Folded away on a narrow screen (the "Columns" toggle shows them): since when, the
    # pipeline and where the figures come from; who, what, how big and why come first.
    # The id breaks the last ties, so the page, the API and `sinergi gaps` give one order.
    eligible_since = tables.DateColumn(
        verbose_name=gettext_lazy("Eligible since"),
        default="—",
        order_by=("eligible_since", "pk"),
        attrs=secondary(),
    )
    reason = tables.Column(
        verbose_name=gettext_lazy("Reason"), accessor="pk", orderable=False, empty_values=()
    )
    pipeline = tables.Column(
        verbose_name=gettext_lazy("Pipeline"),
        accessor="pk",
        orderable=False,
        empty_values=(),
        attrs=secondary(),
    )
    provenance = tables.Column(
        verbose_name=gettext_lazy("Figures as of, source"),
        accessor="figure",
        orderable=False,
        empty_values=(),
        attrs=secondary(),
    )
    action = tables.Column(verbose_name="", accessor="pk", orderable=False, empty_values=())

    class Meta:
        model = Gap
        fields = ()
        sequence = (
            "select",
            "enterprise",
            "type",
            "status",
            "zone",
            "members",
            "workers",
            "eligible_since",
            "reason",
            "pipeline",
            "provenance",
            "action",
        )
        order_by = ("status", "-members", "-workers", "eligible_since")
        per_page_field = "table_per_page"
        attrs = {"class": "table gap-table"}
        row_attrs = {"data-gap": lambda record: record.pk}

    def __init__(self, *args, can_task=False, **kwargs):
        self.can_task = can_task
        super().__init__(*args, **kwargs)
        if not can_task:
            self.columns.hide("select")
            self.columns.hide("action")

    @cached_property
    def _task_url(self) -> str:
        return reverse("insight:gap_task_create")

    @cached_property
    def _shown(self) -> Shown:
        return Shown()  # the page's numbers and dates, its language's formats read once

    @cached_property
    def _words(self) -> dict[str, str]:
        # What every row says alike, translated once for the table (the language is the
        # page's, the table is the page's).
        return {
            "select": _("Select %(enterprise)s: %(type)s"),
            "action": escape(_("Create task")),
            "task_url": escape(self._task_url),
        }

    def render_zone(self, value):
        return value.short_name or value.name

    def render_select(self, value, record):
        # The HTML django-tables2's CheckBoxColumn writes from the column's attributes, written
        # directly instead of an attribute dictionary built and joined per row.
        label = self._words["select"] % {"enterprise": record.enterprise, "type": record.type}
        return mark_safe(  # both values escaped, as format_html would
            f'<input type="checkbox" name="gap" value="{escape(str(value))}" form="gap-selection" '
            f'aria-label="{escape(label)}" />'
        )

    def render_reason(self, record):
        # The rule's source is long: it is in the export and on the organisation type's page,
        # and here in the cell's tooltip, so the table stays readable.
        citation = record.type.rule_citation
        text = gap_reason(record, cite=False, shown=self._shown)
        if not citation:
            return text
        return format_html('<span title="{}">{}</span>', citation, text)

    def render_pipeline(self, record):
        return gap_pipeline(record) or "—"

    def render_provenance(self, record):
        figure = record.figure
        if figure is None:
            return "—"
        return f"{self._shown.date(figure.as_of)} · {figure_source(figure)}"

    def render_action(self, record):
        words, pk = self._words, escape(str(record.pk))
        return mark_safe(  # every value escaped, as format_html would
            f'<a class="button button-small" data-gap-task="{pk}" '
            f'href="{words["task_url"]}?gap={pk}">{words["action"]}</a>'
        )


class ViolationTable(tables.Table):
    enterprise = tables.Column(
        verbose_name=gettext_lazy("Enterprise"),
        linkify=("registry:enterprise_detail", [tables.A("enterprise_id")]),
        order_by=("enterprise__name",),
    )
    rule = tables.Column(verbose_name=gettext_lazy("Rule"))
    zone = tables.Column(verbose_name=gettext_lazy("Zone"), default="—", order_by=("zone__name",))
    detail = tables.Column(verbose_name=gettext_lazy("Found"), orderable=False)
    fix = tables.Column(verbose_name="", accessor="pk", orderable=False, empty_values=())

    class Meta:
        model = Violation
        fields = ()
        sequence = ("enterprise", "rule", "zone", "detail", "fix")
        order_by = ("enterprise",)
        per_page_field = "table_per_page"

    def render_zone(self, value):
        return value.short_name or value.name

    @cached_property
    def _urls(self) -> dict[str, Callable[[object], str]]:
        # One reverse() each for the table's rows.
        return {
            "update": id_url("registry:enterprise_update"),
            "figures": id_url("registry:figure_record"),
        }

    def render_fix(self, record):
        left = record.rule.left
        if left in ("zone", "name"):
            url, label = self._urls["update"](record.enterprise_id), _("Edit the enterprise")
        else:
            url, label = self._urls["figures"](record.enterprise_id), _("Record figures")
        return format_html('<a href="{}">{}</a>', url, label)
