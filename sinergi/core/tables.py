from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import AuditEntry


class AuditEntryTable(tables.Table):
    at = tables.DateTimeColumn(verbose_name=_("Time"), format="SHORT_DATETIME_FORMAT")
    actor = tables.Column(verbose_name=_("User"), default="—")
    actor_unit = tables.Column(verbose_name=_("Unit"), default="—")
    action = tables.Column(verbose_name=_("Action"))
    content_type = tables.Column(verbose_name=_("Object type"), orderable=False)
    object_repr = tables.TemplateColumn(
        template_name="core/_audit_object_cell.html", verbose_name=_("Object"), orderable=False
    )
    changes = tables.TemplateColumn(
        template_name="core/_audit_changes_cell.html", verbose_name=_("Changes"), orderable=False
    )

    class Meta:
        model = AuditEntry
        fields = ("at", "actor", "actor_unit", "action", "content_type", "object_repr", "changes")
        order_by = ("-at",)
        per_page_field = "table_per_page"

    def render_content_type(self, value):
        model = value.model_class()
        return model._meta.verbose_name if model else value.model
