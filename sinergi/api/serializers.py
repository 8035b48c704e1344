"""The API's representation of each model. Serializers only check the shape of the input;
the service functions validate the rules and write, exactly as for the pages."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from sinergi.accounts.models import Unit, User
from sinergi.core.models import AuditEntry
from sinergi.imports.columns import targets
from sinergi.imports.messages import readable_all
from sinergi.imports.models import ImportBatch
from sinergi.insight.gaps import gap_row
from sinergi.programs import services as program_services
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
from sinergi.registry import services as registry_services
from sinergi.registry.choices import ENTERPRISE_FIELDS, FIGURE_FIELDS, FIGURE_FLAGS
from sinergi.registry.models import (
    Enterprise,
    Figure,
    Organisation,
    OrganisationOfficer,
    OrganisationType,
    Zone,
)
from sinergi.reviews.choices import PROSE_FIELDS
from sinergi.reviews.models import (
    Attendee,
    Conclusion,
    Contribution,
    ReportFile,
    ReportVersion,
    Review,
)
from sinergi.reviews.permissions import attendees_visible_to, reviews_visible_to
from sinergi.reviews.services import (
    ATTENDEE_FIELDS,
    CONCLUSION_FIELDS,
    CONTRIBUTION_FIELDS,
    REVIEW_FIELDS,
)


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to an object the requesting user may see (`Model.objects.visible_to`):
    anything else is answered as if it did not exist."""

    def __init__(self, model, scope=None, **kwargs):
        self.model = model
        self.scope = scope or (lambda user: model.objects.visible_to(user))
        kwargs.setdefault("queryset", model.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return super().get_queryset()
        return self.scope(request.user)


def areas_visible_to(user):
    return Area.objects.filter(program__in=Program.objects.visible_to(user))


class ServiceSerializer(serializers.ModelSerializer):
    """Validates input only: `create`/`update` are the viewset's service calls.

    Reading, a page of two hundred rows goes through `to_representation` two hundred times:
    it is Serializer.to_representation with what is the same for every row worked out once
    per serializer (the readable fields, and which of them read a plain column of the model:
    those take the attribute directly instead of DRF's generic attribute walk)."""

    def to_representation(self, instance):
        if not isinstance(instance, Model):
            return super().to_representation(instance)
        model = type(instance)
        kept = self.__dict__.get("_readable")
        if kept is None or kept[0] is not model:
            kept = self._readable = (
                model,
                [
                    (field.field_name, field, _column_attribute(field, model))
                    for field in self._readable_fields
                ],
            )
        readable = kept[1]
        ret = {}
        for name, field, column in readable:
            if column is not None:
                attribute = getattr(instance, column)
            else:
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check_for_none is None else field.to_representation(attribute)
        return ret


def _column_attribute(field: serializers.Field, model: type[Model]) -> str | None:
    """The attribute a serializer field reads when it is one concrete, non-relation column of
    `model` read the generic way (Field.get_attribute); None for anything else."""
    if type(field).get_attribute is not serializers.Field.get_attribute:
        return None
    if len(field.source_attrs) != 1:
        return None
    try:
        column = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return None
    if column.is_relation or not column.concrete or column.attname != field.source_attrs[0]:
        return None
    return column.attname

    def create(self, validated_data):  # pragma: no cover - the viewsets call services
        raise NotImplementedError

    def update(self, instance, validated_data):  # pragma: no cover
        raise NotImplementedError


# --- Registry ---------------------------------------------------------------------------------


class ZoneSerializer(ServiceSerializer):
    class Meta:
        model = Zone
        fields = ["id", *registry_services.ZONE_FIELDS]


class EnterpriseSerializer(ServiceSerializer):
    latest_figure = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            *ENTERPRISE_FIELDS,
            "latest_figure",
            "created_at",
            "updated_at",
        ]
        # The service states a duplicate tax id with the enterprise's name.
        extra_kwargs = {"tax_id": {"validators": []}}


