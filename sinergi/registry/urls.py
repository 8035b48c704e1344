from django.urls import path

from sinergi.registry import views

app_name = "registry"

urlpatterns = [
    path("zones/", views.zone_list, name="zone_list"),
    path("zones/new/", views.ZoneCreateView.as_view(), name="zone_create"),
    path("zones/export.<table_format:fmt>", views.zone_export, name="zone_export"),
    path("zones/<int:pk>/", views.zone_detail, name="zone_detail"),
    path("zones/<int:pk>/edit/", views.ZoneUpdateView.as_view(), name="zone_update"),
    path("zones/<int:pk>/history/", views.zone_history, name="zone_history"),
    path("organisation-types/", views.organisation_type_list, name="organisationtype_list"),
    path(
        "organisation-types/new/",
        views.OrganisationTypeCreateView.as_view(),
        name="organisationtype_create",
    ),
    path(
        "organisation-types/<int:pk>/edit/",
        views.OrganisationTypeUpdateView.as_view(),
        name="organisationtype_update",
    ),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path(
        "enterprises/export.<table_format:fmt>", views.enterprise_export, name="enterprise_export"
    ),
    path("enterprises/new/", views.EnterpriseCreateView.as_view(), name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path(
        "enterprises/<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="enterprise_update"
    ),
    path("enterprises/<int:pk>/history/", views.enterprise_history, name="enterprise_history"),
    path("enterprises/<int:pk>/chart.svg", views.enterprise_chart, name="enterprise_chart"),
    path(
        "enterprises/<int:pk>/figures/new/", views.FigureRecordView.as_view(), name="figure_record"
    ),
    path(
        "enterprises/<int:pk>/organisations/new/",
        views.OrganisationCreateView.as_view(),
        name="organisation_create",
    ),
    path(
        "enterprises/<int:pk>/status/new/",
        views.EnterpriseStatusChangeView.as_view(),
        name="enterprisestatuschange_create",
    ),
    path(
        "organisations/<int:pk>/officers/new/",
        views.OfficerCreateView.as_view(),
        name="officer_create",
    ),
    path("officers/<int:pk>/edit/", views.OfficerUpdateView.as_view(), name="officer_update"),
    path(
        "organisations/<int:pk>/edit/",
        views.OrganisationUpdateView.as_view(),
        name="organisation_update",
    ),
]
