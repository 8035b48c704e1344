from django.db import models
from django.utils.translation import gettext_lazy as _


class ZoneKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    ECONOMIC_ZONE = "economic_zone", _("Economic zone")
    INDUSTRIAL_PARK = "industrial_park", _("Industrial park")
    FUNCTIONAL_ZONE = "functional_zone", _("Functional zone")


# Which kinds may sit directly under which: province › economic zone › park / functional zone.
ZONE_PARENT_KINDS = {
    ZoneKind.PROVINCE: {None},
    ZoneKind.ECONOMIC_ZONE: {ZoneKind.PROVINCE},
    ZoneKind.INDUSTRIAL_PARK: {ZoneKind.ECONOMIC_ZONE, ZoneKind.PROVINCE},
    ZoneKind.FUNCTIONAL_ZONE: {ZoneKind.ECONOMIC_ZONE, ZoneKind.PROVINCE},
}


class ZoneStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    PLANNED = "planned", _("Planned")
    CLOSED = "closed", _("Closed")


class Country(models.TextChoices):
    VIETNAM = "VN", _("Vietnam")
    INDONESIA = "ID", _("Indonesia")


class Ownership(models.TextChoices):
    STATE = "state", _("State-owned")
    DOMESTIC_PRIVATE = "domestic_private", _("Domestic private")
    FOREIGN_INVESTED = "foreign_invested", _("Foreign-invested")
    COOPERATIVE = "cooperative", _("Cooperative")
    OTHER = "other", _("Other")


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    DISSOLVED = "dissolved", _("Dissolved")


class OrganisationLevel(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots organisation")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots cell")
    SUBORDINATE_CELL = "subordinate_cell", _("Subordinate cell")


class OfficerRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    OTHER = "other", _("Other officer")


class RuleStatus(models.TextChoices):
    """What an organisation type's founding rule says of one enterprise's figures."""

    ELIGIBLE = "eligible", _("meets the founding rule")
    UNREPORTED = "unreported", _("the figure the rule reads is not reported")
    POTENTIAL = "potential", _("could meet the rule soon")
    NOT_ELIGIBLE = "not_eligible", _("does not meet the founding rule")


# The figures recorded per enterprise per reporting date, in display order: counts only.
# `party_members` is the total; when the split is reported it equals official + probationary.
FIGURE_FIELDS = (
    "workers",
    "women_workers",
    "party_members",
    "official_party_members",
    "probationary_party_members",
    "union_members",
    "youth_members",
    "new_party_members",
    "outstanding_masses",
    "awareness_class_attended",
    "admission_candidates",
)

# The party-development pipeline, from the earliest stage to admission.
PIPELINE_FIELDS = (
    "outstanding_masses",
    "awareness_class_attended",
    "admission_candidates",
    "new_party_members",
)

# Yes/no facts recorded with the figures (None: not reported).
FIGURE_FLAGS = ("owner_party_member",)

# Everything a figure version holds besides where and when: the counts, then the yes/no facts.
FIGURE_VALUES = (*FIGURE_FIELDS, *FIGURE_FLAGS)

# The party members' total and its split, which `complete_party_split` keeps consistent.
PARTY_SPLIT = ("party_members", "official_party_members", "probationary_party_members")

# Probation lasts twelve months from admission (Party Statute art. 5).
PROBATION_MONTHS = 12

# The enterprise fields a person (a page, the API, a file) may set, in form order. The services
# assign only these; the import's insert and the API's serializer are built from them by name.
ENTERPRISE_FIELDS = (
    "tax_country",
    "tax_id",
    "name",
    "former_names",
    "zone",
    "ownership",
    "sector",
    "founded_on",
    "status",
    "address",
    "latitude",
    "longitude",
    "contact_person",
    "phone",
    "email",
    "next_step",
    "next_step_on",
)


# What the registry calls each column of an enterprise list: the headings of its exports, which
# the import recognises too (imports/columns.py adds the other ways offices head them).
HEADINGS = {
    "tax_id": _("Tax id"),
    "name": _("Name"),
    "zone": _("Zone"),
    "ownership": _("Ownership"),
    "sector": _("Sector"),
    "founded_on": _("Founded"),
    "as_of": _("Reporting date"),
    "workers": _("Workers"),
    "women_workers": _("Women workers"),
    "party_members": _("Party members"),
    "union_members": _("Union members"),
    "youth_members": _("Youth union members"),
    "new_party_members": _("Newly admitted party members"),
    "status": _("Status"),
    "address": _("Address"),
    "latitude": _("Latitude"),
    "longitude": _("Longitude"),
    "official_party_members": _("Official party members"),
    "probationary_party_members": _("Probationary party members"),
    "outstanding_masses": _("Outstanding masses introduced to the party"),
    "awareness_class_attended": _("Attended the party awareness class"),
    "admission_candidates": _("Candidates for admission"),
    "owner_party_member": _("Owner or director is a party member"),
}
