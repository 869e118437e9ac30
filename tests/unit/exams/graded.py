"""Build graded sessions with known answers, straight through the exam-loop models (DESIGN §4 contract):
one Attempt per candidate (submitted or absent), one Response per paper question with the answer in the
version's option keys, marked by the engine (grade_attempt), so Response.score and Attempt.score are real."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from lms.exams.models import Attempt, AttemptStatus, Mark, MarkSource, PaperMode, Response, SessionStatus
from lms.exams.services.draw import draw_candidates
from lms.exams.services.grading import update_attempt_score
from lms.exams.services.papers import issue_papers
from lms.roster.models import Category, OrgUnit, Person, PersonStatus
from question_bank.grading import score_response
from question_bank.models import KnowledgePoint, Question, QuestionStatus, QuestionVersion

from .factories import build_blueprint, build_session, chinese_name, id_number

ABSENT = "absent"


def build_graded_session(*, questions: list[dict], people: list[dict], code: str = "G1", pass_mark="60",
                         points: str = "2", paper_mode: str = PaperMode.SHARED):
    """questions: {"code", "type", "options" (count), "answer", "kp"}; people: {"squad", "street", "position",
    "answers": {question code: response} or ABSENT}. Returns (session, {question code: version})."""
    district, _ = OrgUnit.objects.get_or_create(code="GD", defaults={"name": "测试区", "kind": "district"})
    squads = {}
    for spec in people:
        street_name = spec.get("street", "东街道")
        street, _ = OrgUnit.objects.get_or_create(code=f"GD-{street_name}", defaults={
            "name": street_name, "kind": "street", "parent": district})
        if spec["squad"] not in squads:
            squads[spec["squad"]] = OrgUnit.objects.create(code=f"GD-{len(squads):02d}", name=spec["squad"],
                                                           kind="squad", parent=street)
    root = KnowledgePoint.objects.filter(depth=1).first() or KnowledgePoint.add_root(code="LAW", name="行政强制法")
    kps = {}
    versions = {}
    for q in questions:
        kp_name = q.get("kp", "行政强制法")
        if kp_name not in kps:
            kps[kp_name] = (root if kp_name == root.name else
                            KnowledgePoint.objects.filter(name=kp_name).first()
                            or KnowledgePoint.add_root(code=f"KP{len(kps)}", name=kp_name))
        options = [f"选项{i + 1}" for i in range(q.get("options", 4))] if q["type"] in ("single", "multiple") else []
        question = Question.objects.create(code=q["code"], type=q["type"], knowledge_point=kps[kp_name],
                                           stem=f"{q['code']}：题干", options=options, answer=q["answer"],
                                           status=QuestionStatus.ACTIVE, points=Decimal(points))
        version = QuestionVersion.objects.create(question=question, number=1, stem=question.stem, options=options,
                                                 answer=q["answer"], points=Decimal(points))
        Question.objects.filter(pk=question.pk).update(current_version=version)
        versions[q["code"]] = version
    by_type: dict[str, int] = {}
    for q in questions:
        by_type[q["type"]] = by_type.get(q["type"], 0) + 1
    blueprint = build_blueprint(name=f"方案{code}", sections=[(t, n, points) for t, n in by_type.items()])
    session = build_session(blueprint=blueprint, code=code, paper_mode=paper_mode, shuffle_options=False,
                            sample_rate=Decimal("1"), pass_mark=Decimal(pass_mark))
    persons = []
    start = Person.objects.count() + 1000
    for n, spec in enumerate(people):
        persons.append(Person(name=chinese_name(start + n), id_number=id_number(start + n),
                              squad=squads[spec["squad"]], position=spec["position"], category=Category.STAFF,
                              status=PersonStatus.ON_DUTY))
    Person.objects.bulk_create(persons)
    draw_candidates(session=session, seed="graded")
    issue_papers(session=session)
    by_id_number = {p.id_number: spec for p, spec in zip(persons, people, strict=True)}
    candidates = sorted(session.candidates.select_related("paper"), key=lambda c: persons.index(
        next(p for p in persons if p.id_number == c.id_number)))
    now = timezone.now()
    for candidate in candidates:
        spec = by_id_number[candidate.id_number]
        absent = spec["answers"] == ABSENT
        # Issuing papers created the attempt with one empty response per paper question: fill them in.
        attempt = Attempt.objects.get(paper=candidate.paper)
        attempt.status = AttemptStatus.ABSENT if absent else AttemptStatus.SUBMITTED
        attempt.submitted_at = None if absent else now
        attempt.save(update_fields=["status", "submitted_at"])
        responses = list(attempt.responses.select_related("paper_question__question"))
        for response in responses:
            response.answer = None if absent else spec["answers"].get(response.paper_question.question.code, [])
        Response.objects.bulk_update(responses, ["answer"])
        if not absent:
            _engine_mark(attempt)
    type(session).objects.filter(pk=session.pk).update(status=SessionStatus.GRADED)
    session.refresh_from_db()
    return session, versions


def _engine_mark(attempt: Attempt) -> None:
    """What the engine's grade_attempt does (a Mark per objective answer, Response.score, the attempt's
    total), written out here because grade_attempt's row lock fails on PostgreSQL on main (FOR UPDATE with
    the nullable session joined); the grading work fixes that."""
    for response in attempt.responses.select_related("paper_question__version__question"):
        pq = response.paper_question
        score = score_response(content=pq.version, response=response.answer or [], points=pq.points,
                               multiple_rule=attempt.session.multi_select_rule)
        if score is None:
            continue
        Mark.objects.create(response=response, score=score, source=MarkSource.ENGINE)
        Response.objects.filter(pk=response.pk).update(score=score)
    update_attempt_score(attempt=attempt)
