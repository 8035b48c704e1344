"""Program pages: thin views over the queries, computations and services of this app.

Objects outside the user's programs answer 404; pages the user may read but not change, 403.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from itertools import groupby

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from sinergi.accounts.models import Unit
from sinergi.core.charts import chart_src
from sinergi.core.models import AuditEntry
from sinergi.core.spreadsheets import csv_chunks
from sinergi.core.views import ServiceFormView, object_history
from sinergi.programs import charts, indicator_values, matrix, permissions, services
from sinergi.programs.choices import (
    PARTICIPANT_FIELDS,
    ProgramStatus,
    ReportStatus,
)
from sinergi.programs.deadlines import DUE_SOON, OVERDUE, deadlines_for
from sinergi.programs.filtersets import (
    ActivityFilterSet,
    ProgramFilterSet,
    ProgressReportFilterSet,
    TaskFilterSet,
)
from sinergi.programs.forms import (
    ActivityForm,
    AreaForm,
    AttachmentForm,
    CatchUpRowForm,
    IndicatorForm,
    IndicatorValueForm,
    ProgramForm,
    ProgressReportForm,
    ReturnForm,
    TaskForm,
    UnitChoiceForm,
)
from sinergi.programs.indicator_rules import RULES
from sinergi.programs.models import (
    Activity,
    Area,
    Attachment,
    Indicator,
    IndicatorValue,
    Program,
    ProgressReport,
    ReportingPeriod,
    Task,
)
from sinergi.programs.tables import ActivityTable, ProgramTable, ProgressReportTable, TaskTable

# --- Lookups that answer 404 outside the user's programs --------------------------------------


def _program(request, pk: int) -> Program:
    return get_object_or_404(Program.objects.visible_to(request.user), pk=pk)


def _task(request, pk: int) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(request.user).select_related(
            "area__program", "lead_unit", "responsible"
        ),
        pk=pk,
    )


def _report(request, pk: int) -> ProgressReport:
    return get_object_or_404(
        ProgressReport.objects.visible_to(request.user).select_related(
            "task__area__program",
            "task__lead_unit",
            "unit",
            "period",
            "submitted_by",
            "reviewed_by",
            "created_by",
        ),
        pk=pk,
    )


def _indicator(request, pk: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.visible_to(request.user).select_related(
            "program", "area", "organisation_type"
        ),
        pk=pk,
    )


def _activity(request, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("program", "created_by"), pk=pk
    )


def _tasks_of(program: Program):
    return (
        Task.objects.filter(area__program=program)
        .select_related("area__program", "lead_unit", "responsible")
        .prefetch_related("supporting_units")
    )


def _show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class PagedTableMixin(SingleTableMixin):
    """A filtered table, 25 rows a page; `?per_page=` may ask for 10 to 200."""

    paginate_by = 25
    per_page_range = (10, 200)

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        low, high = self.per_page_range
        wanted = table.paginator.per_page
        if not low <= wanted <= high:
            # django-tables2 takes `per_page` from the query as it is: keep it within bounds.
            try:
                table.paginate(
                    page=self.request.GET.get("page", 1), per_page=min(max(wanted, low), high)
                )
            except (EmptyPage, PageNotAnInteger):
                table.paginate(page=1, per_page=min(max(wanted, low), high))
        return table


# --- Programs ---------------------------------------------------------------------------------


class ProgramListView(PagedTableMixin, FilterView):
    template_name = "programs/program_list.html"
    filterset_class = ProgramFilterSet
    table_class = ProgramTable

    def get_queryset(self):
        return Program.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "can_create": permissions.can_create_program(self.request.user),
        }


def program_detail(request, pk: int):
    program = _program(request, pk)
    today = timezone.localdate()
    tasks = list(_tasks_of(program))
    deadlines = deadlines_for(tasks, today)
    by_area = defaultdict(list)
    for task in tasks:
        by_area[task.area_id].append(task)
    areas = [
        {"area": area, "tasks": [(t, deadlines[t.pk]) for t in by_area[area.pk]]}
        for area in program.areas.all()
    ]
    indicators = []
    for indicator in program.indicators.select_related("area", "organisation_type", "program"):
        latest = indicator_values.latest(indicator, today)
        indicators.append(
            {
                "indicator": indicator,
                "latest": latest,
                "target": indicator.target_for(latest.period.year if latest else today.year),
            }
        )
    states = [d.state for d in deadlines.values()]
    awaiting = (
        ProgressReport.objects.filter(task__area__program=program, status=ReportStatus.SUBMITTED)
        .leads()
        .count()
    )
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "tab": "overview",
            "parties": program.parties.all(),
            "overseers": program.overseers.all(),
            "zones": program.zones.all(),
            "areas": areas,
            "indicators": indicators,
            "counts": {
                "tasks": len(tasks),
                "overdue": states.count(OVERDUE),
                "due_soon": states.count(DUE_SOON),
                "awaiting": awaiting,
            },
            "activities": program.activities.prefetch_related("organisers")[:5],
            "can_manage": permissions.can_manage_program(request.user, program),
            "can_record": permissions.can_record_activities(request.user, program),
        },
    )


class ProgramCreateView(ServiceFormView):
    form_class = ProgramForm
    template_name = "programs/program_form.html"
    success_message = gettext_lazy("Program saved.")
    program = None

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_create_program(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "program": self.program}

    def perform(self, form):
        return services.program_create(actor=self.request.user, data=form.cleaned_data)


class ProgramUpdateView(ProgramCreateView):
    def dispatch(self, request, *args, **kwargs):
        self.program = _program(request, kwargs["pk"])
        if not permissions.can_manage_program(request.user, self.program):
            raise PermissionDenied
        return ServiceFormView.dispatch(self, request, *args, **kwargs)

    def get_form_kwargs(self):
        # The form edits a copy, so the service still sees the stored values as "before".
        return {**super().get_form_kwargs(), "instance": Program.objects.get(pk=self.program.pk)}

    def perform(self, form):
        return services.program_update(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


def program_history(request, pk: int):
    program = _program(request, pk)

    def of(model, ids):
        return Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)

    entries = AuditEntry.objects.filter(
        of(Program, [str(program.pk)])
        | of(Area, [str(i) for i in program.areas.values_list("id", flat=True)])
        | of(ReportingPeriod, [str(i) for i in program.periods.values_list("id", flat=True)])
        | of(Indicator, [str(i) for i in program.indicators.values_list("id", flat=True)])
        | of(
            IndicatorValue,
            [
                str(i)
                for i in IndicatorValue.objects.filter(indicator__program=program).values_list(
                    "id", flat=True
                )
            ],
        )
    )
    return object_history(request, program, entries)


def program_matrix(request, pk: int):
    program = _program(request, pk)
    return render(
        request,
        "programs/program_matrix.html",
        {
            "program": program,
            "tab": "matrix",
            "matrix": matrix.build_matrix(program, timezone.localdate()),
        },
    )


def program_matrix_export(request, pk: int, fmt: str):
    """The matrix as CSV (UTF-8 with a BOM) or XLSX (formatted, header frozen)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    program = _program(request, pk)
    grid = matrix.build_matrix(program, timezone.localdate())
    name = f"matrix-{program.code}-{timezone.localdate().isoformat()}"
    if fmt == "xlsx":
        buffer = io.BytesIO()
        matrix.write_xlsx(grid, buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(
            csv_chunks(matrix.header(grid), matrix.rows(grid)),
            content_type="text/csv; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def program_timeline(request, pk: int):
    program = _program(request, pk)
    today = timezone.localdate()
    tasks = list(_tasks_of(program))
    deadlines = deadlines_for(tasks, today)
    events = []
    for task in tasks:
        item = deadlines[task.pk]
        unmet = set(item.overdue) | ({item.next_due} if item.next_due else set())
        for day in item.due_dates:
            if item.state == "done" or (day not in unmet and day < today):
                state = "met"
            elif day in item.overdue:
                state = "overdue"
            else:
                state = "upcoming"
            events.append({"day": day, "task": task, "state": state})
    activities = list(program.activities.all())
    for activity in activities:
        events.append({"day": activity.held_on, "activity": activity})
    events.sort(key=lambda e: (e["day"], "task" in e))
    months = [
        {"month": month, "events": list(items)}
        for month, items in groupby(events, key=lambda e: e["day"].replace(day=1))
    ]
    return render(
        request,
        "programs/program_timeline.html",
        {
            "program": program,
            "tab": "timeline",
            "months": months,
            "today": today,
            # Shown at 100 pixels per inch of the drawing, as the indicator charts are.
            "chart_size": [round(x * 100) for x in charts.timeline_size(len(tasks))],
            "chart_src": chart_src(
                reverse("programs:program_timeline_chart", args=[program.pk]),
                today,
                _stored(program),
                [_stored(task) for task in tasks],
                [(event["day"], event.get("state")) for event in events],
                [_stored(activity) for activity in activities],
            ),
        },
    )


def _stored(instance) -> tuple:
    """What a chart drawn from `instance` may read of it: its stored fields (for `chart_src`)."""
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)


@cache_control(private=True, max_age=60)
def program_timeline_chart(request, pk: int):
    program = _program(request, pk)
    today = timezone.localdate()
    tasks = list(_tasks_of(program))
    svg = charts.timeline_chart(
        program, tasks, deadlines_for(tasks, today), list(program.activities.all()), today
    )
    return HttpResponse(svg, content_type="image/svg+xml")


# --- Areas ------------------------------------------------------------------------------------


class ProgramContentFormView(ServiceFormView):
    """A form for a program's content (areas, tasks, indicators): its coordinators manage it.
    `get_program` finds the program from the URL; an update view finds it from its object."""

    def dispatch(self, request, *args, **kwargs):
        self.program = self.get_program(request, kwargs["pk"])
        if not permissions.can_manage_program(request.user, self.program):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_program(self, request, pk):
        return _program(request, pk)


class AreaCreateView(ProgramContentFormView):
    form_class = AreaForm
    template_name = "programs/area_form.html"
    success_message = gettext_lazy("Area saved.")
    area = None

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "program": self.program, "area": self.area}

    def perform(self, form):
        return services.area_create(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


class AreaUpdateView(AreaCreateView):
    def get_program(self, request, pk):
        self.area = get_object_or_404(
            Area.objects.filter(program__in=Program.objects.visible_to(request.user)), pk=pk
        )
        return self.area.program

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Area.objects.get(pk=self.area.pk)}

    def perform(self, form):
        return services.area_update(actor=self.request.user, area=self.area, data=form.cleaned_data)


