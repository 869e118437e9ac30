"""The sitting rules (services.sitting): attempts created with the papers, start, the save rule, deadlines,
exactly-once submission, one device at a time, access codes and the proctor's actions."""

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

import pytest

from lms.core.models import AuditEntry
from lms.exams.models import (
    Attempt,
    AttemptEvent,
    AttemptKind,
    AttemptStatus,
    Delivery,
    PaperQuestion,
    Response,
    SubmittedBy,
)
from lms.exams.services import sitting
from lms.exams.services.sessions import ExamError
from lms.exams.tasks import submit_overdue_attempts_task

from .sitting_factories import open_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _code(attempt):
    return attempt.candidate.venue.access_code


def _start(attempt, **kw):
    attempt = Attempt.objects.select_related("session", "candidate__venue").get(pk=attempt.pk)
    return sitting.start_attempt(attempt=attempt, access_code=_code(attempt), **kw)


def _position_of(attempt, qtype):
    return (Response.objects.filter(attempt=attempt, paper_question__version__question__type=qtype)
            .values_list("position", flat=True).first())


def _stored(attempt, position):
    return Response.objects.get(attempt=attempt, position=position)


def test_issuing_papers_creates_one_attempt_and_empty_responses_per_candidate():
    session, attempts = open_session(people=3)
    assert len(attempts) == 3 == session.candidates.count()
    for attempt in attempts:
        assert attempt.status == AttemptStatus.NOT_STARTED and attempt.kind == AttemptKind.EXAM
        assert attempt.user == attempt.candidate.person.user
        assert attempt.paper.candidate_id == attempt.candidate_id
        responses = Response.objects.filter(attempt=attempt)
        assert responses.count() == PaperQuestion.objects.filter(paper=attempt.paper).count() == 8
        assert set(responses.values_list("seq", flat=True)) == {0}
        assert not responses.exclude(answer__isnull=True).exists()


def test_start_sets_the_server_deadline_and_a_device_token():
    session, (attempt, _other) = open_session()
    before = timezone.now()
    attempt, token = _start(attempt)
    assert attempt.status == AttemptStatus.IN_PROGRESS and token == attempt.device_token
    expected = attempt.started_at + dt.timedelta(minutes=session.duration_minutes)
    assert attempt.deadline == min(expected, session.ends_at)
    assert attempt.started_at >= before
    assert AttemptEvent.objects.filter(attempt=attempt, kind="started").count() == 1


def test_deadline_never_passes_the_window_end():
    session, (attempt, _other) = open_session(duration=600)
    attempt, _token = _start(attempt)
    assert attempt.deadline == session.ends_at


def test_newer_sequence_is_stored_older_and_equal_are_ignored():
    _session, (attempt, _other) = open_session()
    attempt, token = _start(attempt)
    pos = _position_of(attempt, "single")
    result = sitting.save_answer(attempt=attempt, device_token=token, position=pos, seq=5, answer=["A"])
    assert result["stored"] and _stored(attempt, pos).answer == ["A"]
    older = sitting.save_answer(attempt=attempt, device_token=token, position=pos, seq=4, answer=["C"])
    equal = sitting.save_answer(attempt=attempt, device_token=token, position=pos, seq=5, answer=["D"])
    assert not older["stored"] and not equal["stored"]
    assert older["answer"] == ["A"] and older["seq"] == 5  # the server answers with what it stored
    assert _stored(attempt, pos).answer == ["A"] and _stored(attempt, pos).seq == 5
    newer = sitting.save_answer(attempt=attempt, device_token=token, position=pos, seq=6, answer=["D"])
    assert newer["stored"] and _stored(attempt, pos).answer == ["D"]


def test_answers_are_stored_as_canonical_version_keys_for_every_type():
    _session, (attempt, _other) = open_session()
    attempt, token = _start(attempt)
    answers = {"single": ["c"], "multiple": ["C", "A"], "true_false": [False], "fill_blank": [" 30 ", "三十日"],
               "essay": ["先催告，再作出强制执行决定。"]}
    expected = {"single": ["C"], "multiple": ["A", "C"], "true_false": [False], "fill_blank": ["30", "三十日"],
                "essay": ["先催告，再作出强制执行决定。"]}
    for seq, (qtype, answer) in enumerate(answers.items(), start=1):
        pos = _position_of(attempt, qtype)
        sitting.save_answer(attempt=attempt, device_token=token, position=pos, seq=seq, answer=answer)
        assert _stored(attempt, pos).answer == expected[qtype]
    attempt.refresh_from_db()
    assert attempt.answered_count == 5 and attempt.last_saved_at is not None


