"""What all officers see alike on a lesson page, rendered or looked up once and kept in the cache.

Rendering 40 blocks dominated a lesson page (DESIGN §5a). The body of a published revision (text, law
articles, cases, images, videos, documents and the practice questions' forms) is rendered once and kept in
the cache (Redis when deployed, so every web node shares it); each request puts its own CSRF token into
the practice forms and renders the per-officer parts (progress, completion) around the body. The lesson's
place in its course (course, number, next lesson) is cached the same way.

Keys name the live revision, the practice questions' content and a generation number: publishing a new
revision uses a new entry at once; images and documents bump the body generation when they change, and
publishing, unpublishing, moving or deleting any page bumps the tree generation. Previews never use the cache.
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

BODY_TTL = 24 * 3600
BODY_GENERATION = "courses:lesson-body-generation"
TREE_GENERATION = "courses:tree-generation"
CSRF_PLACEHOLDER = "__lesson_csrf_token__"


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, None)


def bump_body_generation(**kwargs) -> None:
    """Retire every cached lesson body (an image or document it may show has changed)."""
    _bump(BODY_GENERATION)


def bump_tree_generation(**kwargs) -> None:
    """Retire every cached lesson position (a page was published, unpublished, moved or deleted)."""
    _bump(TREE_GENERATION)


def _generation(key: str) -> int:
    generation = cache.get(key)
    if generation is None:
        cache.add(key, 1, None)
        generation = cache.get(key) or 1
    return generation


def _practice_signature(practice_questions: dict) -> str:
    # The practice forms show the questions' current text: any change to them makes a new entry.
    data = json.dumps(practice_questions, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def _body_key(page, context) -> str | None:
    request = context.get("request")
    revision = page.live_revision_id  # the served page row holds exactly this revision's content
    if not revision or request is None or getattr(request, "is_preview", False):
        return None
    published = page.last_published_at.timestamp() if page.last_published_at else 0
    practice = _practice_signature(context.get("practice_questions") or {})
    path = hashlib.sha256(request.path.encode()).hexdigest()[:12]
    return (f"courses:lesson-body:{page.pk}:{revision}:{published}:{practice}:{path}:"
            f"{_generation(BODY_GENERATION)}:{get_language()}")


def _render(page, context: dict) -> str:
    parts = [
        format_html('<div class="block-{}">{}</div>', block.block_type, block.render_as_block(context=context))
        for block in page.body
    ]
    return "".join(parts)


def render_lesson_body(context, page) -> str:
    """The lesson's blocks as `{% include_block %}` renders them, shared parts from the cache."""
    request = context.get("request")
    flat = context.flatten()  # what {% include_block %} passes to each block
    key = _body_key(page, flat)
    if key is None:
        return mark_safe(_render(page, flat))  # noqa: S308 - rendered (and escaped) by the block templates
    html = cache.get(key)
    if html is None:
        html = _render(page, {**flat, "csrf_token": CSRF_PLACEHOLDER})
        cache.set(key, html, BODY_TTL)
    if flat.get("csrf_token") == CSRF_PLACEHOLDER:  # inside a whole cached page: filled there
        return mark_safe(html)  # noqa: S308 - as above
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 - as above


def lesson_position(lesson, request=None) -> dict:
    """The lesson's course, its number among the live lessons and the next one, with their URLs as this
    site links them (shared by every officer of the site)."""
    from wagtail.models import Page

    from .models import LessonPage

    host = request.get_host() if request is not None else ""
    key = f"courses:lesson-position:{lesson.pk}:{_generation(TREE_GENERATION)}:{host}"
    position = cache.get(key)
    if position is None:
        course = lesson.get_parent().specific
        siblings = list(Page.objects.child_of(course).live().type(LessonPage).order_by("path"))
        index = next((i for i, sibling in enumerate(siblings) if sibling.pk == lesson.pk), 0)
        next_lesson = siblings[index + 1] if index + 1 < len(siblings) else None
        # Plain values, not page objects: this is read on every request.
        position = {
            "course": {"pk": course.pk, "title": course.title},
            "course_url": course.get_url(request),
            "lesson_number": index + 1,
            "lesson_total": len(siblings),
            "next_lesson": {"pk": next_lesson.pk, "title": next_lesson.title} if next_lesson else None,
            "next_lesson_url": next_lesson.get_url(request) if next_lesson else "",
        }
        cache.set(key, position, BODY_TTL)
    return position


