"""One filterset per list, shared by the page, its CSV export and (later) the API."""

from __future__ import annotations

import functools
from collections.abc import Callable
from html import escape  # what django.utils.html.escape does, without its wrappers

import django_filters
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from sinergi.core.filtersets import LeanFilterSet
from sinergi.core.text import search_key
from sinergi.registry.choices import EnterpriseStatus, Ownership
from sinergi.registry.completeness import not_reported
from sinergi.registry.models import Enterprise, OrganisationType, Zone
from sinergi.registry.version import registry_version


def _options(choices, label_field: str | None, version: Callable[[], str] | None = None):
    """A choice widget's (key, label) pairs. A model choice field's are read with one query
    (Django's iterator counts the rows first and reads them through a server-side cursor on
    PostgreSQL: five round trips for four organisation types); with `label_field`, the field of
    its model that labels an option, as plain pairs instead of a model instance per option, and
    with `version` too, kept per version (see `_kept_pairs`)."""
    field = getattr(choices, "field", None)
    plain = getattr(field, "null_label", None) is None  # django-filter's extra option
    if not (isinstance(choices, ModelChoiceIterator) and plain):
        return choices
    head = [] if field.empty_label is None else [("", field.empty_label)]
    if label_field:
        key = field.to_field_name or "pk"
        return [*head, *_kept_pairs(field.queryset, key, label_field, version)]
    label = field.label_from_instance
    return [*head, *((field.prepare_value(obj), label(obj)) for obj in field.queryset.all())]


# How long a list of options is kept (a new registry version is a new key before that).
OPTIONS_SECONDS = 3600


def _kept_pairs(queryset, key: str, label_field: str, version: Callable[[], str] | None):
    """The queryset's (key, label) pairs. With `version` (the registry's, which every write
    moves: `registry_version`) and a queryset of every row of its model, they are kept in the
    cache per version: the zone filter's hundreds of zones cost a list page more than reading
    the version does (bench/README.md). A filtered queryset (a person's own zones) is read
    every time."""
    query = queryset.query
    if version is None or query.where or query.is_sliced:
        return list(queryset.values_list(key, label_field))
    order = ",".join(map(str, query.order_by))
    label = query.model._meta.label
    cache_key = f"filter-options:{version()}:{queryset.db}:{label}:{order}:{key}:{label_field}"
    return cache.get_or_set(
        cache_key, lambda: list(queryset.values_list(key, label_field)), OPTIONS_SECONDS
    )


def zone_search_keys() -> dict[int, str]:
    """Each zone's names (name, short name, aliases) as one search key, kept per registry
    version (a zone's write moves it): working out the national registry's 757 keys took
    3.5 ms of every search."""

    def keys() -> dict[int, str]:
        return {
            pk: search_key(name, short_name, *aliases)
            for pk, name, short_name, aliases in Zone.objects.values_list(
                "pk", "name", "short_name", "aliases"
            )
        }

    return cache.get_or_set(f"zone-search-keys:{registry_version()}", keys, OPTIONS_SECONDS)


def _attributes(attrs: dict) -> str:
    """A tag's attributes as Django's attrs.html writes them: True bare, False left out."""
    return "".join(
        f" {escape(k)}" if v is True else f' {escape(k)}="{escape(str(v))}"'
        for k, v in attrs.items()
        if v is not False
    )


def _chosen(types):
    """The organisation types a has / lacks filter chose. None chosen is the field's `none()`:
    nothing to read, but iterating it still builds its query (0.25 ms, twice a list page)."""
    return () if isinstance(types, QuerySet) and types.query.is_empty() else types


