"""The registry: zones, the enterprises in them, their organisations and their dated figures."""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sinergi.registry.choices import (
    FIGURE_FIELDS,
    FIGURE_FLAGS,
    ZONE_PARENT_KINDS,
    Country,
    EnterpriseStatus,
    OfficerRole,
    OrganisationLevel,
    Ownership,
    RuleStatus,
    ZoneKind,
    ZoneStatus,
)
from sinergi.registry.taxid import normalise_tax_id


def latitude_field() -> models.DecimalField:
    """A place's latitude (WGS 84, five places: about a metre), when known."""
    return models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )


def longitude_field() -> models.DecimalField:
    return models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )


def point_on_earth(name: str) -> models.CheckConstraint:
    """The database's check of a model's latitude and longitude: both or neither, in range."""
    return models.CheckConstraint(
        condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
        | (Q(latitude__gte=-90, latitude__lte=90) & Q(longitude__gte=-180, longitude__lte=180)),
        name=name,
        violation_error_message=_("Give both latitude and longitude, within ±90 and ±180 degrees."),
    )


METRES_PER_DEGREE = 111_320  # of latitude everywhere, and of longitude at the equator


def area_radius_degrees(area_ha: float | None) -> float:
    """The radius, in degrees of latitude, of a circle as large as an area in hectares (0 when
    the area is not known): how the map draws a zone kept as a point and its area."""
    if not area_ha:
        return 0.0
    return math.sqrt(float(area_ha) * 10_000 / math.pi) / METRES_PER_DEGREE


def half_a_point(place: models.Model) -> dict[str, Any]:
    """The form's error when a place has one coordinate and not the other."""
    if (place.latitude is None) != (place.longitude is None):  # type: ignore[attr-defined]
        return {"longitude": _("Give both latitude and longitude, or neither.")}
    return {}


def _is_ring(value: object) -> bool:
    """At least three [longitude, latitude] pairs of numbers on the earth."""
    if not isinstance(value, list) or len(value) < 3:
        return False
    for pair in value:
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            return False
        lon, lat = pair
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair):
            return False
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return False
    return True


class ZoneQuerySet(models.QuerySet):
    def editable_by(self, user) -> ZoneQuerySet:
        """Zones whose registry `user` may change (the rule behind `permissions.can_edit_*`)."""
        if user.is_admin:
            return self
        if user.is_coordinator:
            return self.filter(managing_unit__body_id=user.unit.body_id)
        if user.is_editor:
            return self.filter(managing_unit_id=user.unit_id)
        return self.none()


