"""Build question workbooks for tests."""

import io

from openpyxl import Workbook

from question_bank.imports import rows as cols

HEADERS = cols.COLUMNS


def workbook_bytes(rows, headers=HEADERS, title_row=None, sheet="题目"):
    """rows: dicts header → value (missing headers are blank)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title_row:
        ws.append([title_row])
    ws.append(list(headers))
    for row in rows:
        ws.append([row.get(header, "") for header in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def single(**over):
    row = {"题型": "单选题", "题干": "城管执法中当场实施行政强制措施后应当在多少小时内报告？", "选项A": "12小时",
           "选项B": "24小时", "选项C": "48小时", "选项D": "72小时", "答案": "B", "知识点": "行政强制法/行政强制措施",
           "难度": 2, "分值": 2, "解析": "第十九条", "法条依据": "《行政强制法》第十九条"}
    row.update(over)
    return row
