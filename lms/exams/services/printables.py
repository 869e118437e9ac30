"""Printable PDFs: admission tickets (准考证), a sign-in sheet per venue, each candidate's paper headed with
his name, ticket number and seat, and an answer sheet; the answer key is a separate file for trainers.

Drawn straight on a reportlab canvas with our own CJK line breaking, and each question's wrapped lines
cached per (version, option order): 500 papers of 50 questions print in seconds, not minutes.
"""

from __future__ import annotations

from collections import defaultdict
from typing import IO

from django.utils.translation import gettext as _

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from lms.core.pdf import cjk_font_name
from lms.core.timefmt import format_range
from question_bank.models import QuestionType, QuestionVersion

from ..models import Candidate, ExamSession, Paper, PaperQuestion
from .sessions import active_candidates

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
BODY_SIZE = 10.5
LEADING = 15
LETTERS = "ABCDEFGHIJ"
CHINESE_NUMERALS = "一二三四五六七八九十"


class _Writer:
    def __init__(self, out: IO[bytes], title: str):
        self.font = cjk_font_name()
        self.canvas = Canvas(out, pagesize=A4, pageCompression=1)
        self.canvas.setTitle(title)
        self.widths: dict[tuple[str, float], float] = {}
        self.pages = 0
        self.y = PAGE_H - MARGIN
        self.page_open = False

    # text measuring and wrapping -------------------------------------------------------------
    def width(self, text: str, size: float) -> float:
        total = 0.0
        for ch in text:
            w = self.widths.get((ch, size))
            if w is None:
                w = self.widths[(ch, size)] = stringWidth(ch, self.font, size)
            total += w
        return total

    def wrap(self, text: str, size: float, width: float, indent: float = 0) -> list[str]:
        lines = []
        for paragraph in (text or "").splitlines() or [""]:
            line, used, limit = "", 0.0, width
            for ch in paragraph:
                w = self.widths.get((ch, size))
                if w is None:
                    w = self.widths[(ch, size)] = stringWidth(ch, self.font, size)
                if used + w > limit and line:
                    lines.append(line)
                    line, used, limit = "", 0.0, width - indent
                line += ch
                used += w
            lines.append(line)
        return lines

    # pages -------------------------------------------------------------------------------------
    def new_page(self):
        if self.page_open:
            self.canvas.showPage()
        self.pages += 1
        self.page_open = True
        self.y = PAGE_H - MARGIN

    def text(self, x: float, y: float, text: str, size: float = BODY_SIZE):
        self.canvas.setFont(self.font, size)
        self.canvas.drawString(x, y, text)

    def centred(self, y: float, text: str, size: float):
        self.canvas.setFont(self.font, size)
        self.canvas.drawCentredString(PAGE_W / 2, y, text)

    def lines(self, lines: list[str], *, x: float = MARGIN, size: float = BODY_SIZE, keep: int = 1,
              on_break=None):
        if self.y - LEADING * min(keep, len(lines)) < MARGIN:
            self.new_page()
            if on_break:
                on_break()
        for line in lines:
            if self.y - LEADING < MARGIN:
                self.new_page()
                if on_break:
                    on_break()
            self.y -= LEADING
            self.text(x, self.y, line, size)

    def row(self, cells: list[str], step: float, *, size: float = BODY_SIZE):
        """One line of cells in columns `step` apart."""
        if self.y - LEADING < MARGIN:
            self.new_page()
        self.y -= LEADING
        self.canvas.setFont(self.font, size)
        for index, text in enumerate(cells):
            self.canvas.drawString(MARGIN + index * step, self.y, text)

    def finish(self):
        if self.page_open:
            self.canvas.showPage()
        self.canvas.save()


def _number(value) -> str:
    """2.0 → "2", 1.5 → "1.5": points as people write them."""
    return f"{value.normalize():f}" if hasattr(value, "normalize") else f"{value:g}"


def _window(session: ExamSession) -> str:
    return format_range(session.starts_at, session.ends_at)


