"""Shared machinery: the audit trail. Domain models live in the domain apps."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    RECORD = "record", _("recorded")
    PASSWORD = "password", _("password changed")
    PREFERENCE = "preference", _("preference changed")


def _blank(value):
    """None, "" and [] all mean "no value" when comparing before and after."""
    return None if value in (None, "", []) else value


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> AuditEntryQuerySet:
        """Admins see every entry; coordinators their body's; everyone else their own unit's."""
        if user.is_admin:
            return self
        if user.is_coordinator:
            return self.filter(actor_unit__body_id=user.unit.body_id)
        return self.filter(actor_unit_id=user.unit_id)

    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class AuditEntry(models.Model):
    """One write: who did what to which object, with the values before and after."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    actor_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        on_delete=models.PROTECT,
        db_index=False,  # the (content_type, object_id, -at) index serves lookups by type
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for every field whose value differs."""
        before, after = self.before or {}, self.after or {}
        model = self.content_type.model_class()
        hidden = {"id", *getattr(model, "audit_hidden_fields", ())}
        rows = []
        for key in dict.fromkeys([*before, *after]):
            old, new = _blank(before.get(key)), _blank(after.get(key))
            if old != new and key not in hidden and key.removesuffix("_id") not in hidden:
                rows.append((self._label(key), old, new))
        return rows

    def _label(self, key: str) -> str:
        """The field's verbose name in the current language ("zone_id" -> "zone")."""
        model = self.content_type.model_class()
        if model is None:
            return key
        for name in (key, key.removesuffix("_id")):
            try:
                verbose = getattr(model._meta.get_field(name), "verbose_name", None)
            except FieldDoesNotExist:
                continue
            if verbose is not None:
                return str(verbose)
        return key

    def object_url(self) -> str:
        """The object's page, built from the entry's own snapshot so a list costs no queries."""
        model = self.content_type.model_class()
        if model is None or self.action == AuditAction.DELETE:
            return ""
        if not hasattr(model, "get_absolute_url"):
            return ""
        attnames = {f.attname for f in model._meta.concrete_fields}
        values = {k: v for k, v in (self.after or self.before or {}).items() if k in attnames}
        values[model._meta.pk.attname] = self.object_id
        try:
            return str(model(**values).get_absolute_url())  # type: ignore[attr-defined]
        except (NoReverseMatch, TypeError, ValueError):
            return ""