class FastSelect(forms.Select):
    """A select rendered in one pass instead of one template per option: a zone filter over
    hundreds of zones otherwise costs more than the rest of the page (measured in bench/)."""

    def __init__(
        self,
        attrs=None,
        choices=(),
        label_field: str | None = None,
        version: Callable[[], str] | None = None,
    ):
        super().__init__(attrs, choices)
        # With a model choice field whose labels are this field of its model: read (key,
        # label) pairs with one plain query instead of building a model instance per option;
        # with `version` as well, once per version of the registry (`_kept_pairs`).
        self.label_field = label_field
        self.version = version

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        head = f'<select name="{escape(name)}"{_attributes(final)}>'
        options = _options(self.choices, self.label_field, self.version)
        pairs = tuple((str(key), str(label)) for key, label in options)
        options, ends = _option_tags(pairs)
        at = ends.get("" if value is None else str(value))
        if at is not None:  # the chosen option's tag, marked
            options = f"{options[:at]} selected{options[at:]}"
        return mark_safe(f"{head}{options}</select>")  # every value is escaped


@functools.lru_cache(maxsize=64)
def _option_tags(pairs: tuple[tuple[str, str], ...]) -> tuple[str, dict[str, int]]:
    """A select's options written once per distinct list (the zone filter's hundreds of zones
    are the same on every page until a zone changes), and where each key's opening tag ends, to
    mark the chosen one there. The first of equal keys is the one marked."""
    parts, ends, length = [], {}, 0
    for key, label in pairs:
        tag = f'<option value="{escape(key)}"'
        ends.setdefault(key, length + len(tag))
        part = f"{tag}>{escape(label)}</option>"
        parts.append(part)
        length += len(part)
    return "".join(parts), ends


class FastCheckboxes(forms.CheckboxSelectMultiple):
    """Django's checkbox list, the same markup, written in one pass: its templates, one per
    option, cost a list page more than a millisecond per filter (measured in bench/). Choices in
    groups are left to Django."""

    def __init__(self, attrs=None, choices=(), label_field: str | None = None):
        super().__init__(attrs, choices)
        self.label_field = label_field  # as FastSelect's

    def render(self, name, value, attrs=None, renderer=None):
        options = list(_options(self.choices, self.label_field))
        if any(isinstance(label, list | tuple) for _key, label in options):
            return super().render(name, value, attrs, renderer)
        final = self.build_attrs(self.attrs, attrs)
        chosen = set(self.format_value(value))
        box = final.get("id")
        parts = ["<div"]
        if box:
            parts.append(f' id="{escape(str(box))}"')
        if final.get("class"):
            parts.append(f' class="{escape(str(final["class"]))}"')
        parts.append(">")
        for index, (key, label) in enumerate(options):
            key = "" if key is None else key
            option = self.create_option(name, key, label, str(key) in chosen, index, attrs=final)
            marks = _attributes(option["attrs"])
            parts.append("<div>\n    <label")
            if option["attrs"].get("id"):
                parts.append(f' for="{escape(str(option["attrs"]["id"]))}"')
            parts.append(
                f'><input type="checkbox" name="{escape(name)}" value="{escape(str(key))}"{marks}>'
                f"\n {escape(str(label))}</label>\n\n</div>"
            )
        parts.append("\n</div>")
        return mark_safe("".join(parts))  # every value above is escaped


# Enterprises of this many workers or more are few in any registry (5.9 % of the national
# demo's from 200 up): a workforce band from here narrows the list (EnterpriseFilterSet.narrow).
# Over the national demo on SQLite, the type's holders as one list against a lookup per
# enterprise: 200-999 workers 31.0 against 5.1 ms (with a trade union), 10.8 against 5.2
# (without); 50-199 workers 38.6 against 22.3 and 20.5 against 21.7; 10-49 workers 38.4 against
# 42.3 and 35.9 against 44.8 (bench/README.md).
NARROW_WORKFORCE = 200


def workforce_band(value: str) -> tuple[int, int | None]:
    """A workforce choice ("50-199", "1000+") as its lowest and highest workers (None: no top)."""
    low, _sep, high = value.rstrip("+").partition("-")
    return int(low), int(high) if high else None


