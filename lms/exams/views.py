"""Officer-facing exam pages. An officer sees only his own sittings, never other candidates or any key."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .selectors import my_candidacies, my_mock_attempts
from .services.sitting import practice_blueprints


@login_required
def my_exams(request):
    return render(request, "exams/my_exams.html", {
        "candidacies": my_candidacies(request.user),
        "practice_blueprints": practice_blueprints(),
        "mock_attempts": my_mock_attempts(request.user),
    })


def my_exams_redirect(request):
    return redirect("exams:my_exams")