class OrganisationSerializer(ServiceSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    type = serializers.PrimaryKeyRelatedField(queryset=OrganisationType.objects.all())

    class Meta:
        model = Organisation
        fields = ["id", "enterprise", *registry_services.ORGANISATION_FIELDS]


class OrganisationTypeSerializer(ServiceSerializer):
    class Meta:
        model = OrganisationType
        fields = ["id", *registry_services.ORGANISATION_TYPE_FIELDS]
        extra_kwargs = {"code": {"validators": []}}  # the service states a duplicate code


class OfficerSerializer(ServiceSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())

    class Meta:
        model = OrganisationOfficer
        fields = ["id", "organisation", *registry_services.OFFICER_FIELDS]


class FigureSerializer(ServiceSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())

    class Meta:
        model = Figure
        fields = [
            "id",
            "enterprise",
            "as_of",
            *FIGURE_FIELDS,
            *FIGURE_FLAGS,
            "source",
            "recorded_by",
            "recorded_at",
            "import_batch",
        ]
        read_only_fields = ["recorded_by", "recorded_at", "import_batch"]
        validators = []  # one current version per date: a second recording supersedes


# --- Program ----------------------------------------------------------------------------------


class ProgramSerializer(ServiceSerializer):
    parties = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True)
    overseers = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False
    )
    zones = serializers.PrimaryKeyRelatedField(
        queryset=Zone.objects.all(), many=True, required=False
    )

    class Meta:
        model = Program
        fields = [
            "id",
            *program_services.PROGRAM_FIELDS,
            *program_services.PROGRAM_RELATIONS,
            "created_at",
            "updated_at",
        ]


class ReportingPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "program",
            "kind",
            "year",
            "number",
            "starts_on",
            "ends_on",
            "locked_at",
        ]
        read_only_fields = fields


class AreaSerializer(ServiceSerializer):
    program = ScopedRelatedField(Program)

    class Meta:
        model = Area
        fields = ["id", "program", *program_services.AREA_FIELDS]
        extra_kwargs = {"number": {"required": False}}
        validators = []


class TaskSerializer(ServiceSerializer):
    area = ScopedRelatedField(Area, scope=areas_visible_to)
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    responsible = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    supporting_units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False
    )
    zones = serializers.PrimaryKeyRelatedField(
        queryset=Zone.objects.all(), many=True, required=False
    )
    enterprises = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), many=True, required=False
    )
    indicators = ScopedRelatedField(Indicator, many=True, required=False)

    class Meta:
        model = Task
        fields = [
            "id",
            *program_services.TASK_FIELDS,
            *program_services.TASK_RELATIONS,
            "percent_done",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["percent_done", "created_at", "updated_at"]
        extra_kwargs = {"number": {"required": False}}
        validators = []


class IndicatorSerializer(ServiceSerializer):
    program = ScopedRelatedField(Program)
    area = ScopedRelatedField(Area, scope=areas_visible_to, required=False, allow_null=True)
    organisation_type = serializers.PrimaryKeyRelatedField(
        queryset=OrganisationType.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Indicator
        fields = ["id", "program", *program_services.INDICATOR_FIELDS]
        validators = []


class IndicatorValueSerializer(ServiceSerializer):
    indicator = ScopedRelatedField(Indicator)
    period = serializers.PrimaryKeyRelatedField(queryset=ReportingPeriod.objects.all())

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "period",
            "value",
            "source",
            "note",
            "report",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["report", "recorded_by", "recorded_at"]
        validators = []


class ProgressReportSerializer(ServiceSerializer):
    task = ScopedRelatedField(Task)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    period = serializers.PrimaryKeyRelatedField(queryset=ReportingPeriod.objects.all())
    proposed_values = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0),
        required=False,
        help_text="Indicator id -> the value the lead unit states for the period.",
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "task",
            "unit",
            "period",
            "status",
            *program_services.REPORT_FIELDS,
            "proposed_values",
            "created_by",
            "submitted_at",
            "submitted_by",
            "reviewed_at",
            "reviewed_by",
            "review_comment",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "created_by",
            "submitted_at",
            "submitted_by",
            "reviewed_at",
            "reviewed_by",
            "review_comment",
            "created_at",
            "updated_at",
        ]
        validators = []


