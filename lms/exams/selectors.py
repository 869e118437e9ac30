"""Read-side queries for the exam screens (dashboard, officer's own exams, the sitting's own attempt)."""

import functools
from collections import defaultdict

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, Q

from lms.core.db import planned_once_cursor
from lms.roster.models import OrgUnit, Position

from .models import Attempt, AttemptKind, Candidate, ExamSession, Paper
from .services.sessions import active_candidates

# --- the sitting's attempt --------------------------------------------------------------------------------

# The attempt with the rows every sitting request reads, as select_related("session", "candidate", "paper")
# would load them. (table alias, model, the attempt's foreign key to it or None, joined with LEFT JOIN).
_SITTING_JOINS = (("a", Attempt, None, False), ("s", ExamSession, "session", True),
                  ("c", Candidate, "candidate", True), ("p", Paper, "paper", False))
# Ids come from the URL (any number of digits); beyond a bigint the database would refuse the parameter.
_LARGEST_ID = 2**63 - 1


@functools.cache
def _sitting_statement(alias: str) -> tuple[str, list]:
    """For the database `alias`: the SQL and, per model, its field names and the converters of each column,
    as the ORM's compiler would apply them (the same for every connection to it). Built once: building the same
    select_related query through the ORM costs about 1 ms per request in compiling the SQL and assembling four
    models, and a thousand candidates' start pages, starts and state polls ask for it within minutes (#10)."""
    db = connections[alias]
    columns, models = [], []
    for table, model, _fk, _outer in _SITTING_JOINS:
        fields = list(model._meta.concrete_fields)
        columns += [f'{table}."{field.column}"' for field in fields]
        converters = []
        for index, field in enumerate(fields):
            column = field.get_col(table)
            functions = [*db.ops.get_db_converters(column), *field.get_db_converters(db)]
            if functions:
                converters.append((index, column, functions))
        models.append((model, [field.attname for field in fields], converters))
    joins = [f'{"LEFT OUTER" if outer else "INNER"} JOIN "{model._meta.db_table}" {table} ON {table}."id" = '
             f'a."{Attempt._meta.get_field(fk).column}"' for table, model, fk, outer in _SITTING_JOINS[1:]]
    # Only names from the models' own metadata go into the text; the ids are parameters.
    sql = (f'SELECT {", ".join(columns)} FROM "{Attempt._meta.db_table}" a {" ".join(joins)} '  # noqa: S608
           f'WHERE a."id" = %s AND a."{Attempt._meta.get_field("user").column}" = %s')
    return sql, models


def sitting_attempt(attempt_id: int, user_id: int) -> Attempt | None:
    """The attempt `attempt_id` if it is `user_id`'s, with its session, candidate and paper (None for a mock's
    missing session and candidate), or None: the same objects as
    Attempt.objects.select_related("session", "candidate", "paper").get(pk=…, user_id=…), from one SQL
    statement built once."""
    if not (0 < attempt_id <= _LARGEST_ID and user_id):
        return None
    db = connections[DEFAULT_DB_ALIAS]
    sql, models = _sitting_statement(db.alias)
    with planned_once_cursor(db.alias) as cursor:
        cursor.execute(sql, [attempt_id, user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    objects, start = [], 0
    for model, names, converters in models:
        values = list(row[start:start + len(names)])
        start += len(names)
        for index, column, functions in converters:
            for convert in functions:
                values[index] = convert(values[index], column, db)
        # A LEFT JOIN that found nothing gives a row of NULLs: the attempt has no such relation (a mock).
        objects.append(None if values[0] is None else model.from_db(db.alias, names, values))
    attempt, session, candidate, paper = objects
    for (_alias, _model, fk, _outer), related in zip(_SITTING_JOINS[1:], (session, candidate, paper), strict=True):
        Attempt._meta.get_field(fk).set_cached_value(attempt, related)
    return attempt


def dashboard(session: ExamSession) -> dict:
    """Candidates by squad (mandatory / sampled / excused / added), squads without a legal officer, papers."""
    rows = defaultdict(lambda: defaultdict(int))
    legal_officer = set()
    for squad_code, reason, attendance, position, count in (
        active_candidates(session).values_list("squad_code", "reason", "attendance", "position")
        .annotate(n=Count("id")).order_by()
    ):
        row = rows[squad_code]
        if attendance == "excused":
            row["excused"] += count
        else:
            row[reason] += count
            if position == Position.LEGAL_OFFICER:
                legal_officer.add(squad_code)
    draw = session.current_draw
    codes = sorted(set(draw.rule.get("squad_codes", [])) if draw else rows)
    names = dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "name"))
    squads = [
        {"code": code, "name": names.get(code, code), "mandatory": rows[code]["mandatory"],
         "sampled": rows[code]["sampled"] + rows[code]["replacement"], "excused": rows[code]["excused"],
         "added": rows[code]["added"], "legal_officer": code in legal_officer}
        for code in codes
    ]
    papers = Paper.objects.filter(session=session, candidate__draw__superseded_at__isnull=True)
    sitting = active_candidates(session).exclude(attendance="excused")
    return {
        "squads": squads,
        "lacking_legal_officer": [s for s in squads if not s["legal_officer"]],
        "totals": active_candidates(session).aggregate(
            all=Count("id"), excused=Count("id", filter=Q(attendance="excused")),
            seated=Count("id", filter=Q(seat__isnull=False)),
        ),
        "papers_issued": papers.count(),
        "papers_missing": sitting.filter(paper__isnull=True).count(),
        "draw": draw,
        "previous_draws": list(session.draws.filter(superseded_at__isnull=False)),
    }


