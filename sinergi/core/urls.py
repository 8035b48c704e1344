from django.urls import path

from sinergi.core import views


class TableFormatConverter:
    """`csv` or `xlsx`: the formats every table can be downloaded in."""

    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.AuditEntryListView.as_view(), name="audit_list"),
    path("language/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
]
