"""Reading and writing the question workbook.

Reading uses python-calamine (an order of magnitude faster than openpyxl on large files); writing uses
openpyxl's write-only mode with every cell passed through `safe_cell`. Exports are byte-for-byte
deterministic (fixed document dates and zip timestamps), so exporting the same bank twice gives the
same file and a diff shows only real changes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from django.utils.translation import gettext as _

from openpyxl import Workbook
from python_calamine import CalamineError, CalamineWorkbook

from lms.core.spreadsheets import FORMULA_PREFIXES, ImportReport, damaged_file_message, safe_cell

from . import rows as cols
from .rows import QuestionRow, cell_text, row_from_cells

SHEET_NAME = "题目"
HELP_SHEET_NAME = "填写说明"
HEADER_SEARCH_ROWS = 10
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
FIXED_DATE = datetime(2000, 1, 1)  # noqa: DTZ001 - a constant document date keeps exports reproducible


def _unescape(text: str) -> str:
    # `safe_cell` protects exported text with a leading apostrophe; take it off again on the way in.
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def _header_map(row: list) -> dict[int, str]:
    mapping = {}
    for index, value in enumerate(row):
        text = cell_text(value).replace(" ", "").replace("\u3000", "").replace("*", "").replace("＊", "")
        column = text if text in cols.COLUMNS else cols.HEADER_ALIASES.get(text)
        if column and column not in mapping.values():
            mapping[index] = column
    return mapping


def read_workbook(data: bytes, report: ImportReport, *, filename: str = "") -> list[QuestionRow]:
    """Every question row of every sheet that has a question header; problems go into `report`.

    The header may sit below a merged title row; blank rows are skipped; sheets without a header (such
    as the template's instructions) are ignored.
    """
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for damaged files
        report.error(_("The workbook cannot be read: %(error)s") % {"error": exc})
        return []
    items: list[QuestionRow] = []
    found_header = False
    for sheet_name in workbook.sheet_names:
        try:
            grid = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except (CalamineError, OSError):
            # The workbook opened but a sheet cannot be read to its end (cut-off XML, bad checksum, a part
            # larger than declared): report only that, not errors of a file the user does not have.
            report.errors.clear()
            report.error(damaged_file_message(filename))
            return []
        header_index, mapping = None, {}
        for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
            candidate = _header_map(row)
            if cols.STEM in candidate.values() and cols.TYPE in candidate.values():
                header_index, mapping = index, candidate
                break
        if header_index is None:
            continue
        found_header = True
        missing = [column for column in cols.REQUIRED_COLUMNS if column not in mapping.values()]
        if missing:
            report.error(
                _("The header lacks the column(s) %(columns)s.") % {"columns": "、".join(missing)},
                sheet=sheet_name, row=header_index + 1,
            )
            continue
        for index in range(header_index + 1, len(grid)):
            values = grid[index]
            cells = {column: _unescape(cell_text(values[i])) for i, column in mapping.items() if i < len(values)}
            if not any(cells.values()):
                continue
            items.append(row_from_cells(cells, sheet=sheet_name, row=index + 1))
    if not found_header:
        report.error(
            _("No sheet has a question header; the first rows must name the columns 题型 and 题干 (download the template).")
        )
    return items


def _deterministic_zip(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the save time into "modified" whatever we set; pin it to the fixed date.
                content = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            target.writestr(fixed, content)
    return output.getvalue()


def write_workbook(headers: list[str], rows, *, with_help: bool = False) -> bytes:
    """A workbook of the question sheet (headers + rows), optionally with a sheet of instructions."""
    workbook = Workbook(write_only=True)
    workbook.properties.created = FIXED_DATE
    workbook.properties.modified = FIXED_DATE
    workbook.properties.creator = "question_bank"
    sheet = workbook.create_sheet(SHEET_NAME)
    sheet.freeze_panes = "A2"
    widths = {cols.STEM: 60, cols.EXPLANATION: 40, cols.KNOWLEDGE_POINT: 28, cols.LEGAL_BASIS: 28,
              cols.REFERENCE: 40, cols.MARKING: 30}
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[_column_letter(index)].width = widths.get(header, 12)
    sheet.append(headers)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    if with_help:
        help_sheet = workbook.create_sheet(HELP_SHEET_NAME)
        help_sheet.column_dimensions["A"].width = 110
        for line in template_help_lines():
            help_sheet.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _deterministic_zip(buffer.getvalue())


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def template_help_lines() -> list[str]:
    """The instructions sheet of the template (Chinese: it describes a Chinese data format)."""
    return [
        "题库导入模板填写说明",
        "每行一道题；表头必须保留。带 * 的为必填列：题型*、题干*、答案*、知识点*。",
        "题目编号：留空则自动编号；填写已有编号时更新该题（题目被试卷使用过时自动生成新版本，旧试卷不受影响）。",
        "题型：单选题、多选题、判断题、填空题、简答题（或 案例分析题）。",
        "选项A～选项H：单选、多选题从 A 开始连续填写，至少两项；其他题型留空。",
        "答案：单选填字母，如 B；多选如 ABD、A,B,D 或 A、B、D（全角字母也可）；判断题填 正确/错误、对/错、√/× 或 T/F；",
        "      填空题每空的可接受答案用 | 或 ; 分隔，多个空之间用 # 分隔，如：24小时|二十四小时#负责人；简答题留空，填写参考答案。",
        "难度：1～5 或 易、较易、中、较难、难，留空为 3。分值：留空为 2。",
        "知识点：用 / 分隔的路径，如 行政强制法/行政强制措施；也可填知识点编码；不存在的知识点会在导入时新建（预览中提示）。",
        "评分要点：简答题每行一个要点。状态：草稿、启用 或 停用，留空时新题为草稿、已有题不变。",
        "用途：练习和考试（也可写 通用）或 仅用于考试（也可写 考试专用）；仅用于考试的题目不会出现在练习和模拟考试中。"
        "留空时新题为练习和考试、已有题不变。",
        "互斥组：考查同一事实的题目填写同一个题组编号（如 HC-QZ06），同一份试卷最多抽到组内一题；一格只填一个编号，"
        "同一题组各行写法必须一致；留空表示不属于任何题组。",
        "有任何错误时整个文件都不会导入；请按提示的工作表、行、列改正后重新上传。",
    ]


def export_workbook(queryset=None) -> bytes:
    """The bank (or `queryset`) in the template's layout, ordered by code; re-importable unchanged."""
    from question_bank.resources import QuestionResource

    resource = QuestionResource()
    if queryset is None:
        queryset = resource.get_queryset()
    dataset = resource.export(queryset.order_by("code"))
    return write_workbook(list(dataset.headers), dataset)


def template_workbook() -> bytes:
    """An empty question sheet with the headers, and a sheet of instructions."""
    from question_bank.resources import QuestionResource

    return write_workbook(QuestionResource().get_export_headers(), [], with_help=True)
