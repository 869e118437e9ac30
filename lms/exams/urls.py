"""Officer-facing URLs of the exams app."""

from django.urls import path

from . import result_views, sitting_views, views

app_name = "exams"

urlpatterns = [
    path("mine/", views.my_exams, name="my_exams"),
    path("mock/", sitting_views.mock_start, name="mock_start"),
    # The service worker lives at the root of the attempts so that it may cache every sitting page.
    path("attempt/", views.my_exams_redirect, name="attempt_root"),
    path("attempt/sw.js", sitting_views.service_worker, name="sitting_service_worker"),
    path("attempt/<int:attempt_id>/", sitting_views.attempt_page, name="attempt"),
    path("attempt/<int:attempt_id>/start/", sitting_views.attempt_start, name="attempt_start"),
    path("attempt/<int:attempt_id>/save/", sitting_views.attempt_save, name="attempt_save"),
    path("attempt/<int:attempt_id>/event/", sitting_views.attempt_event, name="attempt_event"),
    path("attempt/<int:attempt_id>/submit/", sitting_views.attempt_submit, name="attempt_submit"),
    path("attempt/<int:attempt_id>/state/", sitting_views.attempt_state, name="attempt_state"),
    path("results/<str:code>/", result_views.my_result_detail, name="my_result"),
    path("results/<str:code>/slip.pdf", result_views.my_score_slip, name="my_score_slip"),
]
