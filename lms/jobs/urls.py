"""Job screens, mounted in the Wagtail admin under /admin/jobs/ (see wagtail_hooks)."""

from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.my_jobs, name="mine"),
    path("all/", views.all_jobs, name="all"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/status/", views.status, name="status"),
    path("<uuid:pk>/restart/", views.restart, name="restart"),
    path("<uuid:pk>/files/<slug:key>/", views.download, name="download"),
]
