"""Import batches (an uploaded file, its dry run, commit and undo) and mapping templates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be checked")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked, ready to import")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed")
    UNDONE = "undone", _("Undone")


RUNNING = (BatchStatus.QUEUED, BatchStatus.CHECKING, BatchStatus.COMMITTING)


class ImportBatch(models.Model):
    """One uploaded file on its way into the registry, and what importing it did."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    kind = models.CharField(_("file kind"), max_length=10)
    report_date = models.DateField(_("reporting date"), null=True, blank=True)
    date_from_title = models.BooleanField(default=False)
    # Column index (as text) -> target code; empty means "as recognised from the headers".
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    only_valid = models.BooleanField(_("import only the valid rows"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    # The dry run's findings: counts, errors, warnings, skipped rows, headers and mapping used.
    report = models.JSONField(_("report"), default=dict, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # What the commit did, so it can be undone: ids created, values before each update.
    undo_data = models.JSONField(default=dict, blank=True, editable=False)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    failure = models.TextField(_("failure"), blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:batch_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING


class ImportTemplate(models.Model):
    """A saved column mapping: header text (as compared) -> target code."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    mapping = models.JSONField(_("column mapping"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("import template")
        verbose_name_plural = _("import templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
