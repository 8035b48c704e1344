"""Registry pages: thin views over the filtersets, queries and services of this app."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from sinergi.core import paging
from sinergi.core.charts import chart_src
from sinergi.core.downloads import download
from sinergi.core.formatting import Shown
from sinergi.core.models import AuditAction, AuditEntry
from sinergi.core.tables import filters_panel
from sinergi.core.views import ServiceFormView, object_history
from sinergi.registry import charts, exporting, permissions, services
from sinergi.registry.activities import of as activities_of
from sinergi.registry.choices import FIGURE_FIELDS, FIGURE_FLAGS, FIGURE_VALUES
from sinergi.registry.filtersets import EnterpriseFilterSet
from sinergi.registry.forms import (
    EnterpriseForm,
    EnterpriseStatusChangeForm,
    FigureForm,
    OfficerForm,
    OrganisationForm,
    OrganisationTypeForm,
    ZoneForm,
)
from sinergi.registry.models import (
    Enterprise,
    Figure,
    Organisation,
    OrganisationOfficer,
    OrganisationType,
    Zone,
    has_active_organisation,
)
from sinergi.registry.reporting import reporting_date_due
from sinergi.registry.tables import EnterpriseTable, PageRowsData, sort_groups
from sinergi.registry.zonetree import zone_tree

# The import batch model, as the registry's own relation names it (imports sit above registry).
IMPORT_BATCH = Enterprise._meta.get_field("created_by_import").related_model

# The enterprise fields the list's table reads.
LIST_FIELDS = ("id", "name", "tax_id", "zone", "ownership", "status", "latest_workers")
# How long a list's HTML is kept for its registry version (a new version is a new key).
LIST_HTML_SECONDS = 600

# --- Zones ------------------------------------------------------------------------------------


def _page_size(request, default: int = 25) -> int:
    """`?per_page=`, 10 to 200, as on every list."""
    try:
        return max(10, min(200, int(request.GET.get("per_page", default))))
    except ValueError:
        return default


def zone_list(request):
    """The zone tree a page at a time (a national tree has hundreds of zones): the counts are
    rolled up over the whole tree first, so a page shows the same numbers as the whole list."""
    types = list(OrganisationType.objects.all())
    tree = zone_tree(types)
    page = Paginator(tree, _page_size(request)).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/zone_list.html",
        {
            "tree": tree,
            "page": page,
            "org_types": types,
            "can_manage": permissions.can_manage_zones(request.user),
        },
    )


def zone_detail(request, pk: int):
    zone = get_object_or_404(Zone.objects.select_related("parent", "managing_unit"), pk=pk)
    types = list(OrganisationType.objects.all())
    rows = [row for row in zone_tree(types) if row["zone"].pk in zone.descendant_ids()]
    return render(
        request,
        "registry/zone_detail.html",
        {
            "zone": zone,
            "rows": rows,
            "org_types": types,
            "can_manage": permissions.can_manage_zones(request.user),
        },
    )


class ZoneCreateView(ServiceFormView):
    form_class = ZoneForm
    template_name = "registry/zone_form.html"
    success_message = gettext_lazy("Zone saved.")

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_manage_zones(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        return services.zone_create(actor=self.request.user, data=form.cleaned_data)


class ZoneUpdateView(ZoneCreateView):
    def get_form_kwargs(self):
        self.zone = get_object_or_404(Zone, pk=self.kwargs["pk"])
        return {**super().get_form_kwargs(), "instance": Zone.objects.get(pk=self.zone.pk)}

    def perform(self, form):
        return services.zone_update(actor=self.request.user, zone=self.zone, data=form.cleaned_data)


def zone_history(request, pk: int):
    zone = get_object_or_404(Zone, pk=pk)
    return object_history(request, zone, AuditEntry.objects.for_object(zone))


def organisation_type_list(request):
    """The organisation types and the founding rule of each, with its source."""
    types = OrganisationType.objects.all()
    labels = {f: Figure._meta.get_field(f).verbose_name for f in FIGURE_FIELDS}
    rows = [
        {
            "type": t,
            "conditions": [(labels[c["field"]], c["min"]) for c in t.rule_conditions()],
            "potential": [(labels[c["field"]], c["min"]) for c in t.potential_conditions()],
        }
        for t in types
    ]
    return render(
        request,
        "registry/organisationtype_list.html",
        {"rows": rows, "can_manage": permissions.can_manage_zones(request.user)},
    )


class OrganisationTypeCreateView(ServiceFormView):
    """Administrators keep the organisation types and their founding rules."""

    form_class = OrganisationTypeForm
    template_name = "registry/organisationtype_form.html"
    org_type = None

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_manage_zones(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        saved = services.organisation_type_save(
            actor=self.request.user, data=form.service_data(), org_type=self.org_type
        )
        if saved.gaps_refreshed:
            messages.success(
                self.request,
                _("Organisation type saved. The rule changed: the gap list was refreshed."),
            )
        else:
            messages.success(self.request, _("Organisation type saved."))
        return saved

    def get_success_url(self):
        return reverse("registry:organisationtype_list")


class OrganisationTypeUpdateView(OrganisationTypeCreateView):
    def dispatch(self, request, *args, **kwargs):
        self.org_type = get_object_or_404(OrganisationType, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # The form validates a copy, so the service still sees the stored rule as "before".
        return {
            **super().get_form_kwargs(),
            "instance": OrganisationType.objects.get(pk=self.org_type.pk),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "org_type": self.org_type}


# --- Enterprises ------------------------------------------------------------------------------


class EnterpriseListView(SingleTableMixin, FilterView):
    """Enterprise list: search, filters, sorting, paging; the same filters drive the CSV export."""

    template_name = "registry/enterprise_list.html"
    filterset_class = EnterpriseFilterSet
    table_class = EnterpriseTable
    paginate_by = 25

    def paginate_queryset(self, queryset, page_size):
        # The table paginates (one COUNT over 100k rows); the list view must not count again.
        return (None, None, queryset, False)

    @cached_property
    def paginator_class(self):
        # The total, cached until the registry changes (core.paging).
        return paging.list_paginator()

    def get_queryset(self):
        # Lean: the filters, the order, the count and the page's ids need no joins, and an
        # organisation flag only as an alias, for the sort that names it; `get_table_data` loads
        # the page. Building the four flags' subqueries on every request cost a tenth of a
        # list page (bench/README.md).
        self.org_types = list(OrganisationType.objects.all())
        sorts = {part.strip().lstrip("-") for part in self.request.GET.get("sort", "").split(",")}
        today = timezone.localdate()
        return Enterprise.objects.alias(
            **{
                t.flag: has_active_organisation(t, today)
                for t in self.org_types
                if f"has_{t.code}" in sorts  # the flag's column, as EnterpriseTable names it
            }
        )

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        # The organisation checkboxes from the types read above, not read again per widget.
        for name in ("has", "lacks"):
            field = filterset.form.fields[name]
            field.widget.choices = [
                (field.prepare_value(t), field.label_from_instance(t)) for t in self.org_types
            ]
        return filterset

    def get_table_data(self):
        types = self.org_types
        return PageRowsData(
            super().get_table_data(),
            load=self._load_rows,
            groups=lambda order: sort_groups(
                order, types, self.filterset.narrow(), self.filterset.known_flags()
            ),
            version=self.paginator_class.version,
        )

    def _load_rows(self, ids):
        """The page's enterprises by id, each with `has_<code>` as `with_organisation_flags`
        sets it, read in one query over the page's organisations (per-row EXISTS subqueries
        may be planned as scans of every organisation of the type)."""
        # Only what the table shows (no JSON fields to decode, no figure row: the workers are
        # the copy on the enterprise, decision 0012).
        rows = (
            Enterprise.objects.select_related("zone")
            .only(*LIST_FIELDS, "zone__name", "zone__short_name")
            .in_bulk(ids)
        )
        present = set(
            Organisation.objects.active_on(timezone.localdate())
            .filter(enterprise_id__in=ids)
            .values_list("enterprise_id", "type_id")
        )
        for pk, row in rows.items():
            for org_type in self.org_types:
                setattr(row, org_type.flag, (pk, org_type.pk) in present)
        return rows

    def get_table_kwargs(self):
        return {"org_types": self.org_types}

    def get_paginate_by(self, table_data):
        return _page_size(self.request, self.paginate_by)

    def get_context_data(self, **kwargs):
        # The filters and the table are the same for every reader of the registry: their HTML
        # is kept per registry version, language and address, so a page asked for again before
        # anything changes costs no query but the version's. Any write moves the version.
        token = self.paginator_class.version
        key = (
            "enterprise-list:"
            + hashlib.sha256(
                f"{token}:{get_language()}:{self.request.get_full_path()}".encode()
            ).hexdigest()
        )
        html = cache.get(key) if token else None
        if html is None:
            context = super().get_context_data(**kwargs)
            # Another sort, page or page size of the same filters draws the same panel.
            context["filters_panel"] = filters_panel(self.request, context["filter"].form, token)
            html = render_to_string("core/_filtered_table.html", context, self.request)
            if token:
                cache.set(key, html, LIST_HTML_SECONDS)
        else:
            # Without the table: SingleTableMixin would build it and run its queries.
            context = super(SingleTableMixin, self).get_context_data(**kwargs)
        context["list_html"] = mark_safe(html)  # the HTML our own template rendered
        context["can_create"] = permissions.can_edit_enterprises_in(self.request.user, None)
        context["query_string"] = self.request.GET.urlencode()
        return context


def _filtered_enterprises(request, types):
    """The enterprise list's rows for an export: the same filters and the same order."""
    queryset = Enterprise.objects.select_related("zone", "latest_figure").with_organisation_flags(
        types
    )
    filterset = EnterpriseFilterSet(request.GET, queryset=queryset, request=request)
    table = EnterpriseTable(
        filterset.qs if filterset.is_valid() else queryset.none(), org_types=types
    )
    table.order_by = request.GET.get("sort") or "name"
    return table.data.data


