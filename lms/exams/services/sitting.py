"""Sitting an exam in the browser: start, save, submit, deadlines, events, proctor actions and mock exams.

The rules a high-stakes exam needs live here and nowhere else (views, the admin console, the beat task and
the commands all call these functions):
- Starting is one conditional UPDATE of the pre-created attempt (DESIGN §5a, the exam-start spike).
- A save is one UPDATE of one Response row, guarded by `seq < new seq` and, in the same statement, by the
  attempt still being open for that device; out-of-order and repeated saves change nothing.
- The deadline is computed by the server (the earlier of the window's end and start + duration + the
  personal extension); nothing a client sends can move it. Overdue attempts are submitted by the server,
  by the beat task and lazily on the next request.
- Submission happens exactly once: `UPDATE … SET status = submitted WHERE status = in_progress` succeeds
  for one caller only, whoever races (two tabs, the beat task, a proctor).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.core.audit import record
from lms.core.db import planned_once_cursor
from lms.core.secret_compare import same_secret
from question_bank.assembly import BlueprintInfeasible, assemble_paper, plan_blueprint
from question_bank.grading import (
    ESSAY,
    FILL_BLANK,
    MULTIPLE,
    SINGLE,
    TRUE_FALSE,
    candidate_view,
    normalise_response,
)
from question_bank.models import Blueprint, QuestionVersion

from ..models import (
    ACCESS_CODE_ALPHABET,
    ACCESS_CODE_LENGTH,
    Attempt,
    AttemptEvent,
    AttemptEventKind,
    AttemptKind,
    AttemptStatus,
    Candidate,
    Delivery,
    ExamSession,
    Paper,
    PaperQuestion,
    Response,
    SessionStatus,
    SubmittedBy,
    Venue,
    new_access_code,
)
from .bulk import insert_dicts
from .sessions import ExamError, close_session, open_session

MOCK_GRACE_SECONDS = 10
MOCK_ESSAY_MAX_LENGTH = 5000
MAX_EXTENSION_MINUTES = 240
# The page numbers its saves in JavaScript, whose numbers are exact up to 2^53 - 1: a larger sequence number
# (only a tampered client sends one) would make the page's later saves look older.
MAX_SEQ = 2**53 - 1
# Events a candidate's page may report; everything else is written by the server only.
CLIENT_EVENTS = {AttemptEventKind.TAB_HIDDEN, AttemptEventKind.FULLSCREEN_LEFT}


class SittingError(ExamError):
    """A save, start or submit refused; `code` is stable for the page's script, the message is for people."""

    status = 409
    code = "refused"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status


class BadAnswer(SittingError):
    status = 400
    code = "bad_answer"


class StaleDevice(SittingError):
    status = 409
    code = "taken_over"


class TimeUp(SittingError):
    status = 409
    code = "time_up"


class AlreadySubmitted(SittingError):
    status = 409
    code = "submitted"


class AccessCodeRefused(SittingError):
    status = 403
    code = "access_code"


def messages() -> dict[str, str]:
    """The messages the tests reuse (translated at call time)."""
    return {
        "taken_over": _("The exam continues on another device (考试已在另一台设备上继续); this page no longer saves."),
        "time_up": _("Time is up: the exam has been submitted and no more answers can be saved."),
        "submitted": _("This exam has already been submitted; answers can no longer be changed."),
        "not_open": _("The exam is not open now."),
        "code_wrong": _("The access code is wrong. Ask the proctor in your venue for the code."),
        "locked": _("Too many wrong access codes. Ask the proctor to let you in again."),
        "unknown_question": _("Question %(n)s is not on your paper."),
        "not_an_option": _("Question %(n)s: “%(value)s” is not one of its options."),
        "too_long": _("Question %(n)s: the answer is %(length)d characters long; at most %(max)d are allowed."),
        "blanks": _("Question %(n)s has %(expected)d blanks, but %(given)d answers were sent."),
        "true_false": _("Question %(n)s: choose True or False."),
        "malformed": _("The save could not be read; nothing was changed."),
        "absent": _("You were marked absent for this exam; ask the proctor if this is a mistake."),
        "excused": _("You are excused from this exam."),
    }


# --- reading an attempt ---------------------------------------------------------------------------------


def grace_seconds(attempt: Attempt) -> int:
    return attempt.session.save_grace_seconds if attempt.session_id else MOCK_GRACE_SECONDS


def essay_max_length(attempt: Attempt) -> int:
    return attempt.session.essay_max_length if attempt.session_id else MOCK_ESSAY_MAX_LENGTH


def compute_deadline(*, attempt: Attempt, started_at: dt.datetime) -> dt.datetime:
    """The earlier of the window's end and start + duration + the personal extension (DESIGN §4)."""
    if attempt.session_id is None:
        return started_at + dt.timedelta(minutes=attempt.blueprint.practice_minutes + attempt.extension_minutes)
    session = attempt.session
    personal = started_at + dt.timedelta(minutes=session.duration_minutes + attempt.extension_minutes)
    return min(session.ends_at, personal)


