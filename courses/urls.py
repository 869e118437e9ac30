"""Officer-facing URLs of the courses app (mounted at /learn/)."""

from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("lessons/<int:lesson_id>/heartbeat/", views.heartbeat, name="heartbeat"),
    path("practice/", views.practice, name="practice"),
    path("practice/<int:question_id>/answer/", views.practice_answer, name="practice_answer"),
    path("wrong-answers/", views.wrong_book, name="wrong_book"),
    path("search/", views.search, name="search"),
]
