"""One imported question, whatever file it came from, and the parsing of spreadsheet cells into it.

Spreadsheet layout (the template, the export and the import share it; headers are data, so Chinese):
题目编号 题型 题干 选项A … 选项H 答案 解析 难度 知识点 法条依据 分值 参考答案 评分要点 状态 用途 互斥组
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from question_bank.grading import OPTION_KEYS, parse_true_false
from question_bank.models import QuestionStatus, QuestionType, QuestionUse

CODE = "题目编号"
TYPE = "题型"
STEM = "题干"
OPTION_COLUMNS = [f"选项{key}" for key in OPTION_KEYS]
ANSWER = "答案"
EXPLANATION = "解析"
DIFFICULTY = "难度"
KNOWLEDGE_POINT = "知识点"
LEGAL_BASIS = "法条依据"
POINTS = "分值"
REFERENCE = "参考答案"
MARKING = "评分要点"
STATUS = "状态"
USE = "用途"  # practice and exams, or exams only (kept out of practice)
EXCLUSION = "互斥组"  # exclusion group code: questions testing one fact, never two on one paper

COLUMNS = [CODE, TYPE, STEM, *OPTION_COLUMNS, ANSWER, EXPLANATION, DIFFICULTY, KNOWLEDGE_POINT, LEGAL_BASIS,
           POINTS, REFERENCE, MARKING, STATUS, USE, EXCLUSION]
REQUIRED_COLUMNS = [TYPE, STEM, ANSWER, KNOWLEDGE_POINT]

# Other spellings of the headers seen in real question templates.
HEADER_ALIASES = {
    "编号": CODE, "试题编号": CODE, "题号": CODE, "题目类型": TYPE, "试题类型": TYPE, "类型": TYPE,
    "题目": STEM, "试题内容": STEM, "题目内容": STEM, "正确答案": ANSWER, "标准答案": ANSWER,
    "答案解析": EXPLANATION, "试题解析": EXPLANATION, "难易程度": DIFFICULTY, "难易度": DIFFICULTY,
    "法律依据": LEGAL_BASIS, "依据": LEGAL_BASIS, "分数": POINTS, "默认分值": POINTS,
    "互斥题组": EXCLUSION, "互斥组编号": EXCLUSION,
    "使用范围": USE, "适用范围": USE, "题目用途": USE, "试题用途": USE, "用途范围": USE,
    **{f"选项{key.lower()}": f"选项{key}" for key in OPTION_KEYS}, **{key: f"选项{key}" for key in OPTION_KEYS},
}

# Which column a content field's error belongs to.
FIELD_COLUMNS = {
    "code": CODE, "type": TYPE, "stem": STEM, "options": OPTION_COLUMNS[0], "answer": ANSWER,
    "explanation": EXPLANATION, "difficulty": DIFFICULTY, "knowledge_point": KNOWLEDGE_POINT,
    "legal_basis": LEGAL_BASIS, "points": POINTS, "reference_answer": REFERENCE, "marking_points": MARKING,
    "status": STATUS, "use": USE,
}

TYPE_SPELLINGS = {
    QuestionType.SINGLE: ["单选题", "单选", "单项选择题", "单项选择", "单择题", "single"],
    QuestionType.MULTIPLE: ["多选题", "多选", "多项选择题", "多项选择", "不定项选择题", "不定项", "multiple"],
    QuestionType.TRUE_FALSE: ["判断题", "判断", "是非题", "true_false", "truefalse"],
    QuestionType.FILL_BLANK: ["填空题", "填空", "fill_blank", "shortanswer"],
    QuestionType.ESSAY: ["简答题", "简答", "案例分析题", "案例分析", "案例题", "论述题", "问答题", "essay"],
}
TYPE_BY_SPELLING = {spelling.casefold(): value for value, spellings in TYPE_SPELLINGS.items() for spelling in spellings}
TYPE_EXPORT = {value: spellings[0] for value, spellings in TYPE_SPELLINGS.items()}

DIFFICULTY_WORDS = {"易": 1, "容易": 1, "简单": 1, "较易": 2, "中": 3, "中等": 3, "一般": 3, "适中": 3,
                    "较难": 4, "难": 5, "困难": 5}
STATUS_WORDS = {
    "草稿": QuestionStatus.DRAFT, "draft": QuestionStatus.DRAFT,
    "启用": QuestionStatus.ACTIVE, "可用": QuestionStatus.ACTIVE, "有效": QuestionStatus.ACTIVE,
    "active": QuestionStatus.ACTIVE,
    "停用": QuestionStatus.RETIRED, "已停用": QuestionStatus.RETIRED, "退役": QuestionStatus.RETIRED,
    "retired": QuestionStatus.RETIRED,
}
STATUS_EXPORT = {QuestionStatus.DRAFT: "草稿", QuestionStatus.ACTIVE: "启用", QuestionStatus.RETIRED: "停用"}
# Plain 练习 is not accepted: a question is never for practice only, and reading it as "practice and exams"
# would put it into papers the trainer may not expect.
USE_WORDS = {
    "练习和考试": QuestionUse.PRACTICE_AND_EXAMS, "练习与考试": QuestionUse.PRACTICE_AND_EXAMS,
    "练习及考试": QuestionUse.PRACTICE_AND_EXAMS, "通用": QuestionUse.PRACTICE_AND_EXAMS,
    "可练习": QuestionUse.PRACTICE_AND_EXAMS, "practice_and_exams": QuestionUse.PRACTICE_AND_EXAMS,
    "仅考试": QuestionUse.EXAMS_ONLY, "仅用于考试": QuestionUse.EXAMS_ONLY, "仅限考试": QuestionUse.EXAMS_ONLY,
    "只用于考试": QuestionUse.EXAMS_ONLY, "考试专用": QuestionUse.EXAMS_ONLY, "考试": QuestionUse.EXAMS_ONLY,
    "exams_only": QuestionUse.EXAMS_ONLY,
}
USE_EXPORT = {QuestionUse.PRACTICE_AND_EXAMS: "练习和考试", QuestionUse.EXAMS_ONLY: "仅用于考试"}
TRUE_FALSE_EXPORT = {True: "正确", False: "错误"}

KP_SEPARATOR = "/"
_KP_SPLIT = re.compile(r"\s*[/／>＞]\s*")
_BLANK_SPLIT = re.compile(r"\s*[#＃\n]\s*")
_ALTERNATIVE_SPLIT = re.compile(r"\s*[|｜;；]\s*")
_LETTERS = re.compile(r"^[A-Z]+$")
_LETTER_NOISE = re.compile(r"[\s,，、;；/|.。]+")
_GROUP_SPLIT = re.compile(r"[\s,，、;；/|]")
_GROUP_CODE = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_\-\u4e00-\u9fff]{0,31}$")


@dataclass
class QuestionRow:
    """A question as read from a file, before it is matched against the bank."""

    code: str = ""
    type: str = ""
    stem: str = ""
    options: list = field(default_factory=list)
    answer: list = field(default_factory=list)
    reference_answer: str = ""
    marking_points: list = field(default_factory=list)
    explanation: str = ""
    difficulty: int = 3
    legal_basis: str = ""
    points: Decimal = Decimal("2")
    knowledge_point: list = field(default_factory=list)  # a path of names, or [code]
    status: str | None = None
    use: str | None = None  # None when the cell or column is empty: new questions get the default, others keep theirs
    # Exclusion group code: None when the file has no 互斥组 column (memberships stay as they are), "" for none.
    exclusion_group: str | None = None
    # Where it came from, for messages: spreadsheet sheet and row, or a GIFT line / XML question number.
    sheet: str = ""
    row: int | None = None
    label: str = ""
    errors: list = field(default_factory=list)  # (column, message, value)
    location: str | None = None

    def content(self) -> dict:
        return {
            "stem": self.stem, "options": self.options, "answer": self.answer,
            "reference_answer": self.reference_answer, "marking_points": self.marking_points,
            "explanation": self.explanation, "difficulty": self.difficulty, "legal_basis": self.legal_basis,
            "points": self.points,
        }

    def error(self, column: str, message: str, value="") -> None:
        self.errors.append((column, message, "" if value is None else str(value)))


def cell_text(value) -> str:
    """A cell as text: integral floats lose their ".0" (codes and points typed as numbers), text is stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_type(text: str) -> str | None:
    return TYPE_BY_SPELLING.get(re.sub(r"\s+", "", nfkc(text)).casefold())


