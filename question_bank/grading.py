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
- fill_blank: each blank is worth an equal share; a blank is right when, after normalisation, it equals
  one of that blank's accepted alternatives (or an extra spelling a session accepted). Normalisation does
  what a marker would: NFKC (full-width letters/digits/spaces become ordinary ones), all whitespace
  removed, case folded, thousands separators dropped, Chinese numerals read as numbers (二十四 = 廿四 =
  24, 两百 = 二百 = 200, 百分之三十 = 30%), and a trailing unit the question names (in its stem or its
  accepted answers: 24小时, 200元) dropped after a number. 25 is never 24 and 2000 never 200.
  Score = points × right blanks / blanks, rounded to 0.1.
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


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
              "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_CN_TENS = {"廿": "二十", "卅": "三十", "卌": "四十"}
_CN_CHARS = "".join([*_CN_DIGITS, *_CN_SMALL_UNITS, *_CN_BIG_UNITS, *_CN_TENS])
# A run of numeral characters; Arabic digits may mix in ("5万", "2百") but a run must hold a Chinese one.
_NUMERAL_RUN = re.compile(f"[0-9{_CN_CHARS}]*[{_CN_CHARS}][0-9{_CN_CHARS}]*")
_PERCENT = re.compile(f"百分之([0-9.{_CN_CHARS}]+)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NUMBER_WITH_SUFFIX = re.compile(r"^(\d+(?:\.\d+)?)(\D{1,4})$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
# Units a fill-in question commonly names; a unit counts as named when the stem or an accepted answer has it.
KNOWN_UNITS = ("个工作日", "工作日", "个小时", "小时", "分钟", "个月", "周岁", "日", "天", "月", "年", "周", "元",
               "倍", "人", "次", "项", "条", "款", "%", "米", "公里", "平方米", "千克", "公斤", "岁", "名", "份", "个")


def chinese_numeral_value(text: str) -> int | None:
    """The integer a run of Chinese (optionally mixed Arabic) numerals stands for, or None if it is not one.

    二十四 → 24, 廿四 → 24, 两百 → 200, 一百零五 → 105, 二百五 → 250 (the spoken short form),
    三千五 → 3500, 5万 → 50000, 二〇二四 → 2024 (digit by digit when no unit character is used).
    """
    for short, long in _CN_TENS.items():
        text = text.replace(short, long)
    tokens = re.findall(r"\d+|.", text)
    if not tokens:
        return None
    if not any(t in _CN_SMALL_UNITS or t in _CN_BIG_UNITS for t in tokens):
        digits = []
        for token in tokens:
            if token.isdigit():
                digits.append(token)
            elif token in _CN_DIGITS:
                digits.append(str(_CN_DIGITS[token]))
            else:
                return None
        return int("".join(digits))
    total, section, number = 0, 0, None
    last_unit, after_unit, saw_zero = 0, False, False
    for token in tokens:
        if token.isdigit() or token in _CN_DIGITS:
            value = int(token) if token.isdigit() else _CN_DIGITS[token]
            if value == 0 and not token.isdigit():
                saw_zero = True
                number = None
                after_unit = False
                continue
            if number is not None:  # two digits in a row inside a unit numeral: not a number we read
                return None
            number = value
        elif token in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[token]
            section += (1 if number is None else number) * unit
            number, last_unit, after_unit, saw_zero = None, unit, True, False
            continue
        elif token in _CN_BIG_UNITS:
            big = _CN_BIG_UNITS[token]
            section += number or 0
            total = (total + section) * big if big > 10_000 else total + section * big
            section, number, last_unit, after_unit, saw_zero = 0, None, big, True, False
            continue
        else:
            return None
        after_unit = after_unit and not saw_zero
    if number is not None:
        # 二百五 is 250 and 一万五 15000: a bare digit straight after a unit counts in the next unit down.
        if after_unit and last_unit >= 100 and not saw_zero:
            number *= last_unit // 10
        section += number
    return total + section


def _numerals_to_digits(text: str) -> str:
    text = _PERCENT.sub(lambda m: m.group(1) + "%", text)

    def replace(match):
        value = chinese_numeral_value(match.group(0))
        return match.group(0) if value is None else str(value)

    return _NUMERAL_RUN.sub(replace, text)


def _base_form(text) -> str:
    text = _WHITESPACE.sub("", _nfkc(text)).casefold()
    text = _THOUSANDS.sub("", text)
    return _numerals_to_digits(text)


def named_units(content, accepted: Iterable[Iterable[str]] = ()) -> frozenset[str]:
    """Units a fill-in question names: known units in its stem, and whatever follows a number in an
    accepted answer (the key "3个工作日" names "个工作日")."""
    stem = _base_form(plain_text(getattr(content, "stem", "") or ""))
    units = {unit for unit in KNOWN_UNITS if unit in stem}
    for alternatives in accepted:
        for alternative in alternatives:
            match = _NUMBER_WITH_SUFFIX.match(_base_form(alternative))
            if match:
                units.add(match.group(2))
    return frozenset(units)


def normalise_blank(text, units: Iterable[str] = ()) -> str:
    """The comparison form of a fill-in answer (see the module docstring); `units` are the units the
    question names, dropped after a number."""
    text = _base_form(text)
    match = _NUMBER_WITH_SUFFIX.match(text)
    if match and match.group(2) in set(units):
        text = match.group(1)
    if _NUMBER.match(text) and "." in text:
        text = text.rstrip("0").rstrip(".")  # 0.50 = 0.5
    return text


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


def _blank_is_right(given: str, accepted: Iterable[str], units: frozenset[str] = frozenset()) -> bool:
    wanted = normalise_blank(given, units)
    return bool(wanted) and any(wanted == normalise_blank(alternative, units) for alternative in accepted)


def accepted_blanks(content, extra_accepted: Sequence[Sequence[str]] | None = None) -> list[list[str]]:
    """Each blank's accepted alternatives: the key's, plus extra spellings (one list per blank) a session
    accepted after the exam."""
    blanks = [list(alternatives) for alternatives in (content.answer or [])]
    for index, extra in enumerate(extra_accepted or []):
        if index < len(blanks):
            blanks[index].extend(extra)
    return blanks


def score_response(*, content, response, points, multiple_rule: str = "all_or_nothing",
                   extra_accepted: Sequence[Sequence[str]] | None = None) -> Decimal | None:
    """Points earned by `response` (raw or normalised) on `content`; None for an essay (marked by hand).

    `extra_accepted`: for a fill-in question, more accepted spellings per blank (a session's additions)."""
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
        blanks = accepted_blanks(content, extra_accepted)
        units = named_units(content, blanks)
        right = sum(
            1 for index, accepted in enumerate(blanks)
            if index < len(given) and _blank_is_right(given[index], accepted, units)
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
