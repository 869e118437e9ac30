"""Officer-facing URLs of the exams app."""

from django.urls import path

from . import views

app_name = "exams"

urlpatterns = [
    path("mine/", views.my_exams, name="my_exams"),
]