def _candidates(session: ExamSession) -> list[Candidate]:
    return list(active_candidates(session).exclude(attendance="excused").select_related("venue")
                .order_by("venue__sort_order", "seat", "ticket_number"))


def _admission_tickets(w: _Writer, session: ExamSession, candidates: list[Candidate], squads: dict[int, str]):
    half = (PAGE_H - 2 * MARGIN) / 2
    for index, c in enumerate(candidates):
        if index % 2 == 0:
            w.new_page()
        top = PAGE_H - MARGIN - (index % 2) * half
        w.canvas.setLineWidth(1)
        w.canvas.rect(MARGIN, top - half + 6 * mm, PAGE_W - 2 * MARGIN, half - 10 * mm)
        w.centred(top - 14 * mm, _("Admission ticket"), 18)
        w.centred(top - 22 * mm, session.title, 12)
        rows = [
            (_("Name"), c.name),
            (_("ID-card number"), c.masked_id_number),
            (_("Ticket number"), c.ticket_number),
            (_("Unit"), squads.get(c.squad_id, c.squad_code)),
            (_("Venue"), f"{c.venue.name} {c.venue.address}".strip() if c.venue else _("to be announced")),
            (_("Seat"), str(c.seat) if c.seat else _("to be announced")),
            (_("Time"), f"{_window(session)}（" + _("%(minutes)s minutes") % {"minutes": session.duration_minutes} + "）"),
        ]
        y = top - 36 * mm
        for label, value in rows:
            w.text(MARGIN + 14 * mm, y, f"{label}：", 12)
            w.text(MARGIN + 48 * mm, y, value, 12)
            y -= 9 * mm
        w.text(MARGIN + 14 * mm, y - 2 * mm, _("Bring this ticket and your ID card; arrive 15 minutes early."), 9)


def _sign_in_sheets(w: _Writer, session: ExamSession, candidates: list[Candidate], squads: dict[int, str]):
    by_venue = defaultdict(list)
    for c in candidates:
        by_venue[c.venue.name if c.venue else _("No venue yet")].append(c)
    columns = [(_("Seat"), 0), (_("Ticket number"), 16 * mm), (_("Name"), 62 * mm), (_("Unit"), 90 * mm),
               (_("Signature"), 140 * mm)]
    row_h = 8.5 * mm

    def header(venue):
        w.centred(w.y - 8 * mm, _("Sign-in sheet"), 16)
        w.centred(w.y - 15 * mm, f"{session.title} · {venue}", 11)
        w.y -= 24 * mm
        for label, x in columns:
            w.text(MARGIN + x + 1 * mm, w.y + 2.5 * mm, label, 10)
        w.canvas.line(MARGIN, w.y, PAGE_W - MARGIN, w.y)

    for venue, people in by_venue.items():
        w.new_page()
        header(venue)
        for c in people:
            if w.y - row_h < MARGIN:
                w.new_page()
                header(venue)
            w.y -= row_h
            values = [str(c.seat or ""), c.ticket_number, c.name, squads.get(c.squad_id, c.squad_code)[:14], ""]
            for (_label, x), value in zip(columns, values, strict=True):
                w.text(MARGIN + x + 1 * mm, w.y + 2.5 * mm, value, 10)
            w.canvas.line(MARGIN, w.y, PAGE_W - MARGIN, w.y)


def _question_lines(w: _Writer, cache: dict, number: int, q: PaperQuestion, version) -> list[str]:
    key = (q.version_id, tuple(q.option_order))
    body = cache.get(key)
    if body is None:
        width = PAGE_W - 2 * MARGIN
        suffix = "（   ）" if q.question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE,
                                                QuestionType.TRUE_FALSE) else ""
        # Most stems already carry their answer brackets; add them only where the stem has none.
        body = [version.stem + ("" if "（" in version.stem or "(" in version.stem else suffix)]
        options = version.options if isinstance(version.options, list) else []
        order = q.option_order or list(range(len(options)))
        body += [f"{LETTERS[i]}. {options[original]}" for i, original in enumerate(order) if original < len(options)]
        if q.question.type == QuestionType.ESSAY:
            body += ["", "", "", ""]
        cache[key] = body = (body, width)
    paragraphs, width = body
    lines = w.wrap(f"{number}. {paragraphs[0]}", BODY_SIZE, width, indent=0)
    for option in paragraphs[1:]:
        lines += w.wrap(f"    {option}", BODY_SIZE, width, indent=12)
    return lines