def parse_choice_answer(text: str) -> list[str] | None:
    """"ABD", "A,B,D", "A、B、D", "ａｂｄ" → ["A", "B", "D"]; None when it holds anything but letters."""
    letters = _LETTER_NOISE.sub("", nfkc(text).upper())
    if not letters or not _LETTERS.match(letters):
        return None
    return sorted(set(letters))


def parse_blanks(text: str) -> list[list[str]]:
    """Blanks separated by "#" or line breaks; each blank's accepted answers by "|" or ";"."""
    blanks = []
    for chunk in _BLANK_SPLIT.split(text.strip()):
        alternatives = [alt for alt in _ALTERNATIVE_SPLIT.split(chunk.strip()) if alt]
        if alternatives:
            blanks.append(alternatives)
    return blanks


def format_blanks(answer: list[list[str]]) -> str:
    return "#".join("|".join(alternatives) for alternatives in answer)


def parse_use(text: str) -> str | None:
    """"仅用于考试", "考试专用", "ＥＸＡＭＳ_ＯＮＬＹ" → exams_only; None when the word is not understood."""
    return USE_WORDS.get(re.sub(r"\s+", "", nfkc(text)).casefold())


def parse_difficulty(text: str) -> int | None:
    text = nfkc(text)
    if not text:
        return 3
    if text in DIFFICULTY_WORDS:
        return DIFFICULTY_WORDS[text]
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return int(value) if value == int(value) and 1 <= value <= 5 else None


def parse_points(text: str) -> Decimal | None:
    text = nfkc(text)
    if not text:
        return Decimal("2")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if value <= 0 or value >= 1000 or value != value.quantize(Decimal("0.1")):
        return None
    return value.quantize(Decimal("0.1"))


