"""The rendered body of a published lesson revision, cached once for every officer.

Rendering 40 blocks dominated a lesson page (DESIGN §5a). What every officer sees alike (the text, law
articles, cases, images, videos, documents) is rendered once per published revision and kept in the cache
(Redis when deployed, so all web nodes share it); practice blocks hold a per-request CSRF token, so they
are rendered on every request, as are progress and the navigation around the body.

The key names the live revision, so publishing a new one uses a new entry at once; images and documents
bump a generation number when they change, which retires every cached body. Previews never use the cache.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

BODY_TTL = 24 * 3600
GENERATION_KEY = "courses:lesson-body-generation"
LIVE_BLOCK_TYPES = {"practice"}  # rendered per request: forms with the officer's CSRF token


def bump_generation(**kwargs) -> None:
    """Retire every cached lesson body (an image or document it may show has changed)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def _key(page) -> str | None:
    revision = page.live_revision_id  # the served page row holds exactly this revision's content
    if not revision:
        return None
    generation = cache.get_or_set(GENERATION_KEY, 1, None)
    published = page.last_published_at.timestamp() if page.last_published_at else 0
    return f"courses:lesson-body:{page.pk}:{revision}:{published}:{generation}:{get_language()}"


def _wrap(block, html) -> str:
    return format_html('<div class="block-{}">{}</div>', block.block_type, html)


def render_lesson_body(context, page) -> str:
    """The lesson's blocks as the template used to render them, with the shared parts from the cache."""
    request = context.get("request")
    context = context.flatten()  # what {% include_block %} passes to each block
    key = None if getattr(request, "is_preview", False) else _key(page)
    segments = cache.get(key) if key else None
    if segments is None:
        segments = []
        for index, block in enumerate(page.body):
            if block.block_type in LIVE_BLOCK_TYPES:
                segments.append(index)
            else:
                segments.append(str(_wrap(block, block.render_as_block(context=context))))
        if key:
            cache.set(key, segments, BODY_TTL)
    parts = []
    for segment in segments:
        if isinstance(segment, int):
            block = page.body[segment]
            parts.append(str(_wrap(block, block.render_as_block(context=context))))
        else:
            parts.append(segment)
    return mark_safe("".join(parts))  # noqa: S308 - every part was rendered (and escaped) by block templates
