"""The sitting page's questions as HTML, rendered once per paper and reused: the exam-start spike.

Every candidate of a session opens the paper within the same minute. Rendering its 50 questions (Markdown,
then the template) costs tens of milliseconds of CPU per page, which 1,000 synchronised starts turn into a
queue a minute long (#10). A paper never changes once issued (frozen versions, fixed order and option order),
so each question's HTML *as not yet answered* is rendered once per paper, language and essay limit and kept,
compressed, in the shared cache; a page then joins those fragments and renders afresh only the questions
this attempt has answered or flagged. The cache is warmed by a task when papers are issued and when the
sitting opens; a miss (a new language, an evicted key, Redis restarted) renders in the request as before.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import zlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from ..models import Attempt, Response
from . import sitting

FRAGMENT_TEMPLATE = "exams/sitting/_question.html"
NAVIGATOR_TEMPLATE = "exams/sitting/_navigator.html"
CACHE_SECONDS = 24 * 3600

log = logging.getLogger(__name__)


@functools.cache
def _template_version() -> str:
    """A deploy that changes the question template must never serve fragments of the old one."""
    digest = hashlib.sha256()
    for name in (FRAGMENT_TEMPLATE, NAVIGATOR_TEMPLATE):
        digest.update(get_template(name).template.source.encode("utf-8"))
    return digest.hexdigest()[:12]


def _key(attempt: Attempt, essay_max: int) -> str:
    # issued_at too: a paper id alone could come back after a rolled-back transaction (SQLite).
    issued = int(attempt.paper.issued_at.timestamp() * 1_000_000)
    return (f"exams:paper-html:{attempt.paper_id}.{issued}:{translation.get_language()}:{essay_max}:"
            f"{_template_version()}")


def _render(question: dict, *, essay_max: int, first_in_section: bool) -> str:
    return render_to_string(FRAGMENT_TEMPLATE, {"q": question, "essay_max": essay_max,
                                                "first_in_section": first_in_section})


def _cache_get(key: str) -> dict | None:
    try:
        packed = cache.get(key)
    except Exception:  # the cache being down must not stop a candidate's page: render instead
        log.warning("paper cache unavailable; rendering in the request", exc_info=True)
        return None
    return json.loads(zlib.decompress(packed)) if packed else None


def _cache_set(key: str, paper: dict) -> None:
    try:
        cache.set(key, zlib.compress(json.dumps(paper).encode("utf-8")), CACHE_SECONDS)
    except Exception:
        log.warning("paper cache unavailable; fragments not kept", exc_info=True)


def blank_paper(attempt: Attempt, *, essay_max: int) -> dict:
    """The attempt's paper unanswered: {"questions": [[position, first in its section, HTML], …],
    "navigator": HTML of the question grid}."""
    key = _key(attempt, essay_max)
    paper = _cache_get(key)
    if paper is None:
        fragments, section = [], object()
        for question in sitting.candidate_paper(attempt, blank=True):
            first = question["section"] != section
            section = question["section"]
            fragments.append([question["position"], first,
                              _render(question, essay_max=essay_max, first_in_section=first)])
        navigator = render_to_string(NAVIGATOR_TEMPLATE, {"positions": [f[0] for f in fragments]})
        paper = {"questions": fragments, "navigator": navigator}
        _cache_set(key, paper)
    return paper


def paper_questions(attempt: Attempt, *, unanswered: bool = False) -> tuple[SafeString, SafeString, int]:
    """The navigator's HTML, the HTML of every question with this attempt's answers, and the highest
    sequence number stored (the page numbers its saves from there). `unanswered`: the caller knows nothing
    was saved yet (the attempt was started by this very request), so the responses are not read."""
    essay_max = sitting.essay_max_length(attempt)
    paper = blank_paper(attempt, essay_max=essay_max)
    fragments = paper["questions"]
    touched = {} if unanswered else dict(
        Response.objects.filter(attempt_id=attempt.pk).filter(Q(seq__gt=0) | Q(flagged=True))
        .values_list("position", "seq"))
    fresh = {}
    if touched:
        first_of = {position: first for position, first, _html in fragments}
        for question in sitting.candidate_paper(attempt, positions=touched):
            fresh[question["position"]] = _render(question, essay_max=essay_max,
                                                  first_in_section=first_of[question["position"]])
    html = "".join(fresh.get(position, fragment) for position, _first, fragment in fragments)
    # Both come from our own templates, which escape everything a question or an answer holds.
    return mark_safe(paper["navigator"]), mark_safe(html), max(touched.values(), default=0)  # noqa: S308


def warm_session_papers(session_id: int) -> int:
    """Render and keep every paper of the session, in the default language; returns how many were rendered
    (papers already kept are skipped, so running it twice costs one cache read per paper)."""
    rendered = 0
    attempts = Attempt.objects.filter(session_id=session_id, paper__isnull=False).select_related("session", "paper")
    with translation.override(settings.LANGUAGE_CODE):
        seen = set()
        for attempt in attempts:
            if attempt.paper_id in seen:
                continue
            seen.add(attempt.paper_id)
            essay_max = sitting.essay_max_length(attempt)
            if _cache_get(_key(attempt, essay_max)) is None:
                blank_paper(attempt, essay_max=essay_max)
                rendered += 1
    return rendered
