"""Import pages: upload, the dry-run preview with every error, mapping, commit, undo."""

from __future__ import annotations

import datetime
import io
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateField
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.core import progress
from sinergi.core.forms import add_service_errors
from sinergi.core.spreadsheets import csv_chunks, write_xlsx
from sinergi.imports import services, tasks
from sinergi.imports.columns import targets
from sinergi.imports.forms import MappingForm, TemplateForm, UploadForm
from sinergi.imports.messages import readable, readable_all
from sinergi.imports.models import BatchStatus, ImportBatch
from sinergi.imports.permissions import batches_visible_to
from sinergi.imports.reading import read_table
from sinergi.registry.exporting import enterprise_header
from sinergi.registry.models import Enterprise, Figure, OrganisationType, Zone

# Batches with more changed rows than this are not checked for later changes at every page view.
PAGE_CHECK_LIMIT = 5000


def _batch(request, pk: int) -> ImportBatch:
    return get_object_or_404(batches_visible_to(request.user), pk=pk)


def _enqueue_check(batch: ImportBatch) -> None:
    # The database task queue stores the job in this same transaction: the worker sees it only
    # once the batch it refers to is committed.
    tasks.check_batch.enqueue(batch.pk)


def batch_list(request):
    """The upload form and the batches this person may see."""
    can_import = services.can_import(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        if form.is_valid():
            try:
                with transaction.atomic():
                    batch = services.batch_upload(
                        actor=request.user,
                        upload=form.cleaned_data["file"],
                        report_date=form.cleaned_data["report_date"],
                        template=form.cleaned_data["template"],
                    )
                    _enqueue_check(batch)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_service_errors(form, error)
                else:
                    form.add_error("file", error)
            else:
                return redirect(batch)
    # The list shows counts and status: the report and what undo needs (megabytes for a large
    # file) stay in the database.
    batches = (
        batches_visible_to(request.user)
        .select_related("created_by")
        .defer("report", "undo_data")[:100]
    )
    return render(
        request,
        "imports/importbatch_list.html",
        {"form": form, "batches": batches, "can_import": can_import},
    )


def batch_detail(request, pk: int):
    batch = _batch(request, pk)
    types = list(OrganisationType.objects.all())
    report = batch.report or {}
    choices = [(code, target.label) for code, target in targets(types).items()]
    labels = dict(choices)  # the findings' columns and messages are said in the reader's language
    mapping_form = MappingForm(
        headers=report.get("headers", []),
        mapping=report.get("mapping", {}),
        choices=choices,
        initial={"report_date": batch.report_date},
    )
    errors = report.get("errors", [])
    rows_with_errors = len({e["row"] for e in errors if e["row"]})
    preview_rows = report.get("preview", []) if batch.status == BatchStatus.CHECKED else []
    context = {
        "batch": batch,
        "report": report,
        "counts": batch.counts,
        "errors": readable_all(errors[:1000], labels),
        "errors_hidden": max(0, len(errors) - 1000),
        "rows_with_errors": rows_with_errors,
        "has_file_errors": any(not e["row"] for e in errors),
        "warnings": readable_all(report.get("warnings", [])[:500], labels),
        "skipped": report.get("skipped", []),
        "mapping_form": mapping_form,
        "template_form": TemplateForm(),
        "can_act": services.can_act_on_batch(request.user, batch),
        "progress": progress.percent(f"import-{batch.pk}"),
        "preview": readable_preview(preview_rows, types),
        "preview_total": batch.counts.get("created", 0) + batch.counts.get("updated", 0),
        # Checked on the page only for batches small enough to check at every view; for a large
        # one the undo itself checks and, if it must refuse, lists the enterprises.
        "later_changes": (
            services.later_changes(batch)[:20]
            if batch.status == BatchStatus.COMMITTED
            and (batch.counts.get("created", 0) + batch.counts.get("updated", 0))
            <= PAGE_CHECK_LIMIT
            else []
        ),
    }
    return render(request, "imports/importbatch_detail.html", context)


def readable_preview(rows: list[dict], types: list[OrganisationType]) -> list[dict]:
    """The stored preview in the reader's language: field names, choice labels, zone names,
    dates; numbers stay numbers for the template to format."""
    zone_ids = {
        value
        for row in rows
        for key, *values in row["changes"]
        if key == "zone"
        for value in values
        if value
    }
    zones = {z.pk: str(z) for z in Zone.objects.filter(pk__in=zone_ids)}
    type_names = {t.code: str(t.name) for t in types}

    def label(key: str) -> str:
        if key.startswith("figure:"):
            return str(Figure._meta.get_field(key[7:]).verbose_name)
        if key.startswith("org:"):
            return type_names.get(key[4:], key[4:])
        try:
            return str(Enterprise._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            return key

    def shown(key: str, value):
        if value is None or value == "" or value == []:
            return None
        if key == "zone":
            return zones.get(value, value)
        if key.startswith("org:"):
            return _("to be founded")
        if key.startswith("figure:"):
            return value
        try:
            model_field = Enterprise._meta.get_field(key)
        except FieldDoesNotExist:
            return value
        if model_field.choices:
            return dict(model_field.flatchoices).get(value, value)
        if isinstance(model_field, DateField) and isinstance(value, str):
            return datetime.date.fromisoformat(value)
        if isinstance(value, list):
            return ", ".join(map(str, value))
        return value

    readable = []
    for row in rows:
        changes = [
            {"label": label(key), "before": shown(key, before), "after": shown(key, after)}
            for key, before, after in row["changes"]
        ]
        readable.append({**row, "changes": changes})
    return readable


@require_POST
def batch_configure(request, pk: int):
    batch = _batch(request, pk)
    report = batch.report or {}
    types = list(OrganisationType.objects.all())
    form = MappingForm(
        request.POST,
        headers=report.get("headers", []),
        mapping=report.get("mapping", {}),
        choices=[(c, t.label) for c, t in targets(types).items()],
    )
    if form.is_valid():
        try:
            with transaction.atomic():
                services.batch_configure(
                    actor=request.user,
                    batch=batch,
                    columns=form.columns(),
                    report_date=form.cleaned_data["report_date"],
                )
                _enqueue_check(batch)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file is being checked again with your changes."))
    else:
        messages.error(request, _("The mapping could not be read."))
    return redirect(batch)


@require_POST
def batch_commit(request, pk: int):
    batch = _batch(request, pk)
    only_valid = request.POST.get("only_valid") == "1"
    try:
        with transaction.atomic():
            services.batch_request_commit(actor=request.user, batch=batch, only_valid=only_valid)
            tasks.commit_batch.enqueue(batch.pk, request.user.pk, getattr(request, "id", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(batch)


@require_POST
def batch_undo(request, pk: int):
    batch = _batch(request, pk)
    try:
        services.batch_undo(actor=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The import has been undone."))
    return redirect(batch)


@require_POST
def template_save(request, pk: int):
    batch = _batch(request, pk)
    form = TemplateForm(request.POST)
    if form.is_valid():
        try:
            template = services.template_save(
                actor=request.user, batch=batch, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Template “%(name)s” saved.") % {"name": template.name})
    return redirect(batch)


def error_file(request, pk: int):
    """The uploaded rows back as XLSX with an error column, so they can be corrected in place;
    the errors in the reader's language."""
    batch = _batch(request, pk)
    with batch.file.open("rb") as stream:
        table = read_table(stream, batch.kind)
    labels = {
        code: target.label for code, target in targets(OrganisationType.objects.all()).items()
    }
    by_row: dict[int, list[str]] = defaultdict(list)
    for kept in (batch.report or {}).get("errors", []):
        error = readable(kept, labels)
        column = f"{error['column']}: " if error["column"] else ""
        by_row[error["row"]].append(f"{column}{error['message']}")
    width = max((len(r) for r in table.rows), default=0)
    header_row = (batch.report or {}).get("header_row")
    rows = [
        [
            *row,
            *[""] * (width - len(row)),
            _("Errors") if number == header_row else "; ".join(by_row.get(number, [])),
        ]
        for number, row in enumerate(table.rows, start=1)
    ]
    buffer = io.BytesIO()
    write_xlsx(buffer, None, rows, sheet=table.sheet or "Sinergi")
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stem = batch.file_name.rsplit(".", 1)[0]
    response["Content-Disposition"] = f'attachment; filename="{stem}-errors.xlsx"'
    return response


def blank_template(request, fmt: str):
    """An empty list with the headers the import recognises, in the user's language."""
    header = enterprise_header(list(OrganisationType.objects.all()))
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(buffer, header, [], title=_("Enterprises"))
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            "".join(csv_chunks(header, [])), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="sinergi-enterprises.{fmt}"'
    return response