# --- Reporting periods ------------------------------------------------------------------------


def period_list(request, pk: int):
    program = _program(request, pk)
    periods = list(program.periods.select_related("locked_by"))
    groups = [
        {"kind": kind, "periods": [p for p in periods if p.kind == kind]}
        for kind in ("year", "half", "quarter", "month")
    ]
    return render(
        request,
        "programs/period_list.html",
        {
            "program": program,
            "tab": "periods",
            "groups": groups,
            "can_lock": permissions.can_manage_program(request.user, program),
            "can_unlock": request.user.is_admin,
        },
    )


def _period(request, pk: int) -> ReportingPeriod:
    return get_object_or_404(
        ReportingPeriod.objects.filter(
            program__in=Program.objects.visible_to(request.user)
        ).select_related("program"),
        pk=pk,
    )


@require_POST
def period_lock(request, pk: int):
    period = _period(request, pk)
    try:
        locked = services.period_lock(actor=request.user, period=period)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("%(count)d periods locked.") % {"count": len(locked)})
    return redirect(period.get_absolute_url())


@require_POST
def period_unlock(request, pk: int):
    period = _period(request, pk)
    opened = services.period_unlock(actor=request.user, period=period)
    messages.success(request, _("%(count)d periods unlocked.") % {"count": len(opened)})
    return redirect(period.get_absolute_url())


