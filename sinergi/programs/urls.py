from django.urls import path

from sinergi.programs import views

app_name = "programs"

urlpatterns = [
    path("", views.ProgramListView.as_view(), name="program_list"),
    path("new/", views.ProgramCreateView.as_view(), name="program_create"),
    path("my-work/", views.my_work, name="my_work"),
    path("due/", views.due_list, name="due_list"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/edit/", views.ProgramUpdateView.as_view(), name="program_update"),
    path("<int:pk>/history/", views.program_history, name="program_history"),
    path("<int:pk>/matrix/", views.program_matrix, name="program_matrix"),
    path("<int:pk>/matrix.<str:fmt>", views.program_matrix_export, name="program_matrix_export"),
    path("<int:pk>/timeline/", views.program_timeline, name="program_timeline"),
    path("<int:pk>/timeline.svg", views.program_timeline_chart, name="program_timeline_chart"),
    path("<int:pk>/periods/", views.period_list, name="period_list"),
    path("<int:pk>/areas/new/", views.AreaCreateView.as_view(), name="area_create"),
    path("<int:pk>/tasks/new/", views.TaskCreateView.as_view(), name="task_create"),
    path("<int:pk>/indicators/new/", views.IndicatorCreateView.as_view(), name="indicator_create"),
    path("<int:pk>/activities/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("areas/<int:pk>/edit/", views.AreaUpdateView.as_view(), name="area_update"),
    path("periods/<int:pk>/lock/", views.period_lock, name="period_lock"),
    path("periods/<int:pk>/unlock/", views.period_unlock, name="period_unlock"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskUpdateView.as_view(), name="task_update"),
    path("tasks/<int:pk>/history/", views.task_history, name="task_history"),
    path(
        "tasks/<int:pk>/attachments/new/",
        views.AttachmentCreateView.as_view(parent_kind="task"),
        name="task_attachment_create",
    ),
    path(
        "tasks/<int:pk>/periods/<int:period>/report/",
        views.ProgressReportEditView.as_view(),
        name="progressreport_edit",
    ),
    path(
        "tasks/<int:pk>/catch-up/",
        views.progressreport_catch_up,
        name="progressreport_catch_up",
    ),
    path("reports/", views.ProgressReportListView.as_view(), name="progressreport_list"),
    path("reports/<int:pk>/", views.progressreport_detail, name="progressreport_detail"),
    path("reports/<int:pk>/submit/", views.progressreport_submit, name="progressreport_submit"),
    path(
        "reports/<int:pk>/acknowledge/",
        views.progressreport_acknowledge,
        name="progressreport_acknowledge",
    ),
    path(
        "reports/<int:pk>/return/",
        views.ProgressReportReturnView.as_view(),
        name="progressreport_return",
    ),
    path(
        "reports/<int:pk>/evidence/new/",
        views.AttachmentCreateView.as_view(parent_kind="report"),
        name="progressreport_evidence_create",
    ),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.IndicatorUpdateView.as_view(), name="indicator_update"),
    path("indicators/<int:pk>/chart.svg", views.indicator_chart, name="indicator_chart"),
    path(
        "indicators/<int:pk>/periods/<int:period>/",
        views.indicatorvalue_detail,
        name="indicatorvalue_detail",
    ),
    path(
        "indicators/<int:pk>/periods/<int:period>/value/",
        views.IndicatorValueSetView.as_view(),
        name="indicatorvalue_set",
    ),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity_update"),
    path("activities/<int:pk>/history/", views.activity_history, name="activity_history"),
    path(
        "activities/<int:pk>/attachments/new/",
        views.AttachmentCreateView.as_view(parent_kind="activity"),
        name="activity_attachment_create",
    ),
]
