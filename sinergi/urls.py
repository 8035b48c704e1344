from django.urls import include, path, register_converter

from sinergi.core.urls import TableFormatConverter

register_converter(TableFormatConverter, "table_format")

urlpatterns = [
    path("", include("sinergi.core.urls")),
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
