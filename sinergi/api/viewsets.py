"""The REST API: one viewset per model. Reads are scoped like the pages (`visible_to`), so an
object out of the user's scope is 404; writes call the pages' service functions, so a refused
write is 403 and a rule broken is 400 with the message at its field."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, routers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.accounts.filtersets import AuditEntryFilterSet
from sinergi.api import serializers as s
from sinergi.api.filters import described
from sinergi.api.pagination import VersionedCountPagination
from sinergi.core import concurrency
from sinergi.core.models import AuditEntry
from sinergi.core.services import require
from sinergi.imports import permissions as import_permissions
from sinergi.imports.models import ImportBatch
from sinergi.insight.filtersets import GapFilterSet
from sinergi.insight.gaps import gap_queryset
from sinergi.insight.models import Gap
from sinergi.programs import permissions as program_permissions
from sinergi.programs import services as program_services
from sinergi.programs.filtersets import (
    ActivityFilterSet,
    ProgramFilterSet,
    ProgressReportFilterSet,
    TaskFilterSet,
)
from sinergi.programs.models import (
    Activity,
    Area,
    Indicator,
    IndicatorValue,
    Program,
    ProgressReport,
    ReportingPeriod,
    Task,
)
from sinergi.registry import permissions as registry_permissions
from sinergi.registry import services as registry_services
from sinergi.registry.choices import FIGURE_FIELDS, FIGURE_FLAGS
from sinergi.registry.filtersets import EnterpriseFilterSet
from sinergi.registry.models import (
    Enterprise,
    Figure,
    Organisation,
    OrganisationOfficer,
    OrganisationType,
    Zone,
)
from sinergi.reviews import permissions as review_permissions
from sinergi.reviews import services as review_services
from sinergi.reviews.filtersets import ReviewFilterSet
from sinergi.reviews.models import (
    Attendee,
    Conclusion,
    Contribution,
    ReportFile,
    ReportVersion,
    Review,
)


class LoginNotRequiredMixin:
    """The site's LoginRequiredMiddleware would send API clients to the login page; the API
    answers 401/403 itself (DRF's authentication and permission classes)."""

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))


def visible_programs(user):
    return Program.objects.visible_to(user)


def edits_some_zone(user) -> bool:
    return registry_permissions.can_edit_enterprises_in(user, None)


def manages_programs(user) -> bool:
    return program_permissions.can_create_program(user)


def reports_or_records(user) -> bool:
    return program_permissions.may_report_or_record(user)


class ScopedQuerysetMixin:
    """`scoped(user)`: the rows the user may read, as the pages scope them."""

    model = None
    # Applied after the filters: some filter methods iterate the rows, which a prefetch forbids.
    prefetch: tuple[str, ...] = ()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.prefetch_related(*self.prefetch) if self.prefetch else queryset

    def scoped(self, user):
        return self.model.objects.all()

    def get_queryset(self):
        if self.model is None:  # a `queryset` every signed-in user may read
            return super().get_queryset()
        if getattr(self, "swagger_fake_view", False):  # the schema generator's request
            return self.model.objects.none()
        return self.scoped(self.request.user)


