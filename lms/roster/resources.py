"""The roster workbook's columns, widgets and validation, as a django-import-export Resource.

`RosterResource` is the single definition of the import template: canonical column names, header
variants, and one widget per column that turns a raw cell into a model value or raises ValueError with a
Chinese reason. The import service (services/imports.py) cleans every row through these fields; the
export command writes the same columns back.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from import_export import fields, resources, widgets

from .idcard import InvalidIdNumber, gender_code, validate_id_number
from .models import Person, PersonStatus
from .positions import (
    category_label,
    normalize_text,
    parse_category,
    parse_gender,
    parse_position,
    parse_status,
    position_label,
    status_label,
)

# Canonical column names of the template (DOMAIN.md) in template order.
COL_SEQ = "序号"
COL_NAME = "姓名"
COL_GENDER = "性别"
COL_ID = "身份证号"
COL_PHONE = "手机号"
COL_STREET = "所属街道"
COL_SQUAD = "所属中队"
COL_POSITION = "职务"
COL_CATEGORY = "人员类别"
COL_CERT = "执法证号"
COL_STATUS = "在岗状态"
COL_HIRE_DATE = "入职日期"

TEMPLATE_COLUMNS = [
    COL_SEQ, COL_NAME, COL_GENDER, COL_ID, COL_PHONE, COL_STREET, COL_SQUAD,
    COL_POSITION, COL_CATEGORY, COL_CERT, COL_STATUS, COL_HIRE_DATE,
]
REQUIRED_COLUMNS = (COL_NAME, COL_ID, COL_POSITION, COL_CATEGORY)

# Header spellings seen in HR workbooks, mapped to the canonical column.
HEADER_ALIASES: dict[str, str] = {
    **{col: col for col in TEMPLATE_COLUMNS},
    "编号": COL_SEQ,
    "序": COL_SEQ,
    "名字": COL_NAME,
    "人员姓名": COL_NAME,
    "身份证号码": COL_ID,
    "身份证": COL_ID,
    "证件号码": COL_ID,
    "证件号": COL_ID,
    "公民身份号码": COL_ID,
    "手机号码": COL_PHONE,
    "手机": COL_PHONE,
    "联系电话": COL_PHONE,
    "电话": COL_PHONE,
    "联系方式": COL_PHONE,
    "移动电话": COL_PHONE,
    "街道": COL_STREET,
    "街道办事处": COL_STREET,
    "所属街道办事处": COL_STREET,
    "街道办": COL_STREET,
    "中队": COL_SQUAD,
    "单位": COL_SQUAD,
    "所在单位": COL_SQUAD,
    "所在中队": COL_SQUAD,
    "工作单位": COL_SQUAD,
    "岗位": COL_POSITION,
    "职位": COL_POSITION,
    "类别": COL_CATEGORY,
    "人员性质": COL_CATEGORY,
    "身份类别": COL_CATEGORY,
    "编制类别": COL_CATEGORY,
    "编制": COL_CATEGORY,
    "执法证号码": COL_CERT,
    "执法证编号": COL_CERT,
    "执法证": COL_CERT,
    "执法证件号": COL_CERT,
    "状态": COL_STATUS,
    "在岗情况": COL_STATUS,
    "人员状态": COL_STATUS,
    "入职时间": COL_HIRE_DATE,
    "参加工作时间": COL_HIRE_DATE,
    "入队时间": COL_HIRE_DATE,
}

_HEADER_NOISE = re.compile(r"[\s*＊:：]|[(（][^)）]*[)）]")


def canonical_header(cell) -> str | None:
    """The template column a header cell names ("身份证号码(18位)*" → 身份证号), or None."""
    text = _HEADER_NOISE.sub("", normalize_text(cell))
    return HEADER_ALIASES.get(text)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and normalize_text(value) == "")


class TextWidget(widgets.CharWidget):
    """Normalised text: full-width folded, spaces (incl. U+3000) collapsed, trimmed; numbers without '.0'."""

    def __init__(self, *, required: bool = False, max_length: int | None = None, label: str = ""):
        super().__init__(coerce_to_string=True, allow_blank=True)
        self.required = required
        self.max_length = max_length
        self.label = label

    def to_text(self, value) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return normalize_text(value)

    def clean(self, value, row=None, **kwargs):
        text = self.to_text(value)
        if not text and self.required:
            raise ValueError(_("This column is required."))
        if self.max_length and len(text) > self.max_length:
            raise ValueError(_("Too long: at most %(n)d characters.") % {"n": self.max_length})
        return text


class NameWidget(TextWidget):
    _CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff·]) (?=[\u4e00-\u9fff·])")

    def clean(self, value, row=None, **kwargs):
        # "张　三": HR pads two-character names with a full-width space to align columns.
        return self._CJK_GAP.sub("", super().clean(value, row, **kwargs))


class IdNumberWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float) and not isinstance(value, bool):
            # Excel keeps 15 significant digits: an 18-digit number typed into a number cell has
            # already lost its last digits, so it cannot be repaired here.
            raise ValueError(
                _(
                    "The ID number was stored by Excel as a number, so its last digits are lost. Format the "
                    "column as Text (设置单元格格式 → 文本), type the numbers again (or prefix them with an "
                    "apostrophe ') and upload again."
                )
            )
        text = self.to_text(value).replace(" ", "")
        if not text:
            raise ValueError(_("This column is required."))
        if re.fullmatch(r"\d(\.\d+)?[eE]\+?\d+", text):
            raise ValueError(
                _("The ID number is in scientific notation (%(text)s): Excel stored it as a number. Format the column as Text, type the numbers again and upload again.")
                % {"text": text}
            )
        try:
            return validate_id_number(text)
        except InvalidIdNumber as exc:
            raise ValueError(str(exc)) from exc


class PhoneWidget(TextWidget):
    _MOBILE = re.compile(r"1[3-9]\d{9}")

    def clean(self, value, row=None, **kwargs):
        text = re.sub(r"[\s\-]", "", self.to_text(value))
        if text.startswith("+86"):
            text = text[3:]
        if not text:
            return ""
        if not self._MOBILE.fullmatch(text):
            raise ValueError(_("Not a mainland mobile number (11 digits starting with 1)."))
        return text


class ChoiceWidget(TextWidget):
    """A value from a controlled list, given by any of its Chinese labels or synonyms."""

    def __init__(self, *, parser, label_of, choices_hint: str, required: bool = True, default: str = ""):
        super().__init__(required=required)
        self.parser = parser
        self.label_of = label_of
        self.choices_hint = choices_hint
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = self.to_text(value)
        if not text:
            if self.required:
                raise ValueError(_("This column is required."))
            return self.default
        code = self.parser(text)
        if code is None:
            raise ValueError(_("Unknown value; use one of: %(choices)s.") % {"choices": self.choices_hint})
        return code

    def render(self, value, obj=None, **kwargs):
        return self.label_of(value) if value else ""


class RosterDateWidget(widgets.DateWidget):
    _FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d", "%Y-%m", "%Y/%m", "%Y.%m", "%Y年%m月")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = normalize_text(value).replace(" ", "")
        if not text:
            return None
        for fmt in self._FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("Not a date; write it like 2020-03-01."))

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class RosterResource(resources.ModelResource):
    """One roster row ↔ one Person. `id_number` is the identity key."""

    name = fields.Field(attribute="name", column_name=COL_NAME, widget=NameWidget(required=True, max_length=50))
    gender = fields.Field(
        attribute="gender",
        column_name=COL_GENDER,
        widget=ChoiceWidget(
            parser=parse_gender, label_of=lambda c: {"M": "男", "F": "女"}.get(c, ""), choices_hint="男、女",
            required=False,
        ),
    )
    id_number = fields.Field(attribute="id_number", column_name=COL_ID, widget=IdNumberWidget())
    phone = fields.Field(attribute="phone", column_name=COL_PHONE, widget=PhoneWidget())
    street = fields.Field(attribute="squad__parent__name", column_name=COL_STREET, widget=TextWidget(max_length=100), readonly=True)
    squad = fields.Field(attribute="squad__name", column_name=COL_SQUAD, widget=TextWidget(max_length=100), readonly=True)
    position = fields.Field(
        attribute="position",
        column_name=COL_POSITION,
        widget=ChoiceWidget(
            parser=parse_position, label_of=position_label,
            choices_hint="中队长、副中队长、指导员、法制员、执法队员、协管员、内勤",
        ),
    )
    category = fields.Field(
        attribute="category",
        column_name=COL_CATEGORY,
        widget=ChoiceWidget(parser=parse_category, label_of=category_label, choices_hint="在编、协管"),
    )
    cert_number = fields.Field(
        attribute="cert_number", column_name=COL_CERT, widget=TextWidget(max_length=32)
    )
    status = fields.Field(
        attribute="status",
        column_name=COL_STATUS,
        widget=ChoiceWidget(
            parser=parse_status, label_of=status_label, choices_hint="在岗、离岗", required=False,
            default=PersonStatus.ON_DUTY,
        ),
    )
    hire_date = fields.Field(attribute="hire_date", column_name=COL_HIRE_DATE, widget=RosterDateWidget())

    class Meta:
        model = Person
        import_id_fields = ("id_number",)
        fields = (
            "name", "gender", "id_number", "phone", "street", "squad", "position", "category",
            "cert_number", "status", "hire_date",
        )
        export_order = fields
        skip_unchanged = True
        use_bulk = True
        clean_model_instances = True

    # Columns with few distinct values: each distinct cell is cleaned once per import (large files repeat
    # the same squad, position and category tens of thousands of times).
    REPEATING_COLUMNS = frozenset({COL_GENDER, COL_STREET, COL_SQUAD, COL_POSITION, COL_CATEGORY, COL_STATUS})

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._caches: dict[str, dict] = {column: {} for column in self.REPEATING_COLUMNS}

    def clean_row(self, row: dict) -> tuple[dict, dict[str, str]]:
        """Clean one row ({canonical column: raw cell}) → (values by attribute, {column: error reason})."""
        return self.row_cleaner(row)(row)

    def row_cleaner(self, columns) -> Callable[[dict], tuple[dict, dict[str, str]]]:
        """`clean_row` for many rows with the same columns (one sheet): the field lookup is done once."""
        plan = [
            (key, field.column_name, field.widget.clean, self._caches.get(field.column_name))
            for key, field in self.fields.items()
            if field.column_name in columns
        ]

        def clean_row(row: dict) -> tuple[dict, dict[str, str]]:
            return self._clean(plan, row)

        return clean_row

    def _clean(self, plan: list[tuple], row: dict) -> tuple[dict, dict[str, str]]:
        values: dict = {}
        problems: dict[str, str] = {}
        for key, column, clean, cache in plan:
            value = row[column]
            if cache is not None:
                outcome = cache.get(value)
                if outcome is None:
                    try:
                        outcome = cache[value] = (True, clean(value, row=row))
                    except ValueError as exc:
                        outcome = cache[value] = (False, str(exc))
                if outcome[0]:
                    values[key] = outcome[1]
                else:
                    problems[column] = outcome[1]
                continue
            try:
                values[key] = clean(value, row=row)
            except ValueError as exc:
                problems[column] = str(exc)
        if "id_number" in values and not problems.get(COL_GENDER):
            from_id = gender_code(values["id_number"])
            if values.get("gender") and values["gender"] != from_id:
                problems[COL_GENDER] = _("Does not match the gender encoded in the ID number.")
            values["gender"] = from_id
        if values.get("status") is None:
            values["status"] = PersonStatus.ON_DUTY
        return values, problems
