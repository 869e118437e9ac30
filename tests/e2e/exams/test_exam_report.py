"""In Chromium: a trainer opens the report (成绩分析) of the demo's graded session, sees the charts, the
squad table and the item analysis, follows a flagged question to its figures in the bank, and downloads
the PDF; screenshots are saved in test-output/."""

import math
import random
import subprocess

from django.core.management import call_command
from django.utils import timezone

import pytest

from lms.core import roles
from tests.conftest import make_user
from tests.e2e.admin_helpers import admin_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _graded_demo_session():
    """The demo's graded session. Until the grading work seeds one, sit and grade DEMO-ONSITE here through
    the exam-loop models: simulated officers of varying ability answer, the engine marks."""
    from lms.exams.demo import SESSION_CODE
    from lms.exams.models import Attempt, AttemptStatus, ExamSession, Response, SessionStatus
    from lms.exams.services.grading import grade_attempt
    from question_bank.grading import OPTION_KEYS

    call_command("seed_demo", verbosity=0)
    graded = ExamSession.objects.filter(status__in=[SessionStatus.GRADED, SessionStatus.RELEASED]).first()
    if graded is not None and graded.attempts.filter(graded_at__isnull=False).exists():
        return graded
    session = ExamSession.objects.get(code=SESSION_CODE)
    rng = random.Random(2026)
    now = timezone.now()
    for paper in session.papers.select_related("candidate").prefetch_related("questions__version__question"):
        attempt = Attempt.objects.filter(paper=paper).first() or Attempt.objects.create(
            paper=paper, session=session, candidate=paper.candidate)
        if rng.random() < 0.06:
            Attempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.ABSENT)
            continue
        ability = rng.gauss(0.4, 1.0)
        responses = []
        for pq in paper.questions.all():
            version = pq.version
            qtype = version.question.type
            right = rng.random() < 1 / (1 + math.exp(-1.7 * (ability - (version.difficulty - 3) * 0.6)))
            if qtype == "true_false":
                answer = [version.answer[0] if right else not version.answer[0]]
            else:
                keys = list(OPTION_KEYS[: len(version.options)])
                wrong = [k for k in keys if k not in version.answer] or keys
                answer = list(version.answer) if right else sorted({rng.choice(wrong)})
            responses.append((pq, answer))
        existing = {r.paper_question_id: r for r in Response.objects.filter(attempt=attempt)}
        for pq, answer in responses:
            response = existing.get(pq.pk) or Response(attempt=attempt, paper_question=pq, position=pq.position,
                                                       version_id=pq.version_id, points=pq.points)
            response.answer = answer
            response.save()
        Attempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.SUBMITTED, submitted_at=now)
        grade_attempt(attempt_id=attempt.pk)
    ExamSession.objects.filter(pk=session.pk).update(status=SessionStatus.GRADED)
    return session


def test_trainer_reads_the_graded_demo_sessions_report(page, output_dir, tmp_path):
    session = _graded_demo_session()
    make_user("trainer_report", roles.TRAINER, last_name="钱", first_name="敏")
    admin_login(page, "trainer_report")

    page.get_by_role("link", name="成绩分析").first.click()
    page.get_by_role("link", name=session.title).first.click()
    page.wait_for_selector("[data-summary]")
    graded = int(page.locator("[data-graded]").inner_text())
    # Grading stamps absentees' attempts (缺考) with graded_at too; the report counts the submitted ones.
    assert graded == session.attempts.filter(status="submitted", graded_at__isnull=False).count() and graded > 10
    for chart in ("histogram", "squads", "positions", "mastery"):
        assert page.locator(f"[data-chart={chart}] svg").count() == 1, chart
    assert "及格线" in page.locator("[data-chart=histogram]").inner_text()
    assert page.locator("[data-figure=cic] td").first.inner_text() != "—"
    # One row per question version on the graded papers (the seeded demo session's paper has fewer than 50).
    from lms.exams.models import PaperQuestion

    versions = PaperQuestion.objects.filter(
        paper__session=session, paper__attempt__status="submitted", paper__attempt__graded_at__isnull=False,
    ).values("version_id").distinct().count()
    assert page.locator("[data-items] tbody tr").count() == versions > 10
    page.screenshot(path=str(output_dir / "exam_report_top.png"))
    page.locator("[data-units]").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "exam_report_units.png"))
    page.locator("[data-chart=mastery]").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "exam_report_mastery.png"))
    page.locator("[data-items]").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "exam_report_items.png"))

    # The PDF for the leadership: it downloads and renders with Chinese text.
    with page.expect_download() as download_info:
        page.locator("[data-export=pdf]").click()
    pdf = tmp_path / "report.pdf"
    download_info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "成绩分析" in text and "试题分析" in text
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "3", str(pdf),
                    str(output_dir / "exam_report_demo_pdf")], check=True)

    # A question in the item table leads to its figures in the bank.
    page.locator("[data-items] tbody tr th a").first.click()
    page.wait_for_selector("[data-per-exam]")
    assert session.title in page.locator("[data-per-exam]").inner_text()
    page.screenshot(path=str(output_dir / "exam_report_question_health.png"))
