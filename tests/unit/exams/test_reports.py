"""成绩分析 screens: who may see them, what they show, and the PDF and Excel exports."""

import io
import shutil
import subprocess

from django.urls import reverse

import pytest
from openpyxl import load_workbook

from lms.exams.models import SessionStatistics, StatisticsStatus
from lms.exams.services.item_analysis import refresh_session_statistics
from lms.roster.models import Position
from question_bank.models import VersionHealth

from .graded import build_graded_session
from .test_session_statistics import QUESTIONS, _people

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    people = _people()
    for person in people:  # a hostile squad name must reach Excel as text
        if person["squad"] == "一中队":
            person["squad"] = "=HYPERLINK(\"http://x\")中队"
    session, _versions = build_graded_session(questions=QUESTIONS, people=people, pass_mark="5")
    refresh_session_statistics(session_id=session.pk)
    return session


def test_trainer_sees_the_report_computed_on_first_visit(client, trainer, session,
                                                         django_capture_on_commit_callbacks):
    client.force_login(trainer)
    # The first visit queues the task once the request's transaction commits; eager here, so it runs.
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("exam_reports:session", args=[session.pk]))
    response = client.get(reverse("exam_reports:session", args=[session.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert SessionStatistics.objects.get(session=session).status == StatisticsStatus.READY
    assert "<svg" in text and 'data-chart="histogram"' in text and 'data-chart="mastery"' in text
    assert 'data-question="Q1"' in text and "二中队" in text


def test_assessor_may_read_and_export(client, assessor, session):
    client.force_login(assessor)
    assert client.get(reverse("exam_reports:index")).status_code == 200
    assert client.get(reverse("exam_reports:session", args=[session.pk])).status_code == 200
    assert client.get(reverse("exam_reports:xlsx", args=[session.pk])).status_code == 200
    # Recomputing is a trainer's action: Wagtail sends the assessor back to the admin home.
    assert client.post(reverse("exam_reports:recompute", args=[session.pk]))["Location"] == "/admin/"


def test_officer_never_reaches_the_report(client, officer, session):
    client.force_login(officer)
    response = client.get(reverse("exam_reports:session", args=[session.pk]))
    assert response.status_code in (302, 403)
    assert "data-items" not in response.content.decode()


def test_unknown_session_is_404(client, trainer, db):
    client.force_login(trainer)
    assert client.get(reverse("exam_reports:session", args=[999999])).status_code == 404


def test_excel_has_every_sheet_and_escapes_formulas(client, trainer, session):
    client.force_login(trainer)
    response = client.get(reverse("exam_reports:xlsx", args=[session.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 5
    units = workbook.worksheets[1]
    names = [row[1] for row in units.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://x\")中队" in names
    items = workbook.worksheets[4]
    codes = [row[0] for row in items.iter_rows(min_row=2, values_only=True)]
    assert codes == ["Q1", "Q2", "Q3", "Q4"] or sorted(codes) == ["Q1", "Q2", "Q3", "Q4"]


def test_pdf_renders_with_chinese_text(client, trainer, session, tmp_path, output_dir):
    if not shutil.which("pdftoppm") or not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftoppm, pdftotext) not installed")
    client.force_login(trainer)
    response = client.get(reverse("exam_reports:pdf", args=[session.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(output_dir / "exam_report_pdf")], check=True)
    assert list(output_dir.glob("exam_report_pdf-*.png"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "成绩分析" in text or "考试报告" in text or "Exam report" in text
    assert "二中队" in text and "东街道" in text


def test_recompute_is_audited_and_queued(client, trainer, session, django_capture_on_commit_callbacks):
    from lms.core.models import AuditEntry

    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("exam_reports:recompute", args=[session.pk]))
    assert len(callbacks) == 1
    assert AuditEntry.objects.filter(action="exams.statistics_requested").exists()
    assert SessionStatistics.objects.get(session=session).status == StatisticsStatus.READY  # eager in tests


def test_bank_lists_flagged_questions_with_a_link_to_the_figures(client, trainer, session):
    client.force_login(trainer)
    flagged = VersionHealth.objects.filter(flagged=True).select_related("version__question")
    assert {h.version.question.code for h in flagged} == {"Q2", "Q3", "Q4"} or "Q2" in {
        h.version.question.code for h in flagged}
    page = client.get(reverse("question_bank_health:index")).content.decode()
    q2 = next(h for h in flagged if h.version.question.code == "Q2")
    detail_url = reverse("question_bank_health:detail", args=[q2.version_id])
    assert detail_url in page
    detail = client.get(detail_url).content.decode()
    assert 'data-option="A"' in detail and "2026年度法律知识当场考试" in detail


def test_a_session_without_graded_attempts_says_so(client, trainer, db):
    from .factories import build_blueprint, build_session

    session = build_session(blueprint=build_blueprint(), code="EMPTY")
    client.force_login(trainer)
    response = client.get(reverse("exam_reports:session", args=[session.pk]))
    assert response.status_code == 200 and "data-empty" in response.content.decode()


def test_position_groups_are_named_in_chinese(client, trainer, session):
    client.force_login(trainer)
    text = client.get(reverse("exam_reports:session", args=[session.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert Position.SQUAD_LEADER  # the leaders group holds squad leaders, deputies and instructors
    assert "data-positions" in text