# --- Tasks ------------------------------------------------------------------------------------


class TaskListView(PagedTableMixin, FilterView):
    """Tasks of the user's programs; the due column is computed for the page's rows only."""

    template_name = "programs/task_list.html"
    filterset_class = TaskFilterSet
    table_class = TaskTable

    def get_queryset(self):
        return Task.objects.visible_to(self.request.user).select_related(
            "area__program", "lead_unit"
        )

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        records = [row.record for row in table.paginated_rows]
        deadlines = deadlines_for(records, timezone.localdate())
        for record in records:
            record.deadline = deadlines[record.pk]
        return table


def task_detail(request, pk: int):
    task = _task(request, pk)
    program = task.area.program
    today = timezone.localdate()
    deadline = deadlines_for([task], today)[task.pk]
    units = [task.lead_unit, *task.supporting_units.order_by("name")]
    mine = {unit.pk for unit in permissions.reporting_units(request.user, task)}
    periods = [
        p
        for p in program.periods.filter(kind=task.report_period_kind, starts_on__lte=today)
        if task.runs_in(p)
    ]
    reports = {(r.period_id, r.unit_id): r for r in task.reports.all()}
    grid = []
    for period in reversed(periods):
        lead = reports.get((period.pk, task.lead_unit_id))
        lead_open = lead is None or lead.is_editable
        cells = []
        for unit in units:
            report = reports.get((period.pk, unit.pk))
            writable = (
                unit.pk in mine
                and not period.is_locked
                and (report is None or report.is_editable)
                and (unit.pk == task.lead_unit_id or lead_open)
            )
            cells.append({"unit": unit, "report": report, "writable": writable})
        grid.append({"period": period, "cells": cells})
    # A unit two or more periods behind catches up in one form.
    catch_up = [
        {"unit": unit, "count": count}
        for unit in units
        if unit.pk in mine and (count := len(missing_periods(task, unit, today))) >= 2
    ]
    return render(
        request,
        "programs/task_detail.html",
        {
            "task": task,
            "program": program,
            "deadline": deadline,
            "units": units,
            "grid": grid,
            "catch_up": catch_up,
            "zones": task.zones.all(),
            "enterprises": task.enterprises.select_related("zone")[:200],
            "enterprise_count": task.enterprises.count(),
            "indicators": task.indicators.all(),
            "attachments": task.attachments.all(),
            "activities": task.activities.all()[:20],
            "can_manage": permissions.can_manage_program(request.user, program),
        },
    )