def parse_kp_path(text: str) -> list[str]:
    return [part for part in _KP_SPLIT.split(text.strip()) if part]


def parse_marking_points(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def row_from_cells(cells: dict[str, str], *, sheet: str = "", row: int | None = None) -> QuestionRow:
    """Parse one spreadsheet row (header → text). Problems are collected on the row, by column."""
    item = QuestionRow(sheet=sheet, row=row)
    item.code = nfkc(cells.get(CODE, ""))
    if len(item.code) > 32:
        item.error(CODE, _("The question code is longer than 32 characters."), item.code)
    raw_type = cells.get(TYPE, "")
    item.type = parse_type(raw_type) or ""
    if not item.type:
        item.error(
            TYPE,
            _("Unknown question type; use 单选题, 多选题, 判断题, 填空题 or 简答题/案例分析题.")
            if raw_type else _("The question type is empty."),
            raw_type,
        )
    item.stem = cells.get(STEM, "")
    item.explanation = cells.get(EXPLANATION, "")
    item.legal_basis = cells.get(LEGAL_BASIS, "")
    item.reference_answer = cells.get(REFERENCE, "")
    item.marking_points = parse_marking_points(cells.get(MARKING, ""))
    options = [cells.get(column, "") for column in OPTION_COLUMNS]
    while options and not options[-1]:
        options.pop()
    item.options = options

    difficulty = parse_difficulty(cells.get(DIFFICULTY, ""))
    if difficulty is None:
        item.error(DIFFICULTY, _("Difficulty must be 1–5 or one of 易, 较易, 中, 较难, 难."), cells.get(DIFFICULTY))
    else:
        item.difficulty = difficulty
    points = parse_points(cells.get(POINTS, ""))
    if points is None:
        item.error(POINTS, _("Points must be a number greater than 0 (at most one decimal)."), cells.get(POINTS))
    else:
        item.points = points
    status_text = nfkc(cells.get(STATUS, ""))
    if status_text:
        item.status = STATUS_WORDS.get(status_text.casefold())
        if item.status is None:
            item.error(STATUS, _("Status must be 草稿, 启用 or 停用."), status_text)
    use_text = nfkc(cells.get(USE, ""))
    if use_text:
        item.use = parse_use(use_text)
        if item.use is None:
            item.error(USE, _("Use must be 练习和考试 or 仅用于考试."), use_text)
    item.knowledge_point = parse_kp_path(cells.get(KNOWLEDGE_POINT, ""))
    if not item.knowledge_point:
        item.error(KNOWLEDGE_POINT, _("The knowledge point is empty."))
    _parse_answer(item, cells.get(ANSWER, ""))
    if EXCLUSION in cells:
        group = nfkc(cells[EXCLUSION])
        if _GROUP_SPLIT.search(group):
            item.error(EXCLUSION, _("A question belongs to one exclusion group at most; this cell names several."),
                       group)
        elif group and not _GROUP_CODE.match(group):
            item.error(EXCLUSION, _("A group code is 1 to 32 letters, digits, Chinese characters, “-” or “_”."), group)
        else:
            item.exclusion_group = group
    return item


def _parse_answer(item: QuestionRow, raw: str) -> None:
    if item.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        letters = parse_choice_answer(raw)
        if not raw:
            item.error(ANSWER, _("The answer is empty."))
        elif letters is None:
            item.error(ANSWER, _("The answer must be option letters such as B, ABD, A,B,D or A、B、D."), raw)
        else:
            item.answer = letters
    elif item.type == QuestionType.TRUE_FALSE:
        value = parse_true_false(raw)
        # Some templates list 正确/错误 as options A/B and answer with the letter.
        if value is None and item.options and len(item.options) == 2:
            letters = parse_choice_answer(raw) or []
            labels = [parse_true_false(option) for option in item.options]
            if len(letters) == 1 and letters[0] in "AB" and None not in labels:
                value = labels["AB".index(letters[0])]
        if value is None:
            item.error(ANSWER, _("The answer of a true/false question must be 正确/错误, 对/错, √/× or T/F."), raw)
        else:
            item.answer = [value]
        if item.options and all(parse_true_false(option) is not None for option in item.options):
            item.options = []
    elif item.type == QuestionType.FILL_BLANK:
        item.answer = parse_blanks(raw)
        if not item.answer:
            item.error(ANSWER, _("A fill-in question needs its accepted answers (alternatives separated by | or ;)."))
    elif item.type == QuestionType.ESSAY:
        # Templates without a 参考答案 column put the reference answer under 答案.
        if raw and not item.reference_answer:
            item.reference_answer = raw
        item.answer = []


def format_answer(question_type: str, answer: list) -> str:
    if question_type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return "".join(answer)
    if question_type == QuestionType.TRUE_FALSE:
        return TRUE_FALSE_EXPORT[bool(answer[0])] if answer else ""
    if question_type == QuestionType.FILL_BLANK:
        return format_blanks(answer)
    return ""
