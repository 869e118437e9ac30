"""Admin views of the question bank beyond the generic listings: officer-exact preview, the
upload → preview → confirm import, template and export downloads, and the coverage matrix.

All of them are thin: the work is done by the import service, the selectors and grading.candidate_view.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin import messages

from lms.core.spreadsheets import UploadRejected, check_upload
from lms.jobs.models import Job
from lms.jobs.services import job_url, start_job
from lms.jobs.uploads import get_upload, save_upload

from .grading import candidate_view
from .imports.excel import export_workbook, template_workbook
from .imports.service import import_questions
from .models import Question, QuestionType, QuestionVersion
from .selectors import DIFFICULTIES, coverage_matrix
from .tasks import IMPORT_KIND, import_questions_job

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_EXTENSIONS = (".xlsx", ".xml", ".txt", ".gift")
PREVIEW_ROWS = 300


def _require(request, *codenames: str) -> None:
    if not all(request.user.has_perm(f"question_bank.{codename}") for codename in codenames):
        raise PermissionDenied


def preview(request, pk: int, version: int | None = None):
    """The question exactly as an officer sees it in practice or an exam (the officer template, with
    nothing a candidate may not see), optionally a past version."""
    _require(request, "view_question")
    question = get_object_or_404(Question, pk=pk)
    content = question if version is None else get_object_or_404(QuestionVersion, question=question, number=version)
    return render(request, "question_bank/preview.html", {
        "question": question,
        "item": candidate_view(content),
        "version": version,
        "versions": question.versions.order_by("-number"),
    })


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Question file"),
        help_text=gettext_lazy("Excel (.xlsx, in the template's layout), Moodle XML (.xml) or GIFT (.txt)."),
    )


def import_upload(request):
    """Step 1 and 2: upload a file, check it in a dry run, and show what would happen."""
    _require(request, "add_question", "change_question")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload, filename=upload.name, allowed_extensions=UPLOAD_EXTENSIONS)
        except UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            data = upload.read()
            report = import_questions(data=data, dry_run=True, actor=request.user)
            token = ""
            if report.ok:
                # Kept on the private storage until confirmed (the file confirmed is exactly the file
                # previewed), for this user in this session only; the cleanup removes it after a day.
                token = str(save_upload(request=request, kind="questions", filename=upload.name, content=data).pk)
            return _render_preview(request, report, token, upload.name, form=UploadForm())
    return render(request, "question_bank/import_upload.html", {"form": form})


def _render_preview(request, report, token: str, filename: str, *, form):
    error_rows = [row for row in report.rows if row.action == "error"]
    return render(request, "question_bank/import_preview.html", {
        "report": report,
        "token": token,
        "filename": filename,
        "form": form,
        "error_rows": error_rows,
        "rows": report.rows[:PREVIEW_ROWS],
        "more_rows": max(0, len(report.rows) - PREVIEW_ROWS),
        "file_errors": [issue for issue in report.errors if issue.row is None],
    })


def import_confirm(request):
    """Step 3: import the previewed file for real, as a job (all-or-nothing, checked again)."""
    _require(request, "add_question", "change_question")
    if request.method != "POST":
        return redirect("question_bank_import:index")
    upload = get_upload(request=request, kind="questions", upload_id=request.POST.get("token", ""))
    if upload is None:
        messages.error(request, _("The uploaded file has expired; please upload it again."))
        return redirect("question_bank_import:index")
    started = Job.objects.filter(kind=IMPORT_KIND, owner=request.user, params__upload_id=str(upload.pk)).first()
    if started is not None:  # a second click on "confirm": show the job the first one started
        return redirect(job_url(started))
    job = start_job(
        kind=IMPORT_KIND, owner=request.user, task=import_questions_job,
        params={"upload_id": str(upload.pk), "filename": upload.filename},
        title=_("Question import: %(file)s") % {"file": upload.filename},
    )
    return redirect(job_url(job))


def import_template(request):
    _require(request, "add_question")
    return _xlsx(template_workbook(), "题库导入模板.xlsx")


def export(request):
    _require(request, "view_question")
    return _xlsx(export_workbook(), "题库导出.xlsx")


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def coverage(request):
    """Knowledge point × type × difficulty → active questions, so a trainer sees whether a blueprint can be filled."""
    _require(request, "view_question")
    return render(request, "question_bank/coverage.html", {
        "rows": coverage_matrix(),
        "types": QuestionType.choices,
        "difficulties": DIFFICULTIES,
        "list_url": reverse("wagtailsnippets_question_bank_question:list"),
    })
