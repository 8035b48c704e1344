"""Review pages: thin views over the services and the report builder.

Reviews outside the user's programs answer 404; pages the user may read but not change, 403.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from sinergi.core.forms import add_service_errors
from sinergi.core.models import AuditEntry
from sinergi.core.text import search_key
from sinergi.core.views import ServiceFormView, object_history
from sinergi.programs.models import Program
from sinergi.programs.views import PagedTableMixin
from sinergi.reviews import documents, services, writers
from sinergi.reviews.choices import ContributionKind, FileFormat
from sinergi.reviews.filtersets import ReviewFilterSet
from sinergi.reviews.forms import (
    AttendeeForm,
    ConclusionForm,
    ContributionForm,
    DocumentSetupForm,
    DownloadForm,
    IssueForm,
    ReviewCreateForm,
    ReviewForm,
    VersionForm,
)
from sinergi.reviews.models import (
    Attendee,
    Contribution,
    DocumentSetup,
    ReportVersion,
    Review,
)
from sinergi.reviews.permissions import (
    attendees_visible_to,
    can_manage_review,
    can_manage_reviews_of,
    contributions_visible_to,
    programs_reviewable_by,
    report_files_visible_to,
    reviews_visible_to,
    versions_visible_to,
)
from sinergi.reviews.tables import ReviewTable

# --- Lookups that answer 404 outside the user's programs --------------------------------------


def _review(request, pk: int) -> Review:
    return get_object_or_404(reviews_visible_to(request.user).select_related("program"), pk=pk)


def _managed(request, review: Review) -> Review:
    if not can_manage_review(request.user, review):
        raise PermissionDenied
    return review


def _version(request, pk: int) -> ReportVersion:
    return get_object_or_404(
        versions_visible_to(request.user).select_related(
            "review__program", "created_by", "finalised_by"
        ),
        pk=pk,
    )


def _show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Reviews ----------------------------------------------------------------------------------


class ReviewListView(PagedTableMixin, FilterView):
    template_name = "reviews/review_list.html"
    filterset_class = ReviewFilterSet
    table_class = ReviewTable

    def get_queryset(self):
        return reviews_visible_to(self.request.user).select_related("program")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "can_create": bool(programs_reviewable_by(self.request.user)),
        }


class ReviewCreateView(ServiceFormView):
    form_class = ReviewCreateForm
    template_name = "reviews/review_form.html"
    success_message = gettext_lazy("Review saved.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.programs = programs_reviewable_by(request.user)
        if not self.programs:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["programs"] = Program.objects.filter(pk__in=[p.pk for p in self.programs])
        wanted = self.request.GET.get("program")
        if wanted and wanted.isdigit():
            kwargs.setdefault("initial", {})["program"] = int(wanted)
        return kwargs

    def perform(self, form):
        data = dict(form.cleaned_data)
        program = data.pop("program")
        return services.review_create(actor=self.request.user, program=program, data=data)


class ReviewUpdateView(ServiceFormView):
    form_class = ReviewForm
    template_name = "reviews/review_form.html"
    success_message = gettext_lazy("Review saved.")

    def dispatch(self, request, *args, **kwargs):
        self.review = _managed(request, _review(request, kwargs["pk"]))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Review.objects.get(pk=self.review.pk)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "review": self.review}

    def perform(self, form):
        return services.review_update(
            actor=self.request.user, review=self.review, data=form.cleaned_data
        )


def review_detail(request, pk: int):
    review = _review(request, pk)
    contributions = list(
        review.contributions.select_related("speaker", "unit", "area", "task__area")
    )
    kinds = dict(ContributionKind.choices)
    grouped = [
        {"kind": kind, "label": kinds[kind], "items": [c for c in contributions if c.kind == kind]}
        for kind in ContributionKind.values
    ]
    previous = review.previous()
    follow_ups = (
        [c for c in previous.conclusions.select_related("owner_unit", "task") if c.is_follow_up]
        if previous
        else []
    )
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "can_manage": can_manage_review(request.user, review),
            "attendees": review.attendees.select_related("unit"),
            "groups": [g for g in grouped if g["items"]],
            "contribution_count": len(contributions),
            "conclusions": review.conclusions.select_related("owner_unit", "task__area", "area"),
            "previous": previous,
            "follow_ups": follow_ups,
            "versions": review.versions.select_related("created_by", "finalised_by"),
            "issued": review.versions.filter(issued_at__isnull=False)
            .select_related("issued_by", "finalised_by")
            .prefetch_related("files")
            .first(),
            "report_languages": LANGUAGE_CHOICES,
        },
    )


LANGUAGE_CHOICES = (("id", "Bahasa Indonesia"), ("vi", "Tiếng Việt"), ("en", "English"))


def review_history(request, pk: int):
    review = _review(request, pk)
    children = Q()
    for model, ids in (
        (Attendee, review.attendees.values_list("pk", flat=True)),
        (ReportVersion, review.versions.values_list("pk", flat=True)),
        (Contribution, review.contributions.values_list("pk", flat=True)),
    ):
        children |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(i) for i in ids],
        )
    entries = AuditEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Review), object_id=str(review.pk))
        | children
    )
    return object_history(request, review, entries)


# --- Attendees --------------------------------------------------------------------------------


class ReviewPartFormView(ServiceFormView):
    """A form that adds to (or changes part of) a review its managers manage."""

    template_name = "reviews/part_form.html"
    heading = ""
    anchor = ""

    def dispatch(self, request, *args, **kwargs):
        self.review = _managed(request, self.get_review(request, kwargs["pk"]))
        return super().dispatch(request, *args, **kwargs)

    def get_review(self, request, pk):
        return _review(request, pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "review": self.review}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "review": self.review,
            "heading": self.heading,
            "cancel": self.review.get_absolute_url() + self.anchor,
        }


class AttendeeCreateView(ReviewPartFormView):
    form_class = AttendeeForm
    heading = gettext_lazy("Add an attendee")
    anchor = "#attendees"
    success_message = gettext_lazy("Attendee saved.")

    def perform(self, form):
        return services.attendee_add(
            actor=self.request.user, review=self.review, data=form.cleaned_data
        )


class AttendeeUpdateView(AttendeeCreateView):
    heading = gettext_lazy("Edit an attendee")

    def get_review(self, request, pk):
        self.attendee = get_object_or_404(attendees_visible_to(request.user), pk=pk)
        return self.attendee.review

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Attendee.objects.get(pk=self.attendee.pk)}

    def perform(self, form):
        return services.attendee_update(
            actor=self.request.user, attendee=self.attendee, data=form.cleaned_data
        )


# --- Contributions ----------------------------------------------------------------------------


def contribution_capture(request, pk: int):
    """The capture page: pick speaker, type and area, type the text; the script autosaves.
    Without the script the form posts here and the next one starts."""
    review = _managed(request, _review(request, pk))
    if request.method == "POST":
        form = ContributionForm(request.POST, review=review)
        if form.is_valid():
            try:
                services.contribution_save(
                    actor=request.user,
                    review=review,
                    data=form.cleaned_data,
                    client_key=request.POST.get("client_key", ""),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Contribution saved."))
                return redirect("reviews:contribution_capture", pk=review.pk)
    else:
        form = ContributionForm(review=review, initial={"kind": ContributionKind.RESULT})
    return render(
        request,
        "reviews/contribution_capture.html",
        {
            "review": review,
            "form": form,
            "client_key": uuid.uuid4().hex,
            "contributions": review.contributions.select_related("speaker", "unit").order_by(
                "-created_at", "-id"
            ),
        },
    )


@require_POST
def contribution_autosave(request, pk: int):
    """The capture page's autosave: JSON in answer, the same service behind it."""
    review = _review(request, pk)
    if not can_manage_review(request.user, review):
        return JsonResponse({"ok": False, "errors": {"__all__": [_("Not allowed.")]}}, status=403)
    form = ContributionForm(request.POST, review=review)
    if not form.is_valid():
        return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
    try:
        contribution = services.contribution_save(
            actor=request.user,
            review=review,
            data=form.cleaned_data,
            client_key=request.POST.get("client_key", ""),
        )
    except ValidationError as error:
        return JsonResponse({"ok": False, "errors": {"__all__": error.messages}}, status=400)
    return JsonResponse(
        {
            "ok": True,
            "id": contribution.pk,
            "kind": contribution.get_kind_display(),
            "speaker": contribution.speaker_label,
            "saved_at": timezone.localtime(contribution.updated_at).strftime("%H:%M:%S"),
        }
    )