@pytest.mark.parametrize(("qtype", "answer", "code"), [
    ("single", ["E"], "bad_answer"),
    ("single", ["A", "B"], "bad_answer"),
    ("multiple", ["A", "Z"], "bad_answer"),
    ("true_false", ["maybe"], "bad_answer"),
    ("fill_blank", ["only one"], "bad_answer"),
    ("essay", ["字" * 5001], "bad_answer"),
    ("single", "A", "malformed"),
    ("essay", [1], "malformed"),
])
def test_bad_answers_are_refused_with_a_chinese_message_and_change_nothing(qtype, answer, code):
    _session, (attempt, _other) = open_session()
    attempt, token = _start(attempt)
    pos = _position_of(attempt, qtype)
    with pytest.raises(sitting.BadAnswer) as refused:
        sitting.save_answer(attempt=attempt, device_token=token, position=pos, seq=1, answer=answer)
    assert refused.value.status == 400 and refused.value.code == code
    assert f"{pos}" in str(refused.value) or code == "malformed"
    assert "['" not in str(refused.value)  # says what is wrong, never a Python value
    assert _stored(attempt, pos).seq == 0 and _stored(attempt, pos).answer is None


def test_a_save_for_a_question_not_on_the_paper_is_refused():
    _session, (attempt, _other) = open_session()
    attempt, token = _start(attempt)
    with pytest.raises(sitting.BadAnswer, match="不在您的试卷上|not on your paper"):
        sitting.save_answer(attempt=attempt, device_token=token, position=99, seq=1, answer=["A"])


def test_saves_after_deadline_plus_grace_are_refused_and_the_attempt_submitted_once():
    session, (attempt, _other) = open_session()
    attempt, token = _start(attempt)
    pos = _position_of(attempt, "single")
    grace = dt.timedelta(seconds=session.save_grace_seconds)
    within = attempt.deadline + grace - dt.timedelta(seconds=1)
    assert sitting.save_answer(attempt=attempt, device_token=token, position=pos, seq=1, answer=["A"],
                               now=within)["stored"]
    late = attempt.deadline + grace + dt.timedelta(seconds=1)
    with pytest.raises(sitting.TimeUp):
        sitting.save_answer(attempt=attempt, device_token=token, position=pos, seq=2, answer=["B"], now=late)
    attempt.refresh_from_db()
    assert _stored(attempt, pos).answer == ["A"]
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.submitted_by == SubmittedBy.SERVER


def test_beat_task_and_lazy_submit_give_exactly_one_submission(monkeypatch):
    _session, (attempt, other) = open_session()
    attempt, _token = _start(attempt)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(minutes=5))
    queued = []
    monkeypatch.setattr("lms.exams.tasks.grade_attempt_task.delay_on_commit", lambda pk: queued.append(pk))
    assert submit_overdue_attempts_task() == 1
    attempt.refresh_from_db()
    sitting.lazily_submit(attempt)
    assert submit_overdue_attempts_task() == 0
    _again, submitted = sitting.submit_attempt(attempt=attempt, by=SubmittedBy.SERVER)
    assert not submitted
    assert AttemptEvent.objects.filter(attempt=attempt, kind="submitted").count() == 1
    assert queued == [attempt.pk]
    other.refresh_from_db()
    assert other.status == AttemptStatus.NOT_STARTED  # never started: not the beat task's business


def test_submitting_twice_gives_one_submission_and_queues_marking_once(monkeypatch):
    _session, (attempt, _other) = open_session()
    attempt, token = _start(attempt)
    queued = []
    monkeypatch.setattr("lms.exams.tasks.grade_attempt_task.delay_on_commit", lambda pk: queued.append(pk))
    first, done1 = sitting.submit_attempt(attempt=attempt, by=SubmittedBy.CANDIDATE, device_token=token)
    second, done2 = sitting.submit_attempt(attempt=attempt, by=SubmittedBy.CANDIDATE, device_token=token)
    assert (done1, done2) == (True, False)
    assert first.submitted_at == second.submitted_at and queued == [attempt.pk]
    with pytest.raises(sitting.AlreadySubmitted):
        sitting.save_answer(attempt=attempt, device_token=token, position=1, seq=9, answer=None)


def test_a_second_device_takes_over_and_the_first_stops_saving():
    _session, (attempt, _other) = open_session()
    attempt, first = _start(attempt)
    attempt, second = _start(attempt)  # another phone, no token yet
    assert first != second
    pos = _position_of(attempt, "true_false")
    with pytest.raises(sitting.StaleDevice, match="另一台设备|another device"):
        sitting.save_answer(attempt=attempt, device_token=first, position=pos, seq=1, answer=[True])
    assert sitting.save_answer(attempt=attempt, device_token=second, position=pos, seq=1, answer=[True])["stored"]
    assert AttemptEvent.objects.filter(attempt=attempt, kind="taken_over").count() == 1
    # The same device reopening keeps its token and makes no event.
    _attempt, again = sitting.start_attempt(attempt=attempt, device_token=second)
    assert again == second and AttemptEvent.objects.filter(attempt=attempt, kind="taken_over").count() == 1