def is_overdue(attempt: Attempt, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (attempt.status == AttemptStatus.IN_PROGRESS and attempt.deadline is not None
            and now > attempt.deadline + dt.timedelta(seconds=grace_seconds(attempt)))


def needs_access_code(attempt: Attempt) -> bool:
    return attempt.session_id is not None and attempt.session.delivery == Delivery.ONSITE


def window_state(attempt: Attempt, now: dt.datetime | None = None) -> str:
    """before / open / closed for the session's window (mock exams are always open)."""
    if attempt.session_id is None:
        return "open"
    now = now or timezone.now()
    session = attempt.session
    if session.status in (SessionStatus.CLOSED, SessionStatus.GRADED, SessionStatus.RELEASED) or now >= session.ends_at:
        return "closed"
    if session.status != SessionStatus.OPEN or now < session.starts_at:
        return "before"
    return "open"


@dataclass(frozen=True)
class QuestionMeta:
    position: int
    response_id: int
    type: str
    keys: tuple[str, ...]
    blanks: int


@dataclass(frozen=True)
class PaperFacts:
    """What a save needs to know about its attempt besides the attempt's row: whose it is, the save grace,
    the essay limit and, per position, the question's type, option keys and blank count. None of it changes while the
    attempt is open (a paper is frozen once issued; its session's settings are forgotten here when the
    session is saved), so it is cached and a save reads nothing from the database before its one write."""

    user_id: int | None
    grace_seconds: int
    essay_max: int
    questions: dict[int, QuestionMeta]


FACTS_SECONDS = 6 * 3600


def _facts_key(attempt_id: int) -> str:
    return f"exams:sitting:facts:{attempt_id}"


def _build_facts(attempts: list[Attempt]) -> dict[int, PaperFacts]:
    """PaperFacts of these attempts (with their sessions loaded), from one query over their response rows."""
    questions: dict[int, dict[int, QuestionMeta]] = {attempt.pk: {} for attempt in attempts}
    rows = (Response.objects.filter(attempt_id__in=list(questions))
            .values_list("attempt_id", "position", "id", "paper_question__version__question__type",
                         "paper_question__version__options", "paper_question__version__answer"))
    for attempt_id, position, response_id, qtype, options, answer in rows:
        keys = tuple("ABCDEFGH"[: len(options or [])]) if qtype in (SINGLE, MULTIPLE) else ()
        blanks = len(answer or []) if qtype == FILL_BLANK else 0
        questions[attempt_id][position] = QuestionMeta(position, response_id, qtype, keys, blanks)
    return {attempt.pk: PaperFacts(user_id=attempt.user_id, grace_seconds=grace_seconds(attempt),
                                   essay_max=essay_max_length(attempt), questions=questions[attempt.pk])
            for attempt in attempts}


def paper_facts(attempt_id: int) -> PaperFacts | None:
    """The attempt's PaperFacts (cached), or None when there is no such attempt."""
    key = _facts_key(attempt_id)
    facts = cache.get(key)
    if facts is None:
        attempt = Attempt.objects.select_related("session").filter(pk=attempt_id).first()
        if attempt is None:
            return None
        facts = _build_facts([attempt])[attempt.pk]
        _keep_facts({attempt.pk: facts}, [attempt])
    return facts


def _keep_facts(built: dict[int, PaperFacts], attempts: list[Attempt]) -> None:
    """Cache built facts, then drop any whose session's limits changed while they were built.

    A session saved between our read and our write has already forgotten its facts (see
    forget_session_facts), so the write would bring back the old grace or essay limit for hours; the read
    after the write catches that. A save committed after that read forgets them itself, after its commit."""
    cache.set_many({_facts_key(pk): facts for pk, facts in built.items()}, FACTS_SECONDS)
    session_ids = {attempt.session_id for attempt in attempts if attempt.session_id}
    if not session_ids:
        return
    limits = {pk: (grace, essay_max) for pk, grace, essay_max in ExamSession.objects.filter(pk__in=session_ids)
              .values_list("pk", "save_grace_seconds", "essay_max_length")}
    stale = [attempt.pk for attempt in attempts if attempt.session_id and limits.get(attempt.session_id)
             != (built[attempt.pk].grace_seconds, built[attempt.pk].essay_max)]
    if stale:
        forget_paper_facts(stale)


def keep_session_facts(session_id: int, *, batch: int = 200) -> int:
    """Build and keep the PaperFacts of every attempt of the session that are not kept yet; returns how many.

    Run with the paper pages' warm-up (at issue and when the sitting opens): otherwise every candidate's first
    save builds them (a four-table read of 50 rows, several times a save's own cost), and a whole hall's
    first saves fall within the first half-minute of the exam, right after the start."""
    kept = 0
    attempt_ids = list(Attempt.objects.filter(session_id=session_id).order_by("pk").values_list("pk", flat=True))
    for offset in range(0, len(attempt_ids), batch):
        ids = attempt_ids[offset:offset + batch]
        present = cache.get_many([_facts_key(pk) for pk in ids])
        missing = [pk for pk in ids if _facts_key(pk) not in present]
        if not missing:
            continue
        attempts = list(Attempt.objects.filter(pk__in=missing).select_related("session"))
        built = _build_facts(attempts)
        _keep_facts(built, attempts)
        kept += len(built)
    return kept


def paper_meta(attempt: Attempt) -> dict[int, QuestionMeta]:
    return paper_facts(attempt.pk).questions


def forget_paper_facts(attempt_ids) -> None:
    cache.delete_many([_facts_key(pk) for pk in attempt_ids])


def forget_session_facts(sender, instance: ExamSession, **kwargs) -> None:
    """post_save of a session: its grace or essay limit may have changed, so its attempts' facts are read afresh.
    Forgotten now and again once the change is committed: facts built meanwhile from the old row, by a
    request or the warm-up task, would otherwise be cached after this first deletion."""
    def forget() -> None:
        forget_paper_facts(list(Attempt.objects.filter(session_id=instance.pk).values_list("pk", flat=True)))

    forget()
    transaction.on_commit(forget)


def candidate_paper(attempt: Attempt, *, positions=None, blank: bool = False) -> list[dict]:
    """The paper as the candidate sees it, in the paper's order with its option order: only the candidate
    view of each frozen version (never a key, explanation, reference answer or legal basis), with the
    attempt's answers — or none (`blank`), as every question looks before it is answered. `positions`
    limits it to those questions."""
    questions = (PaperQuestion.objects.filter(paper_id=attempt.paper_id)
                 .select_related("version__question").order_by("position"))
    responses = Response.objects.filter(attempt_id=attempt.pk)
    if positions is not None:
        questions = questions.filter(position__in=positions)
        responses = responses.filter(position__in=positions)
    responses = {} if blank else {r.paper_question_id: r for r in responses}
    items = []
    for pq in questions:
        view = candidate_view(pq.version, option_order=list(pq.option_order) or None)
        response = responses.get(pq.pk)
        answer = response.answer if response else None
        items.append({
            "position": pq.position, "section": pq.section, "points": pq.points, "type": view["type"],
            "type_label": pq.version.question.get_type_display(), "stem_html": view["stem_html"],
            "options": view["options"],
            "blanks": [{"index": i, "number": i + 1, "value": (answer[i] if view["type"] == FILL_BLANK and answer
                                                               and i < len(answer) else "")}
                       for i in range(view["blank_count"])],
            "text": answer[0] if view["type"] == ESSAY and answer else "",
            "truth": answer[0] if view["type"] == TRUE_FALSE and answer else None,
            "answer": answer, "answer_display": _answer_display(view, answer),
            "seq": response.seq if response else 0,
            "flagged": response.flagged if response else False,
        })
    return items


def _answer_display(view: dict, answer) -> str:
    """An answer as the candidate gave it: displayed letters, 正确/错误 or the text typed."""
    if not answer:
        return ""
    if view["type"] in (SINGLE, MULTIPLE):
        labels = {o["key"]: o["label"] for o in view["options"]}
        return "、".join(sorted(labels.get(k, k) for k in answer))
    if view["type"] == TRUE_FALSE:
        return _("True") if answer[0] else _("False")
    return "；".join(str(a) for a in answer)


def public_state(attempt: Attempt, *, now: dt.datetime | None = None) -> dict:
    """What the page's script is told about its attempt (times as epoch milliseconds for the countdown)."""
    now = now or timezone.now()
    return {
        "status": attempt.status,
        "window": window_state(attempt, now),
        "now": int(now.timestamp() * 1000),
        "deadline": int(attempt.deadline.timestamp() * 1000) if attempt.deadline else None,
        "grace_seconds": grace_seconds(attempt),
        "answered": attempt.answered_count,
        "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
    }


def lazily_submit(attempt: Attempt, *, now: dt.datetime | None = None) -> Attempt:
    """Called on every request about an attempt: the server submits it the moment it sees it overdue."""
    if is_overdue(attempt, now):
        submit_attempt(attempt=attempt, by=SubmittedBy.SERVER)
        attempt.refresh_from_db()
    return attempt


# --- starting ---------------------------------------------------------------------------------------------


def _failed_codes(attempt: Attempt) -> int:
    """Wrong access codes since the last re-entry within the lockout period (counted like failed logins).
    One query: every on-site start asks it, and a hall starts at once."""
    since = Value(timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME))
    last_reentry = Subquery(AttemptEvent.objects.filter(attempt_id=attempt.pk, kind=AttemptEventKind.REENTRY)
                            .order_by("-at").values("at")[:1])
    return attempt.events.filter(kind=AttemptEventKind.ACCESS_CODE_FAILED,
                                 at__gt=Greatest(since, Coalesce(last_reentry, since))).count()


