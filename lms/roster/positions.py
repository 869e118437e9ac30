"""Controlled vocabulary of the roster: Chinese labels and their synonyms mapped to the stable codes.

HR's workbooks spell the same position many ways (中队长/队长, 协管/辅助人员 …); every importer and the
exam draw go through these parsers so one spelling means one code everywhere.
"""

from __future__ import annotations

import unicodedata

from .models import Category, Gender, PersonStatus, Position


def normalize_text(value) -> str:
    """Full-width to half-width (NFKC), every kind of space (incl. U+3000) collapsed, trimmed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not text.isascii():  # ASCII is already NFKC-normal; this runs once per cell of large files
        text = unicodedata.normalize("NFKC", text)
    # str.split() splits on every Unicode space (U+3000 included) and drops the ends.
    return " ".join(text.split())


def _key(text) -> str:
    # Labels are matched without any spaces: "中 队 长" is still 中队长.
    return normalize_text(text).replace(" ", "").lower()


POSITION_LABELS: dict[str, str] = {
    Position.SQUAD_LEADER: "中队长",
    Position.DEPUTY_SQUAD_LEADER: "副中队长",
    Position.INSTRUCTOR: "指导员",
    Position.LEGAL_OFFICER: "法制员",
    Position.ENFORCEMENT_OFFICER: "执法队员",
    Position.AUXILIARY: "协管员",
    Position.CLERK: "内勤",
}

POSITION_SYNONYMS: dict[str, str] = {
    **{label: code for code, label in POSITION_LABELS.items()},
    "队长": Position.SQUAD_LEADER,
    "中队队长": Position.SQUAD_LEADER,
    "中队长(主持工作)": Position.SQUAD_LEADER,
    "副队长": Position.DEPUTY_SQUAD_LEADER,
    "中队副队长": Position.DEPUTY_SQUAD_LEADER,
    "政治指导员": Position.INSTRUCTOR,
    "中队指导员": Position.INSTRUCTOR,
    "法制审核员": Position.LEGAL_OFFICER,
    "法制专员": Position.LEGAL_OFFICER,
    "法制员(兼)": Position.LEGAL_OFFICER,
    "队员": Position.ENFORCEMENT_OFFICER,
    "执法人员": Position.ENFORCEMENT_OFFICER,
    "执法员": Position.ENFORCEMENT_OFFICER,
    "城管队员": Position.ENFORCEMENT_OFFICER,
    "协管": Position.AUXILIARY,
    "辅助人员": Position.AUXILIARY,
    "执法辅助人员": Position.AUXILIARY,
    "辅警": Position.AUXILIARY,
    "协管人员": Position.AUXILIARY,
    "内勤人员": Position.CLERK,
    "文员": Position.CLERK,
    "综合内勤": Position.CLERK,
}

CATEGORY_LABELS: dict[str, str] = {Category.STAFF: "在编", Category.AUXILIARY: "协管"}

CATEGORY_SYNONYMS: dict[str, str] = {
    **{label: code for code, label in CATEGORY_LABELS.items()},
    "正式": Category.STAFF,
    "编内": Category.STAFF,
    "行政编": Category.STAFF,
    "行政编制": Category.STAFF,
    "事业编": Category.STAFF,
    "事业编制": Category.STAFF,
    "参公": Category.STAFF,
    "公务员": Category.STAFF,
    "在编人员": Category.STAFF,
    "辅助": Category.AUXILIARY,
    "编外": Category.AUXILIARY,
    "协管员": Category.AUXILIARY,
    "辅助人员": Category.AUXILIARY,
    "合同制": Category.AUXILIARY,
    "劳务派遣": Category.AUXILIARY,
    "协管人员": Category.AUXILIARY,
}

STATUS_LABELS: dict[str, str] = {PersonStatus.ON_DUTY: "在岗", PersonStatus.LEFT: "离岗"}

STATUS_SYNONYMS: dict[str, str] = {
    **{label: code for code, label in STATUS_LABELS.items()},
    "在职": PersonStatus.ON_DUTY,
    "正常": PersonStatus.ON_DUTY,
    "是": PersonStatus.ON_DUTY,
    "离职": PersonStatus.LEFT,
    "调离": PersonStatus.LEFT,
    "退休": PersonStatus.LEFT,
    "辞职": PersonStatus.LEFT,
    "否": PersonStatus.LEFT,
}

GENDER_SYNONYMS: dict[str, str] = {"男": Gender.MALE, "女": Gender.FEMALE, "m": Gender.MALE, "f": Gender.FEMALE}

# Positions whose established (在编) holders enforce the law and so must hold an enforcement certificate.
ENFORCEMENT_POSITIONS = frozenset(
    {
        Position.SQUAD_LEADER,
        Position.DEPUTY_SQUAD_LEADER,
        Position.INSTRUCTOR,
        Position.LEGAL_OFFICER,
        Position.ENFORCEMENT_OFFICER,
    }
)

# Plain str values (not enum members) so parsed codes compare, hash and serialise like the stored ones.
_POSITION_KEYS = {_key(k): str(v) for k, v in POSITION_SYNONYMS.items()} | {_key(c): c for c in Position.values}
_CATEGORY_KEYS = {_key(k): str(v) for k, v in CATEGORY_SYNONYMS.items()} | {_key(c): c for c in Category.values}
_STATUS_KEYS = {_key(k): str(v) for k, v in STATUS_SYNONYMS.items()} | {_key(c): c for c in PersonStatus.values}
_GENDER_KEYS = {_key(k): str(v) for k, v in GENDER_SYNONYMS.items()}


def parse_position(text) -> str | None:
    """A position code for a Chinese label or synonym (e.g. 队长 → squad_leader); None when unknown."""
    return _POSITION_KEYS.get(_key(text))


def parse_category(text) -> str | None:
    """A category code for 在编/协管 and their synonyms (正式, 行政编, 编外 …); None when unknown."""
    return _CATEGORY_KEYS.get(_key(text))


def parse_status(text) -> str | None:
    return _STATUS_KEYS.get(_key(text))


def parse_gender(text) -> str | None:
    return _GENDER_KEYS.get(_key(text))


def position_label(code: str) -> str:
    return POSITION_LABELS.get(code, code)


def category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code, code)


def status_label(code: str) -> str:
    return STATUS_LABELS.get(code, code)