def test_wrong_access_codes_lock_the_candidate_like_failed_logins(settings):
    settings.AXES_FAILURE_LIMIT = 3
    _session, (attempt, other) = open_session()
    for _i in range(2):
        with pytest.raises(sitting.AccessCodeRefused) as wrong:
            sitting.start_attempt(attempt=attempt, access_code="WRONG1")
        assert wrong.value.code == "access_code"
    with pytest.raises(sitting.AccessCodeRefused) as locked:
        sitting.start_attempt(attempt=attempt, access_code="WRONG1")
    assert locked.value.code == "locked" and locked.value.status == 429
    with pytest.raises(sitting.AccessCodeRefused):  # even the right code, until the proctor lets him in
        sitting.start_attempt(attempt=attempt, access_code=_code(attempt))
    _start(other)  # per candidate: his neighbour is not affected
    sitting.allow_reentry(attempt=attempt, actor=None, reason="输错考场码，监考核实身份")
    attempt, _token = _start(attempt)
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_online_sessions_need_no_access_code():
    _session, (attempt, _other) = open_session(delivery=Delivery.ONLINE, code="ONL1")
    attempt, _token = sitting.start_attempt(attempt=Attempt.objects.get(pk=attempt.pk))
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_nobody_starts_before_the_window_opens():
    _session, (attempt, _other) = open_session(start_offset=30)
    with pytest.raises(ExamError):
        _start(attempt)


def test_proctor_extension_moves_one_deadline_and_is_audited():
    session, (attempt, other) = open_session()
    attempt, token = _start(attempt)
    other, _t = _start(other)
    extended = sitting.extend_attempt(attempt=attempt, minutes=10, actor=None, reason="设备故障耽误十分钟")
    assert extended.deadline == attempt.deadline + dt.timedelta(minutes=10)
    assert AuditEntry.objects.filter(action="exams.sitting.extend").count() == 1
    after_others = other.deadline + dt.timedelta(seconds=session.save_grace_seconds + 60)
    pos = _position_of(attempt, "single")
    assert sitting.save_answer(attempt=extended, device_token=token, position=pos, seq=1, answer=["A"],
                               now=after_others)["stored"]
    with pytest.raises(ExamError):
        sitting.extend_attempt(attempt=attempt, minutes=5, actor=None, reason="")


def test_mark_absent_and_submit_for_candidate_and_access_code_change_are_audited():
    session, (attempt, other) = open_session()
    sitting.mark_absent(attempt=attempt, actor=None, reason="未到场")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.ABSENT and attempt.candidate.attendance == "absent"
    other, _token = _start(other)
    sitting.submit_for_candidate(attempt=other, actor=None, reason="考生身体不适，提前交卷")
    other.refresh_from_db()
    assert other.status == AttemptStatus.SUBMITTED and other.submitted_by == SubmittedBy.PROCTOR
    venue = session.venues.first()
    old = venue.access_code
    sitting.change_access_code(venue=venue, actor=None, reason="考场码泄露")
    venue.refresh_from_db()
    assert venue.access_code != old and len(venue.access_code) == 6
    with pytest.raises(ExamError):
        sitting.change_access_code(venue=venue, actor=None, reason="x", code="O0I1LL")
    assert {"exams.sitting.absent", "exams.sitting.submit", "exams.sitting.access_code"} <= set(
        AuditEntry.objects.values_list("action", flat=True))


def test_client_events_are_recorded_and_only_allowed_kinds():
    _session, (attempt, _other) = open_session()
    attempt, token = _start(attempt)
    sitting.record_event(attempt=attempt, device_token=token, kind="tab_hidden")
    with pytest.raises(sitting.BadAnswer):
        sitting.record_event(attempt=attempt, device_token=token, kind="extended")
    assert AttemptEvent.objects.filter(attempt=attempt, kind="tab_hidden").count() == 1


def test_closing_the_session_submits_attempts_in_progress_and_marks_the_rest_absent():
    session, (attempt, other) = open_session()
    attempt, _token = _start(attempt)
    sitting.close_sitting(session=session, actor=None)
    attempt.refresh_from_db()
    other.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and other.status == AttemptStatus.ABSENT


