"""The save rule and exactly-once submission on PostgreSQL, with real concurrent connections: attempts
and responses written by COPY and INSERT … SELECT at issue, concurrent saves for one question from two
connections leave the newest, and the beat task racing a lazy submit gives one submission."""

import datetime as dt
import threading

from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone

import pytest

from lms.exams.models import Attempt, AttemptEvent, AttemptStatus, PaperQuestion, Response, SubmittedBy
from lms.exams.services import sitting
from tests.unit.exams.sitting_factories import open_session

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _run_in_threads(*targets):
    barrier = threading.Barrier(len(targets))
    errors = []

    def wrap(target):
        def run():
            try:
                barrier.wait()
                target()
            except Exception as exc:  # noqa: BLE001 - reported to the test below
                errors.append(exc)
            finally:
                connections.close_all()
        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors


def _started(attempt):
    attempt = Attempt.objects.select_related("session", "candidate__venue").get(pk=attempt.pk)
    return sitting.start_attempt(attempt=attempt, access_code=attempt.candidate.venue.access_code)


def test_issuing_on_postgres_creates_attempts_and_empty_responses(postgres_required):
    assert connection.vendor == "postgresql"
    session, attempts = open_session(people=4, code="PGI")
    assert len(attempts) == 4
    assert Response.objects.filter(attempt__session=session).count() == PaperQuestion.objects.filter(
        paper__session=session).count() == 32
    assert not Response.objects.filter(attempt__session=session).exclude(seq=0).exists()


def test_concurrent_saves_from_two_connections_leave_the_newest(postgres_required):
    cache.clear()
    _session, (attempt, _other) = open_session(code="PGS")
    attempt, token = _started(attempt)
    position = Response.objects.filter(attempt=attempt, paper_question__version__question__type="single").values_list(
        "position", flat=True).first()
    for round_ in range(10):
        base = round_ * 10
        newer = ["A"] if round_ % 2 else ["D"]

        def save(seq, answer):
            def go():
                fresh = Attempt.objects.select_related("session").get(pk=attempt.pk)
                sitting.save_answer(attempt=fresh, device_token=token, position=position, seq=seq, answer=answer)
            return go

        # The older save is sent a moment later, so it may arrive after the newer one: it must lose.
        _run_in_threads(save(base + 2, newer), save(base + 1, ["B"]), save(base + 2, ["C"]))
        stored = Response.objects.get(attempt=attempt, position=position)
        assert stored.seq == base + 2
        assert stored.answer in (newer, ["C"])  # equal sequence: whichever came first stays


def test_beat_task_racing_lazy_submit_gives_exactly_one_submission(postgres_required, monkeypatch):
    cache.clear()
    _session, attempts = open_session(people=3, code="PGB")
    queued = []
    monkeypatch.setattr("lms.exams.tasks.grade_attempt_task.delay_on_commit", lambda pk: queued.append(pk))
    started = [_started(a)[0] for a in attempts]
    Attempt.objects.filter(pk__in=[a.pk for a in started]).update(deadline=timezone.now() - dt.timedelta(minutes=1))

    def beat():
        sitting.submit_overdue_attempts()

    def lazy(pk):
        def go():
            sitting.lazily_submit(Attempt.objects.select_related("session").get(pk=pk))
        return go

    def candidate(pk):
        def go():
            fresh = Attempt.objects.select_related("session").get(pk=pk)
            sitting.submit_attempt(attempt=fresh, by=SubmittedBy.SERVER)
        return go

    _run_in_threads(beat, beat, *[lazy(a.pk) for a in started], *[candidate(a.pk) for a in started])
    assert set(Attempt.objects.filter(pk__in=[a.pk for a in started]).values_list("status", flat=True)) == {
        AttemptStatus.SUBMITTED}
    for a in started:
        assert AttemptEvent.objects.filter(attempt_id=a.pk, kind="submitted").count() == 1
    assert sorted(queued) == sorted(a.pk for a in started)


def test_a_save_racing_submission_is_either_stored_before_it_or_refused(postgres_required, monkeypatch):
    cache.clear()
    monkeypatch.setattr("lms.exams.tasks.grade_attempt_task.delay_on_commit", lambda pk: None)
    _session, (attempt, _other) = open_session(code="PGR")
    attempt, token = _started(attempt)
    position = 1
    outcomes = []

    def save():
        fresh = Attempt.objects.select_related("session").get(pk=attempt.pk)
        try:
            outcomes.append(sitting.save_answer(attempt=fresh, device_token=token, position=position, seq=7,
                                                answer=None)["stored"])
        except sitting.SittingError as exc:
            outcomes.append(exc.code)

    def submit():
        fresh = Attempt.objects.select_related("session").get(pk=attempt.pk)
        sitting.submit_attempt(attempt=fresh, by=SubmittedBy.CANDIDATE, device_token=token)

    _run_in_threads(save, submit)
    stored = Response.objects.get(attempt=attempt, position=position)
    assert outcomes in ([True], ["submitted"])
    assert (stored.seq == 7) == (outcomes == [True])
