"""Officer-facing URLs of the question_bank app."""

app_name = "question_bank"

urlpatterns: list = []