class ProgressReportUpdateSerializer(ProgressReportSerializer):
    """A report's task, unit and period are fixed once it exists."""

    class Meta(ProgressReportSerializer.Meta):
        read_only_fields = [
            *ProgressReportSerializer.Meta.read_only_fields,
            "task",
            "unit",
            "period",
        ]


class SignOffSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ActivitySerializer(ServiceSerializer):
    program = ScopedRelatedField(Program)
    organisers = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True)
    zones = serializers.PrimaryKeyRelatedField(
        queryset=Zone.objects.all(), many=True, required=False
    )
    enterprises = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), many=True, required=False
    )
    tasks = ScopedRelatedField(Task, many=True, required=False)

    class Meta:
        model = Activity
        fields = [
            "id",
            "program",
            *program_services.ACTIVITY_FIELDS,
            *program_services.ACTIVITY_RELATIONS,
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_by", "created_at", "updated_at"]


# --- Read-only --------------------------------------------------------------------------------


class ImportBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "created_by",
            "created_at",
            "file_name",
            "checksum",
            "kind",
            "report_date",
            "status",
            "counts",
            "committed_by",
            "committed_at",
            "undone_at",
            "failure",
        ]
        read_only_fields = fields


class BatchIssueSerializer(serializers.Serializer):
    """One finding of a batch's dry run, in the reader's language."""

    row = serializers.IntegerField(help_text="The row as the spreadsheet numbers it; 0: the file.")
    column = serializers.CharField(help_text="The file's header, or Sinergi's label of the field.")
    field = serializers.CharField(
        required=False, help_text="The field's code, when Sinergi names the column by its label."
    )
    value = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ImportBatchDetailSerializer(ImportBatchSerializer):
    """A batch with its dry run's errors and warnings, said in the reader's language."""

    errors = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta(ImportBatchSerializer.Meta):
        fields = [*ImportBatchSerializer.Meta.fields, "errors", "warnings"]
        read_only_fields = fields

    def _labels(self) -> dict[str, str]:
        if "labels" not in self.context:
            types = OrganisationType.objects.all()
            self.context["labels"] = {code: t.label for code, t in targets(types).items()}
        return self.context["labels"]

    def _findings(self, batch: ImportBatch, kind: str) -> list[dict]:
        shown = readable_all((batch.report or {}).get(kind, []), self._labels())
        return [BatchIssueSerializer(found).data for found in shown]

    @extend_schema_field(BatchIssueSerializer(many=True))
    def get_errors(self, batch: ImportBatch) -> list[dict]:
        return self._findings(batch, "errors")

    @extend_schema_field(BatchIssueSerializer(many=True))
    def get_warnings(self, batch: ImportBatch) -> list[dict]:
        return self._findings(batch, "warnings")


class AuditEntrySerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_unit",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "message",
            "request_id",
        ]
        read_only_fields = fields

    def get_object_type(self, entry) -> str:
        """`app_label.model`, e.g. `registry.enterprise`."""
        return f"{entry.content_type.app_label}.{entry.content_type.model}"


# --- Reviews ----------------------------------------------------------------------------------


class ReviewSerializer(ServiceSerializer):
    program = ScopedRelatedField(Program)

    class Meta:
        model = Review
        fields = ["id", "program", *REVIEW_FIELDS, "created_by", "created_at", "updated_at"]
        read_only_fields = ["created_by", "created_at", "updated_at"]


