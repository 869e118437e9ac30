"""The printable score slip (成绩单) of one officer's released result: one A4 page, Chinese font embedded
where the machine has one (lms.core.pdf). It carries the officer's own figures only, never a rank."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import IO

from django.utils import timezone

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from lms.core.pdf import cjk_font_name

from ..models import AttemptStatus, Candidate

SECTION_NAMES = {"single": "单项选择题", "multiple": "多项选择题", "true_false": "判断题", "fill_blank": "填空题",
                 "essay": "简答/案例分析题"}


def write_score_slip(*, candidate: Candidate, out: IO[bytes]) -> None:
    session = candidate.session
    attempt = getattr(candidate, "attempt", None)
    font = cjk_font_name()
    width, height = A4
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle(f"成绩单 {session.code} {candidate.ticket_number}")
    y = height - 30 * mm
    canvas.setFont(font, 18)
    canvas.drawCentredString(width / 2, y, "成 绩 单")
    y -= 10 * mm
    canvas.setFont(font, 12)
    canvas.drawCentredString(width / 2, y, session.title)
    y -= 14 * mm
    absent = attempt is None or attempt.status == AttemptStatus.ABSENT
    lines = [
        ("姓名", candidate.name), ("准考证号", candidate.ticket_number), ("单位", candidate.squad.name),
        ("职务", candidate.get_position_display()),
        ("考试时间", timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")),
        ("及格分", f"{session.pass_mark}"),
    ]
    if candidate.attendance == "excused" and attempt is None:
        lines.append(("成绩", "免考"))
    elif absent:
        lines.append(("成绩", "缺考"))
    else:
        lines += [("总分", f"{attempt.score}"), ("结果", "及格" if attempt.passed else "不及格")]
    for label, value in lines:
        canvas.setFont(font, 11)
        canvas.drawString(30 * mm, y, f"{label}：")
        canvas.drawString(60 * mm, y, str(value))
        y -= 8 * mm
    if not absent:
        sections: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal("0"), Decimal("0")])
        for qtype, points, score in attempt.responses.values_list("paper_question__question__type",
                                                                  "paper_question__points", "score"):
            sections[qtype][0] += score or Decimal("0")
            sections[qtype][1] += points
        y -= 4 * mm
        canvas.setFont(font, 12)
        canvas.drawString(30 * mm, y, "各题型得分")
        y -= 8 * mm
        canvas.setFont(font, 11)
        for qtype in SECTION_NAMES:
            if qtype in sections:
                got, out_of = sections[qtype]
                canvas.drawString(34 * mm, y, f"{SECTION_NAMES[qtype]}：{got} / {out_of}")
                y -= 7 * mm
    if session.makeup_of_id:
        y -= 4 * mm
        canvas.drawString(30 * mm, y, f"本场为 {session.makeup_of.code} 的补考，两次成绩取较高者认定。")
    canvas.setFont(font, 9)
    canvas.drawString(30 * mm, 20 * mm, f"打印时间：{timezone.localtime().strftime('%Y-%m-%d %H:%M')}  ·  本成绩单仅供本人留存")
    canvas.showPage()
    canvas.save()
