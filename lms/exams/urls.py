"""Officer-facing URLs of the exams app."""

app_name = "exams"

urlpatterns: list = []