def enterprise_export(request, fmt: str):
    """The filtered enterprise list as CSV or XLSX, in the list's order."""
    types = list(OrganisationType.objects.all())
    rows = exporting.current_rows(_filtered_enterprises(request, types), types)
    return download(
        "enterprises",
        exporting.enterprise_header(types),
        rows,
        fmt,
        title=_("Enterprises"),
    )


def zone_export(request, fmt: str):
    types = list(OrganisationType.objects.all())
    header, rows = exporting.zone_rows(zone_tree(types), types)
    return download("zones", header, rows, fmt, title=_("Zones"))


def enterprise_detail(request, pk: int):
    """An enterprise and its development: organisations and their officers, eligibility under
    each founding rule, dated status, figures over time, activities that reached it, next step."""
    enterprise = get_object_or_404(
        Enterprise.objects.select_related("zone", "latest_figure"), pk=pk
    )
    figures = (
        Figure.objects.filter(enterprise=enterprise, superseded_at__isnull=True)
        .select_related("recorded_by")
        .only(*FIGURE_ROW_FIELDS)
        .order_by("-as_of")
    )
    organisations = enterprise.organisations.select_related("type").prefetch_related("officers")
    types = list(OrganisationType.objects.all())
    present = {o.type_id for o in organisations if o.is_active}
    latest = enterprise.latest_figure
    eligibility = [
        {
            "type": t,
            "has": t.pk in present,
            "status": t.rule_status(latest.values() if latest else None),
        }
        for t in types
    ]
    fields = list(FIGURE_VALUES)
    # Each reporting date's row as one piece of HTML: a template loop over a dozen cells of
    # twenty dates cost more than the rest of the page, and the `date` filter and
    # number_format per value, looking the language's formats up each time, half of what was
    # left (bench/README.md).
    figure_rows = _figure_rows(figures, fields)
    activities = activities_of(enterprise, request.user)
    return render(
        request,
        "registry/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "figures": figure_rows,
            "figure_fields": [(f, Figure._meta.get_field(f).verbose_name) for f in fields],
            "organisations": organisations,
            "eligibility": eligibility,
            "status_changes": enterprise.status_changes.all(),
            "activities": activities,
            "can_edit": permissions.can_edit_enterprise(request.user, enterprise),
            "has_chart": len(figure_rows) > 0,
            "chart_src": chart_src(
                reverse("registry:enterprise_chart", args=[enterprise.pk]),
                [figure.pk for figure in figures],  # recorded, never changed: a new one supersedes
            ),
        },
    )


