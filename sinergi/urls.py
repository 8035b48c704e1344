from django.urls import include, path

urlpatterns = [
    path("", include("sinergi.core.urls")),
    path("accounts/", include("sinergi.accounts.urls")),
    path("registry/", include("sinergi.registry.urls")),
]

handler403 = "sinergi.core.views.permission_denied"
handler404 = "sinergi.core.views.page_not_found"
