"""URLs of the assessment screens inside the Wagtail admin (mounted under /admin/assessment/)."""

from django.urls import path, re_path

from . import admin_views as views

app_name = "assessment_admin"

urlpatterns = [
    path("", views.index, name="index"),
    path("published/<int:pk>/", views.publication_view, name="publication"),
    path("<int:year>/", views.year_view, name="year"),
    path("<int:year>/copy/", views.copy_year, name="copy"),
    path("<int:year>/units/<int:unit_id>/", views.unit_view, name="unit"),
    path("<int:year>/what-if/", views.whatif, name="whatif"),
    path("<int:year>/publish/", views.publish, name="publish"),
    path("<int:year>/stars/", views.stars_view, name="stars"),
    re_path(r"^(?P<year>[0-9]+)/export\.(?P<fmt>xlsx|pdf)$", views.export, name="export"),
    path("<int:year>/entered/", views.entered_view, name="entered"),
    path("<int:year>/entered/import/", views.import_upload, name="import"),
    path("<int:year>/entered/import/preview/", views.import_preview, name="import_preview"),
    path("<int:year>/entered/import/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:year>/entered/template.xlsx", views.template_download, name="template"),
]
