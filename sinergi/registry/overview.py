"""Headline figures of the registry for the overview page."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from sinergi.registry.choices import EnterpriseStatus
from sinergi.registry.models import Enterprise, OrganisationType, Zone


def overview_figures() -> dict:
    """Counts over operating enterprises, using each one's newest figures."""
    operating = Enterprise.objects.filter(status=EnterpriseStatus.OPERATING)
    totals = operating.aggregate(
        enterprises=Count("id"),
        workers=Sum("latest_figure__workers"),
        party_members=Sum("latest_figure__party_members"),
        union_members=Sum("latest_figure__union_members"),
        youth_members=Sum("latest_figure__youth_members"),
    )
    types = list(OrganisationType.objects.all())
    flagged = operating.with_organisation_flags(types)
    coverage = (
        flagged.aggregate(**{t.code: Count("id", filter=Q(**{t.flag: True})) for t in types})
        if types
        else {}
    )
    return {
        "totals": totals,
        "zones": Zone.objects.exclude(kind="province").count(),
        "coverage": [
            {
                "type": t,
                "count": coverage.get(t.code, 0),
                "share": _share(coverage.get(t.code, 0), totals["enterprises"]),
            }
            for t in types
        ],
    }


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0
