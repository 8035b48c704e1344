from django.urls import include, path, register_converter

from sinergi.accounts import views as account_views
from sinergi.core import urls as core_urls
from sinergi.core.urls import TableFormatConverter
from sinergi.insight import views as insight_views

register_converter(TableFormatConverter, "table_format")

# The `core` names of pages that belong to upper apps (core imports no app above it): the overview
# is insight's dashboard, the change log and the language switch are accounts'.
core_patterns = [
    path("", insight_views.home, name="home"),
    path("audit/", account_views.AuditEntryListView.as_view(), name="audit_list"),
    path("language/", account_views.set_language, name="set_language"),
    *core_urls.urlpatterns,
]

urlpatterns = [
    path("", include((core_patterns, "core"))),
    path("accounts/", include("sinergi.accounts.urls")),
    path("registry/", include("sinergi.registry.urls")),
    path("programs/", include("sinergi.programs.urls")),
    path("imports/", include("sinergi.imports.urls")),
    path("reviews/", include("sinergi.reviews.urls")),
    path("insight/", include("sinergi.insight.urls")),
    path("api/", include("sinergi.api.urls")),
]

handler403 = "sinergi.core.views.permission_denied"
handler404 = "sinergi.core.views.page_not_found"