def workforce_band_choices() -> list[tuple[str, str]]:
    bounds = settings.SINERGI_WORKFORCE_BANDS
    choices = []
    for low, high in zip(bounds, [*bounds[1:], None], strict=True):
        key = f"{low}-{high - 1}" if high else f"{low}+"
        choices.append((key, key.replace("-", "–")))
    return choices


class EnterpriseFilterSet(LeanFilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    zone = django_filters.ModelChoiceFilter(
        queryset=Zone.objects.order_by("name"),
        method="filter_zone",
        label=_("Zone"),
        empty_label=_("All"),
        # A zone's label is its name (Zone.__str__); every zone write moves the version.
        widget=FastSelect(label_field="name", version=registry_version),
    )
    ownership = django_filters.MultipleChoiceFilter(
        choices=Ownership.choices,
        label=_("Ownership"),
        widget=FastCheckboxes,
        # One row's own column: no join can repeat a row, so no DISTINCT (at national scale
        # a DISTINCT over every column made the list's count several times slower).
        distinct=False,
    )
    status = django_filters.ChoiceFilter(
        choices=EnterpriseStatus.choices,
        label=_("Status"),
        empty_label=_("All"),
        widget=FastSelect,
    )
    has = django_filters.ModelMultipleChoiceFilter(
        queryset=OrganisationType.objects.all(),
        to_field_name="code",
        method="filter_has",
        label=_("Has organisation"),
        widget=FastCheckboxes,
    )
    lacks = django_filters.ModelMultipleChoiceFilter(
        queryset=OrganisationType.objects.all(),
        to_field_name="code",
        method="filter_lacks",
        label=_("Lacks organisation"),
        widget=FastCheckboxes,
    )
    workforce = django_filters.ChoiceFilter(
        choices=workforce_band_choices,
        method="filter_workforce",
        label=_("Workers"),
        empty_label=_("All"),
        widget=FastSelect,
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
        zone_keys = zone_search_keys()
        condition = Q()
        for word in words:
            in_zones = [pk for pk, key in zone_keys.items() if word in key]
            condition &= Q(search_text__contains=word) | Q(zone_id__in=in_zones)
        return queryset.filter(condition) if words else queryset

    def filter_zone(self, queryset, name, zone):
        return queryset.filter(zone_id__in=zone.descendant_ids()) if zone else queryset

    def narrow(self) -> bool:
        """Whether the filters chosen keep few enterprises, read from an index: a zone, a
        status other than operating, or a workforce band from NARROW_WORKFORCE workers up (how
        SQLite is best asked for organisations: `holding`)."""
        data = getattr(self.form, "cleaned_data", {})
        status = data.get("status")
        band = data.get("workforce")
        return (
            bool(data.get("zone"))
            or bool(status and status != EnterpriseStatus.OPERATING)
            or bool(band and workforce_band(band)[0] >= NARROW_WORKFORCE)
        )

    def known_flags(self) -> dict[str, bool]:
        """The organisation flags (has_<code>) the has / lacks filters fix for every row: the
        list sorted by one of them is one group (`sort_groups`)."""
        data = getattr(self.form, "cleaned_data", {})
        known = {t.flag: False for t in _chosen(data.get("lacks", ()))}
        return known | {t.flag: True for t in _chosen(data.get("has", ()))}

    def filter_has(self, queryset, name, types):
        for org_type in _chosen(types):
            queryset = queryset.having_organisation(org_type, True, self.narrow())
        return queryset

    def filter_lacks(self, queryset, name, types):
        for org_type in _chosen(types):
            queryset = queryset.having_organisation(org_type, False, self.narrow())
        return queryset

    def filter_not_reported(self, queryset, name, value):
        return not_reported(queryset, value) if value else queryset

    def filter_workforce(self, queryset, name, value):
        low, high = workforce_band(value)
        # latest_figure's workers, copied onto the enterprise (decision 0012): no join.
        queryset = queryset.filter(latest_workers__gte=low)
        return queryset.filter(latest_workers__lte=high) if high is not None else queryset
