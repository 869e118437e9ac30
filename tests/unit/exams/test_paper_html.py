"""The sitting page's questions come from fragments rendered once per paper (services.paper_html): the page
they make must be exactly the page rendered afresh, with this attempt's answers, and a cache that fails
must only make the page slower."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from lms.exams.models import Attempt, Response, SessionStatus
from lms.exams.services import paper_html, sitting

from .sitting_factories import open_session

pytestmark = pytest.mark.django_db


def _started(attempt):
    attempt = Attempt.objects.select_related("session", "candidate__venue", "paper").get(pk=attempt.pk)
    attempt, token = sitting.start_attempt(attempt=attempt, access_code=attempt.candidate.venue.access_code)
    return Attempt.objects.select_related("session", "candidate", "paper").get(pk=attempt.pk), token


def _rendered_afresh(attempt) -> str:
    """Every question rendered from the attempt's current answers, section headings where sections begin."""
    essay_max = sitting.essay_max_length(attempt)
    html, section = [], object()
    for question in sitting.candidate_paper(attempt):
        html.append(paper_html._render(question, essay_max=essay_max, first_in_section=question["section"] != section))
        section = question["section"]
    return "".join(html)


def _position(attempt, qtype):
    return (Response.objects.filter(attempt=attempt, paper_question__version__question__type=qtype)
            .values_list("position", flat=True).get())


def test_the_joined_fragments_are_the_page_rendered_afresh_before_and_after_answers():
    _session, (attempt, _other) = open_session()
    attempt, token = _started(attempt)
    navigator, html, max_seq = paper_html.paper_questions(attempt)
    assert str(html) == _rendered_afresh(attempt)
    positions = [int(n) for n in re.findall(r'data-nav="(\d+)"', str(navigator))]
    assert positions == list(range(1, attempt.paper.question_count + 1)) and max_seq == 0

    single = Response.objects.filter(attempt=attempt, paper_question__version__question__type="single").first()
    sitting.save_answer(attempt=attempt.pk, device_token=token, position=single.position, seq=3, answer=["B"])
    essay = _position(attempt, "essay")
    sitting.save_answer(attempt=attempt.pk, device_token=token, position=essay, seq=4, answer=["依法行政<b>"],
                        flagged=True)
    _navigator, html, max_seq = paper_html.paper_questions(attempt)
    assert str(html) == _rendered_afresh(attempt)
    assert max_seq == 4
    assert 'value="B" checked' in str(html) and "依法行政&lt;b&gt;</textarea>" in str(html)
    assert str(html).count("<section") == len(positions)


def test_an_unanswered_paper_is_served_from_the_cache_without_reading_its_questions():
    _session, (attempt, _other) = open_session()
    attempt, _token = _started(attempt)
    paper_html.paper_questions(attempt)  # the first page renders and keeps the fragments
    with CaptureQueriesContext(connection) as captured:
        _navigator, html, _max_seq = paper_html.paper_questions(attempt)
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert "exams_paperquestion" not in tables and "question_bank_questionversion" not in tables
    assert len(captured.captured_queries) == 1  # the attempt's answered or flagged questions
    assert "<section" in str(html)


def test_fragments_never_carry_the_key_or_another_attempts_answers():
    _session, (first, second) = open_session()
    first, token = _started(first)
    second, _token = _started(second)
    essay = _position(first, "essay")
    sitting.save_answer(attempt=first.pk, device_token=token, position=essay, seq=1, answer=["第一位考生的答案"])
    _p, first_html, _m = paper_html.paper_questions(first)
    _p, second_html, _m = paper_html.paper_questions(second)
    assert "第一位考生的答案" in str(first_html) and "第一位考生的答案" not in str(second_html)
    for secret in ("解析秘文", "法条秘文", "参考答案秘文"):
        assert secret not in str(first_html) and secret not in str(second_html)


def test_a_cache_that_fails_only_makes_the_page_render_in_the_request(monkeypatch):
    _session, (attempt, _other) = open_session()
    attempt, _token = _started(attempt)

    def broken(*args, **kwargs):
        raise ConnectionError("redis is restarting")

    monkeypatch.setattr(paper_html.cache, "get", broken)
    monkeypatch.setattr(paper_html.cache, "set", broken)
    _navigator, html, _max_seq = paper_html.paper_questions(attempt)
    assert str(html) == _rendered_afresh(attempt)