class TaskCreateView(ProgramContentFormView):
    form_class = TaskForm
    template_name = "programs/task_form.html"
    success_message = gettext_lazy("Task saved.")
    task = None

    def get_initial(self):
        return {"area": self.request.GET.get("area"), "starts_on": self.program.starts_on}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "program": self.program, "task": self.task}

    def perform(self, form):
        return services.task_create(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


class TaskUpdateView(TaskCreateView):
    def get_program(self, request, pk):
        self.task = _task(request, pk)
        return self.task.area.program

    def get_initial(self):
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Task.objects.get(pk=self.task.pk)}

    def perform(self, form):
        return services.task_update(actor=self.request.user, task=self.task, data=form.cleaned_data)


def task_history(request, pk: int):
    task = _task(request, pk)
    report_ids = [str(i) for i in task.reports.values_list("id", flat=True)]
    attachment_ids = [
        str(i)
        for i in Attachment.objects.filter(Q(task=task) | Q(report__task=task)).values_list(
            "id", flat=True
        )
    ]
    entries = AuditEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Task), object_id=str(task.pk))
        | Q(
            content_type=ContentType.objects.get_for_model(ProgressReport), object_id__in=report_ids
        )
        | Q(
            content_type=ContentType.objects.get_for_model(Attachment), object_id__in=attachment_ids
        )
    )
    return object_history(request, task, entries)


# --- Progress reports -------------------------------------------------------------------------


class ProgressReportListView(PagedTableMixin, FilterView):
    template_name = "programs/progressreport_list.html"
    filterset_class = ProgressReportFilterSet
    table_class = ProgressReportTable

    def get_queryset(self):
        return ProgressReport.objects.visible_to(self.request.user).select_related(
            "task__area", "unit", "period"
        )


class ProgressReportEditView(ServiceFormView):
    """Write or update one unit's report on a task for a period (`?unit=` picks the unit when
    the user may report for several)."""

    form_class = ProgressReportForm
    template_name = "programs/progressreport_form.html"
    success_message = gettext_lazy("Report saved as a draft.")
    # Two people of the unit writing the same report: the second save is refused with what the
    # first wrote, also when the first created the report.
    creates_model = ProgressReport

    def dispatch(self, request, *args, **kwargs):
        self.task = _task(request, kwargs["pk"])
        self.period = get_object_or_404(
            ReportingPeriod.objects.filter(program_id=self.task.area.program_id),
            pk=kwargs["period"],
        )
        units = permissions.reporting_units(request.user, self.task)
        wanted = request.POST.get("unit") or request.GET.get("unit")
        self.unit = next((u for u in units if str(u.pk) == wanted), None) if wanted else None
        if self.unit is None and not wanted and units:
            self.unit = units[0]
        if self.unit is None:
            raise PermissionDenied
        self.report = ProgressReport.objects.filter(
            task=self.task, unit=self.unit, period=self.period
        ).first()
        if self.report is not None and not self.report.is_editable:
            messages.info(request, _("This report has been submitted and cannot be changed."))
            return redirect(self.report.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def edited_object(self, form):
        return self.report

    def get_form_kwargs(self):
        indicators = []
        if self.unit.pk == self.task.lead_unit_id:
            indicators = [
                i
                for i in self.task.indicators.all()
                if not i.is_computed and i.period_kind == self.period.kind
            ]
        return {**super().get_form_kwargs(), "indicators": indicators}

    def get_initial(self):
        if self.report is None:
            return {"task_status": self.task.status, "percent_done": self.task.percent_done}
        initial = {
            "task_status": self.report.task_status,
            "percent_done": self.report.percent_done,
            "narrative": self.report.narrative,
        }
        for key, value in self.report.proposed_values.items():
            initial[f"indicator_{key}"] = value
        return initial

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "task": self.task,
            "period": self.period,
            "unit": self.unit,
            "report": self.report,
            "can_submit": self.unit.pk == self.task.lead_unit_id,
        }

    def perform(self, form):
        """Save the draft, attach the evidence given with it and, when asked ("Save and
        submit", lead unit only), submit it: all in one step, or nothing when one part fails."""
        actor = self.request.user
        with transaction.atomic():
            report = services.progress_report_save(
                actor=actor,
                task=self.task,
                unit=self.unit,
                period=self.period,
                data=form.report_data(),
                values=form.values(),
            )
            evidence = form.evidence()
            if evidence:
                services.attachment_add(actor=actor, parent=report, data=evidence)
            if "submit" in self.request.POST:
                services.progress_report_submit(actor=actor, report=report)
                self.success_message = _("Report saved and submitted to the partner body.")
        return report


