"""Officer-facing views: my study plan, heartbeats, practice, the wrong-answer book and search. Thin:
the rules are in services.py and selectors.py."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from question_bank import grading
from question_bank.models import KnowledgePoint, Question, QuestionStatus

from . import selectors, services
from .models import CourseIndexPage, CoursePage, LessonPage


@login_required
def my_learning(request):
    plans = [selectors.plan_progress(user=request.user, plan=plan) for plan in selectors.plans_for(user=request.user)]
    index = CourseIndexPage.objects.live().first()
    return render(request, "courses/my_learning.html", {
        "plans": plans,
        "course_index": index,
        "wrong_count": selectors.wrong_book(user=request.user).count(),
        "person": selectors.person_of(request.user),
    })


@login_required
@require_POST
def heartbeat(request, lesson_id: int):
    """Called by courses/static/courses/progress.js while the lesson is open. The body only says whether
    the end of the lesson has been reached; time is measured here."""
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    progress = services.record_heartbeat(
        user=request.user, lesson=lesson, reached_end=request.POST.get("reached_end") == "1"
    )
    return JsonResponse({
        "seconds_spent": progress.seconds_spent,
        "min_seconds": lesson.min_seconds,
        "reached_end": progress.reached_end,
        "completed": progress.completed_at is not None,
    })


def _practice_scope(params):
    """(course, knowledge point, wrong book?) named by the query string; 404 for an unknown one."""
    course = knowledge_point = None
    if params.get("course"):
        course = get_object_or_404(CoursePage.objects.live(), pk=params.get("course"))
    elif params.get("kp"):
        knowledge_point = get_object_or_404(KnowledgePoint, pk=params.get("kp"))
    return course, knowledge_point, params.get("book") == "1"


def _scope_query(course, knowledge_point, wrong_book) -> str:
    if course:
        return f"course={course.pk}"
    if knowledge_point:
        return f"kp={knowledge_point.pk}"
    return "book=1" if wrong_book else ""


@login_required
def practice(request):
    course, knowledge_point, wrong_book = _practice_scope(request.GET)
    question = services.pick_practice_question(
        user=request.user, course=course, knowledge_point=knowledge_point, wrong_book=wrong_book
    )
    context = {
        "course": course, "knowledge_point": knowledge_point, "wrong_book": wrong_book,
        "scope": _scope_query(course, knowledge_point, wrong_book),
        "course_id": course.pk if course else None,
        "kp_id": knowledge_point.pk if knowledge_point else None,
        "book": wrong_book,
        "knowledge_points": KnowledgePoint.objects.filter(depth=1).order_by("code") if not (course or knowledge_point or wrong_book) else [],
        "courses": CoursePage.objects.live().order_by("path") if not (course or knowledge_point or wrong_book) else [],
    }
    if question is not None:
        # Only the candidate view goes to the browser: no key, no explanation before answering.
        context["question"] = selectors.question_for_officer(question)
    return render(request, "courses/practice.html", context)


@login_required
@require_POST
def practice_answer(request, question_id: int):
    question = get_object_or_404(
        Question, pk=question_id, status=QuestionStatus.ACTIVE, type__in=services.PRACTICE_TYPES
    )
    if question.type == grading.FILL_BLANK:
        raw = request.POST.getlist("blank")
    else:
        raw = request.POST.getlist("answer")
    result = services.answer_practice_question(user=request.user, question=question, raw_response=raw)
    course, knowledge_point, wrong_book = _practice_scope(request.POST)
    back = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return render(request, "courses/practice_result.html", {
        "question": selectors.question_for_officer(question),
        "result": result,
        "chosen": [str(item) for item in result["response"]],
        "scope": _scope_query(course, knowledge_point, wrong_book),
        "back": back,
    })


@login_required
def wrong_book(request):
    entries = list(selectors.wrong_book(user=request.user))
    for entry in entries:
        entry.view = selectors.question_for_officer(entry.question)
    return render(request, "courses/wrong_book.html", {
        "entries": entries, "streak_to_leave": services.CORRECT_STREAK_TO_LEAVE,
    })


@login_required
def search(request):
    query = (request.GET.get("q") or "").strip()[:100]
    results = selectors.search_pages(query=query) if query else []
    return render(request, "courses/search.html", {"query": query, "results": results})


