from django.urls import path

from sinergi.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("template.<table_format:fmt>", views.blank_template, name="blank_template"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/configure/", views.batch_configure, name="batch_configure"),
    path("<int:pk>/commit/", views.batch_commit, name="batch_commit"),
    path("<int:pk>/undo/", views.batch_undo, name="batch_undo"),
    path("<int:pk>/save-template/", views.template_save, name="template_save"),
    path("<int:pk>/errors.xlsx", views.error_file, name="error_file"),
]