def missing_periods(task: Task, unit, today: datetime.date) -> list[ReportingPeriod]:
    """The ended, open periods of the task for which the unit has no report yet, or only a
    draft or a returned one: what a unit several periods behind has to catch up on."""
    periods = [
        p
        for p in task.area.program.periods.filter(
            kind=task.report_period_kind, ends_on__lt=today
        ).order_by("starts_on")
        if task.runs_in(p) and not p.is_locked
    ]
    reports = {r.period_id: r for r in task.reports.filter(unit=unit)}
    return [p for p in periods if p.pk not in reports or reports[p.pk].is_editable]


def progressreport_catch_up(request, pk: int):
    """One form for every period a unit has not reported yet, a row per period; the rows
    filled in are saved (and, for the lead unit when asked, submitted) in one step."""
    task = _task(request, pk)
    units = services.reporting_units(request.user, task)
    wanted = request.POST.get("unit") or request.GET.get("unit")
    unit = next((u for u in units if str(u.pk) == wanted), None) if wanted else None
    if unit is None and not wanted and units:
        unit = units[0]
    if unit is None:
        raise PermissionDenied
    periods = missing_periods(task, unit, timezone.localdate())
    reports = {r.period_id: r for r in task.reports.filter(unit=unit)}
    data = request.POST if request.method == "POST" else None
    rows = []
    for period in periods:
        report = reports.get(period.pk)
        initial = (
            {
                "task_status": report.task_status,
                "percent_done": report.percent_done,
                "narrative": report.narrative,
            }
            if report
            else {"task_status": task.status}
        )
        rows.append(CatchUpRowForm(data, period=period, initial=initial))
    is_lead = unit.pk == task.lead_unit_id
    errors: list[str] = []
    if data is not None and all(form.is_valid() for form in rows):
        filled = [(form, form.report_data()) for form in rows]
        filled = [(form, report) for form, report in filled if report]
        submit = is_lead and "submit" in request.POST
        if not filled:
            errors.append(_("Fill in at least one period."))
        else:
            try:
                with transaction.atomic():
                    for form, report_data in filled:
                        report = services.progress_report_save(
                            actor=request.user,
                            task=task,
                            unit=unit,
                            period=form.period,
                            data=report_data,
                        )
                        if submit:
                            services.progress_report_submit(actor=request.user, report=report)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                message = (
                    ngettext(
                        "%(count)d period reported and submitted.",
                        "%(count)d periods reported and submitted.",
                        len(filled),
                    )
                    if submit
                    else ngettext(
                        "%(count)d period reported as a draft.",
                        "%(count)d periods reported as drafts.",
                        len(filled),
                    )
                )
                messages.success(request, message % {"count": len(filled)})
                return redirect(task.get_absolute_url() + "#reports")
    return render(
        request,
        "programs/progressreport_catch_up.html",
        {
            "task": task,
            "program": task.area.program,
            "unit": unit,
            "units": units,
            "rows": rows,
            "is_lead": is_lead,
            "errors": errors,
        },
    )


def progressreport_detail(request, pk: int):
    report = _report(request, pk)
    task = report.task
    user = request.user
    may_report = permissions.can_report(user, task, report.unit)
    open_period = not report.period.is_locked
    values = []
    if report.proposed_values:
        found = Indicator.objects.in_bulk([int(k) for k in report.proposed_values])
        values = [
            (found.get(int(k)), v) for k, v in report.proposed_values.items() if int(k) in found
        ]
    return render(
        request,
        "programs/progressreport_detail.html",
        {
            "report": report,
            "task": task,
            "program": task.area.program,
            "evidence": report.evidence.all(),
            "values": values,
            "others": ProgressReport.objects.filter(task=task, period=report.period)
            .exclude(pk=report.pk)
            .select_related("unit"),
            "can_edit": may_report and report.is_editable and open_period,
            "can_submit": report.is_lead and may_report and report.is_editable and open_period,
            "can_sign": permissions.can_acknowledge(user, report)
            and report.status == ReportStatus.SUBMITTED
            and open_period,
            "return_form": ReturnForm(),
        },
    )