def test_warming_renders_every_paper_once_and_again_renders_nothing():
    session, attempts = open_session(people=3)
    assert paper_html.warm_session_papers(session.pk) == len(attempts)
    assert paper_html.warm_session_papers(session.pk) == 0
    paper_html.cache.clear()
    assert paper_html.warm_session_papers(session.pk) == len(attempts)


def test_issuing_and_opening_queue_the_warm_up_only_for_a_real_worker(settings, monkeypatch):
    from lms.exams import tasks
    from lms.exams.services.sessions import open_session as open_for_sitting

    queued = []
    monkeypatch.setattr(tasks.warm_paper_pages_task, "delay_on_commit", queued.append)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    session, _attempts = open_session(people=2)  # issues the papers
    assert queued == [session.pk]
    # Eagerly (no broker: the embedded default) it would render every paper inside the trainer's request.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    session.status = SessionStatus.PAPERS_ISSUED
    session.save(update_fields=["status"])
    open_for_sitting(session=session)
    assert queued == [session.pk]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    session.status = SessionStatus.PAPERS_ISSUED
    session.save(update_fields=["status"])
    open_for_sitting(session=session)
    assert queued == [session.pk, session.pk]


def test_each_language_has_its_own_fragments():
    from django.utils import translation

    _session, (attempt, _other) = open_session()
    attempt, _token = _started(attempt)
    with translation.override("zh-hans"):
        _p, chinese, _m = paper_html.paper_questions(attempt)
    with translation.override("en"):
        _p, english, _m = paper_html.paper_questions(attempt)
    assert "Question 1" in str(english) and "Question 1" not in str(chinese)
    assert "题" in str(chinese)


def test_the_warm_up_also_keeps_every_attempts_save_facts_so_a_first_save_reads_nothing_first():
    from lms.exams import tasks

    session, attempts = open_session(people=3)
    paper_html.cache.clear()
    tasks.warm_paper_pages_task(session.pk)
    for attempt in attempts:
        kept = paper_html.cache.get(sitting._facts_key(attempt.pk))
        paper_html.cache.delete(sitting._facts_key(attempt.pk))
        assert kept == sitting.paper_facts(attempt.pk)  # the same facts a save would build on demand
        assert len(kept.questions) == attempt.paper.questions.count() > 0
    assert sitting.keep_session_facts(session.pk) == 0  # all kept: nothing built again
    session.save()  # a limit may have changed: the session's facts are forgotten, and kept again in one go
    assert sitting.keep_session_facts(session.pk, batch=2) == len(attempts)

    attempt = attempts[0]
    attempt, token = sitting.start_attempt(attempt=attempt, access_code=attempt.candidate.venue.access_code)
    position, meta = next(iter(sitting.paper_facts(attempt.pk).questions.items()))
    with CaptureQueriesContext(connection) as captured:
        sitting.save_answer(attempt=attempt.pk, user_id=attempt.user_id, device_token=token, position=position,
                            seq=1, answer=[meta.keys[0]] if meta.keys else None)
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == (1 if connection.vendor == "postgresql" else 2), statements


@pytest.mark.parametrize("path", ["warm-up", "first save"])
def test_a_session_edited_while_its_facts_are_built_never_leaves_the_old_limits_cached(path, monkeypatch):
    """A trainer raises the essay limit while the warm-up (or a first save) is building the facts from the
    old row: the old limit must not come back from the cache for the hours the facts are kept."""
    session, attempts = open_session(people=2)
    paper_html.cache.clear()
    build = sitting._build_facts

    def build_then_edit(batch):
        built = build(batch)
        type(session).objects.filter(pk=session.pk).update(essay_max_length=session.essay_max_length + 500)
        session.refresh_from_db()
        session.save()  # the edit, saved through the model as the admin does: its facts are forgotten
        return built

    monkeypatch.setattr(sitting, "_build_facts", build_then_edit)
    if path == "warm-up":
        sitting.keep_session_facts(session.pk)
    else:
        sitting.paper_facts(attempts[0].pk)
    monkeypatch.setattr(sitting, "_build_facts", build)
    for attempt in attempts:
        cached = paper_html.cache.get(sitting._facts_key(attempt.pk))
        assert cached is None or cached.essay_max == session.essay_max_length
        assert sitting.paper_facts(attempt.pk).essay_max == session.essay_max_length
