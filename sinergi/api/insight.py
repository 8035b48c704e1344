"""The dashboard in the API: the same figures as the overview page, from the same functions
(insight.views.dashboard_context), in JSON. Query parameters as on the page: `zone` (an id or
`all`), `cover` (an organisation type code, for the map), `sort`, `date` (a reporting date, for
completeness by zone) and `year` (a program year, for the indicators)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.api.viewsets import LoginNotRequiredMixin
from sinergi.insight.views import dashboard_context

PARAMETERS = [
    OpenApiParameter("zone", str, description="A zone id, or `all` (the default for most roles)."),
    OpenApiParameter("cover", str, description="Organisation type code the map is shaded by."),
    OpenApiParameter("sort", str, description="Order of the compared zones, e.g. `-party`."),
    OpenApiParameter("date", str, description="Reporting date (YYYY-MM-DD) for completeness."),
    OpenApiParameter("year", str, description="Program year of the indicator panel."),
]


def _scope(context: dict) -> dict[str, Any]:
    zone, snapshot = context["zone"], context["snapshot"]
    return {
        "zone": {"id": zone.pk, "name": zone.name} if zone else None,
        "figures_as_of": snapshot.figures_as_of,
        "computed_at": snapshot.computed_at,
        "stale": context["stale"],
    }


def _coverage(rows: list[dict]) -> list[dict[str, Any]]:
    return [
        {
            "label": row["label"],
            **({"zone_id": row["zone_id"]} if "zone_id" in row else {"key": row.get("key")}),
            "enterprises": row.get("enterprises", 0),
            "party_members": row.get("party_members", 0),
            "union_members": row.get("union_members", 0),
            "with_organisation": {
                c["code"]: {"count": c["count"], "share": c["share"]} for c in row["with"]
            },
            "could_found": {c["code"]: c["count"] for c in row["gaps"]},
        }
        for row in rows
    ]


def _reporting(context: dict) -> dict[str, Any]:
    reporting = context["reporting"]
    keep = ("date", "expected", "reported", "on_time", "missing", "share", "on_time_share")
    return {
        "due_days": context.get("due_days"),
        "dates": [{k: row[k] for k in keep} for row in reporting["dates"]],
        "date": reporting["date"],
        "zones": [
            {
                k: row[k]
                for k in ("zone_id", "label", "expected", "reported", "on_time", "missing", "share")
            }
            for row in reporting["zones"]
        ],
    }


def _map(context: dict) -> dict[str, Any]:
    return {
        "cover": context["cover"],
        "zones": [
            {
                "id": z.pk,
                "name": z.name,
                "label": z.label,
                "latitude": z.latitude,
                "longitude": z.longitude,
                "area_ha": z.area_ha,
                "boundary": z.boundary,
                "enterprises": z.enterprises,
                "with_organisation": z.with_type,
                "share": round(z.share, 1) if z.share is not None else None,
                "compared_zone": z.group,
                "compared_zone_name": z.group_label,
            }
            for z in context["map_zones"]
        ],
        # The operating enterprises with a location, on the map of one park or zone (none when
        # more than `points_over`; on a wider map `points_elsewhere` says whether any exist).
        "enterprises": [
            {
                "id": p.pk,
                "name": p.name,
                "latitude": p.latitude,
                "longitude": p.longitude,
                "with_organisation": p.has_type,
            }
            for p in context["map_points"]
        ],
        "points_over": context["points_over"],
        "points_elsewhere": context["points_elsewhere"],
    }


def _indicators(context: dict) -> dict[str, Any]:
    panel = context["indicators"]
    return {
        "year": panel["year"],
        "years": panel["years"],
        "rows": [
            {
                "program": row["program"].title,
                "indicator": row["indicator"].pk,
                "code": row["indicator"].code,
                "name": row["indicator"].name,
                "target": row["target"],
                "actual": row["actual"],
                "met": row["met"],
                "behind": row["behind"],
            }
            for row in panel["rows"]
        ],
    }


class DashboardView(LoginNotRequiredMixin, APIView):
    """The overview: key figures, the compared zones, coverage by ownership and workforce band,
    the trend, reporting completeness, the map's zones and the indicator panel."""

    name = gettext_lazy("Overview")

    @extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        context = dashboard_context(request)
        return Response(
            {
                **_scope(context),
                "cards": [
                    {
                        "key": c["key"],
                        "label": str(c["label"]),
                        "value": c["value"],
                        "change": c["change"],
                        "since": c.get("since"),
                    }
                    for c in context["cards"]
                ],
                "compared": {"id": context["compared"].pk, "name": context["compared"].name}
                if context["compared"]
                else None,
                "zones": _coverage(context["by_zone"]),
                "ownership": _coverage(context["by_ownership"]),
                "workforce": _coverage(context["by_band"]),
                "trend": context["data"]["trend"],
                "reporting": _reporting(context),
                "map": _map(context),
                "indicators": _indicators(context),
            }
        )


class CompletenessView(LoginNotRequiredMixin, APIView):
    """Reporting completeness: per reporting date, and per compared zone for one date. The
    enterprises that did not report: `/api/enterprises/?not_reported=<date>&zone=<id>`."""

    name = gettext_lazy("Reporting completeness")

    @extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        context = dashboard_context(request)
        return Response({**_scope(context), **_reporting(context)})


class MapView(LoginNotRequiredMixin, APIView):
    """The map's zones: geometry (point, area, boundary) and the counts they are shaded by."""

    name = gettext_lazy("Map of the zones")

    @extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        context = dashboard_context(request)
        return Response({**_scope(context), **_map(context)})