class AttendeeSerializer(ServiceSerializer):
    class Meta:
        model = Attendee
        fields = ["id", "review", *ATTENDEE_FIELDS]
        extra_kwargs = {"order": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        fields["review"] = ScopedRelatedField(fields["review"].queryset.model, reviews_visible_to)
        return fields


class ContributionSerializer(ServiceSerializer):
    area = ScopedRelatedField(Area, scope=areas_visible_to, required=False, allow_null=True)
    task = ScopedRelatedField(Task, required=False, allow_null=True)

    class Meta:
        model = Contribution
        fields = ["id", "review", *CONTRIBUTION_FIELDS, "created_by", "created_at", "updated_at"]
        read_only_fields = ["created_by", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        model = fields["review"].queryset.model
        fields["review"] = ScopedRelatedField(model, reviews_visible_to)
        speaker = fields["speaker"]
        fields["speaker"] = ScopedRelatedField(
            speaker.queryset.model, attendees_visible_to, required=False, allow_null=True
        )
        return fields


class ConclusionSerializer(ServiceSerializer):
    """A conclusion; with an owner unit and a due date it is a follow-up action, filed as a
    task of the program (`task`)."""

    area = ScopedRelatedField(Area, scope=areas_visible_to, required=False, allow_null=True)
    task = ScopedRelatedField(Task, required=False, allow_null=True)

    class Meta:
        model = Conclusion
        fields = ["id", "review", "number", *CONCLUSION_FIELDS, "created_at"]
        read_only_fields = ["number", "created_at"]
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        fields["review"] = ScopedRelatedField(fields["review"].queryset.model, reviews_visible_to)
        return fields


# --- Insight ----------------------------------------------------------------------------------


class GapSerializer(serializers.Serializer):
    """A row of the gap list, as the page and `sinergi gaps --json` give it: the figures the
    type's rule reads (None: not reported), the pipeline in words and the reason."""

    tax_id = serializers.CharField()
    name = serializers.CharField()
    enterprise_id = serializers.IntegerField()
    zone = serializers.CharField(allow_null=True)
    zone_code = serializers.CharField(allow_null=True)
    organisation_type = serializers.CharField(help_text="The organisation type's code.")
    organisation_type_name = serializers.CharField()
    group = serializers.ChoiceField(choices=["eligible", "unreported", "potential"])
    members = serializers.IntegerField(help_text="The figure the rule ranks by.")
    workers = serializers.IntegerField(allow_null=True)
    figures = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    pipeline = serializers.CharField()
    reason = serializers.CharField()
    eligible_since = serializers.DateField(allow_null=True)
    figures_as_of = serializers.DateField(allow_null=True)

    def to_representation(self, gap):
        return gap_row(gap)


class ReportFileSerializer(serializers.ModelSerializer):
    """A file kept with an issued report: a document generated when it was issued, or the
    scan of the signed paper. `download` answers the file itself."""

    download = serializers.SerializerMethodField()

    class Meta:
        model = ReportFile
        fields = [
            "id",
            "version",
            "kind",
            "language",
            "file_format",
            "filename",
            "size",
            "sha256",
            "added_by",
            "added_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, item) -> str:
        from django.urls import reverse

        path = reverse("api:reportfile-download", args=[item.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ReportVersionSerializer(serializers.ModelSerializer):
    """A draft or the final text of a review report, with the statistics it prints and, once
    issued, its number, date, who issued it and its files."""

    files = ReportFileSerializer(many=True, read_only=True)
    label = serializers.CharField(read_only=True)

    class Meta:
        model = ReportVersion
        fields = [
            "id",
            "review",
            "number",
            "label",
            "is_final",
            *PROSE_FIELDS,
            "data_timestamp",
            "statistics",
            "created_by",
            "created_at",
            "finalised_at",
            "finalised_by",
            "issued_number",
            "issued_on",
            "issued_at",
            "issued_by",
            "files",
        ]
        read_only_fields = fields


class ReportIssueSerializer(serializers.Serializer):
    """Issue the final report: the number and date on the signed paper and its scan (PDF,
    multipart)."""

    issued_number = serializers.CharField(max_length=100)
    issued_on = serializers.DateField()
    language = serializers.ChoiceField(choices=["vi", "id", "en"], default="vi")
    scan = serializers.FileField()