class ReadOnlyViewSet(LoginNotRequiredMixin, ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ServiceViewSet(
    LoginNotRequiredMixin,
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create (POST) and change (PATCH) through service functions. Nothing is
    deleted through the API: the services keep history instead."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    # Coarse rights checked before the input is read, so a read-only user is told 403 rather
    # than what is wrong with their data; the service checks the exact right again.
    def can_create(self, user) -> bool:
        return True

    def can_change(self, user, obj) -> bool:
        return True

    def service_create(self, data: dict):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def service_update(self, obj, data: dict):  # pragma: no cover
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        require(self.can_create(request.user))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.service_create(dict(serializer.validated_data))
        # Read back through the scope; a write may leave it (then the object as written).
        obj = self.get_queryset().filter(pk=obj.pk).first() or obj
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        response = Response(self.get_serializer(obj).data)
        response["ETag"] = concurrency.etag(obj)
        return response

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        require(self.can_change(request.user, obj))
        serializer = self.get_serializer(obj, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            # The version the client started from (If-Match, the ETag it read) must still be
            # the stored one, checked and written under the row's lock.
            concurrency.lock(obj)
            if not concurrency.if_match_allows(
                request.headers.get("If-Match"), concurrency.etag(obj)
            ):
                raise PreconditionFailed
            obj = self.service_update(obj, dict(serializer.validated_data))
        obj = self.get_queryset().filter(pk=obj.pk).first() or obj
        response = Response(self.get_serializer(obj).data)
        response["ETag"] = concurrency.etag(obj)
        return response


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "This object has changed since you read it (If-Match names another version). "
        "Read it again and re-apply your change."
    )
    default_code = "precondition_failed"


def _unchanged(obj, data: dict, *fields: str) -> dict:
    """Drop fields that cannot change after creation, refusing a different value."""
    for field in fields:
        if field in data:
            value = data.pop(field)
            if getattr(value, "pk", value) != getattr(obj, f"{field}_id"):
                raise ValidationError({field: _("This cannot change once created.")})
    return data


# --- Registry ---------------------------------------------------------------------------------


class ZoneViewSet(ServiceViewSet):
    serializer_class = s.ZoneSerializer
    queryset = Zone.objects.all()
    filterset_fields = ["kind", "parent", "status", "managing_unit"]

    def can_create(self, user):
        return registry_permissions.can_manage_zones(user)

    def can_change(self, user, obj):
        return registry_permissions.can_manage_zones(user)

    def service_create(self, data):
        return registry_services.zone_create(actor=self.request.user, data=data)

    def service_update(self, obj, data):
        return registry_services.zone_update(actor=self.request.user, zone=obj, data=data)


class EnterpriseViewSet(ServiceViewSet):
    serializer_class = s.EnterpriseSerializer
    queryset = Enterprise.objects.all()
    pagination_class = VersionedCountPagination
    filterset_class = described(
        EnterpriseFilterSet,
        has=OpenApiTypes.STR,
        lacks=OpenApiTypes.STR,
        workforce=OpenApiTypes.STR,
    )

    def can_create(self, user):
        return edits_some_zone(user)

    def can_change(self, user, obj):
        return registry_permissions.can_edit_enterprise(user, obj)

    def service_create(self, data):
        return registry_services.enterprise_create(actor=self.request.user, data=data)

    def service_update(self, obj, data):
        return registry_services.enterprise_update(
            actor=self.request.user, enterprise=obj, data=data
        )


class OrganisationViewSet(ServiceViewSet):
    serializer_class = s.OrganisationSerializer
    queryset = Organisation.objects.all()
    filterset_fields = ["enterprise", "type", "level"]

    def can_create(self, user):
        return edits_some_zone(user)

    def can_change(self, user, obj):
        return registry_permissions.can_edit_enterprise(user, obj.enterprise)

    def service_create(self, data):
        enterprise = data.pop("enterprise")
        return registry_services.organisation_create(
            actor=self.request.user, enterprise=enterprise, data=data
        )

    def service_update(self, obj, data):
        data = _unchanged(obj, data, "enterprise")
        return registry_services.organisation_update(
            actor=self.request.user, organisation=obj, data=data
        )


class FigureViewSet(ServiceViewSet):
    """The current version of each enterprise's figures per reporting date. Recording figures
    for a date that has some supersedes them (the old version stays in the history)."""

    serializer_class = s.FigureSerializer
    queryset = Figure.objects.known_at(None)
    filterset_fields = {"enterprise": ["exact"], "as_of": ["exact", "gte", "lte"]}
    http_method_names = ["get", "post", "head", "options"]

    def can_create(self, user):
        return edits_some_zone(user)

    def service_create(self, data):
        return registry_services.figure_record(
            actor=self.request.user,
            enterprise=data["enterprise"],
            as_of=data["as_of"],
            values={
                field: data[field] for field in (*FIGURE_FIELDS, *FIGURE_FLAGS) if field in data
            },
            source=data.get("source", ""),
        )


class OrganisationTypeViewSet(ServiceViewSet):
    """Organisation types and their founding rules; administrators change them (the gap list
    is refreshed when a rule changes)."""

    serializer_class = s.OrganisationTypeSerializer
    queryset = OrganisationType.objects.all()

    def can_create(self, user):
        return registry_permissions.can_manage_zones(user)

    def can_change(self, user, obj):
        return registry_permissions.can_manage_zones(user)

    def service_create(self, data):
        return registry_services.organisation_type_save(actor=self.request.user, data=data)

    def service_update(self, obj, data):
        return registry_services.organisation_type_save(
            actor=self.request.user, data=data, org_type=obj
        )


class OfficerViewSet(ServiceViewSet):
    serializer_class = s.OfficerSerializer
    queryset = OrganisationOfficer.objects.all()
    filterset_fields = ["organisation", "role"]

    def can_create(self, user):
        return edits_some_zone(user)

    def can_change(self, user, obj):
        return registry_permissions.can_edit_officers(user, obj.organisation)

    def service_create(self, data):
        organisation = data.pop("organisation")
        return registry_services.officer_create(
            actor=self.request.user, organisation=organisation, data=data
        )

    def service_update(self, obj, data):
        data = _unchanged(obj, data, "organisation")
        return registry_services.officer_update(actor=self.request.user, officer=obj, data=data)


class GapViewSet(LoginNotRequiredMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The gap list with the page's filters and order (`type` is the organisation type's code,
    `status` the group: eligible, unreported, potential)."""

    title = gettext_lazy("Gap list")  # its name in the browsable API
    serializer_class = s.GapSerializer
    filterset_class = GapFilterSet
    pagination_class = VersionedCountPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Gap.objects.none()
        return gap_queryset(refresh_if_stale=False)


# --- Program ----------------------------------------------------------------------------------


class ProgramViewSet(ServiceViewSet):
    model = Program
    serializer_class = s.ProgramSerializer
    prefetch = ("parties", "overseers", "zones")
    filterset_class = ProgramFilterSet

    def scoped(self, user):
        return visible_programs(user)

    def can_create(self, user):
        return program_permissions.can_create_program(user)

    def can_change(self, user, obj):
        return program_permissions.can_manage_program(user, obj)

    def service_create(self, data):
        return program_services.program_create(actor=self.request.user, data=data)

    def service_update(self, obj, data):
        return program_services.program_update(actor=self.request.user, program=obj, data=data)


class ReportingPeriodViewSet(ReadOnlyViewSet):
    model = ReportingPeriod
    serializer_class = s.ReportingPeriodSerializer
    filterset_fields = ["program", "kind", "year"]

    def scoped(self, user):
        return ReportingPeriod.objects.filter(program__in=visible_programs(user))


class AreaViewSet(ServiceViewSet):
    model = Area
    serializer_class = s.AreaSerializer
    filterset_fields = ["program"]

    def scoped(self, user):
        return Area.objects.filter(program__in=visible_programs(user))

    def can_create(self, user):
        return manages_programs(user)

    def can_change(self, user, obj):
        return program_permissions.can_manage_program(user, obj.program)

    def service_create(self, data):
        program = data.pop("program")
        return program_services.area_create(actor=self.request.user, program=program, data=data)

    def service_update(self, obj, data):
        data = _unchanged(obj, data, "program")
        return program_services.area_update(actor=self.request.user, area=obj, data=data)


class TaskViewSet(ServiceViewSet):
    model = Task
    serializer_class = s.TaskSerializer
    prefetch = ("supporting_units", "zones", "enterprises", "indicators")
    filterset_class = described(TaskFilterSet, unit=OpenApiTypes.INT)

    def scoped(self, user):
        return Task.objects.visible_to(user).select_related("area")

    def can_create(self, user):
        return manages_programs(user)

    def can_change(self, user, obj):
        return program_permissions.can_manage_program(user, obj.area.program)

    def service_create(self, data):
        program = data["area"].program
        return program_services.task_create(actor=self.request.user, program=program, data=data)

    def service_update(self, obj, data):
        return program_services.task_update(actor=self.request.user, task=obj, data=data)


class IndicatorViewSet(ServiceViewSet):
    model = Indicator
    serializer_class = s.IndicatorSerializer
    filterset_fields = ["program", "area", "period_kind"]

    def scoped(self, user):
        return Indicator.objects.visible_to(user)

    def can_create(self, user):
        return manages_programs(user)

    def can_change(self, user, obj):
        return program_permissions.can_manage_program(user, obj.program)

    def service_create(self, data):
        program = data.pop("program")
        return program_services.indicator_create(
            actor=self.request.user, program=program, data=data
        )

    def service_update(self, obj, data):
        data = _unchanged(obj, data, "program")
        return program_services.indicator_update(actor=self.request.user, indicator=obj, data=data)


class IndicatorValueViewSet(ServiceViewSet):
    """Entered values per period. POST sets (or corrects) the value of an indicator for a
    period; values computed from the registry are not stored here."""

    model = IndicatorValue
    serializer_class = s.IndicatorValueSerializer
    filterset_fields = ["indicator", "period"]
    http_method_names = ["get", "post", "head", "options"]

    def scoped(self, user):
        return IndicatorValue.objects.filter(indicator__program__in=visible_programs(user))

    def can_create(self, user):
        return manages_programs(user)

    def service_create(self, data):
        indicator, period = data["indicator"], data["period"]
        if period.program_id != indicator.program_id:
            raise ValidationError({"period": _("This period is not part of the program.")})
        if indicator.is_computed:
            raise ValidationError({"indicator": _("This indicator is computed, not entered.")})
        return program_services.indicator_value_set(
            actor=self.request.user,
            indicator=indicator,
            period=period,
            value=data["value"],
            source=data.get("source", ""),
            note=data.get("note", ""),
        )


class ProgressReportViewSet(ServiceViewSet):
    """A unit's report on a task for a period. POST writes the draft (a second POST for the
    same task, unit and period updates it); then submit, and the partner acknowledges or
    returns it."""

    model = ProgressReport
    filterset_class = ProgressReportFilterSet

    def scoped(self, user):
        return ProgressReport.objects.visible_to(user).select_related(
            "task__area__program", "task__lead_unit", "unit", "period"
        )

    def get_serializer_class(self):
        if self.action == "partial_update":
            return s.ProgressReportUpdateSerializer
        if self.action in ("submit", "acknowledge", "return_"):
            return s.SignOffSerializer
        return s.ProgressReportSerializer

    def can_create(self, user):
        return reports_or_records(user)

    def can_change(self, user, obj):
        return program_permissions.can_report(user, obj.task, obj.unit)

    def _values(self, data: dict) -> dict:
        raw = data.pop("proposed_values", {}) or {}
        ids = {}
        for key in raw:
            if not str(key).isdigit():
                raise ValidationError({"proposed_values": _("Keys are indicator ids.")})
            ids[int(key)] = raw[key]
        found = Indicator.objects.visible_to(self.request.user).in_bulk(list(ids))
        if len(found) != len(ids):
            raise ValidationError({"proposed_values": _("Unknown indicator.")})
        return {found[pk]: value for pk, value in ids.items()}

    def _save(self, task, unit, period, data):
        values = self._values(data)
        return program_services.progress_report_save(
            actor=self.request.user, task=task, unit=unit, period=period, data=data, values=values
        )

    def service_create(self, data):
        task, unit, period = data.pop("task"), data.pop("unit"), data.pop("period")
        return self._save(task, unit, period, data)

    def service_update(self, obj, data):
        if "proposed_values" not in data:
            data["proposed_values"] = obj.proposed_values
        return self._save(obj.task, obj.unit, obj.period, data)

    def _sign_off(self, request, write, with_comment: bool = True):
        report = self.get_object()
        comment = ""
        if with_comment:
            serializer = s.SignOffSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            comment = serializer.validated_data["comment"]
        write(report, comment)
        report = self.get_queryset().get(pk=report.pk)
        return Response(s.ProgressReportSerializer(report, context={"request": request}).data)

    @extend_schema(request=None, responses=s.ProgressReportSerializer)
    @action(detail=True, methods=["post"], name=gettext_lazy("Submit to the partner body"))
    def submit(self, request, pk=None):
        """The lead unit sends the report (with the supporting units') for sign-off."""
        return self._sign_off(
            request,
            lambda report, _comment: program_services.progress_report_submit(
                actor=request.user, report=report
            ),
            with_comment=False,
        )

    @extend_schema(request=s.SignOffSerializer, responses=s.ProgressReportSerializer)
    @action(detail=True, methods=["post"], name=gettext_lazy("Acknowledge"))
    def acknowledge(self, request, pk=None):
        """The partner body signs the report off."""
        return self._sign_off(
            request,
            lambda report, comment: program_services.progress_report_acknowledge(
                actor=request.user, report=report, comment=comment
            ),
        )

    @extend_schema(request=s.SignOffSerializer, responses=s.ProgressReportSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        name=gettext_lazy("Return the report"),
    )
    def return_(self, request, pk=None):
        """The partner body sends the report back with a comment."""
        return self._sign_off(
            request,
            lambda report, comment: program_services.progress_report_return(
                actor=request.user, report=report, comment=comment
            ),
        )


class ActivityViewSet(ServiceViewSet):
    model = Activity
    serializer_class = s.ActivitySerializer
    prefetch = ("organisers", "zones", "enterprises", "tasks")
    filterset_class = ActivityFilterSet

    def scoped(self, user):
        return Activity.objects.visible_to(user).select_related("program")

    def can_create(self, user):
        return reports_or_records(user)

    def can_change(self, user, obj):
        return program_permissions.can_edit_activity(user, obj)

    def service_create(self, data):
        program = data.pop("program")
        return program_services.activity_create(actor=self.request.user, program=program, data=data)

    def service_update(self, obj, data):
        data = _unchanged(obj, data, "program")
        return program_services.activity_update(actor=self.request.user, activity=obj, data=data)


# --- Read-only --------------------------------------------------------------------------------


class ImportBatchViewSet(ReadOnlyViewSet):
    """The imported files; one batch is read with its dry run's errors and warnings."""

    model = ImportBatch
    serializer_class = s.ImportBatchSerializer
    filterset_fields = ["status"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.ImportBatchDetailSerializer
        return s.ImportBatchSerializer

    def scoped(self, user):
        return import_permissions.batches_visible_to(user)


class AuditEntryViewSet(ReadOnlyViewSet):
    model = AuditEntry
    serializer_class = s.AuditEntrySerializer
    filterset_class = AuditEntryFilterSet

    def scoped(self, user):
        return AuditEntry.objects.visible_to(user).select_related("content_type")


class NotFoundView(LoginNotRequiredMixin, APIView):
    """Any other address under /api/: 401 without credentials, else a JSON 404 (not the
    site's HTML page), so clients read one kind of error."""

    name = gettext_lazy("Not found")  # the browsable API leaves it out of the breadcrumbs

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound()


class ApiRootView(LoginNotRequiredMixin, routers.APIRootView):
    """Sinergi's API. The OpenAPI schema is at /api/schema/ (YAML; `?format=json` for JSON)."""

    name = gettext_lazy("API")
    summary = gettext_lazy("The OpenAPI schema is at /api/schema/ (YAML; ?format=json for JSON).")


class Router(routers.DefaultRouter):
    APIRootView = ApiRootView
    include_format_suffixes = False


# --- Reviews ----------------------------------------------------------------------------------


class ReviewViewSet(ServiceViewSet):
    model = Review
    serializer_class = s.ReviewSerializer
    filterset_class = ReviewFilterSet

    def scoped(self, user):
        return review_permissions.reviews_visible_to(user)

    def can_create(self, user):
        return review_permissions.may_record_reviews(user)

    def can_change(self, user, obj):
        return review_permissions.can_manage_review(user, obj)

    def service_create(self, data):
        program = data.pop("program")
        return review_services.review_create(actor=self.request.user, program=program, data=data)

    def service_update(self, obj, data):
        data = _unchanged(obj, data, "program")
        return review_services.review_update(actor=self.request.user, review=obj, data=data)


class AttendeeViewSet(ServiceViewSet):
    model = Attendee
    serializer_class = s.AttendeeSerializer
    filterset_fields = ["review", "unit"]

    def scoped(self, user):
        return review_permissions.attendees_visible_to(user)

    def can_create(self, user):
        return review_permissions.may_record_reviews(user)

    def can_change(self, user, obj):
        return review_permissions.can_manage_review(user, obj.review)

    def service_create(self, data):
        review = data.pop("review")
        return review_services.attendee_add(actor=self.request.user, review=review, data=data)

    def service_update(self, obj, data):
        data = _unchanged(obj, data, "review")
        return review_services.attendee_update(actor=self.request.user, attendee=obj, data=data)


class ContributionViewSet(ServiceViewSet):
    """What delegates said at a review, tagged result / limitation / difficulty / cause /
    lesson / proposal and linked to an area or a task."""

    model = Contribution
    serializer_class = s.ContributionSerializer
    filterset_fields = ["review", "kind", "unit", "area", "task"]

    def scoped(self, user):
        return review_permissions.contributions_visible_to(user)

    def can_create(self, user):
        return review_permissions.may_record_reviews(user)

    def can_change(self, user, obj):
        return review_permissions.can_manage_review(user, obj.review)

    def service_create(self, data):
        review = data.pop("review")
        return review_services.contribution_save(actor=self.request.user, review=review, data=data)

    def service_update(self, obj, data):
        data = _unchanged(obj, data, "review")
        return review_services.contribution_save(
            actor=self.request.user, review=obj.review, contribution=obj, data=data
        )


class ConclusionViewSet(ServiceViewSet):
    """Conclusions of a review. One with an owner unit and a due date is a follow-up action:
    recording it files a task of the program (`task`), carried into the next review."""

    model = Conclusion
    serializer_class = s.ConclusionSerializer
    filterset_fields = ["review", "owner_unit"]
    http_method_names = ["get", "post", "head", "options"]

    def scoped(self, user):
        return review_permissions.conclusions_visible_to(user)

    def can_create(self, user):
        return review_permissions.may_record_reviews(user)

    def service_create(self, data):
        review = data.pop("review")
        return review_services.conclusion_add(actor=self.request.user, review=review, data=data)


class ReportVersionViewSet(ReadOnlyViewSet):
    """The drafts and the final text of each review's report, with their files once issued.
    Drafts are made and edited on the review pages; `issue` issues the final report."""

    model = ReportVersion
    serializer_class = s.ReportVersionSerializer
    filterset_fields = ["review", "is_final"]

    def scoped(self, user):
        return (
            review_permissions.versions_visible_to(user)
            .select_related("review")
            .prefetch_related("files")
        )

    @extend_schema(request=s.ReportIssueSerializer, responses=s.ReportVersionSerializer)
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        name=gettext_lazy("Issue the signed report"),
    )
    def issue(self, request, pk=None):
        """Issue the final report with the number and date of the signed paper and its scan."""
        version = self.get_object()
        require(review_permissions.can_manage_review(request.user, version.review))
        serializer = s.ReportIssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        scan = data.pop("scan")
        review_services.version_issue(actor=request.user, version=version, data=data, scan=scan)
        version = self.get_queryset().get(pk=version.pk)
        return Response(self.get_serializer(version).data)


class ReportFileViewSet(ReadOnlyViewSet):
    """The files kept with issued reports; `download` answers the file."""

    model = ReportFile
    serializer_class = s.ReportFileSerializer
    filterset_fields = ["version", "kind", "language", "file_format"]

    def scoped(self, user):
        return review_permissions.report_files_visible_to(user).select_related("version")

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], name=gettext_lazy("Download"))
    def download(self, request, pk=None):
        item = self.get_object()
        return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename)