def test_a_save_is_one_statement_on_postgres_and_reads_nothing_before_it():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _session, (attempt, _other) = open_session()
    attempt, token = _start(attempt)
    pos = _position_of(attempt, "single")
    sitting.paper_facts(attempt.pk)  # cached once per attempt; a paper never changes
    with CaptureQueriesContext(connection) as captured:
        sitting.save_answer(attempt=attempt.pk, user_id=attempt.user_id, device_token=token, position=pos, seq=1,
                            answer=["A"])
    # Savepoints appear only because the test itself runs in a transaction; in a request it is one commit.
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(statements) == 1, statements
        assert statements[0].lstrip().startswith("WITH open_attempt AS") and "FOR NO KEY UPDATE" in statements[0]
    else:  # SQLite cannot UPDATE inside WITH: two statements in one transaction
        assert len(statements) == 2, statements
        assert statements[0].startswith('UPDATE "exams_response"') and '"seq" <' in statements[0]
        assert statements[1].startswith('UPDATE "exams_attempt"')
    attempt.refresh_from_db()
    assert attempt.answered_count == 1 and attempt.last_saved_at is not None
    # Clearing the answer takes it off the count again.
    sitting.save_answer(attempt=attempt.pk, device_token=token, position=pos, seq=2, answer=None)
    attempt.refresh_from_db()
    assert attempt.answered_count == 0


def test_a_start_is_one_statement_on_postgres_and_a_lost_race_takes_over():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _session, (attempt, _other) = open_session(delivery=Delivery.ONLINE)
    loaded = Attempt.objects.select_related("session", "candidate").get(pk=attempt.pk)
    with CaptureQueriesContext(connection) as captured:
        started, token = sitting.start_attempt(attempt=loaded)
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    if connection.vendor == "postgresql":  # the UPDATE and its event, one commit
        assert len(statements) == 1 and statements[0].lstrip().startswith("WITH started AS"), statements
    else:
        assert [s.split()[0] for s in statements] == ["UPDATE", "INSERT"], statements
    assert started.started_now and started.device_token == token
    event = AttemptEvent.objects.get(attempt=attempt, kind="started")
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.status == AttemptStatus.IN_PROGRESS and stored.device_token == token
    assert stored.started_at == started.started_at and stored.deadline == started.deadline
    assert abs((event.at - stored.started_at).total_seconds()) < 1
    # A second device that loaded the attempt before the first start loses the race: it takes over, with no
    # second STARTED event, and is not told it started the attempt (answers may exist).
    stale = Attempt.objects.select_related("session", "candidate").get(pk=attempt.pk)
    stale.status = AttemptStatus.NOT_STARTED
    taken, other_token = sitting.start_attempt(attempt=stale)
    assert not taken.started_now and other_token != token and taken.device_token == other_token
    assert AttemptEvent.objects.filter(attempt=attempt, kind="started").count() == 1
    assert AttemptEvent.objects.filter(attempt=attempt, kind="taken_over").count() == 1


def test_a_save_for_another_account_is_refused_before_any_write():
    _session, (attempt, other) = open_session()
    attempt, token = _start(attempt)
    pos = _position_of(attempt, "single")
    with pytest.raises(Attempt.DoesNotExist):
        sitting.save_answer(attempt=attempt.pk, user_id=other.user_id, device_token=token, position=pos, seq=1,
                            answer=["A"])
    assert Response.objects.get(attempt=attempt, position=pos).seq == 0


def test_changing_the_sessions_grace_or_essay_limit_reaches_the_cached_facts():
    session, (attempt, _other) = open_session()
    assert sitting.paper_facts(attempt.pk).essay_max == session.essay_max_length
    session.essay_max_length = 123
    session.save_grace_seconds = 7
    session.save()
    facts = sitting.paper_facts(attempt.pk)
    assert (facts.essay_max, facts.grace_seconds) == (123, 7)


def test_a_replacement_drawn_after_issue_gets_an_attempt_and_the_excused_cannot_start():
    from lms.exams.models import Candidate
    from lms.exams.services.draw import excuse_candidate

    session, _attempts = open_session(people=2, sampled=6, code="LATE")
    session.status = "papers_issued"  # candidates change only before the exam opens
    session.save(update_fields=["status"])
    sampled = Candidate.objects.filter(session=session, reason="sampled").first()
    replacement = excuse_candidate(candidate=sampled, reason="病假", approved_by="队长")
    late = Attempt.objects.get(candidate=replacement)
    assert late.status == AttemptStatus.NOT_STARTED and Response.objects.filter(attempt=late).count() == 8
    session.status = "open"
    session.save(update_fields=["status"])
    with pytest.raises(ExamError, match="免考|excused"):
        _start(Attempt.objects.get(candidate=sampled))
