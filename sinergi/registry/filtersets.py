"""One filterset per list, shared by the page, its CSV export and (later) the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from sinergi.core.text import search_key
from sinergi.registry.choices import EnterpriseStatus, Ownership
from sinergi.registry.completeness import not_reported
from sinergi.registry.models import Enterprise, OrganisationType, Zone


class FastSelect(forms.Select):
    """A select rendered in one pass instead of one template per option: a zone filter over
    hundreds of zones otherwise costs more than the rest of the page (measured in bench/)."""

    def __init__(self, attrs=None, choices=(), label_field: str | None = None):
        super().__init__(attrs, choices)
        # With a model choice field whose labels are this field of its model: read (key,
        # label) pairs with one plain query instead of building a model instance per option.
        self.label_field = label_field

    def _options(self):
        choices = self.choices
        field = getattr(choices, "field", None)
        plain = getattr(field, "null_label", None) is None  # django-filter's extra option
        if self.label_field and isinstance(choices, ModelChoiceIterator) and plain:
            head = [] if field.empty_label is None else [("", field.empty_label)]
            key = field.to_field_name or "pk"
            return [*head, *field.queryset.values_list(key, self.label_field)]
        return choices

    def render(self, name, value, attrs=None, renderer=None):
        from html import escape

        from django.utils.safestring import mark_safe

        final = self.build_attrs(self.attrs, attrs)
        selected = "" if value is None else str(value)
        parts = [f'<select name="{escape(name)}"']
        parts += [f' {escape(k)}="{escape(str(v))}"' for k, v in final.items() if v]
        parts.append(">")
        for key, label in self._options():
            key = str(key)
            mark = " selected" if key == selected else ""
            parts.append(f'<option value="{escape(key)}"{mark}>{escape(str(label))}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value above is escaped


def workforce_band_choices() -> list[tuple[str, str]]:
    bounds = settings.SINERGI_WORKFORCE_BANDS
    choices = []
    for low, high in zip(bounds, [*bounds[1:], None], strict=True):
        key = f"{low}-{high - 1}" if high else f"{low}+"
        choices.append((key, key.replace("-", "–")))
    return choices


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    zone = django_filters.ModelChoiceFilter(
        queryset=Zone.objects.order_by("name"),
        method="filter_zone",
        label=_("Zone"),
        empty_label=_("All"),
        widget=FastSelect(label_field="name"),  # a zone's label is its name (Zone.__str__)
    )
    ownership = django_filters.MultipleChoiceFilter(
        choices=Ownership.choices,
        label=_("Ownership"),
        widget=forms.CheckboxSelectMultiple,
        # One row's own column: no join can repeat a row, so no DISTINCT (at national scale
        # a DISTINCT over every column made the list's count several times slower).
        distinct=False,
    )
    status = django_filters.ChoiceFilter(
        choices=EnterpriseStatus.choices, label=_("Status"), empty_label=_("All")
    )
    has = django_filters.ModelMultipleChoiceFilter(
        queryset=OrganisationType.objects.all(),
        to_field_name="code",
        method="filter_has",
        label=_("Has organisation"),
        widget=forms.CheckboxSelectMultiple,
    )
    lacks = django_filters.ModelMultipleChoiceFilter(
        queryset=OrganisationType.objects.all(),
        to_field_name="code",
        method="filter_lacks",
        label=_("Lacks organisation"),
        widget=forms.CheckboxSelectMultiple,
    )
    workforce = django_filters.ChoiceFilter(
        choices=workforce_band_choices,
        method="filter_workforce",
        label=_("Workers"),
        empty_label=_("All"),
    )
    not_reported = django_filters.DateFilter(
        method="filter_not_reported",
        label=_("No figures for the reporting date"),
        help_text=_("Enterprises operating on this date that have no figures for it."),
    )

    class Meta:
        model = Enterprise
        fields = ["q", "zone", "ownership", "status", "has", "lacks", "workforce", "not_reported"]

    def filter_search(self, queryset, name, value):
        """Every word must appear, accents and case ignored: "dong pho moi" finds "Đông Phố Mới"."""
        words = search_key(value).split()
        zone_keys = {
            pk: search_key(name, short_name, *aliases)
            for pk, name, short_name, aliases in Zone.objects.values_list(
                "pk", "name", "short_name", "aliases"
            )
        }
        condition = Q()
        for word in words:
            in_zones = [pk for pk, key in zone_keys.items() if word in key]
            condition &= Q(search_text__contains=word) | Q(zone_id__in=in_zones)
        return queryset.filter(condition) if words else queryset

    def filter_zone(self, queryset, name, zone):
        return queryset.filter(zone_id__in=zone.descendant_ids()) if zone else queryset

    def filter_has(self, queryset, name, types):
        for org_type in types:
            queryset = queryset.having_organisation(org_type, present=True)
        return queryset

    def filter_lacks(self, queryset, name, types):
        for org_type in types:
            queryset = queryset.having_organisation(org_type, present=False)
        return queryset

    def filter_not_reported(self, queryset, name, value):
        return not_reported(queryset, value) if value else queryset

    def filter_workforce(self, queryset, name, value):
        low, _sep, high = value.rstrip("+").partition("-")
        # latest_figure's workers, copied onto the enterprise (decision 0012): no join.
        queryset = queryset.filter(latest_workers__gte=int(low))
        return queryset.filter(latest_workers__lte=int(high)) if high else queryset
