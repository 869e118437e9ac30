"""Every response carries its paper question's version and points (the statistics read them without a
join), whichever way it was created."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.db.models import F

import pytest

from lms.exams.models import Response
from lms.exams.services.score_entry import ensure_attempt

from .grading_factories import grading_session

pytestmark = pytest.mark.django_db


def _copied(session) -> bool:
    responses = Response.objects.filter(attempt__session=session)
    return responses.exists() and not responses.exclude(
        version=F("paper_question__version"), points=F("paper_question__points")).exists()


def test_issued_papers_copy_version_and_points_into_each_response():
    session = grading_session(officers=1)
    assert _copied(session)


def test_score_entry_attempts_copy_them_too():
    session = grading_session(officers=1, with_attempts=False)
    Response.objects.filter(attempt__session=session).delete()
    for paper in session.papers.all():
        ensure_attempt(paper)
    assert _copied(session)


def test_the_migration_copies_them_into_existing_responses():
    session = grading_session(officers=1)
    Response.objects.filter(attempt__session=session).update(version=None, points=None)
    migration = importlib.import_module("lms.exams.migrations.0009_response_version_points")
    migration.copy_from_paper_questions(apps, SimpleNamespace(connection=connection))  # as a schema editor
    assert _copied(session)