class Zone(models.Model):
    """A province, an economic zone, or an industrial park / functional zone inside one."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ZoneKind.choices)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Other names and abbreviations people use, e.g. “KCN Đông Phố Mới”."),
    )
    area_ha = models.DecimalField(
        _("area (ha)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ZoneStatus.choices, default=ZoneStatus.OPERATING
    )
    managing_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("managing unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_zones",
        help_text=_("The unit whose editors keep this zone's enterprise registry."),
    )
    # Where the zone lies, for the dashboard's map: a point (its centre) and, when known, its
    # boundary as one ring of [longitude, latitude] pairs (WGS 84). Without a boundary the map
    # draws a circle of the zone's area around the point.
    latitude = latitude_field()
    longitude = longitude_field()
    boundary = models.JSONField(
        _("boundary"),
        default=list,
        blank=True,
        help_text=_(
            "The zone's outline as [longitude, latitude] pairs, e.g. [[103.97, 22.49], "
            "[103.98, 22.49], [103.98, 22.48]]; leave empty to draw a circle of its area."
        ),
    )

    objects = ZoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area_ha__gte=0) | Q(area_ha__isnull=True),
                name="zone_area_not_negative",
                violation_error_message=_("The area cannot be negative."),
            ),
            point_on_earth("zone_point_on_earth"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:zone_detail", args=[self.pk])

    def clean(self) -> None:
        parent = self.parent if self.parent_id else None
        parent_kind = parent.kind if parent is not None else None
        allowed: set[str | None] = set(ZONE_PARENT_KINDS.get(self.kind, set()))  # type: ignore[call-overload]
        if self.kind and parent_kind not in allowed:
            raise ValidationError(
                {"parent": _("A zone of this kind cannot be placed under that parent.")}
            )
        if self.pk and self.parent_id and self.parent_id in self.descendant_ids():
            raise ValidationError({"parent": _("A zone cannot be placed under itself.")})
        errors = half_a_point(self)
        if self.boundary and not _is_ring(self.boundary):
            errors["boundary"] = _(
                "The boundary needs at least three [longitude, latitude] pairs "
                "within ±180 and ±90 degrees."
            )
        if errors:
            raise ValidationError(errors)

    def ancestors(self) -> list[Zone]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def descendant_ids(self) -> set[int]:
        """This zone and every zone below it (one query over the zone tree)."""
        from sinergi.registry.counting import subtree

        return subtree([self.pk])


class OrganisationType(models.Model):
    """A kind of organisation (party organisation, trade union, …); its founding rule is data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    names = models.JSONField(
        _("names"), default=dict, help_text=_('The name in each language, e.g. {"en": …, "vi": …}.')
    )
    # {"any": [{"field": "official_party_members", "min": 3}],
    #  "potential": [{"field": "party_members", "min": 3}]}: eligible when any "any" condition
    # holds on the enterprise's latest figures; "potential" conditions mark enterprises that could
    # found one soon (a lower-ranked group of the gap list), never eligible on their own.
    founding_rule = models.JSONField(_("founding rule"), default=dict, blank=True)
    rule_citation = models.CharField(_("source of the rule"), max_length=300, blank=True)
    member_field = models.CharField(
        _("member figure"),
        max_length=40,
        blank=True,
        help_text=_("The figure that counts this organisation's members, if any."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("organisation type")
        verbose_name_plural = _("organisation types")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisationtype_update", args=[self.pk])

    @property
    def name(self) -> str:
        language = (get_language() or "id")[:2]
        return self.names.get(language) or self.names.get("en") or self.code

    def clean(self) -> None:
        rule = self.founding_rule or {}
        if not isinstance(rule, dict) or set(rule) - {"any", "potential"}:
            raise ValidationError(
                {"founding_rule": _("A rule has “any” conditions and optional “potential” ones.")}
            )
        for key in ("any", "potential"):
            for condition in rule.get(key, []):
                if (
                    not isinstance(condition, dict)
                    or condition.get("field") not in FIGURE_FIELDS
                    or not isinstance(condition.get("min"), int)
                    or isinstance(condition.get("min"), bool)
                    or condition["min"] < 0
                ):
                    raise ValidationError(
                        {
                            "founding_rule": _(
                                "Each condition needs a figure name and a whole minimum."
                            )
                        }
                    )
        if self.member_field and self.member_field not in FIGURE_FIELDS:
            raise ValidationError({"member_field": _("Unknown figure.")})

    @property
    def flag(self) -> str:
        """The annotation name `with_organisation_flags` gives this type: `has_<code>`."""
        return f"has_{self.code.replace('-', '_')}"

    def rule_conditions(self) -> list[dict]:
        return list((self.founding_rule or {}).get("any", []))

    def potential_conditions(self) -> list[dict]:
        return list((self.founding_rule or {}).get("potential", []))

    @property
    def rank_field(self) -> str:
        """The figure the gap list ranks by: the rule's first figure, else the member figure."""
        conditions = self.rule_conditions()
        return conditions[0]["field"] if conditions else self.member_field

    def is_eligible(self, figure: Figure | None) -> bool:
        """Whether an enterprise with these figures meets the founding rule."""
        return figure is not None and self.meets_rule(figure.values())

    def meets_rule(self, values: Mapping[str, int | None]) -> bool:
        """The founding rule over figure values by field name. A figure not reported meets no
        condition (it is not taken as 0 either: see `rule_status`)."""
        return any(
            values.get(c["field"]) is not None and values[c["field"]] >= c["min"]
            for c in self.rule_conditions()
        )

    def rule_status(self, values: Mapping[str, int | None] | None) -> RuleStatus:
        """Eligible; else unreported when a figure the rule reads is missing (an old total-only
        figure: the split is unknown, not zero); else potential when a "potential" condition
        holds; else not eligible."""
        if values is None:
            return RuleStatus.UNREPORTED
        if self.meets_rule(values):
            return RuleStatus.ELIGIBLE
        if any(values.get(c["field"]) is None for c in self.rule_conditions()):
            return RuleStatus.UNREPORTED
        if any(
            values.get(c["field"]) is not None and values[c["field"]] >= c["min"]
            for c in self.potential_conditions()
        ):
            return RuleStatus.POTENTIAL
        return RuleStatus.NOT_ELIGIBLE

    def potential_met(self, values: Mapping[str, int | None]) -> bool:
        return any(
            values.get(c["field"]) is not None and values[c["field"]] >= c["min"]
            for c in self.potential_conditions()
        )

    def rule_condition(self, prefix: str = "") -> Q | None:
        """The founding rule as a database condition over figure fields (`prefix` reaches them
        through a relation, e.g. "latest_figure__"); None when the type has no rule."""
        conditions = self.rule_conditions()
        if not conditions:
            return None
        condition = Q()
        for c in conditions:
            condition |= Q(**{f"{prefix}{c['field']}__gte": c["min"]})
        return condition


def default_country() -> str:
    """The deployment's country (SINERGI_COUNTRY), whose tax-id rule new enterprises follow."""
    return settings.SINERGI_COUNTRY


def has_active_organisation(org_type: OrganisationType, day: datetime.date) -> Exists:
    """For an enterprise queryset: whether the enterprise has an organisation of `org_type`
    active on `day`."""
    return Exists(
        Organisation.objects.active_on(day).filter(enterprise=OuterRef("pk"), type=org_type)
    )


def active_holders(org_type: OrganisationType, day: datetime.date):
    """The ids of the enterprises with an organisation of `org_type` active on `day`, as a
    subquery (`pk__in=`): read once by the database, where `has_active_organisation` is a lookup
    per enterprise."""
    return Organisation.objects.active_on(day).filter(type=org_type).values("enterprise_id")


def holding(
    org_type: OrganisationType,
    day: datetime.date,
    present: bool = True,
    narrow: bool = False,
    using: str = "default",
) -> Q:
    """For an enterprise queryset: the enterprises with (or without) an organisation of
    `org_type` active on `day`, in the form the database answers fastest.

    PostgreSQL plans `EXISTS` and `pk IN (…)` alike. SQLite does not: `pk IN (…)` reads the
    type's active organisations once and looks each holder up, `EXISTS` looks each enterprise
    up in the organisations' index. Over the whole national registry (or a text search, which
    reads every row anyway) the list wins: with a party organisation 7.9 ms against 32.4, without
    19.9 against 32.2. When the other filters keep few enterprises from an index (`narrow`: a
    zone, a status other than operating, a band of large workforces), SQLite still starts from
    the list and the lookups win: a zone's 685 enterprises, 9.9 ms against 1.4 (with) and 4.6
    against 1.3 (without); a zone and an ownership, 15.1 against 1.9 (bench/README.md)."""
    if connections[using].vendor == "sqlite" and not narrow:
        condition = Q(pk__in=active_holders(org_type, day))
    else:
        condition = Q(has_active_organisation(org_type, day))
    return condition if present else ~condition


class EnterpriseQuerySet(models.QuerySet):
    def with_organisation_flags(self, types) -> EnterpriseQuerySet:
        """Annotate `OrganisationType.flag` (has_<code>) for each type: one active today."""
        today = timezone.localdate()
        return self.annotate(**{t.flag: has_active_organisation(t, today) for t in types})

    def having_organisation(
        self, org_type, present: bool = True, narrow: bool = False
    ) -> EnterpriseQuerySet:
        """Enterprises with (`present`) or without an organisation of `org_type` active today;
        `narrow`: the queryset's other filters keep few enterprises (`holding`)."""
        return self.filter(holding(org_type, timezone.localdate(), present, narrow, self.db))

    def with_status_on(self, day: datetime.date) -> EnterpriseQuerySet:
        """Annotate `status_on`: the status the enterprise had on `day` by its dated status
        history; an enterprise without history has had its present status throughout."""
        return self.annotate(status_on=status_on(day))

    def operating_on(self, day: datetime.date) -> EnterpriseQuerySet:
        """Enterprises operating on `day` (by their status history)."""
        return self.with_status_on(day).filter(status_on=EnterpriseStatus.OPERATING)


def status_on(day: datetime.date, outer: str = "pk") -> Coalesce:
    """For an enterprise queryset (or any with the enterprise's id at `outer`): the status on
    `day` from the dated status history, else the present status."""
    change = (
        EnterpriseStatusChange.objects.filter(enterprise_id=OuterRef(outer))
        .filter(Q(since__isnull=True) | Q(since__lte=day))
        .order_by(F("since").desc(nulls_last=True), "-id")
        .values("status")[:1]
    )
    present = "status" if outer == "pk" else f"{outer.removesuffix('_id')}__status"
    return Coalesce(Subquery(change), F(present))


class Enterprise(models.Model):
    """An enterprise, identified by its tax id, located in a zone."""

    tax_country = models.CharField(
        _("tax-id country"), max_length=2, choices=Country.choices, default=default_country
    )
    tax_id = models.CharField(_("tax id"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=300)
    former_names = models.JSONField(_("former names"), default=list, blank=True)
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        db_index=False,  # the (zone, status) index serves every lookup by zone
    )
    ownership = models.CharField(_("ownership"), max_length=20, choices=Ownership.choices)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.OPERATING,
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    # Where the enterprise stands (WGS 84), when someone has recorded it: a point on the
    # dashboard's map, inside its zone's shape (decision 0014).
    latitude = latitude_field()
    longitude = longitude_field()
    contact_person = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    next_step = models.CharField(
        _("next step"),
        max_length=300,
        blank=True,
        default="",
        db_default="",
        help_text=_("The next step agreed with the owner, e.g. a meeting on founding a cell."),
    )
    next_step_on = models.DateField(_("next step due"), null=True, blank=True)
    # Accent- and case-free name, former names and tax id, for search ("dong pho moi").
    search_text = models.TextField(editable=False, default="", db_index=False)
    # The newest figure on record (by reporting date), kept by the figure service for fast lists.
    # A copy of what the figures say, so no constraint in the database (see docs/decisions/0007):
    # a new enterprise and its first figure point at each other, and the check of that pair cost
    # an import of 100,000 rows a look-up into every table that refers to either, per row.
    # Django still clears the field when the figure is deleted.
    latest_figure = models.ForeignKey(
        "Figure",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    # The workers of `latest_figure`, copied beside the pointer by whatever moves it (the figure
    # service, the import and its undo, the national demo), so the list sorts and filters by
    # workforce through an index instead of joining the figures (decision 0012).
    latest_workers = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The import that created the enterprise, if one did. Its audit entry (one per batch, with
    # the file, checksum and counts) stands for the creation in the enterprise's history. No
    # constraint in the database: it would be checked for every row of a large import, and
    # batches are never deleted (Django would still clear the field if one were).
    created_by_import = models.ForeignKey(
        "imports.ImportBatch",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["zone", "status"]),
            # The list's filters and counts (status, ownership, workforce, zone) answered from
            # this index alone, without reading each row the filter passes (a count of
            # "operating, 10-49 workers": 50 ms on SQLite and 39 on PostgreSQL reading the
            # rows, 2.4 and 9.8 ms from the index; bench/README.md). Ownership alone is
            # served by ("ownership", "id") below.
            models.Index(
                fields=["status", "ownership", "latest_workers", "zone", "id"],
                name="registry_ent_filters_idx",
            ),
            # The list's default order: a page of 100k enterprises without sorting them all.
            models.Index(fields=["name", "id"]),
            # Sorting by workforce, either way, enterprises without figures last; PostgreSQL
            # also gets one in DESC NULLS LAST order (migration 0008, decision 0012).
            models.Index(fields=["latest_workers", "id"]),
            models.Index(fields=["-latest_workers", "id"]),
            models.Index(fields=["status", "id"]),
            # Sorting by ownership either way and by status descending, ties by id: a deep
            # page of 100k enterprises from the index, not a sort of them all (130 ms).
            models.Index(fields=["ownership", "id"], name="registry_ent_own_id_idx"),
            models.Index(fields=["-ownership", "id"], name="registry_ent_own_desc_idx"),
            models.Index(fields=["-status", "id"], name="registry_ent_status_desc_idx"),
            # The map's points: the located enterprises of a zone, however few have a location.
            models.Index(
                fields=["zone"],
                condition=Q(latitude__isnull=False),
                name="registry_ent_located_idx",
            ),
        ]
        constraints = [
            point_on_earth("enterprise_point_on_earth"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:enterprise_detail", args=[self.pk])

    def clean(self) -> None:
        if self.tax_id:
            try:
                self.tax_id = normalise_tax_id(self.tax_id, self.tax_country)
            except ValidationError as exc:
                raise ValidationError({"tax_id": exc.messages}) from exc
        errors = {}
        if self.founded_on and self.founded_on > timezone.localdate():
            errors["founded_on"] = _("The founding date cannot be in the future.")
        errors |= half_a_point(self)
        if errors:
            raise ValidationError(errors)


class EnterpriseStatusChange(models.Model):
    """One dated status of an enterprise: operating, suspended or dissolved since a date (none:
    since before the registry knew). The newest one on or before a day is the status that day."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="status_changes",
        db_index=False,  # the (enterprise, since) index serves every lookup by enterprise
    )
    status = models.CharField(_("status"), max_length=20, choices=EnterpriseStatus.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    audit_hidden_fields = ("enterprise",)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = [F("since").asc(nulls_first=True), "id"]
        indexes = [models.Index(fields=["enterprise", "since"])]

    def __str__(self) -> str:
        since = self.since.isoformat() if self.since else "…"
        return f"{self.enterprise_id}: {self.status} ({since})"

    def get_absolute_url(self) -> str:
        return reverse("registry:enterprise_detail", args=[self.enterprise_id])

    def clean(self) -> None:
        if self.since and self.since > timezone.localdate():
            raise ValidationError({"since": _("The date cannot be in the future.")})


class OrganisationQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> OrganisationQuerySet:
        """Organisations founded on or before `day` and not dissolved by then."""
        return self.filter(
            Q(founded_on__isnull=True) | Q(founded_on__lte=day),
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day),
        )


class Organisation(models.Model):
    """A party organisation, trade union, youth union … inside one enterprise."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="organisations",
        db_index=False,  # the (enterprise, type) index serves every lookup by enterprise
    )
    type = models.ForeignKey(
        OrganisationType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="organisations",
        db_index=False,  # the active-organisations index below starts with the type
    )
    name = models.CharField(_("name"), max_length=300)
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=OrganisationLevel.choices,
        default=OrganisationLevel.GRASSROOTS,
    )
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    audit_hidden_fields = ("enterprise",)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["type__sort_order", "founded_on", "id"]
        indexes = [
            # "Does this enterprise have one of this type?" is asked per enterprise in lists.
            models.Index(fields=["enterprise", "type"]),
            # The enterprises with an active organisation of a type (`active_holders`, the
            # lists' has / lacks filters and flag sorts) read from this index alone, without
            # reading each organisation for its dates: 2.7 ms instead of 6.2 for the 28,696
            # trade unions of the national registry on SQLite (bench/README.md).
            models.Index(
                fields=["type", "enterprise", "founded_on", "dissolved_on"],
                name="registry_org_active_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=F("founded_on")),
                name="organisation_dissolved_after_founded",
                violation_error_message=_(
                    "An organisation cannot be dissolved before it was founded."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:enterprise_detail", args=[self.enterprise_id]) + "#organisations"

    def clean(self) -> None:
        today = timezone.localdate()
        if self.founded_on and self.founded_on > today:
            raise ValidationError({"founded_on": _("The founding date cannot be in the future.")})
        if self.dissolved_on and self.dissolved_on > today:
            raise ValidationError(
                {"dissolved_on": _("The dissolution date cannot be in the future.")}
            )
        if self.founded_on and self.dissolved_on and self.dissolved_on < self.founded_on:
            raise ValidationError(
                {"dissolved_on": _("An organisation cannot be dissolved before it was founded.")}
            )

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None or self.dissolved_on > timezone.localdate()


class OrganisationOfficer(models.Model):
    """A person holding an office in an organisation (party cell secretary, union chair …),
    with the contact details the zone officer and the Bloc's organisation department use."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="officers",
    )
    role = models.CharField(_("office"), max_length=20, choices=OfficerRole.choices)
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    audit_hidden_fields = ("organisation",)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["role", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="officer_until_after_since",
                violation_error_message=_("An office cannot end before it began."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("registry:enterprise_detail", args=[self.organisation.enterprise_id])

    def clean(self) -> None:
        if self.since and self.until and self.until < self.since:
            raise ValidationError({"until": _("An office cannot end before it began.")})

    @property
    def is_current(self) -> bool:
        return self.until is None or self.until >= timezone.localdate()


# Members of a kind counted among the workers can never outnumber them.
WITHIN_WORKERS = (
    ("women_workers", _("Women workers cannot exceed workers.")),
    ("party_members", _("Party members cannot exceed workers.")),
    ("union_members", _("Union members cannot exceed workers.")),
)


def complete_party_split(values: dict[str, int | None]) -> dict[str, int | None]:
    """Fill what the party-member split implies: the total from official + probationary, or
    the missing part from the total and the other part. Nothing is guessed otherwise: a total
    alone leaves the split not reported."""
    total = values.get("party_members")
    official = values.get("official_party_members")
    probationary = values.get("probationary_party_members")
    done = dict(values)
    if official is not None and probationary is not None:
        if total is None:
            done["party_members"] = official + probationary
    elif total is not None and official is not None and official <= total:
        done["probationary_party_members"] = total - official
    elif total is not None and probationary is not None and probationary <= total:
        done["official_party_members"] = total - probationary
    return done


def complete_party_split_columns(
    columns: dict[str, list[int | None]], count: int
) -> dict[str, list[int | None]]:
    """`complete_party_split` over columns of many sets of figures ({field: values}); a column
    of the split that can be derived is added when missing. Plain lists, for an import."""
    present = [
        f
        for f in ("party_members", "official_party_members", "probationary_party_members")
        if f in columns
    ]
    if len(present) < 2:
        return columns
    nothing = [None] * count
    total, official, probationary = (
        columns.get(f, nothing)
        for f in ("party_members", "official_party_members", "probationary_party_members")
    )
    done = [
        complete_party_split(
            {"party_members": t, "official_party_members": o, "probationary_party_members": p}
        )
        for t, o, p in zip(total, official, probationary, strict=True)
    ]
    return columns | {
        f: [row[f] for row in done]
        for f in ("party_members", "official_party_members", "probationary_party_members")
    }


def figure_rule_errors(values: dict[str, int | None]) -> dict[str, str]:
    """The cross-field rules of one set of figures, as {field: message}."""
    return {
        field: message
        for _k, field, message in figure_rule_violations({k: [v] for k, v in values.items()})
    }


PARTY_SPLIT_MESSAGE = _("Party members must equal official plus probationary members.")


def figure_rule_violations(
    columns: dict[str, Sequence[int | None]],
) -> list[tuple[int, str, str]]:
    """The same rules over many sets of figures at once, given as columns ({field: values}, the
    k-th value of each column belonging to the k-th set): (k, field, message) for each broken
    rule, by k, then in the rules' order. Plain data in, so an import can check a hundred
    thousand rows without building model instances or calling a function per row."""
    found = []
    total, official, probationary = (
        columns.get(f)
        for f in ("party_members", "official_party_members", "probationary_party_members")
    )
    if total is not None and (official is not None or probationary is not None):
        text = str(PARTY_SPLIT_MESSAGE)
        nothing = [None] * len(total)
        found += [
            (k, "party_members", text)
            for k, (t, o, p) in enumerate(
                zip(total, official or nothing, probationary or nothing, strict=True)
            )
            if t is not None
            and (
                (o is not None and p is not None and t != o + p)
                or (o is not None and o > t)
                or (p is not None and p > t)
            )
        ]
    workers = columns.get("workers")
    if workers is None:
        found.sort(key=itemgetter(0))
        return found
    for field, message in WITHIN_WORKERS:
        values = columns.get(field)
        if values is not None:
            text = str(message)
            found += [
                (k, field, text)
                for k, (w, v) in enumerate(zip(workers, values, strict=True))
                if v is not None and w is not None and v > w
            ]
    found.sort(key=itemgetter(0))  # stable: the rules' order within a set
    return found


class FigureQuerySet(models.QuerySet):
    def known_at(self, moment: datetime.datetime | None) -> FigureQuerySet:
        """The versions that were current at `moment` (now when None)."""
        if moment is None:
            return self.filter(superseded_at__isnull=True)
        return self.filter(recorded_at__lte=moment).filter(
            Q(superseded_at__isnull=True) | Q(superseded_at__gt=moment)
        )

    def as_of(
        self, day: datetime.date, known_at: datetime.datetime | None = None
    ) -> FigureQuerySet:
        """Per enterprise, the figures describing the latest reporting date on or before `day`,
        as known at `known_at`, so a past picture is rebuilt exactly after later edits."""
        candidates = self.known_at(known_at).filter(as_of__lte=day)
        newer = candidates.filter(
            enterprise_id=OuterRef("enterprise_id"), as_of__gt=OuterRef("as_of")
        )
        return candidates.exclude(Exists(newer))


class Figure(models.Model):
    """An enterprise's figures on one reporting date, as recorded once; corrections add a version.

    `as_of` is the date the figures describe; `recorded_at`/`superseded_at` say when this
    version was the registry's knowledge. Rows are never edited in place, only superseded.
    """

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="figures",
        db_index=False,  # the (enterprise, -as_of) index serves every lookup by enterprise
    )
    as_of = models.DateField(_("reporting date"))
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    women_workers = models.PositiveIntegerField(_("women workers"), null=True, blank=True)
    party_members = models.PositiveIntegerField(_("party members"), null=True, blank=True)
    union_members = models.PositiveIntegerField(_("union members"), null=True, blank=True)
    youth_members = models.PositiveIntegerField(_("youth union members"), null=True, blank=True)
    official_party_members = models.PositiveIntegerField(
        _("official party members"), null=True, blank=True
    )
    probationary_party_members = models.PositiveIntegerField(
        _("probationary party members"), null=True, blank=True
    )
    new_party_members = models.PositiveIntegerField(
        _("newly admitted party members"), null=True, blank=True
    )
    outstanding_masses = models.PositiveIntegerField(
        _("outstanding masses introduced to the party"), null=True, blank=True
    )
    awareness_class_attended = models.PositiveIntegerField(
        _("attended the party awareness class"), null=True, blank=True
    )
    admission_candidates = models.PositiveIntegerField(
        _("candidates for admission"), null=True, blank=True
    )
    owner_party_member = models.BooleanField(
        _("owner or director is a party member"), null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("import batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="figures",
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    objects = FigureQuerySet.as_manager()

    # Kept in audit entries (to link them to the enterprise) but not listed as changes.
    audit_hidden_fields = ("enterprise",)

    class Meta:
        verbose_name = _("figures")
        verbose_name_plural = _("figures")
        ordering = ["-as_of", "-recorded_at"]
        indexes = [
            models.Index(fields=["enterprise", "-as_of"]),
            models.Index(fields=["as_of"]),
            # The few figures that admit someone, by date: a period's newly admitted members
            # read these instead of every figure of the period (counting.newly_admitted_figures).
            models.Index(
                fields=["as_of"],
                condition=Q(new_party_members__gt=0),
                name="registry_fig_admitted_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "as_of"],
                condition=Q(superseded_at__isnull=True),
                name="figure_one_current_version_per_date",
            ),
            models.CheckConstraint(
                condition=Q(women_workers__isnull=True)
                | Q(workers__isnull=True)
                | Q(women_workers__lte=F("workers")),
                name="figure_women_within_workers",
                violation_error_message=_("Women workers cannot exceed workers."),
            ),
            models.CheckConstraint(
                condition=Q(party_members__isnull=True)
                | Q(workers__isnull=True)
                | Q(party_members__lte=F("workers")),
                name="figure_party_within_workers",
                violation_error_message=_("Party members cannot exceed workers."),
            ),
            models.CheckConstraint(
                condition=Q(union_members__isnull=True)
                | Q(workers__isnull=True)
                | Q(union_members__lte=F("workers")),
                name="figure_union_within_workers",
                violation_error_message=_("Union members cannot exceed workers."),
            ),
            models.CheckConstraint(
                condition=Q(party_members__isnull=True)
                | Q(official_party_members__isnull=True)
                | Q(probationary_party_members__isnull=True)
                | Q(party_members=F("official_party_members") + F("probationary_party_members")),
                name="figure_party_split_adds_up",
                violation_error_message=PARTY_SPLIT_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} — {self.as_of:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("registry:enterprise_detail", args=[self.enterprise_id]) + "#figures"

    def clean(self) -> None:
        errors: dict[str, object] = dict(figure_rule_errors(self.values()))
        if self.as_of and self.as_of > timezone.localdate():
            errors["as_of"] = _("Figures cannot describe a date in the future.")
        if errors:
            raise ValidationError(errors)

    def values(self) -> dict[str, int | bool | None]:
        """The counts and the yes/no facts by field name (None: not reported)."""
        return {field: getattr(self, field) for field in (*FIGURE_FIELDS, *FIGURE_FLAGS)}

    @property
    def split_reported(self) -> bool:
        return self.official_party_members is not None and (
            self.probationary_party_members is not None
        )
