"""Insight pages per persona: everyone signed in reads; coordinators and admins act."""

from __future__ import annotations

from django.urls import reverse

from sinergi.core.testing import ACCOUNT_READERS, EVERYONE, signed_in
from sinergi.insight.models import QualityRule


def cases(world) -> list[tuple[str, str, dict]]:
    rule = QualityRule.objects.order_by("pk").first()
    if rule is None:
        # A transactional test before this one flushed the rules the migration installs.
        from sinergi.core.services import SYSTEM
        from sinergi.insight.services import quality_rule_save

        rule = quality_rule_save(
            actor=SYSTEM,
            data={"name": "Zone set", "left": "zone", "operator": "is_set", "right": ""},
        )
    return [
        ("insight:dashboard", reverse("insight:dashboard"), signed_in(EVERYONE)),
        ("insight:trend_chart", reverse("insight:trend_chart"), signed_in(EVERYONE)),
        (
            "insight:coverage_chart",
            reverse("insight:coverage_chart", args=["ownership"]),
            signed_in(EVERYONE),
        ),
        ("insight:gap_list", reverse("insight:gap_list"), signed_in(EVERYONE)),
        ("insight:gap_export", reverse("insight:gap_export", args=["csv"]), signed_in(EVERYONE)),
        (
            "insight:gap_task_create",
            reverse("insight:gap_task_create"),
            signed_in(ACCOUNT_READERS),
        ),
        ("insight:quality", reverse("insight:quality"), signed_in(EVERYONE)),
        ("insight:rule_create", reverse("insight:rule_create"), signed_in(ACCOUNT_READERS)),
        (
            "insight:rule_update",
            reverse("insight:rule_update", args=[rule.pk]),
            signed_in(ACCOUNT_READERS),
        ),
    ]