class ContributionUpdateView(ReviewPartFormView):
    form_class = ContributionForm
    heading = gettext_lazy("Edit a contribution")
    anchor = "#contributions"
    success_message = gettext_lazy("Contribution saved.")

    def get_review(self, request, pk):
        self.contribution = get_object_or_404(contributions_visible_to(request.user), pk=pk)
        return self.contribution.review

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": Contribution.objects.get(pk=self.contribution.pk),
        }

    def perform(self, form):
        return services.contribution_save(
            actor=self.request.user,
            review=self.review,
            data=form.cleaned_data,
            contribution=self.contribution,
        )


@require_POST
def contribution_delete(request, pk: int):
    contribution = get_object_or_404(contributions_visible_to(request.user), pk=pk)
    review = _managed(request, contribution.review)
    services.contribution_delete(actor=request.user, contribution=contribution)
    messages.success(request, _("Contribution removed."))
    return redirect(review.get_absolute_url() + "#contributions")


# --- Conclusions ------------------------------------------------------------------------------


class ConclusionCreateView(ReviewPartFormView):
    form_class = ConclusionForm
    heading = gettext_lazy("Add a conclusion")
    anchor = "#conclusions"
    success_message = gettext_lazy("Conclusion saved.")

    def perform(self, form):
        return services.conclusion_add(
            actor=self.request.user, review=self.review, data=form.cleaned_data
        )