@require_POST
def progressreport_submit(request, pk: int):
    report = _report(request, pk)
    try:
        services.progress_report_submit(actor=request.user, report=report)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Report submitted to the partner body."))
    return redirect(report.get_absolute_url())


@require_POST
def progressreport_acknowledge(request, pk: int):
    report = _report(request, pk)
    try:
        services.progress_report_acknowledge(
            actor=request.user, report=report, comment=request.POST.get("comment", "")
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Report acknowledged."))
    return redirect(report.get_absolute_url())


class ProgressReportReturnView(ServiceFormView):
    form_class = ReturnForm
    template_name = "programs/progressreport_return.html"
    success_message = gettext_lazy("Report returned with your comment.")

    def dispatch(self, request, *args, **kwargs):
        self.report = _report(request, kwargs["pk"])
        if not permissions.can_acknowledge(request.user, self.report):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "report": self.report}

    def perform(self, form):
        return services.progress_report_return(
            actor=self.request.user,
            report=self.report,
            comment=form.cleaned_data["review_comment"],
        )


# --- Attachments ------------------------------------------------------------------------------


class AttachmentCreateView(ServiceFormView):
    """Attach a file or link to a task, a report (its evidence) or an activity."""

    form_class = AttachmentForm
    template_name = "programs/attachment_form.html"
    success_message = gettext_lazy("Attachment added.")
    parent_kind = "task"

    def dispatch(self, request, *args, **kwargs):
        lookup = {"task": _task, "report": _report, "activity": _activity}[self.parent_kind]
        self.parent = lookup(request, kwargs["pk"])
        if not permissions.can_change_attachments(request.user, self.parent):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "parent": self.parent}

    def perform(self, form):
        return services.attachment_add(
            actor=self.request.user, parent=self.parent, data=form.cleaned_data
        )

    def get_success_url(self):
        return self.parent.get_absolute_url()


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "csv": "text/csv; charset=utf-8",
    "text": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "xls": "application/vnd.ms-excel",
}


def _attachment(request, pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.visible_to(request.user).select_related(
            "task__area__program",
            "report__task__area__program",
            "report__period",
            "activity__program",
        ),
        pk=pk,
    )


def attachment_download(request, pk: int):
    """Files are served only here, to users who may read their program; links redirect."""
    attachment = _attachment(request, pk)
    if attachment.link:
        return HttpResponseRedirect(attachment.link)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # The type follows the kind judged from the content at upload, never the file's name.
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename or attachment.file.name,
        content_type=CONTENT_TYPES.get(attachment.file_kind, "application/octet-stream"),
    )


@require_POST
def attachment_delete(request, pk: int):
    attachment = _attachment(request, pk)
    parent_url = attachment.parent.get_absolute_url()
    try:
        services.attachment_delete(actor=request.user, attachment=attachment)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Attachment removed."))
    return redirect(parent_url)


# --- Indicators -------------------------------------------------------------------------------


def indicator_detail(request, pk: int):
    indicator = _indicator(request, pk)
    today = timezone.localdate()
    values = indicator_values.period_values(indicator, today)
    can_manage = permissions.can_manage_program(request.user, indicator.program)
    return render(
        request,
        "programs/indicator_detail.html",
        {
            "indicator": indicator,
            "program": indicator.program,
            "rule": RULES.get(indicator.rule),
            "values": list(reversed(values)),
            "years": indicator_values.year_rows(indicator, values, today),
            "whole": indicator_values.whole_actual(indicator, values),
            "whole_met": indicator_values.meets(
                indicator, indicator_values.whole_actual(indicator, values), indicator.target
            ),
            "tasks": indicator.tasks.select_related("area"),
            "can_manage": can_manage,
            "can_enter": can_manage and not indicator.is_computed,
            "has_chart": bool(values),
            "chart_src": chart_src(
                reverse("programs:indicator_chart", args=[indicator.pk]),
                _stored(indicator),
                [(str(v.period.label), v.value) for v in values],
            ),
        },
    )


@cache_control(private=True, max_age=60)
def indicator_chart(request, pk: int):
    indicator = _indicator(request, pk)
    values = indicator_values.period_values(indicator, timezone.localdate())
    return HttpResponse(charts.indicator_chart(indicator, values), content_type="image/svg+xml")


class IndicatorCreateView(ProgramContentFormView):
    form_class = IndicatorForm
    template_name = "programs/indicator_form.html"
    success_message = gettext_lazy("Indicator saved.")
    indicator = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "program": self.program,
            "indicator": self.indicator,
        }

    def perform(self, form):
        return services.indicator_create(
            actor=self.request.user, program=self.program, data=form.service_data()
        )


