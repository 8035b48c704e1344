from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("Half-year")
    YEAR = "year", _("Year")


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


# The reporting period a recurrence falls due at the end of.
RECURRENCE_PERIOD = {
    Recurrence.MONTHLY: PeriodKind.MONTH,
    Recurrence.QUARTERLY: PeriodKind.QUARTER,
    Recurrence.HALF_YEARLY: PeriodKind.HALF,
    Recurrence.YEARLY: PeriodKind.YEAR,
}


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    STALLED = "stalled", _("Stalled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RETURNED = "returned", _("Returned")


# A report its unit may still change; the others wait for the partner or are signed off.
EDITABLE_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# A lead report in one of these states counts as "reported" for the period's due date.
REPORTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACKNOWLEDGED)


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")


class Measure(models.TextChoices):
    LEVEL = "level", _("Level at the end of the period")
    FLOW = "flow", _("Total within the period")


class ActivityKind(models.TextChoices):
    DISSEMINATION = "dissemination", _("Dissemination")
    MOBILISATION = "mobilisation", _("Mobilisation")
    TRAINING = "training", _("Training")
    SURVEY = "survey", _("Survey")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")


# Participants of an activity, by group, in display order.
PARTICIPANT_FIELDS = ("cadres", "party_members", "workers", "business_owners", "others")
