"""Units (the bodies and their departments) and the people who sign in."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.choices import Role, UnitKind


class Unit(models.Model):
    """A body (the top of a tree) or one of its departments."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The top-level unit of this unit's tree; set by the services, so "same body" is one comparison.
    body = models.ForeignKey(
        "self",
        verbose_name=_("body"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="members",
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["body_id", "parent_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="unit_not_own_parent",
                violation_error_message=_("A unit cannot be its own parent."),
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:unit_detail", args=[self.pk])

    def ancestors(self) -> list[Unit]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def descendant_ids(self) -> set[int]:
        """Ids of this unit and every unit below it."""
        ids, frontier = {self.pk}, [self.pk]
        while frontier:
            frontier = list(
                Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
            )
            ids.update(frontier)
        return ids


class SinergiUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `sinergi createsuperuser` makes the first administrator, who needs no unit.
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in; belongs to one unit and has one role."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    position = models.CharField(_("position"), max_length=120, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    is_demo = models.BooleanField(
        _("demo account"), default=False, help_text=_("Created by the demo data; not for real use.")
    )

    objects: ClassVar[SinergiUserManager] = SinergiUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(unit__isnull=False),
                name="user_unit_required_unless_admin",
                violation_error_message=_("Every user except an administrator belongs to a unit."),
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.role != Role.ADMIN and self.unit_id is None:
            raise ValidationError(
                {"unit": _("Every user except an administrator belongs to a unit.")}
            )

    @property
    def is_admin(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and self.role == Role.COORDINATOR

    @property
    def is_editor(self) -> bool:
        return self.is_active and self.role == Role.EDITOR

    @property
    def body_id(self) -> int | None:
        unit = self.unit if self.unit_id else None
        return unit.body_id if unit is not None else None