def check_access_code(*, attempt: Attempt, code: str) -> None:
    if _failed_codes(attempt) >= settings.AXES_FAILURE_LIMIT:
        raise AccessCodeRefused(messages()["locked"], code="locked", status=429)
    # Full-width letters and digits (a Chinese keyboard's) are the same code: NFKC makes them ASCII.
    typed = "".join(unicodedata.normalize("NFKC", code or "").split()).upper()
    venues = Venue.objects.filter(session_id=attempt.session_id)
    if attempt.candidate_id and attempt.candidate.venue_id:
        venues = venues.filter(pk=attempt.candidate.venue_id)
    if not typed or not any(same_secret(typed, v) for v in venues.values_list("access_code", flat=True)):
        # Written outside the caller's transaction would be lost on rollback: the caller does not roll back.
        AttemptEvent.objects.create(attempt=attempt, kind=AttemptEventKind.ACCESS_CODE_FAILED,
                                    detail=_("Typed: %(code)s") % {"code": typed[:12]})
        if _failed_codes(attempt) >= settings.AXES_FAILURE_LIMIT:
            raise AccessCodeRefused(messages()["locked"], code="locked", status=429)
        raise AccessCodeRefused(messages()["code_wrong"])


# The PostgreSQL start: the conditional UPDATE and its STARTED event in one statement, one commit (1,000
# candidates press "start" within seconds: every round trip of the start is paid a thousand times at once).
_START_SQL = """
WITH started AS (
    UPDATE exams_attempt SET status = %(in_progress)s, started_at = %(now)s, deadline = %(deadline)s,
                             device_token = %(token)s
     WHERE id = %(attempt)s AND status = %(not_started)s
    RETURNING id
)
INSERT INTO exams_attemptevent (attempt_id, kind, at, detail)
SELECT id, %(kind)s, %(now)s, '' FROM started
"""


