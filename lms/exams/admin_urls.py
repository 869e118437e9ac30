"""URLs of the exam screens inside the Wagtail admin (mounted under /admin/exams/)."""

from django.urls import path

from . import admin_views, grading_views, proctor_views

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
    path("proctor/", proctor_views.proctor_index, name="proctor_index"),
    path("proctor/<int:pk>/", proctor_views.proctor_console, name="proctor"),
    path("proctor/<int:pk>/rows.json", proctor_views.proctor_rows, name="proctor_rows"),
    path("proctor/<int:pk>/act/", proctor_views.proctor_act, name="proctor_act"),
    # Grading and results (grading_views).
    path("sessions/<int:pk>/results/", grading_views.session_results, name="results"),
    path("sessions/<int:pk>/results/grade/", grading_views.results_grade, name="results_grade"),
    path("sessions/<int:pk>/results/close/", grading_views.results_close, name="results_close"),
    path("sessions/<int:pk>/results/graded/", grading_views.results_graded, name="results_graded"),
    path("sessions/<int:pk>/results/release/", grading_views.results_release, name="results_release"),
    path("sessions/<int:pk>/results/makeup/", grading_views.results_makeup, name="results_makeup"),
    path("sessions/<int:pk>/results.xlsx", grading_views.results_export, name="results_export"),
    path("sessions/<int:pk>/marking/", grading_views.marking_overview, name="marking"),
    path("sessions/<int:pk>/marking/<int:question_id>/", grading_views.marking_answer, name="mark_answer"),
    path("sessions/<int:pk>/scores/template.xlsx", grading_views.score_template, name="score_template"),
    path("sessions/<int:pk>/scores/", grading_views.score_upload, name="score_upload"),
    path("sessions/<int:pk>/scores/preview/", grading_views.score_preview, name="score_preview"),
    path("sessions/<int:pk>/scores/confirm/", grading_views.score_confirm, name="score_confirm"),
    path("sessions/<int:pk>/regrade/", grading_views.regrade, name="regrade"),
]
