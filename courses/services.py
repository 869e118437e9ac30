"""Writes of the courses app: server-timed study progress, course completion and class hours, practice
answers and the wrong-answer book, and the legal-review workflow."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from question_bank import grading
from question_bank.models import Question, QuestionStatus, QuestionUse

from .models import CourseCompletion, CoursePage, LessonPage, LessonProgress, PracticeAnswer, WrongAnswer

# The lesson page sends a heartbeat every HEARTBEAT_SECONDS while it is visible. Time between two
# heartbeats is credited only when they are at most MAX_HEARTBEAT_GAP apart: a longer gap means the page
# was hidden, closed or the phone slept, and that time was not study.
HEARTBEAT_SECONDS = 15
MAX_HEARTBEAT_GAP = timedelta(seconds=45)
# Leaving the wrong-answer book takes this many correct answers in a row.
CORRECT_STREAK_TO_LEAVE = 2


@transaction.atomic
def record_heartbeat(*, user, lesson: LessonPage, reached_end: bool = False, now: datetime | None = None) -> LessonProgress:
    """Credit the time since the officer's previous heartbeat (if recent enough) to this lesson.

    The client never reports a duration: only the server's clock between two heartbeats counts, so
    replaying or spamming heartbeats cannot add more time than has really passed. An officer studies one
    lesson at a time: the interval since his previous heartbeat, to whichever lesson it went, is credited
    once, to the lesson of the most recent heartbeat; lessons open in parallel tabs share the time instead
    of each earning it. "Reached the end" counts only once the lesson's minimum time has been measured.
    """
    now = now or timezone.now()
    # One officer's heartbeats are serialised on his user row, so two tabs cannot both credit one interval.
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(user=user, lesson=lesson)
    previous = LessonProgress.objects.filter(user=user).aggregate(latest=Max("last_heartbeat_at"))["latest"]
    if previous is not None:
        gap = now - previous
        if timedelta(0) < gap <= MAX_HEARTBEAT_GAP:
            progress.seconds_spent += int(gap.total_seconds())
    if progress.last_heartbeat_at is None or now > progress.last_heartbeat_at:
        progress.last_heartbeat_at = now
    if reached_end and progress.seconds_spent >= lesson.min_seconds:
        progress.reached_end = True
    fields = ["seconds_spent", "last_heartbeat_at", "reached_end"]
    if progress.completed_at is None and progress.reached_end and progress.seconds_spent >= lesson.min_seconds:
        progress.completed_at = now
        fields.append("completed_at")
    progress.save(update_fields=fields)
    if "completed_at" in fields:
        course = CoursePage.objects.filter(pk=lesson.get_parent().pk).first()
        if course is not None:
            complete_course_if_done(user=user, course=course, now=now)
    return progress


@transaction.atomic
def complete_course_if_done(*, user, course: CoursePage, now: datetime | None = None) -> CourseCompletion | None:
    """Credit the course's class hours once every live lesson of it is completed."""
    lesson_ids = set(course.live_lessons().values_list("pk", flat=True))
    if not lesson_ids:
        return None
    done = set(
        LessonProgress.objects.filter(user=user, lesson_id__in=lesson_ids, completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )
    if done != lesson_ids:
        return None
    completion, _created = CourseCompletion.objects.get_or_create(
        user=user, course=course, defaults={"completed_at": now or timezone.now(), "class_hours": course.class_hours}
    )
    return completion


# --- Practice ------------------------------------------------------------------------------------

PRACTICE_TYPES = (grading.SINGLE, grading.MULTIPLE, grading.TRUE_FALSE, grading.FILL_BLANK)


def practice_pool(*, course: CoursePage | None = None, knowledge_point=None):
    """Active, automatically marked questions of a course (its knowledge points and their sub-points,
    plus the questions its lessons name) or of one knowledge point and its sub-points."""
    from django.db.models import Q

    from question_bank.models import KnowledgePoint

    questions = Question.objects.filter(
        status=QuestionStatus.ACTIVE, type__in=PRACTICE_TYPES, use=QuestionUse.PRACTICE_AND_EXAMS
    )
    if knowledge_point is not None:
        points = KnowledgePoint.get_tree(knowledge_point)
        return questions.filter(Q(knowledge_point__in=points) | Q(related_knowledge_points__in=points)).distinct()
    if course is not None:
        condition = Q(code__in=[code for lesson in course.live_lessons().specific() for code in lesson.practice_codes()])
        for point in course.knowledge_points.all():
            points = KnowledgePoint.get_tree(point)
            condition |= Q(knowledge_point__in=points) | Q(related_knowledge_points__in=points)
        return questions.filter(condition).distinct()
    return questions


def practice_scope_pool(*, user, course=None, knowledge_point=None, wrong_book: bool = False):
    """The questions an officer may practise (and so see keyed) in the scope named: his open wrong answers,
    a course, a knowledge point, or with no scope the whole bank open to practice."""
    if wrong_book:
        return practice_pool().filter(
            pk__in=WrongAnswer.objects.filter(user=user, resolved_at__isnull=True).values("question_id"),
        )
    return practice_pool(course=course, knowledge_point=knowledge_point)


def practice_question_in_scope(*, user, question_id: int, course=None, knowledge_point=None,
                               wrong_book: bool = False) -> Question | None:
    """The question to mark, only if it is open to practice and in the scope being practised; else None.

    The answer endpoint returns the key, explanation and legal basis: it must never do so for an exams-only
    question or one outside what the officer is practising (a question of his issued paper, say).
    """
    pool = practice_scope_pool(user=user, course=course, knowledge_point=knowledge_point, wrong_book=wrong_book)
    return pool.filter(pk=question_id).first()


def pick_practice_question(*, user, course=None, knowledge_point=None, wrong_book: bool = False,
                           rng: random.Random | None = None) -> Question | None:
    rng = rng or random.SystemRandom()
    pool = practice_scope_pool(user=user, course=course, knowledge_point=knowledge_point, wrong_book=wrong_book)
    ids = list(pool.values_list("pk", flat=True))
    if not ids:
        return None
    return Question.objects.get(pk=rng.choice(ids))


@transaction.atomic
def answer_practice_question(*, user, question: Question, raw_response, now: datetime | None = None) -> dict:
    """Mark a practice answer with the bank's own rules and keep the wrong-answer book up to date.

    Returns what the officer may now see: whether he was right, the answer and the explanation.
    """
    now = now or timezone.now()
    response = grading.normalise_response(question.type, raw_response)
    correct = bool(grading.is_correct(content=question, response=response))
    PracticeAnswer.objects.create(user=user, question=question, response=response, correct=correct)
    entry = WrongAnswer.objects.select_for_update().filter(user=user, question=question).first()
    if not correct:
        if entry is None:
            entry = WrongAnswer(user=user, question=question)
        entry.wrong_count += 1
        entry.correct_streak = 0
        entry.last_response = response
        entry.last_wrong_at = now
        entry.resolved_at = None
        entry.save()
    elif entry is not None and entry.resolved_at is None:
        entry.correct_streak += 1
        if entry.correct_streak >= CORRECT_STREAK_TO_LEAVE:
            entry.resolved_at = now
        entry.save(update_fields=["correct_streak", "resolved_at"])
    return {
        "correct": correct,
        "response": response,
        "answer_text": answer_text(question),
        "answer_keys": [str(key) for key in question.answer or []] if question.options else [],
        "explanation": question.explanation,
        "legal_basis": question.legal_basis,
        "in_wrong_book": entry is not None and entry.resolved_at is None,
        "streak": entry.correct_streak if entry is not None else 0,
    }


def answer_text(question: Question) -> str:
    """The key as an officer reads it: option letters, 正确/错误, or the accepted fill-ins."""
    answer = list(question.answer or [])
    if question.type == grading.TRUE_FALSE:
        return "正确" if answer and answer[0] is True else "错误"
    if question.type == grading.FILL_BLANK:
        return "；".join(" / ".join(str(alt) for alt in blank) for blank in answer)
    return "".join(str(letter) for letter in answer)


# --- Moderation --------------------------------------------------------------------------------

LEGAL_REVIEW_WORKFLOW = "法制审核"
LEGAL_REVIEW_TASK = "法制科审核"


@transaction.atomic
def ensure_legal_review_workflow(*, page) -> object:
    """The moderation workflow "法制审核" (submit → legal-affairs review → publish) on `page` and below.

    The legal-affairs section (法制科) is the trainers' group; idempotent.
    """
    from django.contrib.auth.models import Group

    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    from lms.core import roles

    workflow, _created = Workflow.objects.get_or_create(name=LEGAL_REVIEW_WORKFLOW)
    task = GroupApprovalTask.objects.filter(name=LEGAL_REVIEW_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=LEGAL_REVIEW_TASK)
    task.groups.add(Group.objects.get(name=roles.TRAINER))
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow
