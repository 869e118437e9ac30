"""GIFT (Moodle's text format) → question rows.

Supported: multiple choice (one "=" answer → single; "~%n%" weights without "=" → multiple, right
options = positive weights), true/false ({T}, {TRUE}, {F}, {FALSE}), short answer (→ fill-in with one
blank, 100 % answers as alternatives), essay ({}). Matching, numerical and the rest are skipped with a
reason. `$CATEGORY:` paths become knowledge points; general feedback (####) becomes the explanation.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from lms.core.spreadsheets import ImportReport
from question_bank.grading import OPTION_KEYS
from question_bank.models import QuestionType

from .moodle_common import category_path, clean_text, unsupported_reason
from .rows import QuestionRow

UNCATEGORISED = ["未分类"]
_ESCAPES = {"\\:": "\x01", "\\~": "\x02", "\\=": "\x03", "\\#": "\x04", "\\{": "\x05", "\\}": "\x06", "\\n": "\n"}
_RESTORE = {"\x01": ":", "\x02": "~", "\x03": "=", "\x04": "#", "\x05": "{", "\x06": "}"}
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.I)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRAILING_NOISE = re.compile(r"^[\s\"'.;,。；，]*$")


def _protect(text: str) -> str:
    for escaped, marker in _ESCAPES.items():
        text = text.replace(escaped, marker)
    return text


def _restore(text: str) -> str:
    for marker, plain in _RESTORE.items():
        text = text.replace(marker, plain)
    return text


def _text(raw: str) -> str:
    match = _FORMAT.match(raw)
    is_html = bool(match) and match.group(1).lower() == "html"
    if match:
        raw = raw[match.end():]
    return clean_text(_restore(raw).strip(), is_html=is_html)


def _blocks(text: str):
    """(first line number, block text) for each question or command, comments removed."""
    block, start = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if block:
                yield start, "\n".join(block)
            block, start = [], None
            continue
        if start is None:
            start = number
        block.append(line)
    if block:
        yield start, "\n".join(block)


def _answers(answer_text: str) -> list[tuple[str, Decimal, str]]:
    """Split "=a#fb ~%50%b" into (marker, weight, text-without-feedback)."""
    parts = re.split(r"([=~])", answer_text)
    result = []
    marker = None
    for part in parts:
        if part in ("=", "~"):
            marker = part
            continue
        if marker is None:
            continue
        body = part.strip()
        weight = Decimal("100") if marker == "=" else Decimal("0")
        match = _WEIGHT.match(body)
        if match:
            weight = Decimal(match.group(1))
            body = body[match.end():]
        body = body.split("#", 1)[0]  # feedback follows an unescaped "#"
        result.append((marker, weight, body.strip()))
        marker = None
    return result


def read_gift(text: str, report: ImportReport) -> list[QuestionRow]:
    items: list[QuestionRow] = []
    category = UNCATEGORISED
    number = 0
    for line, block in _blocks(text):
        stripped = block.strip()
        if stripped.startswith("$CATEGORY:"):
            category = category_path(stripped[len("$CATEGORY:"):]) or UNCATEGORISED
            continue
        number += 1
        body = _protect(stripped)
        name = ""
        title = re.match(r"^::(.*?)::", body, re.S)
        if title:
            name = _restore(title.group(1)).strip()
            body = body[title.end():]
        label = _("question %(n)d “%(name)s” (line %(line)d)") % {"n": number, "name": name or "—", "line": line}
        start, finish = body.find("{"), body.rfind("}")
        if start == -1 or finish < start:
            if "{" in body or "}" in body:
                report.error(_("%(label)s: the answer braces { } do not match.") % {"label": label}, row=line)
            else:
                report.warn(_("%(label)s: %(reason)s") % {"label": label, "reason": unsupported_reason("description")},
                            row=line)
            continue
        answer_text = body[start + 1 : finish].strip()
        after = _restore(body[finish + 1 :])
        stem_raw = body[:start] if _TRAILING_NOISE.match(after) else body[:start] + "_____" + body[finish + 1 :]
        general = ""
        if "####" in answer_text:
            answer_text, general = answer_text.split("####", 1)
            answer_text = answer_text.strip()
        item = QuestionRow(stem=_text(stem_raw), explanation=_text(general), knowledge_point=list(category),
                           label=label, row=line)
        kind = _classify(answer_text)
        if kind not in ("essay", "truefalse", "multichoice", "shortanswer"):
            report.warn(_("%(label)s: %(reason)s") % {"label": label, "reason": unsupported_reason(kind)}, row=line)
            continue
        _fill(item, kind, answer_text, report)
        items.append(item)
    if number == 0:
        report.error(_("The GIFT file contains no questions."))
    return items


def _classify(answer_text: str) -> str:
    if not answer_text:
        return "essay"
    if answer_text.startswith("#"):
        return "numerical"
    if "~" in answer_text and "->" not in answer_text:
        return "multichoice"
    if "=" in answer_text and "->" in answer_text:
        return "matching"
    if answer_text.split("#", 1)[0].strip().upper() in ("T", "TRUE", "F", "FALSE"):
        return "truefalse"
    return "shortanswer"


def _fill(item: QuestionRow, kind: str, answer_text: str, report: ImportReport) -> None:
    if kind == "essay":
        item.type = QuestionType.ESSAY
    elif kind == "truefalse":
        item.type = QuestionType.TRUE_FALSE
        item.answer = [answer_text.split("#", 1)[0].strip().upper().startswith("T")]
    elif kind == "multichoice":
        answers = _answers(answer_text)
        item.options = [_text(text) for _m, _w, text in answers]
        right = [OPTION_KEYS[i] for i, (_m, weight, _t) in enumerate(answers) if weight > 0 and i < len(OPTION_KEYS)]
        single = "=" in answer_text
        item.type = QuestionType.SINGLE if single else QuestionType.MULTIPLE
        item.answer = right[:1] if single else right
        if len(answers) > len(OPTION_KEYS):
            item.error("", _("A question has at most %(n)d options (A–H).") % {"n": len(OPTION_KEYS)})
    else:
        item.type = QuestionType.FILL_BLANK
        accepted, dropped = [], []
        for _m, weight, text in _answers(answer_text):
            text = _text(text)
            if weight >= 100:
                accepted.append(text)
            elif weight > 0 and text != "*":
                dropped.append(f"{text} ({weight:g}%)")
        item.answer = [accepted] if accepted else []
        if dropped:
            report.warn(
                _("%(label)s: partly right answers are not kept (fill-in answers are right or wrong): %(answers)s")
                % {"label": item.label, "answers": "、".join(dropped)}, row=item.row,
            )
