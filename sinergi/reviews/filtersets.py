"""One filterset per list, shared by the page and (later) the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from sinergi.programs.models import Program
from sinergi.reviews.choices import ReviewKind
from sinergi.reviews.models import Review


def _programs(request):
    return Program.objects.visible_to(request.user) if request else Program.objects.none()


class ReviewFilterSet(django_filters.FilterSet):
    program = django_filters.ModelChoiceFilter(label=_("Program"), queryset=_programs)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ReviewKind.choices)

    class Meta:
        model = Review
        fields = ["program", "kind"]
