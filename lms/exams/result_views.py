"""Officer results (我的成绩): his own results only, and only after release; a score slip to print.

Another officer's result, or one not yet released, is a 404: nothing tells a visitor whether it exists.
"""

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from .selectors import my_result, my_results, result_review
from .services.score_slip import write_score_slip


@login_required
def my_results_list(request):
    return render(request, "core/my_results.html", {"results": my_results(request.user)})


@login_required
def my_result_detail(request, code):
    candidate = my_result(request.user, code)
    if candidate is None:
        raise Http404
    attempt = getattr(candidate, "attempt", None)
    return render(request, "exams/my_result.html", {
        "candidate": candidate, "session": candidate.session, "attempt": attempt,
        "absent": attempt is None or attempt.status == "absent", "items": result_review(candidate),
    })


@login_required
def my_score_slip(request, code):
    candidate = my_result(request.user, code)
    if candidate is None:
        raise Http404
    buffer = io.BytesIO()
    write_score_slip(candidate=candidate, out=buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{code}-score-slip.pdf",
                        content_type="application/pdf")
