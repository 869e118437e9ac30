"""The sitting page's questions as HTML, rendered once per paper and reused: the exam-start spike.

Every candidate of a session opens the paper within the same minute. Rendering its 50 questions (Markdown,
then the template) costs tens of milliseconds of CPU per page, which 1,000 synchronised starts turn into a
queue a minute long (#10). A paper never changes once issued (frozen versions, fixed order and option order),
so each question's HTML *as not yet answered* is rendered once per paper, language and essay limit and kept,
compressed, in the shared cache; a page then joins those fragments and renders afresh only the questions
this attempt has answered or flagged. The cache is warmed by a task when papers are issued and when the
sitting opens; a miss (a new language, an evicted key, Redis restarted) renders in the request as before.

The page around the questions (the header, the save bar, the submit dialog, every translated text) is the
same for every attempt but for a few values, so it too is rendered once — per process and language — as a
*frame* with a marker where each value of the context goes; a page is the frame with the values filled in,
escaped as the template would have (`render_page`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db.models import Q
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.template import Context, Variable, VariableDoesNotExist
from django.template.base import render_value_in_context
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from lms.core.context_processors import site_nav

from ..models import Attempt, Response
from . import sitting

PAGE_TEMPLATE = "exams/sitting/paper.html"
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
    return (f"exams:paper-html:2:{attempt.paper_id}.{issued}:{translation.get_language()}:{essay_max}:"
            f"{_template_version()}")


def _render(question: dict, *, essay_max: int, first_in_section: bool) -> str:
    return render_to_string(FRAGMENT_TEMPLATE, {"q": question, "essay_max": essay_max,
                                                "first_in_section": first_in_section})


@dataclass(frozen=True)
class BlankPaper:
    """A paper's questions as every candidate sees them before answering: the navigator's HTML, every
    question's HTML joined in the paper's order, and where each question is in it
    ([position, first in its section, start, end])."""

    navigator: str
    html: str
    index: list

    def pack(self) -> bytes:
        # A short JSON head and the page's HTML as it is: a start reads the head and slices nothing.
        head = json.dumps({"navigator": self.navigator, "index": self.index})  # one line: JSON escapes \n
        return zlib.compress(f"{head}\n{self.html}".encode())

    @classmethod
    def unpack(cls, packed: bytes) -> BlankPaper:
        head, _newline, html = zlib.decompress(packed).decode().partition("\n")
        head = json.loads(head)
        return cls(navigator=head["navigator"], html=html, index=head["index"])


def _cache_get(key: str) -> BlankPaper | None:
    try:
        packed = cache.get(key)
    except Exception:  # the cache being down must not stop a candidate's page: render instead
        log.warning("paper cache unavailable; rendering in the request", exc_info=True)
        return None
    return BlankPaper.unpack(packed) if packed else None


def _cache_set(key: str, paper: BlankPaper) -> None:
    try:
        cache.set(key, paper.pack(), CACHE_SECONDS)
    except Exception:
        log.warning("paper cache unavailable; fragments not kept", exc_info=True)


def blank_paper(attempt: Attempt, *, essay_max: int) -> BlankPaper:
    """The attempt's paper unanswered, from the cache or rendered (and kept)."""
    key = _key(attempt, essay_max)
    paper = _cache_get(key)
    if paper is None:
        html, index, section, length = [], [], object(), 0
        for question in sitting.candidate_paper(attempt, blank=True):
            first = question["section"] != section
            section = question["section"]
            fragment = _render(question, essay_max=essay_max, first_in_section=first)
            index.append([question["position"], first, length, length + len(fragment)])
            html.append(fragment)
            length += len(fragment)
        navigator = render_to_string(NAVIGATOR_TEMPLATE, {"positions": [entry[0] for entry in index]})
        paper = BlankPaper(navigator=navigator, html="".join(html), index=index)
        _cache_set(key, paper)
    return paper


