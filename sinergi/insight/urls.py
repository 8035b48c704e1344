from django.urls import path

from sinergi.insight import views

app_name = "insight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("trend.svg", views.trend_chart, name="trend_chart"),
    path("coverage-<str:by>.svg", views.coverage_chart, name="coverage_chart"),
    path("gaps/", views.GapListView.as_view(), name="gap_list"),
    path("gaps/export.<table_format:fmt>", views.gap_export, name="gap_export"),
    path("gaps/task/", views.GapTaskCreateView.as_view(), name="gap_task_create"),
    path("quality/", views.ViolationListView.as_view(), name="quality"),
    path("quality/rules/new/", views.QualityRuleCreateView.as_view(), name="rule_create"),
    path("quality/rules/<int:pk>/edit/", views.QualityRuleCreateView.as_view(), name="rule_update"),
]
