"""In-memory roster workbooks shaped like the ones HR really sends, and valid ID numbers for them."""

from __future__ import annotations

import datetime
import io

from openpyxl import Workbook

from lms.roster.idcard import make_id_number

HEADER = ["序号", "姓名", "性别", "身份证号", "手机号", "所属街道", "所属中队", "职务", "人员类别", "执法证号", "在岗状态"]


def id_number(n: int, *, male: bool = True) -> str:
    # Unique for any n below millions, and every birth date lies in the past.
    born = datetime.date(1970, 1, 1) + datetime.timedelta(days=n % 12000)
    seq = ((n // 12000) * 2 + (1 if male else 0)) % 1000
    return make_id_number(region="110101", born=born, sequence=seq)


def person_row(n: int, *, street="东城街道", squad="东城一中队", position="执法队员", category="在编", name=None,
               phone=None, cert=None, status="在岗", male=True) -> list:
    return [
        n,
        name or f"队员{n}",
        "男" if male else "女",
        id_number(n, male=male),
        phone if phone is not None else f"139{n:08d}",
        street,
        squad,
        position,
        category,
        cert if cert is not None else (f"ZF{n:06d}" if category == "在编" else ""),
        status,
    ]


def workbook_bytes(sheets: dict[str, list[list]]) -> io.BytesIO:
    """{sheet title: rows} → an .xlsx in memory. Rows may include title rows above the header."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def simple_roster(rows: list[list], header=HEADER, title="花名册") -> io.BytesIO:
    return workbook_bytes({title: [header, *rows]})