def _section_titles(session: ExamSession) -> list[str]:
    titles = []
    for index, section in enumerate(session.blueprint.sections.all()):
        label = section.title or section.get_question_type_display()
        titles.append(
            _("%(numeral)s. %(label)s (%(count)d questions, %(points)s points each)")
            % {"numeral": CHINESE_NUMERALS[index % 10], "label": label, "count": section.count,
               "points": _number(section.points)}
        )
    return titles


def _paper(w: _Writer, session: ExamSession, c: Candidate, questions: list[PaperQuestion], versions, titles, cache):
    heading = f"{session.title}"
    who = _("Name: %(name)s   Ticket: %(ticket)s   Venue: %(venue)s   Seat: %(seat)s") % {
        "name": c.name, "ticket": c.ticket_number, "venue": c.venue.name if c.venue else "-", "seat": c.seat or "-"}

    def running_head():
        w.text(MARGIN, PAGE_H - MARGIN + 4 * mm, f"{heading} · {c.name} · {c.ticket_number}", 8)

    w.new_page()
    w.centred(w.y - 6 * mm, heading, 16)
    w.y -= 14 * mm
    w.centred(w.y, who, 10.5)
    total = sum(q.points for q in questions)
    w.y -= 6 * mm
    w.centred(w.y, _("Total %(total)s points, %(minutes)d minutes") % {"total": _number(total),
                                                                          "minutes": session.duration_minutes}, 10)
    w.y -= 4 * mm
    current = None
    for number, q in enumerate(questions, start=1):
        if q.section != current:
            current = q.section
            title = titles[q.section] if q.section < len(titles) else ""
            w.y -= 4
            w.lines([title], size=11.5, keep=3, on_break=running_head)
        w.lines(_question_lines(w, cache, number, q, versions[q.version_id]), keep=2, on_break=running_head)
    _answer_sheet(w, session, c, questions)


def _answer_sheet(w: _Writer, session: ExamSession, c: Candidate, questions: list[PaperQuestion]):
    w.new_page()
    w.centred(w.y - 6 * mm, _("Answer sheet"), 16)
    w.y -= 14 * mm
    w.centred(w.y, f"{session.title} · {c.name} · {c.ticket_number} · {_('Seat')} {c.seat or '-'}", 10.5)
    w.y -= 10 * mm
    per_row, box_w, box_h = 5, (PAGE_W - 2 * MARGIN) / 5, 9 * mm
    for index, _q in enumerate(questions):
        col = index % per_row
        if col == 0:
            if w.y - box_h < MARGIN:
                w.new_page()
            w.y -= box_h
        x = MARGIN + col * box_w
        w.canvas.rect(x, w.y, box_w, box_h)
        w.text(x + 1.5 * mm, w.y + 3 * mm, f"{index + 1}.", 9)


def _papers(session: ExamSession, candidates: list[Candidate]):
    """(candidate, ordered questions) for every candidate with a paper, in two queries."""
    papers = {p.candidate_id: p for p in Paper.objects.filter(session=session, candidate__in=candidates)}
    questions = defaultdict(list)
    for q in (PaperQuestion.objects.filter(paper__in=papers.values()).select_related("question")
              .only("paper_id", "position", "section", "version_id", "points", "option_order", "question__type")
              .order_by("paper_id", "position")):
        questions[q.paper_id].append(q)
    version_ids = {q.version_id for qs in questions.values() for q in qs}
    versions = QuestionVersion.objects.in_bulk(version_ids)
    return [(c, questions[papers[c.pk].pk]) for c in candidates if c.pk in papers], versions


