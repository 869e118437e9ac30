"""URLs of the exam screens inside the Wagtail admin (mounted under /admin/exams/)."""

from django.urls import path

from . import admin_views

app_name = "exams_admin"

urlpatterns = [
    path("blueprints/<int:pk>/check/", admin_views.blueprint_check, name="blueprint_check"),
    path("sessions/<int:pk>/", admin_views.session_dashboard, name="dashboard"),
    path("sessions/<int:pk>/draw/", admin_views.session_draw, name="draw"),
    path("sessions/<int:pk>/excuse/", admin_views.session_excuse, name="excuse"),
    path("sessions/<int:pk>/add/", admin_views.session_add, name="add"),
    path("sessions/<int:pk>/issue/", admin_views.session_issue, name="issue"),
    path("sessions/<int:pk>/printables/", admin_views.session_printables, name="printables"),
    path("sessions/<int:pk>/answer-key.pdf", admin_views.session_answer_key, name="answer_key"),
    path("sessions/<int:pk>/candidates.xlsx", admin_views.session_export, name="export"),
]
