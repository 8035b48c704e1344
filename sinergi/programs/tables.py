from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from sinergi.programs.models import Activity, Program, ProgressReport, Task


class ProgramTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name=_("Title"), attrs={"td": {"class": "name"}})
    starts_on = tables.DateColumn(verbose_name=_("Start"), short=True)
    ends_on = tables.DateColumn(verbose_name=_("End"), short=True)
    status = tables.Column(verbose_name=_("Status"))
    basis_number = tables.Column(verbose_name=_("Document number"), default="—")

    class Meta:
        model = Program
        fields = ("title", "basis_number", "starts_on", "ends_on", "status")
        order_by = ("-starts_on",)


class TaskTable(tables.Table):
    code = tables.Column(
        verbose_name=_("No."), accessor="number", order_by=("area__number", "number")
    )
    title = tables.Column(linkify=True, verbose_name=_("Task"), attrs={"td": {"class": "name"}})
    program = tables.Column(
        accessor="area__program", verbose_name=_("Program"), order_by=("area__program__title",)
    )
    lead_unit = tables.Column(verbose_name=_("Lead unit"), order_by=("lead_unit__name",))
    status = tables.TemplateColumn(
        template_name="programs/_task_status_cell.html", verbose_name=_("Status")
    )
    percent_done = tables.Column(
        verbose_name=_("% done"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    due = tables.TemplateColumn(
        template_name="programs/_task_due_cell.html", verbose_name=_("Due"), orderable=False
    )

    class Meta:
        model = Task
        fields = ("code", "title", "program", "lead_unit", "status", "percent_done", "due")
        order_by = ("code",)

    def render_code(self, record):
        return record.code

    def render_program(self, value):
        return value.code


class ActivityTable(tables.Table):
    held_on = tables.DateColumn(verbose_name=_("Date"), short=True)
    title = tables.Column(linkify=True, verbose_name=_("Title"), attrs={"td": {"class": "name"}})
    kind = tables.Column(verbose_name=_("Kind"))
    organisers = tables.Column(verbose_name=_("Organising units"), orderable=False)
    participants = tables.Column(
        verbose_name=_("Participants"),
        orderable=False,
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )

    class Meta:
        model = Activity
        fields = ("held_on", "title", "kind", "organisers", "participants")
        order_by = ("-held_on",)

    def render_organisers(self, value):
        return ", ".join(str(unit) for unit in value.all())


class ProgressReportTable(tables.Table):
    task = tables.Column(
        linkify=lambda record: record.get_absolute_url(),
        verbose_name=_("Task"),
        order_by=("task__area__number", "task__number"),
        attrs={"td": {"class": "name"}},
    )
    period = tables.Column(verbose_name=_("Period"), order_by=("period__starts_on",))
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__name",))
    task_status = tables.Column(verbose_name=_("Task status"))
    percent_done = tables.Column(
        verbose_name=_("% done"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    status = tables.TemplateColumn(
        template_name="programs/_report_status_cell.html", verbose_name=_("Sign-off")
    )
    submitted_at = tables.DateTimeColumn(
        verbose_name=_("Submitted"), format="SHORT_DATE_FORMAT", default="—"
    )

    class Meta:
        model = ProgressReport
        fields = ("task", "period", "unit", "task_status", "percent_done", "status", "submitted_at")
        order_by = ("-period",)
