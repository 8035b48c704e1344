from django.urls import path

from sinergi.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewListView.as_view(), name="review_list"),
    path("new/", views.ReviewCreateView.as_view(), name="review_create"),
    path("<int:pk>/", views.review_detail, name="review_detail"),
    path("<int:pk>/edit/", views.ReviewUpdateView.as_view(), name="review_update"),
    path("<int:pk>/history/", views.review_history, name="review_history"),
    path("<int:pk>/attendees/new/", views.AttendeeCreateView.as_view(), name="attendee_create"),
    path("<int:pk>/capture/", views.contribution_capture, name="contribution_capture"),
    path("<int:pk>/autosave/", views.contribution_autosave, name="contribution_autosave"),
    path(
        "<int:pk>/conclusions/new/", views.ConclusionCreateView.as_view(), name="conclusion_create"
    ),
    path("<int:pk>/versions/new/", views.version_create, name="version_create"),
    path("<int:pk>/minutes.<str:fmt>", views.minutes_download, name="minutes_download"),
    path("attendees/<int:pk>/edit/", views.AttendeeUpdateView.as_view(), name="attendee_update"),
    path(
        "contributions/<int:pk>/edit/",
        views.ContributionUpdateView.as_view(),
        name="contribution_update",
    ),
    path("contributions/<int:pk>/delete/", views.contribution_delete, name="contribution_delete"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", views.VersionUpdateView.as_view(), name="version_update"),
    path("versions/<int:pk>/finalise/", views.version_finalise, name="version_finalise"),
    path("versions/<int:pk>/report.<str:fmt>", views.version_download, name="version_download"),
    path("versions/<int:pk>/issue/", views.VersionIssueView.as_view(), name="version_issue"),
    path("files/<int:pk>/", views.report_file_download, name="report_file_download"),
    path(
        "programs/<int:pk>/document-form/",
        views.DocumentSetupUpdateView.as_view(),
        name="documentsetup_update",
    ),
]
