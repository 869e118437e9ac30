"""Officer-facing views: my study plan, heartbeats, practice, the wrong-answer book and search. Thin:
the rules are in services.py and selectors.py."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from question_bank import grading
from question_bank.models import KnowledgePoint, Question

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


# Primary keys are 64-bit: a longer number in a URL or parameter names nothing (and must not reach the database).
MAX_ID = 2**63 - 1
# Answers an officer types: a fill-in blank is a word or a short phrase; a form never has more values than this.
MAX_BLANK_LENGTH = 200
MAX_ANSWER_VALUES = 26


class BadParameter(BadRequest):
    pass


@login_required
@require_POST
def heartbeat(request, lesson_id: int):
    """Called by courses/static/courses/progress.js while the lesson is open. The body only says whether
    the end of the lesson has been reached; time is measured here."""
    if lesson_id > MAX_ID:
        raise Http404
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


def _id_param(params, name: str) -> int | None:
    """A primary key from the query string or form: plain ASCII digits within range, else BadParameter."""
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 19 and 0 < int(raw) <= MAX_ID):
        raise BadParameter(name)
    return int(raw)


def _practice_scope(params):
    """(course, knowledge point, wrong book?) named by the parameters; BadParameter for a malformed id and
    404 for an unknown one. Checked before anything is written."""
    course = knowledge_point = None
    course_id, kp_id = _id_param(params, "course"), _id_param(params, "kp")
    if course_id is not None:
        course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    elif kp_id is not None:
        knowledge_point = get_object_or_404(KnowledgePoint, pk=kp_id)
    return course, knowledge_point, params.get("book") == "1"


def _bad_request(request, message: str) -> HttpResponse:
    return render(request, "courses/bad_request.html", {"message": message}, status=400)


def _scope_query(course, knowledge_point, wrong_book) -> str:
    if course:
        return f"course={course.pk}"
    if knowledge_point:
        return f"kp={knowledge_point.pk}"
    return "book=1" if wrong_book else ""


@login_required
def practice(request):
    try:
        course, knowledge_point, wrong_book = _practice_scope(request.GET)
    except BadParameter:
        return _bad_request(request, _("The link has a malformed parameter; choose what to practise again."))
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


def _posted_response(request, question: Question) -> list[str]:
    """The answer values as posted, or BadParameter when they cannot be an answer (too many, too long)."""
    values = request.POST.getlist("blank" if question.type == grading.FILL_BLANK else "answer")
    if len(values) > MAX_ANSWER_VALUES:
        raise BadParameter("answer")
    limit = MAX_BLANK_LENGTH if question.type == grading.FILL_BLANK else 16
    if any(len(value) > limit for value in values):
        raise BadParameter("answer")
    return values


@login_required
@require_POST
def practice_answer(request, question_id: int):
    # Every parameter is checked before the answer is stored: a bad one writes nothing.
    try:
        course, knowledge_point, wrong_book = _practice_scope(request.POST)
    except BadParameter:
        return _bad_request(request, _("The form has a malformed parameter; open the practice page again."))
    if question_id > MAX_ID:
        raise Http404
    question = services.practice_question_in_scope(
        user=request.user, question_id=question_id, course=course, knowledge_point=knowledge_point,
        wrong_book=wrong_book,
    )
    if question is None:
        raise Http404
    try:
        raw = _posted_response(request, question)
    except BadParameter:
        return _bad_request(request, _("The answer is too long: at most %(count)d characters per blank.")
                            % {"count": MAX_BLANK_LENGTH})
    result = services.answer_practice_question(user=request.user, question=question, raw_response=raw)
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