class IndicatorUpdateView(IndicatorCreateView):
    def get_program(self, request, pk):
        self.indicator = _indicator(request, pk)
        return self.indicator.program

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": Indicator.objects.get(pk=self.indicator.pk),
        }

    def perform(self, form):
        return services.indicator_update(
            actor=self.request.user, indicator=self.indicator, data=form.service_data()
        )


def _indicator_period(request, pk: int, period: int) -> tuple[Indicator, ReportingPeriod]:
    indicator = _indicator(request, pk)
    return indicator, get_object_or_404(
        ReportingPeriod.objects.select_related("locked_by"),
        pk=period,
        program_id=indicator.program_id,
    )


class IndicatorValueSetView(ServiceFormView):
    form_class = IndicatorValueForm
    template_name = "programs/indicatorvalue_form.html"
    success_message = gettext_lazy("Value saved.")

    def dispatch(self, request, *args, **kwargs):
        self.indicator, self.period = _indicator_period(request, kwargs["pk"], kwargs["period"])
        if self.indicator.is_computed:
            raise Http404
        if not permissions.can_manage_program(request.user, self.indicator.program):
            raise PermissionDenied
        self.current = IndicatorValue.objects.filter(
            indicator=self.indicator, period=self.period
        ).first()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.current is None:
            return {}
        return {
            "value": self.current.value,
            "source": self.current.source,
            "note": self.current.note,
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "indicator": self.indicator,
            "period": self.period,
        }

    def perform(self, form):
        services.indicator_value_set(
            actor=self.request.user,
            indicator=self.indicator,
            period=self.period,
            value=form.cleaned_data["value"],
            source=form.cleaned_data["source"],
            note=form.cleaned_data["note"],
        )
        return self.indicator


# How many of the enterprises or activities behind a computed value a page lists.
BEHIND_LIMIT = 500


def indicatorvalue_detail(request, pk: int, period: int):
    """One period's value: for a computed indicator its rule and the rows behind it; for an
    entered one its source, its report and its history."""
    indicator, period = _indicator_period(request, pk, period)
    context = {"indicator": indicator, "period": period, "program": indicator.program}
    if indicator.is_computed:
        result = indicator_values.compute_period(indicator, period).result
        context["rule"] = RULES[indicator.rule]
        context["value"] = result.value
        if result.enterprises is not None:
            enterprises = result.enterprises.select_related("zone").order_by("name")
            context["enterprises"] = enterprises[:BEHIND_LIMIT]
            context["behind_count"] = enterprises.count()
        if result.activities is not None:
            activities = result.activities.order_by("held_on")
            context["activities"] = activities[:BEHIND_LIMIT]
            context["behind_count"] = activities.count()
    else:
        entered = (
            IndicatorValue.objects.filter(indicator=indicator, period=period)
            .select_related("report__task__area", "report__unit", "recorded_by")
            .first()
        )
        context["entered"] = entered
        context["value"] = entered.value if entered else None
        context["entries"] = (
            AuditEntry.objects.for_object(entered).select_related("actor") if entered else []
        )
        context["can_enter"] = permissions.can_manage_program(request.user, indicator.program)
    context["behind_limit"] = BEHIND_LIMIT
    return render(request, "programs/indicatorvalue_detail.html", context)


# --- Activities -------------------------------------------------------------------------------


class ActivityListView(PagedTableMixin, FilterView):
    template_name = "programs/activity_list.html"
    filterset_class = ActivityFilterSet
    table_class = ActivityTable

    def get_queryset(self):
        return Activity.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("organisers", queryset=Unit.objects.order_by("name"))
        )

    def get_context_data(self, **kwargs):
        programs = [
            p
            for p in Program.objects.visible_to(self.request.user).filter(
                status=ProgramStatus.ACTIVE
            )
            if permissions.can_record_activities(self.request.user, p)
        ]
        return {**super().get_context_data(**kwargs), "record_in": programs}


def activity_detail(request, pk: int):
    activity = _activity(request, pk)
    return render(
        request,
        "programs/activity_detail.html",
        {
            "activity": activity,
            "program": activity.program,
            "participants": [
                (Activity._meta.get_field(f).verbose_name, getattr(activity, f))
                for f in PARTICIPANT_FIELDS
            ],
            "organisers": activity.organisers.all(),
            "tasks": activity.tasks.select_related("area"),
            "zones": activity.zones.all(),
            "enterprises": activity.enterprises.select_related("zone"),
            "attachments": activity.attachments.all(),
            "can_edit": permissions.can_edit_activity(request.user, activity),
        },
    )


