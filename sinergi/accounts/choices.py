from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class UnitKind(models.TextChoices):
    BODY = "body", _("Body")
    DEPARTMENT = "department", _("Department")
    COMMITTEE = "committee", _("Committee")
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")


# The password of every demo account (`sinergi demo`); the sign-in page of a deployment with the
# demo loaded shows it.
DEMO_PASSWORD = "sinergi-demo"
