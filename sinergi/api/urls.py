from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from sinergi.api import insight, views
from sinergi.api.counts import CountsView
from sinergi.api.viewsets import NotFoundView, router

app_name = "api"

urlpatterns = [
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    # The schema is for people and programs holding an account (SERVE_PERMISSIONS).
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("counts/", CountsView.as_view(), name="counts"),
    path("insight/dashboard/", insight.DashboardView.as_view(), name="insight_dashboard"),
    path("insight/completeness/", insight.CompletenessView.as_view(), name="insight_completeness"),
    path("insight/map/", insight.MapView.as_view(), name="insight_map"),
    *router.urls,
    # Unnamed on purpose: it is no endpoint, only the API's own 404 for every other address.
    re_path(r"^.*$", NotFoundView.as_view(schema=None)),
]