def paper_questions(attempt: Attempt, *, unanswered: bool = False) -> tuple[SafeString, SafeString, int]:
    """The navigator's HTML, the HTML of every question with this attempt's answers, and the highest
    sequence number stored (the page numbers its saves from there). `unanswered`: the caller knows nothing
    was saved yet (the attempt was started by this very request), so the responses are not read."""
    essay_max = sitting.essay_max_length(attempt)
    paper = blank_paper(attempt, essay_max=essay_max)
    touched = {} if unanswered else dict(
        Response.objects.filter(attempt_id=attempt.pk).filter(Q(seq__gt=0) | Q(flagged=True))
        .values_list("position", "seq"))
    html = paper.html
    if touched:
        first_of = {position: first for position, first, _start, _end in paper.index}
        fresh = {question["position"]: _render(question, essay_max=essay_max,
                                               first_in_section=first_of[question["position"]])
                 for question in sitting.candidate_paper(attempt, positions=touched)}
        html = "".join(fresh.get(position, paper.html[start:end]) for position, _first, start, end in paper.index)
    # Both come from our own templates, which escape everything a question or an answer holds.
    return mark_safe(paper.navigator), mark_safe(html), max(touched.values(), default=0)  # noqa: S308


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


# --- the page around the questions ------------------------------------------------------------------------

# Markers cannot come from a template's text or an escaped value: both are printable text.
_OPEN, _CLOSE = "\x02", "\x03"


class _Slot(str):
    """Stands for one value of the context while the frame is rendered: renders as its marker, and
    `{{ state.deadline }}` looks up the slot "state.deadline"."""

    def __new__(cls, name: str):
        slot = super().__new__(cls, f"{_OPEN}{name}{_CLOSE}")
        slot.name = name
        return slot

    def __getitem__(self, key):
        if isinstance(key, str):
            return _Slot(f"{self.name}.{key}")
        return str.__getitem__(self, key)


_FRAMES: dict[tuple, tuple[list[str], list[Variable]]] = {}


@receiver(setting_changed)
def _forget_frames(**kwargs) -> None:
    _FRAMES.clear()  # a test changed templates, languages or static files: render the frame afresh


def _frame(names, nav: list[dict]) -> tuple[list[str], list[Variable]]:
    """The page rendered with a slot for every context value: (the text between the markers, the value
    each marker stands for)."""
    context = {name: _Slot(name) for name in names}
    # What the context processors give a page, as slots too; `messages` is empty (a page with messages is
    # rendered in full).
    context.update(csrf_token=_Slot("csrf_token"), user=_Slot("user"), request=_Slot("request"), messages=[],
                   officer_nav=nav)
    parts = get_template(PAGE_TEMPLATE).render(context).split(_OPEN)
    texts, slots = [parts[0]], []
    for part in parts[1:]:
        name, _close, text = part.partition(_CLOSE)
        slots.append(Variable(name))
        texts.append(text)
    return texts, slots


def render_page(request, context: dict) -> str:
    """The sitting page for `context` (see sitting_views): the template rendered in full, or the same text
    from the frame of this language. Rendered in full while developing (templates change without a restart)
    and when messages wait to be shown."""
    if settings.DEBUG or len(get_messages(request)):
        return render_to_string(PAGE_TEMPLATE, context, request)
    nav = site_nav(request)["officer_nav"]
    key = (translation.get_language(), *(item["active"] for item in nav), *sorted(context))
    frame = _FRAMES.get(key)
    if frame is None:
        frame = _FRAMES[key] = _frame(context, nav)
    texts, slots = frame
    values = Context({**context, "csrf_token": get_token(request), "user": request.user, "request": request})
    html = [texts[0]]
    for slot, text in zip(slots, texts[1:], strict=True):
        try:
            value = slot.resolve(values)
        except VariableDoesNotExist:
            value = ""  # as the template shows a missing value (string_if_invalid)
        html.append(render_value_in_context(value, values))
        html.append(text)
    return "".join(html)