# What a row of the figures table reads: the values, when and by whom they were recorded, from
# where (not the person's password, permissions and the rest of the account).
FIGURE_ROW_FIELDS = (
    "id",
    "as_of",
    "recorded_at",
    "source",
    *FIGURE_VALUES,
    "recorded_by",
    "recorded_by__username",
    "recorded_by__first_name",
    "recorded_by__last_name",
)


def _figure_rows(figures, fields: list[str]) -> list[SafeString]:
    """The figures table's rows: the reporting date, the figures (numbers grouped as the
    language writes them, "—" where not reported), who recorded them and when, the source."""
    shown = Shown()
    yes_no = {True: escape(_("yes")), False: escape(_("no")), None: "—"}
    rows = []
    for figure in figures:
        cells = []
        for field in fields:
            value = getattr(figure, field)
            if field in FIGURE_FLAGS:
                cells.append(f'<td class="num">{yes_no[value]}</td>')
            elif value is None:
                cells.append('<td class="num">—</td>')
            else:
                cells.append(f'<td class="num">{shown.number_html(value, True)}</td>')
        by = "—" if figure.recorded_by is None else escape(str(figure.recorded_by))
        source = f"<br>{escape(figure.source)}" if figure.source else ""
        rows.append(
            mark_safe(  # every value escaped above
                f"<tr><td>{shown.date_html(figure.as_of)}</td>{''.join(cells)}"
                f"<td><small>{by}, {shown.date_html(figure.recorded_at, 'SHORT_DATETIME_FORMAT')}"
                f"{source}</small></td></tr>"
            )
        )
    return rows


