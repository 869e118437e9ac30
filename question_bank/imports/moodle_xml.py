"""Moodle XML → question rows (parsed with defusedxml: no entity expansion, no external entities).

Supported: multichoice (<single>true</single> → single; otherwise multiple, right options = positive
fractions), truefalse, shortanswer (→ fill-in, 100 % answers as alternatives), essay (grader info →
reference answer). Category "questions" set the knowledge point of the questions after them. Other types
are skipped with a reason; a file that is not well-formed XML is an error.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from lms.core.spreadsheets import ImportReport
from question_bank.grading import OPTION_KEYS
from question_bank.models import QuestionType

from .moodle_common import category_path, clean_text, unsupported_reason
from .rows import QuestionRow

UNCATEGORISED = ["未分类"]
SUPPORTED = {"multichoice", "truefalse", "shortanswer", "essay"}


def _text_of(element, path: str) -> str:
    node = element.find(path)
    if node is None:
        return ""
    text_node = node.find("text")
    raw = (text_node.text if text_node is not None else node.text) or ""
    return clean_text(raw, is_html=node.get("format") == "html")


def _fraction(answer) -> Decimal:
    try:
        return Decimal(answer.get("fraction", "0"))
    except InvalidOperation:
        return Decimal("0")


def _points(question) -> Decimal:
    try:
        value = Decimal((question.findtext("defaultgrade") or "").strip())
    except InvalidOperation:
        return Decimal("2")
    return value.quantize(Decimal("0.1")) if value > 0 else Decimal("2")


def read_moodle_xml(data: bytes, report: ImportReport) -> list[QuestionRow]:
    try:
        root = ElementTree.fromstring(data)
    except DefusedXmlException:
        report.error(_("The XML file uses entities or external references, which are refused for safety."))
        return []
    except ElementTree.ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        report.error(_("The file is not well-formed XML: %(error)s") % {"error": exc}, row=line)
        return []
    if root.tag != "quiz":
        report.error(_("This XML file is not a Moodle question export (its root element is not <quiz>)."))
        return []
    items: list[QuestionRow] = []
    category = UNCATEGORISED
    number = 0
    for question in root.findall("question"):
        kind = (question.get("type") or "").strip()
        if kind == "category":
            category = category_path(question.findtext("category/text") or "") or UNCATEGORISED
            continue
        number += 1
        name = (question.findtext("name/text") or "").strip()
        label = _("question %(n)d “%(name)s”") % {"n": number, "name": name or "—"}
        if kind not in SUPPORTED:
            report.warn(_("%(label)s: %(reason)s") % {"label": label, "reason": unsupported_reason(kind)})
            continue
        item = QuestionRow(
            code=(question.findtext("idnumber") or "").strip(),
            stem=_text_of(question, "questiontext"),
            explanation=_text_of(question, "generalfeedback"),
            points=_points(question),
            knowledge_point=list(category),
            label=label,
        )
        answers = question.findall("answer")
        if kind == "essay":
            item.type = QuestionType.ESSAY
            item.reference_answer = _text_of(question, "graderinfo")
        elif kind == "truefalse":
            item.type = QuestionType.TRUE_FALSE
            right = [a for a in answers if _fraction(a) >= 100]
            if len(right) != 1:
                item.error("", _("A true/false question needs exactly one right answer."))
            else:
                item.answer = [(right[0].findtext("text") or "").strip().lower() == "true"]
        elif kind == "multichoice":
            single = (question.findtext("single") or "true").strip().lower() in ("true", "1")
            item.type = QuestionType.SINGLE if single else QuestionType.MULTIPLE
            item.options = [clean_text(a.findtext("text") or "", is_html=a.get("format") == "html") for a in answers]
            if len(answers) > len(OPTION_KEYS):
                item.error("", _("A question has at most %(n)d options (A–H).") % {"n": len(OPTION_KEYS)})
            right = [OPTION_KEYS[i] for i, a in enumerate(answers[: len(OPTION_KEYS)])
                     if (_fraction(a) >= 100 if single else _fraction(a) > 0)]
            item.answer = right
        else:
            item.type = QuestionType.FILL_BLANK
            accepted = [clean_text(a.findtext("text") or "") for a in answers if _fraction(a) >= 100]
            item.answer = [[text for text in accepted if text]] if accepted else []
            dropped = [a.findtext("text") or "" for a in answers if 0 < _fraction(a) < 100]
            if dropped:
                report.warn(
                    _("%(label)s: partly right answers are not kept (fill-in answers are right or wrong): %(answers)s")
                    % {"label": label, "answers": "、".join(dropped)}
                )
        items.append(item)
    if number == 0:
        report.error(_("The Moodle XML file contains no questions."))
    return items