def write_printables(*, session: ExamSession, out: IO[bytes]) -> int:
    """Tickets, sign-in sheets, then each paper with its answer sheet; returns the number of pages."""
    from lms.roster.models import OrgUnit

    squads = dict(OrgUnit.objects.values_list("id", "name"))
    candidates = _candidates(session)
    w = _Writer(out, f"{session.title} {session.code}")
    _admission_tickets(w, session, candidates, squads)
    _sign_in_sheets(w, session, candidates, squads)
    titles = _section_titles(session)
    with_papers, versions = _papers(session, candidates)
    cache: dict = {}
    for candidate, questions in with_papers:
        _paper(w, session, candidate, questions, versions, titles, cache)
    if not w.page_open:
        w.new_page()
        w.centred(PAGE_H / 2, _("No candidates yet."), 14)
    w.finish()
    return w.pages


def answer_text(q: PaperQuestion, version) -> str:
    """The correct answer as the candidate's paper shows it (letters after the option permutation)."""
    answer = version.answer if isinstance(version.answer, list) else []
    qtype = q.question.type
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        order = q.option_order or list(range(len(version.options or [])))
        shown = sorted(order.index(LETTERS.index(a)) for a in answer if a in LETTERS and LETTERS.index(a) in order)
        return "".join(LETTERS[i] for i in shown)
    if qtype == QuestionType.TRUE_FALSE:
        return _("True") if answer and answer[0] is True else _("False")
    if qtype == QuestionType.FILL_BLANK:
        return "；".join("/".join(map(str, alts)) if isinstance(alts, list) else str(alts) for alts in answer)
    return (version.reference_answer or "")[:60]


def _answer_items(w: _Writer, items: list[str]) -> None:
    """The items of one paper in aligned columns, never broken inside "number.answer": text wrapped as a
    paragraph split "16.错误 17.正确" into "16.错误 1⏎7.正确", which a marker reads as question 7.

    Short answers (letters, 正确/错误) share rows of equal cells; a long one (fill-in alternatives, a
    reference answer) gets its own line, wrapped with its continuation indented under the answer."""
    available = PAGE_W - 2 * MARGIN
    widths = [w.width(item, BODY_SIZE) for item in items]
    short_limit = available / 4
    widest = max((width for width in widths if width <= short_limit), default=0)
    # Rows of 10 (1–10, 11–20 …) are quickest to check against a sheet, then rows of 5.
    per_row = max(1, int(available // (widest + 2 * mm)))
    if per_row >= 5:
        per_row -= per_row % (10 if per_row >= 10 else 5)
    step = available / per_row if per_row > 1 else available
    row: list[str] = []
    for item, width in zip(items, widths, strict=True):
        if width <= short_limit:
            row.append(item)
            if len(row) == per_row:
                w.row(row, step)
                row = []
            continue
        if row:
            w.row(row, step)
            row = []
        indent = w.width(item.split(".", 1)[0] + ".", BODY_SIZE)
        lines = w.wrap(item, BODY_SIZE, available, indent=indent)
        w.lines(lines[:1], keep=len(lines))
        if lines[1:]:
            w.lines(lines[1:], x=MARGIN + indent)
    if row:
        w.row(row, step)


def write_answer_key(*, session: ExamSession, out: IO[bytes]) -> int:
    """One block per distinct paper (per variant in shared and A/B modes). Trainers only."""
    candidates = _candidates(session)
    with_papers, versions = _papers(session, candidates)
    w = _Writer(out, f"{session.title} {session.code} answer key")
    w.new_page()
    w.centred(w.y - 6 * mm, _("Answer key — confidential"), 16)
    w.y -= 12 * mm
    done = set()
    by_ticket = {}
    for c, questions in with_papers:
        signature = tuple((q.version_id, tuple(q.option_order)) for q in questions)
        if signature in done:
            by_ticket[signature].append(c.ticket_number)
            continue
        done.add(signature)
        by_ticket[signature] = [c.ticket_number]
        answers = [f"{n}.{answer_text(q, versions[q.version_id])}" for n, q in enumerate(questions, start=1)]
        w.lines([f"{c.ticket_number} {c.name}"], size=11, keep=3)
        _answer_items(w, answers)
        w.y -= 6
    w.finish()
    return w.pages