def _mark_started(*, attempt_id: int, now: dt.datetime, deadline: dt.datetime, token: str) -> bool:
    """Start a not-started attempt and record the event; False when it was no longer not started."""
    if connection.vendor == "postgresql":
        with planned_once_cursor() as cursor:
            cursor.execute(_START_SQL, {
                "attempt": attempt_id, "in_progress": AttemptStatus.IN_PROGRESS, "now": now, "deadline": deadline,
                "token": token, "not_started": AttemptStatus.NOT_STARTED, "kind": AttemptEventKind.STARTED,
            })
            return cursor.rowcount == 1
    with transaction.atomic():  # SQLite cannot run an UPDATE inside WITH
        started = Attempt.objects.filter(pk=attempt_id, status=AttemptStatus.NOT_STARTED).update(
            status=AttemptStatus.IN_PROGRESS, started_at=now, deadline=deadline, device_token=token)
        if started:
            AttemptEvent.objects.create(attempt_id=attempt_id, kind=AttemptEventKind.STARTED, at=now)
    return bool(started)


def start_attempt(*, attempt: Attempt, device_token: str = "", access_code: str | None = None,
                  now: dt.datetime | None = None) -> tuple[Attempt, str]:
    """Open the attempt on this device: start it, resume it (same device token) or take it over from another
    device. Returns the attempt and the device token the page must send with every save.

    `attempt.started_now` tells whether this call started it: then no answer can exist yet (only the token
    just made can save), so the paper can be shown without reading its responses."""
    now = now or timezone.now()
    attempt.started_now = False
    attempt = lazily_submit(attempt, now=now)
    if attempt.status == AttemptStatus.SUBMITTED:
        raise AlreadySubmitted(messages()["submitted"])
    if attempt.status == AttemptStatus.ABSENT:
        raise SittingError(messages()["absent"], code="absent")
    if attempt.status == AttemptStatus.IN_PROGRESS and device_token and same_secret(
            device_token, attempt.device_token):
        return attempt, device_token
    if window_state(attempt, now) != "open":
        raise SittingError(messages()["not_open"], code="not_open")
    if attempt.candidate_id and attempt.candidate.attendance == "excused":
        raise SittingError(messages()["excused"], code="excused")
    if needs_access_code(attempt):
        check_access_code(attempt=attempt, code=access_code or "")
    token = secrets.token_urlsafe(24)
    if attempt.status == AttemptStatus.NOT_STARTED:
        deadline = compute_deadline(attempt=attempt, started_at=now)
        if _mark_started(attempt_id=attempt.pk, now=now, deadline=deadline, token=token):
            # What the UPDATE wrote, without reading the row back (the start spike: every read counts).
            attempt.status, attempt.started_at, attempt.deadline = AttemptStatus.IN_PROGRESS, now, deadline
            attempt.device_token = token
            attempt.started_now = True
            return attempt, token
        attempt.refresh_from_db()  # another device started it a moment ago: take over below
        if attempt.status != AttemptStatus.IN_PROGRESS:
            raise AlreadySubmitted(messages()["submitted"])
    # The one-device rule: the newest device wins; the old one's saves fail on the token from now on.
    Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS).update(device_token=token)
    AttemptEvent.objects.create(attempt=attempt, kind=AttemptEventKind.TAKEN_OVER)
    attempt.refresh_from_db()
    return attempt, token


# --- saving -----------------------------------------------------------------------------------------------