NAME_PLACEHOLDER = "__lesson_officer_name__"


def _has_messages(request) -> bool:
    from django.contrib import messages

    storage = messages.get_messages(request)
    pending = bool(list(storage))
    storage.used = False  # only looked at: they are still shown on this page
    return pending


def render_lesson_page(page, request, context: dict) -> str | None:
    """The whole lesson page from the cache, with this officer's name, CSRF token and completion filled in;
    None when it must be rendered normally (a preview, pending messages, a page without a live revision).

    Per-officer parts: the name in the header and the CSRF tokens are placeholders filled per request; the
    completion state is part of the key (two variants); the practice forms and the body are shared."""
    from django.template.loader import render_to_string
    from django.utils.html import escape

    if getattr(request, "is_preview", False) or not page.live_revision_id or _has_messages(request):
        return None
    progress = context.get("progress")
    completed = bool(progress and progress.completed_at)
    published = page.last_published_at.timestamp() if page.last_published_at else 0
    practice = _practice_signature(context.get("practice_questions") or {})
    full_path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:16]
    key = (f"courses:lesson-page:{page.pk}:{page.live_revision_id}:{published}:{practice}:{full_path}:"
           f"{int(completed)}:{_generation(BODY_GENERATION)}:{_generation(TREE_GENERATION)}:{get_language()}")
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            page.get_template(request),
            {**context, "csrf_token": CSRF_PLACEHOLDER, "user": _NamedUser(request.user, NAME_PLACEHOLDER)},
            request=request,
        )
        cache.set(key, html, BODY_TTL)
    return (html.replace(CSRF_PLACEHOLDER, get_token(request))
            .replace(NAME_PLACEHOLDER, escape(request.user.display_name)))


class _NamedUser:
    """The signed-in user as the cached page sees him: his name is a placeholder filled per request."""

    def __init__(self, user, name: str):
        self._user = user
        self.display_name = name

    def __getattr__(self, attribute):
        return getattr(self._user, attribute)


COMPLETION_KEY = "courses:lesson-done:{user}:{lesson}"
UNFINISHED_TTL = 30  # a completion saved without a model signal (a bulk update) shows within this time


def officer_completion(user, lesson):
    """When this officer completed the lesson (None if not yet): the per-officer part of a lesson page.

    Kept in the cache (completion never goes back; a model signal writes it through when it happens), so
    a lesson page costs no query of its own."""
    from .models import LessonProgress

    key = COMPLETION_KEY.format(user=user.pk, lesson=lesson.pk)
    state = cache.get(key)
    if state is None:
        completed_at = (LessonProgress.objects.filter(user=user, lesson=lesson)
                        .values_list("completed_at", flat=True).first())
        state = completed_at or False
        cache.set(key, state, None if completed_at else UNFINISHED_TTL)
    return state or None


def remember_completion(sender, instance, **kwargs) -> None:
    """post_save of LessonProgress: write the completion through (or forget the entry)."""
    key = COMPLETION_KEY.format(user=instance.user_id, lesson=instance.lesson_id)
    if instance.completed_at:
        cache.set(key, instance.completed_at, None)
    else:
        cache.delete(key)


def forget_completion(sender, instance, **kwargs) -> None:
    """post_delete of LessonProgress."""
    cache.delete(COMPLETION_KEY.format(user=instance.user_id, lesson=instance.lesson_id))