@cache_control(private=True, max_age=60)
def enterprise_chart(request, pk: int):
    enterprise = get_object_or_404(Enterprise, pk=pk)
    figures = Figure.objects.filter(enterprise=enterprise, superseded_at__isnull=True).order_by(
        "as_of"
    )
    svg = charts.figures_over_time(list(figures))
    return HttpResponse(svg, content_type="image/svg+xml")


def enterprise_history(request, pk: int):
    enterprise = get_object_or_404(Enterprise, pk=pk)
    org_ids = [str(i) for i in enterprise.organisations.values_list("id", flat=True)]
    figure_ids = [str(i) for i in enterprise.figures.values_list("id", flat=True)]
    # An import that created the enterprise has one entry for the whole batch (decision 0005).
    batch_ids = [str(enterprise.created_by_import_id)] if enterprise.created_by_import_id else []
    entries = AuditEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Enterprise), object_id=str(enterprise.pk))
        | Q(content_type=ContentType.objects.get_for_model(Organisation), object_id__in=org_ids)
        | Q(content_type=ContentType.objects.get_for_model(Figure), object_id__in=figure_ids)
        | Q(
            content_type=ContentType.objects.get_for_model(IMPORT_BATCH),
            object_id__in=batch_ids,
            action=AuditAction.RECORD,
        )
    )
    return object_history(request, enterprise, entries)


class EnterpriseCreateView(ServiceFormView):
    form_class = EnterpriseForm
    template_name = "registry/enterprise_form.html"
    success_message = gettext_lazy("Enterprise saved.")

    def dispatch(self, request, *args, **kwargs):
        self.enterprise = self.get_enterprise()
        allowed = (
            permissions.can_edit_enterprise(request.user, self.enterprise)
            if self.enterprise
            else permissions.can_edit_enterprises_in(request.user, None)
        )
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_enterprise(self):
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["zones"] = Zone.objects.editable_by(self.request.user).order_by("name")
        kwargs["initial"] = {"tax_country": self.request.GET.get("country") or None}
        if self.enterprise:
            # The form validates a copy, so the service still sees the stored values as "before".
            kwargs["instance"] = Enterprise.objects.get(pk=self.enterprise.pk)
        return kwargs

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "enterprise": self.enterprise}

    def perform(self, form):
        return services.enterprise_create(actor=self.request.user, data=form.cleaned_data)


class EnterpriseUpdateView(EnterpriseCreateView):
    def get_enterprise(self):
        return get_object_or_404(Enterprise.objects.select_related("zone"), pk=self.kwargs["pk"])

    def perform(self, form):
        data = dict(form.cleaned_data)
        since = data.pop("status_since", None)
        return services.enterprise_update(
            actor=self.request.user, enterprise=self.enterprise, data=data, status_since=since
        )


class EnterpriseStatusChangeView(ServiceFormView):
    """Record a dated status (operating, suspended, dissolved since a day), also in the past."""

    form_class = EnterpriseStatusChangeForm
    template_name = "registry/enterprisestatuschange_form.html"
    success_message = gettext_lazy("Status recorded.")

    def dispatch(self, request, *args, **kwargs):
        self.enterprise = get_object_or_404(
            Enterprise.objects.select_related("zone"), pk=kwargs["pk"]
        )
        if not permissions.can_edit_enterprise(request.user, self.enterprise):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "enterprise": self.enterprise}

    def perform(self, form):
        return services.enterprise_status_change(
            actor=self.request.user, enterprise=self.enterprise, data=form.cleaned_data
        )

    def get_success_url(self):
        return self.enterprise.get_absolute_url() + "#status"


