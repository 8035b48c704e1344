"""Review conferences of a coordination program: who attended, what they said, what was
concluded, and the versions of the review report drafted from the registry and the program."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.programs.models import Program
from sinergi.reviews.choices import ContributionKind, ReviewKind


class Review(models.Model):
    """A review conference of a program over a period (sơ kết / tổng kết)."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="reviews"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    title = models.CharField(_("title"), max_length=400)
    number = models.CharField(
        _("document number"),
        max_length=100,
        blank=True,
        help_text=_("The number the report will carry, e.g. 12-BC/ĐUK."),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(
        _("period to"), help_text=_("The report's figures are taken as of this day.")
    )
    held_on = models.DateField(_("date of the conference"))
    place = models.CharField(
        _("place"), max_length=100, blank=True, help_text=_("The town in the report's heading.")
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    chair = models.CharField(_("chair"), max_length=300, blank=True)
    secretary = models.CharField(
        _("secretary"), max_length=300, blank=True, help_text=_("Who keeps the minutes.")
    )
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item a line."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review conference")
        verbose_name_plural = _("review conferences")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="review_period_ends_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:review_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        if self.program_id and self.period_start and self.period_end:
            program = self.program
            if self.period_start < program.starts_on or self.period_end > program.ends_on:
                errors["period_start"] = _("The period lies outside the program's period.")
        if self.held_on and self.period_start and self.held_on < self.period_start:
            errors["held_on"] = _("The conference cannot take place before the period starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    def previous(self) -> Review | None:
        """The program's review held before this one: its follow-ups are carried into this one."""
        return (
            Review.objects.filter(program_id=self.program_id)
            .filter(Q(held_on__lt=self.held_on) | Q(held_on=self.held_on, pk__lt=self.pk))
            .order_by("-held_on", "-pk")
            .first()
        )

    def final_version(self) -> ReportVersion | None:
        return self.versions.filter(is_final=True).first()


class Attendee(models.Model):
    """A delegate at the conference, from either body or a guest committee."""

    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="attendees"
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    present = models.BooleanField(pgettext_lazy("attendance", "present"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    audit_hidden_fields = ("review",)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["review_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})" if self.position else self.name

    def get_absolute_url(self) -> str:
        return reverse("reviews:review_detail", args=[self.review_id]) + "#attendees"


class Contribution(models.Model):
    """What a delegate said, tagged by kind and linked to an area or a task of the program."""

    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="contributions"
    )
    speaker = models.ForeignKey(
        Attendee,
        verbose_name=_("speaker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("type"), max_length=20, choices=ContributionKind.choices)
    text = models.TextField(_("text"))
    area = models.ForeignKey(
        "programs.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    task = models.ForeignKey(
        "programs.Task",
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The key the capture page gives a contribution before it is saved, so repeated autosaves
    # of the same text update one row instead of adding copies.
    client_key = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    audit_hidden_fields = ("review",)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["review_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "client_key"],
                condition=~Q(client_key=""),
                name="contribution_client_key_unique_in_review",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review_detail", args=[self.review_id]) + f"#contribution-{self.pk}"

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if not (self.text or "").strip():
            errors["text"] = _("Write what was said.")
        if self.review_id:
            program_id = self.review.program_id
            speaker = self.speaker if self.speaker_id else None
            area = self.area if self.area_id else None
            task = self.task if self.task_id else None
            if speaker is not None and speaker.review_id != self.review_id:
                errors["speaker"] = _("The speaker is not an attendee of this review.")
            if area is not None and area.program_id != program_id:
                errors["area"] = _("This area belongs to another program.")
            if task is not None and task.area.program_id != program_id:
                errors["task"] = _("This task belongs to another program.")
        if errors:
            raise ValidationError(errors)

    @property
    def speaker_label(self) -> str:
        parts = [str(self.speaker) if self.speaker_id else "", str(self.unit or "")]
        return " — ".join(p for p in parts if p)


class Conclusion(models.Model):
    """What the leaders concluded; with an owner unit and a due date it is a follow-up action,
    which becomes a task of the program."""

    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="conclusions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("conclusion"))
    owner_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    area = models.ForeignKey(
        "programs.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The area the follow-up task is filed under."),
    )
    task = models.OneToOneField(
        "programs.Task",
        verbose_name=_("follow-up task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_conclusion",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    audit_hidden_fields = ("review",)

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["review_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="conclusion_number_unique_in_review"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review_detail", args=[self.review_id]) + "#conclusions"

    @property
    def is_follow_up(self) -> bool:
        return bool(self.owner_unit_id and self.due_on)


class ReportVersion(models.Model):
    """One draft (or the final text) of the review report: the secretary's prose and the
    statistics computed when the draft was made, so it reads the same whenever it is rendered."""

    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    is_final = models.BooleanField(_("final"), default=False)
    background = models.TextField(_("background"), blank=True)
    results = models.TextField(_("results achieved"), blank=True)
    limitations = models.TextField(_("limitations, difficulties and causes"), blank=True)
    lessons = models.TextField(_("lessons"), blank=True)
    directions = models.TextField(_("directions, tasks and solutions"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    # The registry's knowledge the statistics were read at (transaction time).
    data_timestamp = models.DateTimeField(_("data as known at"))
    statistics = models.JSONField(_("statistics"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finalised_at = models.DateTimeField(_("made final at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made final by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Issuing: the number, the date and the signatories are fixed when the final report is
    # issued; the files generated then and the signed scan are its ReportFiles.
    issued_number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    issued_form = models.JSONField(
        _("heading, signatories and recipients as issued"),
        default=dict,
        blank=True,
        editable=False,
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    audit_hidden_fields = ("review", "statistics", "issued_form")

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["review_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="report_version_number_unique_in_review"
            ),
            models.CheckConstraint(
                condition=Q(issued_at__isnull=True) | Q(is_final=True),
                name="report_version_issued_is_final",
                violation_error_message=_("Only the final report can be issued."),
            ),
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(is_final=True),
                name="report_version_one_final_per_review",
                violation_error_message=_("The review already has a final report."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review} · v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:version_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None

    @property
    def label(self) -> str:
        if self.pk is None:
            return _("Preview (not saved)")
        if self.is_issued:
            return _("Issued (version %(number)d)") % {"number": self.number}
        if self.is_final:
            return _("Final (version %(number)d)") % {"number": self.number}
        return _("Draft %(number)d") % {"number": self.number}

    @property
    def as_of(self) -> datetime.date:
        return self.review.period_end


def _texts_valid(value: object) -> bool:
    """A text per language: {"vi": "...", "en": "...", "id": "..."} (at least one, all str)."""
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    )


# The keys of a body in DocumentSetup.bodies: texts per language, except `unit` (a unit's
# code), `symbol` (its abbreviation in the document's number) and `party` (a Party
# organisation: an asterisk under its name and "ĐẢNG CỘNG SẢN VIỆT NAM" opposite).
BODY_TEXTS = ("superior", "name", "capacity", "title")
BODY_KEYS = frozenset({"unit", "symbol", "party", "signer", *BODY_TEXTS})


class DocumentSetup(models.Model):
    """How a program's report and minutes are headed, signed and sent: the issuing bodies in
    order (the leading one first), their signatories and the recipients. Data, per language,
    so a deployment changes them without code."""

    program = models.OneToOneField(
        Program,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="document_setup",
    )
    place = models.CharField(
        _("place"), max_length=100, blank=True, help_text=_("The town before the date.")
    )
    bodies = models.JSONField(_("issuing bodies"), default=list, blank=True)
    recipients = models.JSONField(
        _("recipients"),
        default=list,
        blank=True,
        help_text=_("Empty: the committees the program reports to, then the file copy."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("document setup")
        verbose_name_plural = _("document setups")

    def __str__(self) -> str:
        return str(self.program)

    def get_absolute_url(self) -> str:
        return reverse("programs:program_detail", args=[self.program_id])

    def clean(self) -> None:
        errors: dict[str, object] = {}
        bodies = self.bodies
        if not isinstance(bodies, list) or not all(isinstance(b, dict) for b in bodies):
            errors["bodies"] = _("The issuing bodies are a list, the leading body first.")
        else:
            for body in bodies:
                unknown = set(body) - BODY_KEYS
                if unknown:
                    errors["bodies"] = _("Unknown keys: %(keys)s.") % {
                        "keys": ", ".join(sorted(unknown))
                    }
                elif not _texts_valid(body.get("name")):
                    errors["bodies"] = _("Each issuing body needs its name.")
                elif any(
                    key in body and not _texts_valid(body[key])
                    for key in ("superior", "capacity", "title")
                ):
                    errors["bodies"] = _("Texts are given per language.")
        recipients = self.recipients
        if not isinstance(recipients, list) or not all(_texts_valid(r) for r in recipients):
            errors["recipients"] = _("Each recipient is a text per language.")
        if errors:
            raise ValidationError(errors)


def report_file_path(instance: ReportFile, filename: str) -> str:
    return f"reports/{instance.version.review_id}/v{instance.version.number}/{filename}"


class ReportFileKind(models.TextChoices):
    GENERATED = "generated", _("Generated document")
    SIGNED_SCAN = "signed_scan", _("Signed scan")


class ReportFile(models.Model):
    """A file of an issued report: the documents Sinergi generated when it was issued, and the
    scan of the signed paper. Kept as they are; nothing changes them."""

    version = models.ForeignKey(
        ReportVersion,
        verbose_name=_("report version"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReportFileKind.choices)
    language = models.CharField(_("language"), max_length=8, blank=True)
    file_format = models.CharField(_("format"), max_length=10)
    file = models.FileField(_("file"), upload_to=report_file_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    audit_hidden_fields = ("version", "file", "added_by", "added_at")

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["version_id", "kind", "language", "file_format"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("reviews:report_file_download", args=[self.pk])