router = Router()
router.register("zones", ZoneViewSet, basename="zone")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("figures", FigureViewSet, basename="figure")
router.register("organisation-types", OrganisationTypeViewSet, basename="organisationtype")
router.register("officers", OfficerViewSet, basename="officer")
router.register("gaps", GapViewSet, basename="gap")
router.register("programs", ProgramViewSet, basename="program")
router.register("periods", ReportingPeriodViewSet, basename="period")
router.register("areas", AreaViewSet, basename="area")
router.register("tasks", TaskViewSet, basename="task")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("indicator-values", IndicatorValueViewSet, basename="indicatorvalue")
router.register("progress-reports", ProgressReportViewSet, basename="progressreport")
router.register("activities", ActivityViewSet, basename="activity")
router.register("import-batches", ImportBatchViewSet, basename="importbatch")
router.register("reviews", ReviewViewSet, basename="review")
router.register("attendees", AttendeeViewSet, basename="attendee")
router.register("contributions", ContributionViewSet, basename="contribution")
router.register("conclusions", ConclusionViewSet, basename="conclusion")
router.register("report-versions", ReportVersionViewSet, basename="reportversion")
router.register("report-files", ReportFileViewSet, basename="reportfile")
router.register("audit-entries", AuditEntryViewSet, basename="auditentry")