# --- Report versions --------------------------------------------------------------------------


@require_POST
def version_create(request, pk: int):
    review = _managed(request, _review(request, pk))
    try:
        version = services.version_create(actor=request.user, review=review)
    except ValidationError as error:
        _show_errors(request, error)
        return redirect(review.get_absolute_url() + "#report")
    messages.success(request, _("Draft %(number)d made.") % {"number": version.number})
    return redirect(version.get_absolute_url())


def version_detail(request, pk: int):
    version = _version(request, pk)
    return render(
        request,
        "reviews/version_detail.html",
        {
            "version": version,
            "review": version.review,
            "can_manage": can_manage_review(request.user, version.review),
            "report_languages": LANGUAGE_CHOICES,
            "files": version.files.select_related("added_by"),
        },
    )


class VersionUpdateView(ServiceFormView):
    form_class = VersionForm
    template_name = "reviews/version_form.html"
    success_message = gettext_lazy("Report text saved.")

    def dispatch(self, request, *args, **kwargs):
        self.version = _version(request, kwargs["pk"])
        _managed(request, self.version.review)
        if self.version.is_final:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": ReportVersion.objects.get(pk=self.version.pk),
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "version": self.version,
            "review": self.version.review,
        }

    def perform(self, form):
        return services.version_update(
            actor=self.request.user, version=self.version, data=form.cleaned_data
        )


@require_POST
def version_finalise(request, pk: int):
    version = _version(request, pk)
    _managed(request, version.review)
    try:
        services.version_finalise(actor=request.user, version=version)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("The report is final; the periods it covers are locked."))
    return redirect(version.get_absolute_url())


def _file_response(document, fmt: str, name: str) -> HttpResponse:
    if fmt not in FileFormat.values:
        raise Http404
    response = HttpResponse(writers.render(document, fmt), content_type=writers.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _file_stem(review: Review) -> str:
    """An ASCII file name from the title: "hoi-nghi-so-ket-1-nam-..." for Vietnamese too."""
    return slugify(search_key(review.title))[:50].strip("-") or "review"


def _language(request) -> str:
    form = DownloadForm(request.GET)
    return form.language(translation.get_language()[:2])


def version_download(request, pk: int, fmt: str):
    """The report of a version as DOCX or PDF, in the language asked for (?lang=vi)."""
    version = _version(request, pk)
    language = _language(request)
    name = f"{_file_stem(version.review)}-v{version.number}-{language}"
    return _file_response(documents.report(version, language), fmt, name)


def minutes_download(request, pk: int, fmt: str):
    """The minutes of the conference as DOCX or PDF."""
    review = _review(request, pk)
    language = _language(request)
    name = f"{_file_stem(review)}-minutes-{language}"
    return _file_response(documents.minutes(review, language), fmt, name)


# --- Issuing ----------------------------------------------------------------------------------


class VersionIssueView(ServiceFormView):
    """Issue the final report with its number, date and the scan of the signed paper."""

    form_class = IssueForm
    template_name = "reviews/version_issue.html"
    success_message = gettext_lazy("The report is issued; it can no longer change.")

    def dispatch(self, request, *args, **kwargs):
        self.version = _version(request, kwargs["pk"])
        _managed(request, self.version.review)
        if not self.version.is_final or self.version.is_issued:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        review = self.version.review
        return {"issued_number": review.number, "issued_on": review.held_on, "language": "vi"}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "version": self.version,
            "review": self.version.review,
        }

    def perform(self, form):
        data = dict(form.cleaned_data)
        scan = data.pop("scan")
        return services.version_issue(
            actor=self.request.user, version=self.version, data=data, scan=scan
        )


def report_file_download(request, pk: int):
    """A file of an issued report (generated or the signed scan), as it was kept."""
    item = get_object_or_404(report_files_visible_to(request.user), pk=pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename)


class DocumentSetupUpdateView(ServiceFormView):
    """The heading, signatories and recipients of a program's report and minutes."""

    form_class = DocumentSetupForm
    template_name = "reviews/documentsetup_form.html"
    success_message = gettext_lazy("Document form saved.")

    def dispatch(self, request, *args, **kwargs):
        self.program = get_object_or_404(Program.objects.visible_to(request.user), pk=kwargs["pk"])
        if not can_manage_reviews_of(request.user, self.program):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        setup = DocumentSetup.objects.filter(program=self.program).first()
        if setup is None:
            form = documents.form_of(self.program)
            setup = DocumentSetup(program=self.program, **form)
            setup.recipients = []
        return {**super().get_form_kwargs(), "instance": setup}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "program": self.program}

    def perform(self, form):
        return services.document_setup_save(
            actor=self.request.user,
            program=self.program,
            data={key: form.cleaned_data[key] for key in services.SETUP_FIELDS},
        )
