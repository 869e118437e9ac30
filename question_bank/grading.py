"""Marking rules for objective questions, shared by practice (courses) and exam grading (lms.exams).

Pure functions: no database writes, no request objects. `content` is a Question or a QuestionVersion
(anything with the content fields; a version's type is read from its question).

Responses are normalised to JSON-serialisable lists, the same shape as the answer they are marked against:
- single:      ["B"]                       (one option key, upper case)
- multiple:    ["A", "B", "D"]             (sorted, unique)
- true_false:  [True] or [False]
- fill_blank:  ["text of blank 1", "…"]    (one string per blank, as typed, stripped)
- essay:       ["the text written"]        (marked by hand)
An empty list means "not answered" and scores 0 (essay: still None, i.e. to be marked by hand).

Scoring rules:
- single / true_false: full points when equal to the answer, else 0.
- multiple, rule "all_or_nothing" (少选不得分): full points only for exactly the right set.
- multiple, rule "partial": any wrong option chosen → 0; otherwise points × (right options chosen /
  right options in the key), rounded half-up to 0.1 (the precision of points).
- multiple, rule "half": any wrong option → 0; exactly right → full; a non-empty subset of the right
  options → half the points (rounded half-up to 0.1).
- fill_blank: each blank is worth an equal share; a blank is right when, after normalisation (NFKC so
  full-width letters/digits/spaces become ordinary ones, all whitespace removed, case folded), it equals
  one of that blank's accepted alternatives. Score = points × right blanks / blanks, rounded to 0.1.
- essay: None — a person marks it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

import nh3

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
FILL_BLANK = "fill_blank"
ESSAY = "essay"

MULTIPLE_RULES = ("all_or_nothing", "partial", "half")
OPTION_KEYS = "ABCDEFGH"

TRUE_SPELLINGS = {"true", "t", "1", "yes", "y", "正确", "对", "是", "√", "✓", "✔", "v", "on"}
FALSE_SPELLINGS = {"false", "f", "0", "no", "n", "错误", "错", "否", "×", "✗", "✘", "x"}

_WHITESPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[a-zA-Z/][^>]*>")
_LETTER_SEPARATORS = re.compile(r"[\s,，、;；/|]+")
_POINTS_STEP = Decimal("0.1")


def question_type_of(content) -> str:
    """The type of a Question, or of the question a QuestionVersion belongs to."""
    question_type = getattr(content, "type", None)
    if question_type is None:
        question_type = content.question.type
    return str(question_type)


def _nfkc(text) -> str:
    return unicodedata.normalize("NFKC", str(text if text is not None else ""))


def normalise_blank(text) -> str:
    """The comparison form of a fill-in answer: NFKC, no whitespace at all, case folded."""
    return _WHITESPACE.sub("", _nfkc(text)).casefold()


def _flatten(raw) -> list:
    if raw is None:
        return []
    if isinstance(raw, (list, tuple)):
        return list(raw)
    return [raw]


def parse_letters(raw) -> list[str]:
    """Option keys from a form value or a spreadsheet cell: "ABD", "A,B,D", "A、B、D", "ａｂ", ["A", "D"]."""
    letters: list[str] = []
    for item in _flatten(raw):
        text = _nfkc(item).upper()
        for chunk in _LETTER_SEPARATORS.split(text):
            letters.extend(chunk)
    return letters


def parse_true_false(raw) -> bool | None:
    """True/False from any common spelling; None when empty or not recognised."""
    values = _flatten(raw)
    if not values:
        return None
    value = values[0]
    if isinstance(value, bool):
        return value
    text = _nfkc(value).strip().casefold()
    if text in TRUE_SPELLINGS:
        return True
    if text in FALSE_SPELLINGS:
        return False
    return None


def normalise_response(question_type: str, raw) -> list:
    """A candidate's response in the canonical list form above, from whatever a web form posts.

    `raw` may be a string, a list of strings (QueryDict.getlist), a bool, None, or an already normalised
    list; normalising twice changes nothing. Unknown letters are kept (they score as wrong) so that what
    the candidate sent is never silently dropped.
    """
    question_type = str(question_type)
    if question_type == SINGLE:
        letters = [letter for letter in parse_letters(raw) if letter.strip()]
        return letters[:1]
    if question_type == MULTIPLE:
        return sorted({letter for letter in parse_letters(raw) if letter.strip()})
    if question_type == TRUE_FALSE:
        value = parse_true_false(raw)
        return [] if value is None else [value]
    if question_type == FILL_BLANK:
        blanks = [_nfkc(item).strip() if item is not None else "" for item in _flatten(raw)]
        return [] if not any(blanks) else blanks
    if question_type == ESSAY:
        text = "\n".join(str(item) for item in _flatten(raw) if item is not None).strip()
        return [text] if text else []
    raise ValueError(f"unknown question type {question_type!r}")


def _round(value: Decimal) -> Decimal:
    return value.quantize(_POINTS_STEP, rounding=ROUND_HALF_UP)


def _multiple_score(key: set[str], chosen: set[str], points: Decimal, rule: str) -> Decimal:
    if not chosen or chosen - key:
        return Decimal("0")
    if chosen == key:
        return points
    if rule == "partial":
        return _round(points * len(chosen) / len(key))
    if rule == "half":
        return _round(points / 2)
    return Decimal("0")


def _blank_is_right(given: str, accepted: Iterable[str]) -> bool:
    wanted = normalise_blank(given)
    return bool(wanted) and any(wanted == normalise_blank(alternative) for alternative in accepted)


def score_response(*, content, response, points, multiple_rule: str = "all_or_nothing") -> Decimal | None:
    """Points earned by `response` (raw or normalised) on `content`; None for an essay (marked by hand)."""
    if multiple_rule not in MULTIPLE_RULES:
        raise ValueError(f"unknown multiple-choice rule {multiple_rule!r}; use one of {MULTIPLE_RULES}")
    points = Decimal(str(points))
    question_type = question_type_of(content)
    if question_type == ESSAY:
        return None
    given = normalise_response(question_type, response)
    answer = list(content.answer or [])
    if not given:
        return Decimal("0")
    if question_type in (SINGLE, TRUE_FALSE):
        return points if given == answer else Decimal("0")
    if question_type == MULTIPLE:
        return _multiple_score(set(answer), set(given), points, multiple_rule)
    if question_type == FILL_BLANK:
        if not answer:
            return Decimal("0")
        right = sum(
            1 for index, accepted in enumerate(answer) if index < len(given) and _blank_is_right(given[index], accepted)
        )
        return points if right == len(answer) else _round(points * right / len(answer))
    raise ValueError(f"unknown question type {question_type!r}")


def is_correct(*, content, response) -> bool | None:
    """Whether the response is entirely right; None for an essay."""
    score = score_response(content=content, response=response, points=Decimal("1"))
    if score is None:
        return None
    return score == Decimal("1")


# --- What a candidate may see -------------------------------------------------------------------

ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "u", "sub", "sup", "ul", "ol", "li", "span", "div", "table",
                "thead", "tbody", "tr", "td", "th", "pre", "code", "blockquote"}


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text or ""))


def sanitise_html(text: str) -> str:
    """Keep harmless formatting tags only (no scripts, styles, links, images or attributes)."""
    return nh3.clean(text or "", tags=ALLOWED_TAGS, attributes={}, url_schemes=set(), link_rel=None)


def render_text(text: str) -> str:
    """Safe HTML for a stem or option: imported HTML is sanitised again; plain text is escaped."""
    if looks_like_html(text):
        return mark_safe(sanitise_html(text))  # noqa: S308 - sanitised by nh3's allow-list just above
    return mark_safe(linebreaks(escape(text or "")))  # noqa: S308 - escaped just above


def plain_text(text: str) -> str:
    """Text with any HTML tags removed and entities decoded, for listings, search and spreadsheets."""
    if not looks_like_html(text):
        return text or ""
    cleaned = nh3.clean(text, tags=set(), attributes={})
    return html.unescape(cleaned)


def candidate_view(content, option_order: Sequence[str] | Sequence[int] | None = None) -> dict:
    """Only what a candidate may see of a question: never the answer, explanation, reference answer,
    marking points or legal basis.

    `option_order` permutes the options: a sequence of original keys ("C", "A", …) or 0-based indices,
    in display order. Each option carries `key` (the original key, which is what a form posts back and
    what is marked) and `label` (the letter shown at its display position), so a shuffled paper is
    marked without any mapping.
    """
    question_type = question_type_of(content)
    options = list(content.options or [])
    keys = list(OPTION_KEYS[: len(options)])
    if option_order is not None:
        order = [OPTION_KEYS[item] if isinstance(item, int) else str(item).upper() for item in option_order]
        if sorted(order) != keys:
            raise ValueError(f"option_order {list(option_order)!r} is not a permutation of {keys!r}")
    else:
        order = keys
    shown_options = [
        {
            "key": key,
            "label": OPTION_KEYS[position],
            "text": options[OPTION_KEYS.index(key)],
            "html": render_text(options[OPTION_KEYS.index(key)]),
        }
        for position, key in enumerate(order)
    ]
    if question_type == TRUE_FALSE:
        shown_options = []
    blank_count = len(content.answer or []) if question_type == FILL_BLANK else 0
    return {
        "type": question_type,
        "stem": content.stem,
        "stem_html": render_text(content.stem),
        "options": shown_options,
        "blank_count": blank_count,
    }
