"""Officer-facing exam pages. An officer sees only his own sittings, never other candidates or any key."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import my_candidacies


@login_required
def my_exams(request):
    return render(request, "exams/my_exams.html", {"candidacies": my_candidacies(request.user)})
