"""Officer-facing URLs of the roster app."""

app_name = "roster"

urlpatterns: list = []
