"""Printables of a session are drawn by a job: the trainer gets a progress screen, then the PDF."""

from io import BytesIO

from django.urls import reverse

import pytest
from pypdf import PdfReader

from lms.jobs.models import Job, JobStatus
from lms.roster.models import Position

from .factories import build_bank, build_blueprint, build_district, build_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(db):
    from lms.exams.services.draw import draw_candidates
    from lms.exams.services.papers import issue_papers

    build_district([{Position.SQUAD_LEADER: 1, Position.ENFORCEMENT_OFFICER: 3}])
    build_bank({("single", "K1", 3): 8})
    session = build_session(blueprint=build_blueprint(sections=[("single", 5, "2")]))
    draw_candidates(session=session, seed="job")
    issue_papers(session=session)
    return session


def test_a_trainer_generates_the_printables_as_a_job_and_downloads_the_pdf(
    client, trainer, issued, django_capture_on_commit_callbacks
):
    client.force_login(trainer)
    url = reverse("exams_admin:printables", args=[issued.pk])
    assert "data-start-printables" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = Job.objects.get(kind="exams.printables", owner=trainer)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED and job.result["pages"] > 4
    pdf = client.get(reverse("jobs:download", args=[job.pk, "pdf"]))
    reader = PdfReader(BytesIO(b"".join(pdf.streaming_content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert all(c.ticket_number in text for c in issued.candidates.all())
    assert f"{issued.code}-papers.pdf" in pdf["Content-Disposition"]
    # The page lists the trainer's earlier printables of this session.
    assert reverse("jobs:detail", args=[job.pk]) in client.get(url).content.decode()


def test_assessors_cannot_generate_printables(client, assessor, issued):
    client.force_login(assessor)
    response = client.post(reverse("exams_admin:printables", args=[issued.pk]))
    assert response.status_code == 302 and not Job.objects.exists()