def candidates_for_dashboard(session: ExamSession):
    return active_candidates(session).select_related("venue", "replaces").order_by("squad_code", "reason", "rank",
                                                                                   "ticket_number")


def my_candidacies(user):
    """The officer's own exam sittings, nothing about anyone else."""
    return (Candidate.objects.filter(person__user=user, draw__superseded_at__isnull=True)
            .select_related("session", "venue", "attempt").order_by("-session__starts_at"))


def my_mock_attempts(user, limit: int = 10):
    """The officer's latest mock exams (模拟考试), newest first."""
    return (Attempt.objects.filter(user=user, kind=AttemptKind.MOCK).select_related("blueprint")
            .order_by("-created_at")[:limit])


# --- Results (grading) ---------------------------------------------------------------------------------------

# Statistics and the assessment read results through lms.exams.services.results.session_results(session);
# re-exported here so read-side callers have one place to import from.
from .services.results import session_results, squad_summary  # noqa: E402,F401

RESULT_VISIBLE_STATUSES = ("released",)


def my_results(user) -> list[dict]:
    """The officer's own sittings with what he may see of each: before release only that results are not out."""
    from .models import Attempt

    rows = []
    candidacies = (Candidate.objects.filter(person__user=user, draw__superseded_at__isnull=True)
                   .filter(session__status__in=("open", "closed", "graded", "released"))  # the exam has begun
                   .select_related("session", "session__makeup_of").order_by("-session__starts_at"))
    attempts = {a.candidate_id: a for a in Attempt.objects.filter(candidate__in=candidacies)}
    for c in candidacies:
        released = c.session.status in RESULT_VISIBLE_STATUSES
        attempt = attempts.get(c.pk)
        rows.append({"candidate": c, "session": c.session, "released": released,
                     "attempt": attempt if released else None,
                     "absent": released and attempt is not None and attempt.status == "absent",
                     "excused": c.attendance == "excused"})
    return rows


def my_result(user, code: str):
    """One released result of the officer's own; None (→ 404) for anyone else's or before release."""
    return (Candidate.objects.filter(person__user=user, draw__superseded_at__isnull=True, session__code=code,
                                     session__status__in=RESULT_VISIBLE_STATUSES)
            .select_related("session", "squad", "attempt").first())


def result_review(candidate) -> list[dict]:
    """Per question: the officer's answer (in the letters his paper showed), his score and, when the session
    allows it, the key and explanation. Nothing of this is built before release (see my_result)."""
    attempt = getattr(candidate, "attempt", None)
    if attempt is None:
        return []
    return attempt_review(attempt, show_key=candidate.session.show_key_after_release)


def attempt_review(attempt, *, show_key: bool) -> list[dict]:
    """The review of one marked attempt (a released exam, or a mock exam once submitted). A mock paper holds
    practice questions only; should an exams-only question be on it all the same, its key stays hidden."""
    from question_bank.grading import OPTION_KEYS, plain_text, render_text
    from question_bank.models import QuestionUse

    items = []
    is_mock = attempt.session_id is None
    responses = (attempt.responses.select_related("paper_question__version__question").prefetch_related("marks")
                 .order_by("position"))
    for response in responses:
        pq = response.paper_question
        version = pq.version
        qtype = version.question.type
        key_visible = show_key and not (is_mock and version.question.use == QuestionUse.EXAMS_ONLY)
        options = list(version.options or [])
        order = [OPTION_KEYS[i] if isinstance(i, int) else str(i) for i in (pq.option_order or range(len(options)))]
        shown = {key: OPTION_KEYS[n] for n, key in enumerate(order)}  # version key → printed letter

        def as_shown(value, qtype=qtype, shown=shown):
            if value in (None, []):
                return ""
            if qtype in ("single", "multiple"):
                return "".join(sorted(shown.get(k, k) for k in value))
            if qtype == "true_false":
                return "对" if value[0] else "错"
            if qtype == "fill_blank":
                return "；".join("/".join(b) if isinstance(b, list) else str(b) for b in value)
            return "\n".join(value)

        comments = [m.comment for m in response.marks.all() if m.comment]
        items.append({
            "position": response.position, "type": qtype, "points": pq.points, "score": response.score,
            "stem_html": render_text(version.stem),
            "options": [{"label": OPTION_KEYS[n], "text": plain_text(options[OPTION_KEYS.index(key)]),
                         "chosen": key in (response.answer or []),
                         "right": key_visible and key in (version.answer or [])}
                        for n, key in enumerate(order)] if qtype in ("single", "multiple") else [],
            "answer": as_shown(response.answer), "right": response.score == pq.points,
            "partial": response.score is not None and 0 < response.score < pq.points,
            "key": as_shown(version.answer) if key_visible and qtype != "essay" else "",
            "reference": version.reference_answer if key_visible and qtype == "essay" else "",
            "explanation": version.explanation if key_visible else "",
            "legal_basis": version.legal_basis if key_visible else "",
            "comment": comments[-1] if comments else "",
        })
    return items
