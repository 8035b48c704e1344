from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewKind(models.TextChoices):
    INTERIM = "interim", _("Interim review")
    ANNUAL = "annual", _("Annual review")
    MID_TERM = "mid_term", _("Mid-term review")
    FINAL = "final", _("Final review")


class ContributionKind(models.TextChoices):
    RESULT = "result", _("Result")
    LIMITATION = "limitation", _("Limitation")
    DIFFICULTY = "difficulty", _("Difficulty")
    CAUSE = "cause", _("Cause")
    LESSON = "lesson", _("Lesson")
    PROPOSAL = "proposal", _("Proposal / solution")


class Document(models.TextChoices):
    REPORT = "report", _("Review report")
    MINUTES = "minutes", _("Minutes")


class FileFormat(models.TextChoices):
    DOCX = "docx", "DOCX"
    PDF = "pdf", "PDF"


# The languages a report or minutes can be written in.
LANGUAGES = ("id", "vi", "en")

# The prose sections of a report version, in document order.
PROSE_FIELDS = ("background", "results", "limitations", "lessons", "directions", "proposals")
