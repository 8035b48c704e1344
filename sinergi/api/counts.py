"""The registry's counts over the API: the same numbers as the dashboard, the review report and
the computed indicators, because all of them read `registry.counting`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.registry import counting
from sinergi.registry.models import OrganisationType, Zone


class CountsQuerySerializer(serializers.Serializer):
    date = serializers.DateField(
        required=False, help_text=_("The day counted (today when omitted).")
    )
    zone = serializers.PrimaryKeyRelatedField(
        queryset=Zone.objects.all(),
        required=False,
        help_text=_("A zone: it and every zone below it (every enterprise when omitted)."),
    )
    known_at = serializers.DateTimeField(
        required=False,
        help_text=_(
            "Read the figures as the registry knew them at this moment (now when omitted)."
        ),
    )
    start = serializers.DateField(
        required=False,
        help_text=_(
            "First day of a period ending on `date`: adds the newly admitted members and "
            "the organisations founded in it."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        day = attrs.get("date") or timezone.localdate()
        if attrs.get("start") and attrs["start"] > day:
            raise serializers.ValidationError(
                {"start": _("The period cannot end before it starts.")}
            )
        return attrs


class TypeCountsSerializer(serializers.Serializer):
    code = serializers.CharField()
    with_organisation = serializers.IntegerField(
        help_text=_("Operating enterprises with an organisation of the type recorded, active then.")
    )
    coverage = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    eligible = serializers.IntegerField(
        help_text=_("Enterprises whose reported figures meet the type's founding rule.")
    )
    eligible_with = serializers.IntegerField()
    eligible_share = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    founded = serializers.IntegerField(allow_null=True)


class CountsSerializer(serializers.Serializer):
    date = serializers.DateField()
    zone = serializers.IntegerField(allow_null=True)
    known_at = serializers.DateTimeField(allow_null=True)
    start = serializers.DateField(allow_null=True)
    enterprises = serializers.IntegerField(help_text=_("Enterprises operating on the date."))
    by_ownership = serializers.DictField(child=serializers.IntegerField())
    reporting_figures = serializers.IntegerField(
        help_text=_(
            "Operating enterprises with figures on or before the date; members are "
            "summed over these."
        )
    )
    members = serializers.DictField(child=serializers.IntegerField())
    newly_admitted = serializers.IntegerField(allow_null=True)
    organisation_types = TypeCountsSerializer(many=True)


@extend_schema(parameters=[CountsQuerySerializer], responses=CountsSerializer)
class CountsView(APIView):
    """Counts on a date over a zone's subtree: operating enterprises by ownership, those
    reporting figures, members by kind, enterprises with each organisation type, coverage."""

    name = _("Counts on a date")

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))

    def get(self, request: Request) -> Response:
        query = CountsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        day = params.get("date") or timezone.localdate()
        zone = params.get("zone")
        start = params.get("start")
        types = list(OrganisationType.objects.all())
        counts = counting.in_subtree(
            day, zone, known_at=params.get("known_at"), start=start, types=types
        )
        data = {
            "date": day,
            "zone": zone.pk if zone else None,
            "known_at": params.get("known_at"),
            "start": start,
            "enterprises": counts.enterprises,
            "by_ownership": dict(counts.by_ownership),
            "reporting_figures": counts.reported,
            "members": counts.members,
            "newly_admitted": counts.newly_admitted if start else None,
            "organisation_types": [
                {
                    "code": t.code,
                    "with_organisation": counts.with_organisation[t.pk],
                    "coverage": counts.coverage(t.pk),
                    "eligible": counts.eligible[t.pk],
                    "eligible_with": counts.eligible_with[t.pk],
                    "eligible_share": counts.eligible_share(t.pk),
                    "founded": counts.founded[t.pk] if start else None,
                }
                for t in types
            ],
        }
        return Response(CountsSerializer(data).data)