def _unstorable(text: str) -> bool:
    """NUL (PostgreSQL's jsonb refuses it) or a lone surrogate such as "\\ud800", which JSON allows but
    UTF-8 cannot encode: stored, it would break every page that shows the answer."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _storable(text: str) -> str:
    return text.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")


def _has_unstorable_text(raw) -> bool:
    if isinstance(raw, str):
        return _unstorable(raw)
    return isinstance(raw, list) and any(isinstance(v, str) and _unstorable(v) for v in raw)


def validate_answer(*, meta: QuestionMeta, raw, max_length: int) -> list | None:
    """The canonical form of `raw` for this question, or BadAnswer with a message naming the question.
    None clears the answer (stored as [], i.e. answered then cleared)."""
    msgs = messages()
    n = meta.position
    if raw is None:
        return []
    if _has_unstorable_text(raw):  # refuse it rather than fail on the write or on every later page
        raise BadAnswer(msgs["malformed"], code="malformed")
    if meta.type in (SINGLE, MULTIPLE):
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise BadAnswer(msgs["malformed"], code="malformed")
        for value in raw:
            if value.strip().upper() not in meta.keys:
                raise BadAnswer(msgs["not_an_option"] % {"n": n, "value": value[:20]})
        if meta.type == SINGLE and len(raw) > 1:
            raise BadAnswer(msgs["not_an_option"] % {"n": n, "value": "、".join(raw)[:20]})
    elif meta.type == TRUE_FALSE:
        if not isinstance(raw, list) or len(raw) > 1 or (raw and not isinstance(raw[0], bool)):
            raise BadAnswer(msgs["true_false"] % {"n": n})
    elif meta.type == FILL_BLANK:
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise BadAnswer(msgs["malformed"], code="malformed")
        if raw and len(raw) != meta.blanks:
            raise BadAnswer(msgs["blanks"] % {"n": n, "expected": meta.blanks, "given": len(raw)})
        longest = max((len(v) for v in raw), default=0)
        if longest > 200:
            raise BadAnswer(msgs["too_long"] % {"n": n, "length": longest, "max": 200})
    elif meta.type == ESSAY:
        if not isinstance(raw, list) or len(raw) > 1 or not all(isinstance(v, str) for v in raw):
            raise BadAnswer(msgs["malformed"], code="malformed")
        length = len(raw[0]) if raw else 0
        if length > max_length:
            raise BadAnswer(msgs["too_long"] % {"n": n, "length": length, "max": max_length})
    return normalise_response(meta.type, raw)


# The PostgreSQL save: one statement. `open_attempt` locks the attempt row only if it is open for this
# device and account before deadline + grace (a submit racing the save either waits for it or makes it
# find nothing: an acknowledged answer is never written after its attempt was submitted); `saved` writes
# the answer if its sequence number is newer; the outer UPDATE keeps the proctor console's bookkeeping.
# The count runs on the statement's snapshot, before `saved`, hence "other rows + this one".
_SAVE_SQL = """
WITH open_attempt AS (
    SELECT a.id FROM exams_attempt a
     WHERE a.id = %(attempt)s AND a.status = %(in_progress)s AND a.device_token = %(device)s
       AND (%(user)s::bigint IS NULL OR a.user_id = %(user)s::bigint) AND a.deadline >= %(cutoff)s
     FOR NO KEY UPDATE
), saved AS (
    UPDATE exams_response r
       SET answer = %(answer)s::jsonb, seq = %(seq)s, saved_at = %(now)s, flagged = COALESCE(%(flagged)s, r.flagged)
      FROM open_attempt
     WHERE r.id = %(response)s AND r.attempt_id = open_attempt.id AND r.seq < %(seq)s
    RETURNING r.attempt_id
)
UPDATE exams_attempt a
   SET last_saved_at = %(now)s,
       answered_count = %(this_answered)s + (
           SELECT count(*) FROM exams_response o
            WHERE o.attempt_id = a.id AND o.id <> %(response)s AND o.answer IS NOT NULL AND o.answer <> '[]'::jsonb)
  FROM saved
 WHERE a.id = saved.attempt_id