class ActivityCreateView(ServiceFormView):
    form_class = ActivityForm
    template_name = "programs/activity_form.html"
    success_message = gettext_lazy("Activity saved.")
    activity = None

    def dispatch(self, request, *args, **kwargs):
        self.program = self.get_program(request, kwargs["pk"])
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_program(self, request, pk):
        return _program(request, pk)

    def allowed(self, user) -> bool:
        return permissions.can_record_activities(user, self.program)

    def get_initial(self):
        unit = self.request.user.unit
        return {"organisers": [unit] if unit and unit.body_id in self.program.party_ids else []}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "program": self.program,
            "activity": self.activity,
        }

    def perform(self, form):
        return services.activity_create(
            actor=self.request.user, program=self.program, data=form.cleaned_data
        )


class ActivityUpdateView(ActivityCreateView):
    def get_program(self, request, pk):
        self.activity = _activity(request, pk)
        return self.activity.program

    def allowed(self, user) -> bool:
        return permissions.can_edit_activity(user, self.activity)

    def get_initial(self):
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Activity.objects.get(pk=self.activity.pk)}

    def perform(self, form):
        return services.activity_update(
            actor=self.request.user, activity=self.activity, data=form.cleaned_data
        )


def activity_history(request, pk: int):
    activity = _activity(request, pk)
    attachment_ids = [str(i) for i in activity.attachments.values_list("id", flat=True)]
    entries = AuditEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Activity), object_id=str(activity.pk))
        | Q(
            content_type=ContentType.objects.get_for_model(Attachment), object_id__in=attachment_ids
        )
    )
    return object_history(request, activity, entries)


# --- What is due ------------------------------------------------------------------------------


def _order(deadline) -> tuple:
    rank = {OVERDUE: 0, DUE_SOON: 1}.get(deadline.state, 2)
    day = deadline.first_overdue or deadline.next_due
    return (rank, day is None, day or timezone.localdate(), deadline.task.code)


def my_work(request):
    """A unit's work (the user's own unit, or one a coordinator or administrator picks; a body
    stands for all its departments): its tasks with what is due, its drafts and returned
    reports, and the reports waiting for the user's sign-off."""
    user = request.user
    today = timezone.localdate()
    if user.is_admin:
        units = Unit.objects.order_by("body_id", "parent_id", "name")
    elif user.is_coordinator:
        units = Unit.objects.filter(body_id=user.unit.body_id).order_by("parent_id", "name")
    else:
        units = Unit.objects.filter(pk=user.unit_id)
    form = UnitChoiceForm(request.GET or None, units=units, initial={"unit": user.unit})
    unit = form.cleaned_data.get("unit") if form.is_valid() else None
    unit = unit or user.unit
    ids = sorted(unit.descendant_ids()) if unit else []
    visible = Task.objects.visible_to(user).select_related("area__program", "lead_unit")
    tasks = list(visible.involving(*ids).prefetch_related("supporting_units")) if ids else []
    mine = list(visible.filter(responsible=user).exclude(pk__in=[t.pk for t in tasks]))
    deadlines = deadlines_for(tasks + mine, today)
    reports = ProgressReport.objects.visible_to(user).select_related(
        "task__area", "unit", "period", "reviewed_by"
    )
    awaiting = permissions.acknowledgeable_reports(user, reports)
    return render(
        request,
        "programs/my_work.html",
        {
            "form": form,
            "unit": unit,
            # A department's reports are written for it; for a body the report page picks the
            # user's first unit in the task.
            "report_unit": unit if unit and unit.parent_id else None,
            "tasks": sorted((deadlines[t.pk] for t in tasks), key=_order),
            "responsible": sorted((deadlines[t.pk] for t in mine), key=_order),
            "returned": reports.filter(unit_id__in=ids, status=ReportStatus.RETURNED),
            "drafts": reports.filter(unit_id__in=ids, status=ReportStatus.DRAFT),
            "awaiting": awaiting,
            "today": today,
        },
    )


def due_list(request):
    """Overdue and due-soon tasks of the user's active programs."""
    today = timezone.localdate()
    tasks = (
        Task.objects.visible_to(request.user)
        .filter(area__program__status=ProgramStatus.ACTIVE)
        .open()
        .select_related("area__program", "lead_unit", "responsible")
    )
    deadlines = sorted(deadlines_for(tasks, today).values(), key=_order)
    return render(
        request,
        "programs/due_list.html",
        {
            "overdue": [d for d in deadlines if d.state == OVERDUE],
            "due_soon": [d for d in deadlines if d.state == DUE_SOON],
            "today": today,
        },
    )
