"""Officer-facing URLs of the exams app."""

from django.urls import path

from . import result_views, views

app_name = "exams"

urlpatterns = [
    path("mine/", views.my_exams, name="my_exams"),
    path("results/<str:code>/", result_views.my_result_detail, name="my_result"),
    path("results/<str:code>/slip.pdf", result_views.my_score_slip, name="my_score_slip"),
]