"""


def _write_answer(*, attempt_id: int, response_id: int, user_id: int | None, device_token: str, seq: int,
                  canonical: list, flagged: bool | None, now: dt.datetime, grace: dt.timedelta) -> bool:
    """Write one answer under every rule; True when it was stored."""
    if connection.vendor == "postgresql":
        with planned_once_cursor() as cursor:
            cursor.execute(_SAVE_SQL, {
                "attempt": attempt_id, "in_progress": AttemptStatus.IN_PROGRESS, "device": device_token,
                "user": user_id, "cutoff": now - grace, "now": now, "answer": json.dumps(canonical),
                "seq": seq, "flagged": flagged, "response": response_id, "this_answered": 1 if canonical else 0,
            })
            return cursor.rowcount == 1
    # SQLite (the embedded default) takes one writer at a time, so two statements in one transaction are
    # as safe there; it cannot run an UPDATE inside WITH.
    attempt_open = Attempt.objects.filter(pk=attempt_id, status=AttemptStatus.IN_PROGRESS, device_token=device_token,
                                          deadline__gte=now - grace)
    if user_id is not None:
        attempt_open = attempt_open.filter(user_id=user_id)
    values = {"answer": canonical, "seq": seq, "saved_at": now}
    if flagged is not None:
        values["flagged"] = flagged
    with transaction.atomic():
        stored = (Response.objects.filter(pk=response_id, attempt_id=attempt_id, seq__lt=seq)
                  .filter(Exists(attempt_open)).update(**values))
        if stored:
            answered = (Response.objects.filter(attempt_id=OuterRef("pk")).exclude(answer=[])
                        .exclude(answer__isnull=True).order_by().values("attempt_id").annotate(n=Count("id"))
                        .values("n"))
            Attempt.objects.filter(pk=attempt_id).update(last_saved_at=now,
                                                         answered_count=Coalesce(Subquery(answered), 0))
    return bool(stored)


def save_answer(*, attempt: Attempt | int, device_token: str, position: int, seq: int, answer,
                flagged: bool | None = None, user_id: int | None = None, now: dt.datetime | None = None) -> dict:
    """Store one answer if `seq` is newer than the stored one; returns what is stored for that question.

    `attempt` is the attempt or its id: the page's save passes only the id and the account (`user_id`), so
    that a save costs the cached PaperFacts and one write — on PostgreSQL one statement whose WHERE clauses
    carry every rule (newer sequence, attempt in progress, this device and account, before deadline +
    grace). Concurrent saves from several connections leave the newest; a refused save changes nothing.
    """
    now = now or timezone.now()
    attempt_id = attempt if isinstance(attempt, int) else attempt.pk
    facts = paper_facts(attempt_id)
    if facts is None or (user_id is not None and facts.user_id != user_id):
        raise Attempt.DoesNotExist
    meta = facts.questions.get(position)
    if meta is None:
        raise BadAnswer(messages()["unknown_question"] % {"n": position}, code="unknown_question")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1 or seq > MAX_SEQ:
        raise BadAnswer(messages()["malformed"], code="malformed")
    canonical = validate_answer(meta=meta, raw=answer, max_length=facts.essay_max)
    flagged = bool(flagged) if flagged is not None else None
    grace = dt.timedelta(seconds=facts.grace_seconds)
    if _write_answer(attempt_id=attempt_id, response_id=meta.response_id, user_id=user_id, device_token=device_token
                     or "", seq=seq, canonical=canonical, flagged=flagged, now=now, grace=grace):
        return {"position": position, "seq": seq, "answer": canonical, "flagged": flagged,
                "stored": True, "saved_at": now.isoformat()}
    # Nothing written: say why (these reads happen only on the refusal path).
    attempt = Attempt.objects.select_related("session").get(pk=attempt_id)
    if attempt.status == AttemptStatus.SUBMITTED:
        raise AlreadySubmitted(messages()["submitted"])
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise SittingError(messages()["not_open"], code="not_open")
    if not same_secret(device_token, attempt.device_token):
        raise StaleDevice(messages()["taken_over"])
    if attempt.deadline is None or now > attempt.deadline + grace:
        lazily_submit(attempt, now=now)
        raise TimeUp(messages()["time_up"])
    # The stored answer is as new or newer: a replay or an out-of-order save, harmless.
    current = Response.objects.values("seq", "answer", "flagged", "saved_at").get(pk=meta.response_id)
    return {"position": position, "seq": current["seq"], "answer": current["answer"], "flagged": current["flagged"],
            "stored": False, "saved_at": current["saved_at"].isoformat() if current["saved_at"] else None}


def record_event(*, attempt: Attempt, device_token: str, kind: str, detail: str = "") -> AttemptEvent:
    """A tab switch, page hide or full-screen exit reported by the page: recorded for the proctor, blocks
    nothing. Only the device holding the attempt may report, and only those kinds."""
    if kind not in CLIENT_EVENTS:
        raise BadAnswer(messages()["malformed"], code="malformed")
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AlreadySubmitted(messages()["submitted"])
    if not same_secret(device_token, attempt.device_token):
        raise StaleDevice(messages()["taken_over"])
    return AttemptEvent.objects.create(attempt=attempt, kind=kind, detail=_storable(detail or "")[:300])


# --- submitting -------------------------------------------------------------------------------------------


def submit_attempt(*, attempt: Attempt, by: str, device_token: str | None = None, actor=None,
                   reason: str = "", now: dt.datetime | None = None) -> tuple[Attempt, bool]:
    """Submit once. Returns (attempt, whether this call submitted it). A second call, from another tab, a
    retry, the beat task or a proctor, finds it submitted and changes nothing: the conditional UPDATE is
    the guarantee, not this function's checks."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.IN_PROGRESS)
        if by == SubmittedBy.CANDIDATE:
            # The candidate's own submit must come from the device holding the attempt, within time.
            rows = rows.filter(device_token=device_token or "")
        done = rows.update(status=AttemptStatus.SUBMITTED, submitted_at=now, submitted_by=by)
        if not done:
            attempt.refresh_from_db()
            if by == SubmittedBy.CANDIDATE and attempt.status == AttemptStatus.IN_PROGRESS:
                raise StaleDevice(messages()["taken_over"])
            return attempt, False
        AttemptEvent.objects.create(attempt=attempt, kind=AttemptEventKind.SUBMITTED,
                                    detail=str(SubmittedBy(by).label) + (f"：{reason}" if reason else ""))
        if by == SubmittedBy.PROCTOR:
            record(actor=actor, action="exams.sitting.submit", obj=attempt,
                   summary=f"submitted for candidate {attempt.candidate_id}", reason=reason)
        attempt.refresh_from_db()
        if attempt.kind == AttemptKind.EXAM:
            from ..tasks import grade_attempt_task

            grade_attempt_task.delay_on_commit(attempt.pk)
    if attempt.kind == AttemptKind.MOCK:
        # A mock exam is marked at once, through the same grading service.
        from .grading import grade_attempt

        attempt = grade_attempt(attempt_id=attempt.pk) or attempt
    return attempt, True