# --- Organisations and figures ----------------------------------------------------------------


class OrganisationCreateView(ServiceFormView):
    form_class = OrganisationForm
    template_name = "registry/organisation_form.html"
    success_message = gettext_lazy("Organisation saved.")

    def dispatch(self, request, *args, **kwargs):
        self.organisation = self.get_organisation()
        self.enterprise = (
            self.organisation.enterprise
            if self.organisation
            else get_object_or_404(Enterprise.objects.select_related("zone"), pk=kwargs["pk"])
        )
        if not permissions.can_edit_enterprise(request.user, self.enterprise):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_organisation(self):
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.organisation:
            kwargs["instance"] = Organisation.objects.get(pk=self.organisation.pk)
        return kwargs

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "enterprise": self.enterprise,
            "organisation": self.organisation,
        }

    def perform(self, form):
        return services.organisation_create(
            actor=self.request.user, enterprise=self.enterprise, data=form.cleaned_data
        )


class OrganisationUpdateView(OrganisationCreateView):
    def get_organisation(self):
        return get_object_or_404(
            Organisation.objects.select_related("enterprise__zone"), pk=self.kwargs["pk"]
        )

    def perform(self, form):
        return services.organisation_update(
            actor=self.request.user, organisation=self.organisation, data=form.cleaned_data
        )


class OfficerCreateView(ServiceFormView):
    """An officer of an organisation (secretary, chair …) with contact details."""

    form_class = OfficerForm
    template_name = "registry/officer_form.html"
    success_message = gettext_lazy("Officer saved.")
    officer = None

    def get_organisation(self):
        return get_object_or_404(
            Organisation.objects.select_related("enterprise__zone", "type"), pk=self.kwargs["pk"]
        )

    def dispatch(self, request, *args, **kwargs):
        self.organisation = self.get_organisation()
        if not permissions.can_edit_officers(request.user, self.organisation):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.officer:
            kwargs["instance"] = OrganisationOfficer.objects.get(pk=self.officer.pk)
        return kwargs

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "organisation": self.organisation,
            "enterprise": self.organisation.enterprise,
            "officer": self.officer,
        }

    def perform(self, form):
        return services.officer_create(
            actor=self.request.user, organisation=self.organisation, data=form.cleaned_data
        )

    def get_success_url(self):
        return self.organisation.enterprise.get_absolute_url() + "#organisations"


class OfficerUpdateView(OfficerCreateView):
    def get_organisation(self):
        self.officer = get_object_or_404(
            OrganisationOfficer.objects.select_related(
                "organisation__enterprise__zone", "organisation__type"
            ),
            pk=self.kwargs["pk"],
        )
        return self.officer.organisation

    def perform(self, form):
        return services.officer_update(
            actor=self.request.user, officer=self.officer, data=form.cleaned_data
        )


class FigureRecordView(ServiceFormView):
    form_class = FigureForm
    template_name = "registry/figure_form.html"
    success_message = gettext_lazy("Figures recorded.")
    # The form starts from the enterprise's newest figures: figures someone else recorded since
    # it opened are shown, and saving again records these over them.
    creates_model = Figure
    version_follows_row = False

    def edited_object(self, form):
        return self.enterprise.latest_figure

    def dispatch(self, request, *args, **kwargs):
        self.enterprise = get_object_or_404(
            Enterprise.objects.select_related("zone", "latest_figure"), pk=kwargs["pk"]
        )
        if not permissions.can_edit_enterprise(request.user, self.enterprise):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        latest = self.enterprise.latest_figure
        initial = {"as_of": reporting_date_due(timezone.localdate())}
        if latest:
            initial.update(latest.values())
        return initial

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "enterprise": self.enterprise}

    def perform(self, form):
        data = form.cleaned_data
        services.figure_record(
            actor=self.request.user,
            enterprise=self.enterprise,
            as_of=data["as_of"],
            values={f: data.get(f) for f in FIGURE_VALUES},
            source=data.get("source", ""),
        )
        return self.enterprise

    def get_success_url(self):
        return self.enterprise.get_absolute_url() + "#figures"
