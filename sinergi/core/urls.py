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
    path("healthz", views.healthz, name="healthz"),
]