def submit_overdue_attempts(*, now: dt.datetime | None = None) -> int:
    """Submit every attempt past its deadline + grace (the beat task); returns how many this run submitted."""
    now = now or timezone.now()
    count = 0
    overdue = Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline__lt=now).select_related(
        "session", "blueprint")
    for attempt in overdue.iterator(chunk_size=500):
        if is_overdue(attempt, now):
            _attempt, submitted = submit_attempt(attempt=attempt, by=SubmittedBy.SERVER, now=now)
            count += submitted
    return count


# --- the proctor console (监考台) --------------------------------------------------------------------------


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ExamError(_("Give a reason; it is kept in the audit log."))
    return reason[:300]


def change_access_code(*, venue: Venue, actor, reason: str, code: str = "") -> Venue:
    reason = _require_reason(reason)
    code = "".join((code or "").split()).upper() or new_access_code()
    if len(code) != ACCESS_CODE_LENGTH or any(c not in ACCESS_CODE_ALPHABET for c in code):
        raise ExamError(_("An access code has 6 characters: digits 2–9 and capital letters except I, L and O."))
    Venue.objects.filter(pk=venue.pk).update(access_code=code)
    record(actor=actor, action="exams.sitting.access_code", obj=venue.session,
           summary=f"{venue.session.code} / {venue.name}: access code changed", venue=venue.pk, reason=reason)
    venue.access_code = code
    return venue


@transaction.atomic
def extend_attempt(*, attempt: Attempt, minutes: int, actor, reason: str) -> Attempt:
    """Personal extra time; the deadline still never passes the window's end."""
    reason = _require_reason(reason)
    if not 1 <= int(minutes) <= MAX_EXTENSION_MINUTES:
        raise ExamError(_("Extra time must be between 1 and %(max)d minutes.") % {"max": MAX_EXTENSION_MINUTES})
    attempt = Attempt.objects.select_for_update(of=("self",)).select_related("session", "blueprint").get(pk=attempt.pk)
    if attempt.status in (AttemptStatus.SUBMITTED, AttemptStatus.ABSENT):
        raise ExamError(_("This attempt is already finished; its time cannot be extended."))
    attempt.extension_minutes += int(minutes)
    if attempt.started_at:
        attempt.deadline = compute_deadline(attempt=attempt, started_at=attempt.started_at)
    attempt.save(update_fields=["extension_minutes", "deadline"])
    AttemptEvent.objects.create(attempt=attempt, kind=AttemptEventKind.EXTENDED,
                                detail=_("%(minutes)d minutes: %(reason)s") % {"minutes": int(minutes), "reason": reason})
    record(actor=actor, action="exams.sitting.extend", obj=attempt,
           summary=f"+{int(minutes)} min for candidate {attempt.candidate_id}", minutes=int(minutes), reason=reason)
    return attempt


@transaction.atomic
def allow_reentry(*, attempt: Attempt, actor, reason: str) -> Attempt:
    """After a device failure: the next device to open the attempt takes it over, wrong access codes are
    forgiven, and a candidate marked absent by mistake may start."""
    reason = _require_reason(reason)
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status == AttemptStatus.SUBMITTED:
        raise ExamError(_("This attempt is already submitted; it cannot be re-entered."))
    fields = ["device_token"]
    attempt.device_token = ""
    if attempt.status == AttemptStatus.ABSENT:
        attempt.status = AttemptStatus.NOT_STARTED
        fields.append("status")
    attempt.save(update_fields=fields)
    AttemptEvent.objects.create(attempt=attempt, kind=AttemptEventKind.REENTRY, detail=reason)
    record(actor=actor, action="exams.sitting.reentry", obj=attempt,
           summary=f"re-entry for candidate {attempt.candidate_id}", reason=reason)
    return attempt


@transaction.atomic
def mark_absent(*, attempt: Attempt, actor, reason: str) -> Attempt:
    reason = _require_reason(reason)
    done = Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.NOT_STARTED).update(
        status=AttemptStatus.ABSENT)
    if not done:
        raise ExamError(_("Only a candidate who has not started can be marked absent."))
    if attempt.candidate_id:
        Candidate.objects.filter(pk=attempt.candidate_id).update(attendance="absent")
    record(actor=actor, action="exams.sitting.absent", obj=attempt,
           summary=f"candidate {attempt.candidate_id} marked absent", reason=reason)
    attempt.refresh_from_db()
    return attempt


def submit_for_candidate(*, attempt: Attempt, actor, reason: str) -> Attempt:
    reason = _require_reason(reason)
    attempt, submitted = submit_attempt(attempt=attempt, by=SubmittedBy.PROCTOR, actor=actor, reason=reason)
    if not submitted:
        raise ExamError(_("Only an attempt in progress can be submitted."))
    return attempt


def open_sitting(*, session: ExamSession, actor) -> ExamSession:
    return open_session(session=session, actor=actor)


def close_sitting(*, session: ExamSession, actor) -> ExamSession:
    """Close the session: attempts still in progress are submitted by the server, those never started are
    marked absent (缺考)."""
    session = close_session(session=session, actor=actor)
    for attempt in Attempt.objects.filter(session=session, status=AttemptStatus.IN_PROGRESS).select_related("session"):
        submit_attempt(attempt=attempt, by=SubmittedBy.SERVER)
    absent = Attempt.objects.filter(session=session, status=AttemptStatus.NOT_STARTED).exclude(
        candidate__attendance="excused")
    candidate_ids = list(absent.values_list("candidate_id", flat=True))
    absent.update(status=AttemptStatus.ABSENT)
    Candidate.objects.filter(pk__in=candidate_ids, attendance__in=["expected", "present"]).update(attendance="absent")
    return session


def console_rows(*, session: ExamSession, venue_id: int | None = None) -> list[dict]:
    """Every sitting candidate with status, answered count, last save and recent events, for the console."""
    attempts = (Attempt.objects.filter(session=session, candidate__draw__superseded_at__isnull=True)
                .exclude(candidate__attendance="excused")
                .select_related("candidate", "candidate__venue")
                .annotate(total=Count("responses", distinct=True),
                          warnings=Count("events", filter=Q(events__kind__in=list(CLIENT_EVENTS)), distinct=True))
                .order_by("candidate__venue__sort_order", "candidate__seat", "candidate__ticket_number"))
    if venue_id:
        attempts = attempts.filter(candidate__venue_id=venue_id)
    attempts = list(attempts)
    events: dict[int, list] = {}
    for event in (AttemptEvent.objects.filter(attempt__in=[a.pk for a in attempts])
                  .exclude(kind=AttemptEventKind.ACCESS_CODE_FAILED).order_by("-at")[:2000]):
        events.setdefault(event.attempt_id, []).append(event)
    rows = []
    for a in attempts:
        c = a.candidate
        rows.append({
            "id": a.pk, "ticket": c.ticket_number, "name": c.name, "venue": c.venue.name if c.venue else "",
            "seat": c.seat, "status": a.status, "status_label": str(AttemptStatus(a.status).label),
            "answered": a.answered_count, "total": a.total,
            "last_saved_at": timezone.localtime(a.last_saved_at).strftime("%H:%M:%S") if a.last_saved_at else "",
            "deadline": timezone.localtime(a.deadline).strftime("%H:%M:%S") if a.deadline else "",
            "extension": a.extension_minutes, "warnings": a.warnings,
            "events": [{"kind": str(AttemptEventKind(e.kind).label),
                        "at": timezone.localtime(e.at).strftime("%H:%M:%S"), "detail": e.detail}
                       for e in events.get(a.pk, [])[:5]],
        })
    return rows


# --- mock exams (模拟考试) ---------------------------------------------------------------------------------


def practice_blueprints():
    # A blueprint kept for exams-only questions is never practised, even if flagged open by mistake.
    return Blueprint.objects.filter(open_for_practice=True, exams_only_questions=False).order_by("name")


@transaction.atomic
def start_mock_exam(*, user, blueprint: Blueprint) -> Attempt:
    """A practice paper from a blueprint open for practice; the same page and saving path as an exam."""
    if not blueprint.open_for_practice or blueprint.exams_only_questions:
        raise ExamError(_("This blueprint is not open for practice."))
    try:
        plan = plan_blueprint(blueprint, practice=True)
    except BlueprintInfeasible as exc:
        raise ExamError(_("The blueprint cannot be filled: %(issues)s") % {"issues": "；".join(exc.issues)}) from exc
    items = assemble_paper(plan=plan, seed=secrets.token_hex(16), key=f"mock:{user.pk}", shuffle_options=True)
    paper = Paper.objects.create(session=None, candidate=None, variant=f"mock:{user.pk}", question_count=len(items),
                                 total_points=sum((i.points for i in items), Decimal("0")))
    insert_dicts(PaperQuestion, [
        {"paper_id": paper.pk, "position": i.position, "section": i.section, "question_id": i.question_id,
         "version_id": i.version_id, "points": i.points, "option_order": list(i.option_order)} for i in items])
    QuestionVersion.objects.filter(id__in={i.version_id for i in items}, frozen_at__isnull=True).update(
        frozen_at=timezone.now())
    attempt = Attempt.objects.create(kind=AttemptKind.MOCK, paper=paper, user=user, blueprint=blueprint)
    from .papers import create_responses

    create_responses(paper_ids=[paper.pk])
    return attempt


def open_mock_attempts(user):
    return Attempt.objects.filter(user=user, kind=AttemptKind.MOCK).select_related("blueprint").order_by("-created_at")
