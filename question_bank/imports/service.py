"""The one question import: Excel, GIFT or Moodle XML in, a report out; the admin screen, the command
and the benchmark all call `import_questions`.

Everything is read and checked first; if anything is wrong nothing is written (all-or-nothing), and a
dry run stops just before writing. New questions are written in bulk inside one transaction; changed
ones go through `update_question`, so a question used in a paper gets a new version.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.core import audit
from lms.core.spreadsheets import ImportReport, UploadRejected, check_upload
from question_bank.duplicates import NearDuplicateIndex, bank_exact_index, bank_index, exact_key
from question_bank.item_checks import Item, check_item
from question_bank.models import KnowledgePoint, Question, QuestionStatus, QuestionVersion
from question_bank.search import search_text_for
from question_bank.services.bulk import insert_rows
from question_bank.services.questions import (
    TRANSITIONS,
    content_of,
    next_codes,
    normalised_content,
    set_status,
    update_question,
)
from question_bank.services.validation import validate_content

from . import rows as cols
from .rows import QuestionRow

XLSX, GIFT, MOODLE_XML = "xlsx", "gift", "moodle_xml"
FORMAT_LABELS = {XLSX: "Excel", GIFT: "GIFT", MOODLE_XML: "Moodle XML"}
_QUERY_CHUNK = 900  # stays under SQLite's limit on query parameters
UNCATEGORISED = "未分类"


@dataclass
class RowOutcome:
    """One question of the file as the preview shows it."""

    location: str
    code: str
    type: str
    stem: str
    action: str  # create, update, unchanged, error
    messages: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)  # item-writing warnings (命题规范检查)
    group: str | None = None  # the 互斥组 cell, when the file has that column


@dataclass
class QuestionImportReport(ImportReport):
    format: str = ""
    rows: list[RowOutcome] = field(default_factory=list)
    new_knowledge_points: list[str] = field(default_factory=list)
    # Questions of the file already in the bank (by code, or by identical content for rows without a
    # code): a re-upload updates them instead of adding them again.
    matched_existing: int = 0
    check_warnings: int = 0  # rows with item-writing warnings
    group_changes: int = 0  # questions whose exclusion group the import changes

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, "")


def detect_format(data: bytes) -> str | None:
    """Excel, Moodle XML or GIFT, by the content (not the name) of the file."""
    if data.startswith(b"PK\x03\x04"):
        return XLSX
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<?xml") or head.startswith(b"<quiz"):
        return MOODLE_XML
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if re.search(r"\{[^{}]*\}", text) or "$CATEGORY:" in text:
        return GIFT
    return None


def parse_file(data: bytes, report: QuestionImportReport, *, filename: str = "") -> list[QuestionRow]:
    fmt = detect_format(data)
    report.format = fmt or ""
    if fmt is None:
        report.error(_("The file is neither an Excel workbook (.xlsx), a Moodle XML file nor a GIFT text file."))
        return []
    extension = {XLSX: ".xlsx", MOODLE_XML: ".xml", GIFT: ".txt"}[fmt]
    try:
        check_upload(io.BytesIO(data), filename=f"file{extension}", allowed_extensions=(extension,))
    except UploadRejected as exc:
        report.error(str(exc))
        return []
    if fmt == XLSX:
        from .excel import read_workbook

        return read_workbook(data, report, filename=filename)
    if fmt == MOODLE_XML:
        from .moodle_xml import read_moodle_xml

        return read_moodle_xml(data, report)
    from .gift import read_gift

    return read_gift(data.decode("utf-8-sig"), report)


def _where(item: QuestionRow) -> dict:
    return {"sheet": item.sheet, "row": item.row}


def _message(item: QuestionRow, message: str) -> str:
    # GIFT and XML questions have no sheet; their label ("question 3 “Q2”") leads the message.
    return f"{item.label}：{message}" if item.label and not item.sheet else message


def _location(item: QuestionRow) -> str:
    if not item.sheet:
        return item.label
    if item.location is None:  # asked several times per row; translate once
        item.location = _("sheet “%(sheet)s”, row %(row)d") % {"sheet": item.sheet, "row": item.row}
    return item.location


class _KnowledgePoints:
    """Resolves a row's knowledge point (a code, or a path of names) and plans the ones to create."""

    def __init__(self):
        self.by_code = {}
        self.by_path = {}
        path_names = {}
        for kp in KnowledgePoint.objects.order_by("path"):
            names = (*path_names.get(kp.path[: -KnowledgePoint.steplen], ()), kp.name)
            path_names[kp.path] = names
            self.by_code[kp.code] = kp
            self.by_path[names] = kp
        self.planned: list[tuple[str, ...]] = []

    def resolve(self, parts: list[str]):
        if len(parts) == 1 and parts[0] in self.by_code:
            return self.by_code[parts[0]]
        key = tuple(parts)
        if key in self.by_path:
            return self.by_path[key]
        for depth in range(1, len(key) + 1):
            if key[:depth] not in self.by_path and key[:depth] not in self.planned:
                self.planned.append(key[:depth])
        return key  # created at write time

    def create_planned(self) -> None:
        numbers = [int(code[2:]) for code in self.by_code if re.fullmatch(r"KP\d+", code)]
        next_number = max(numbers, default=0) + 1
        for key in sorted(self.planned, key=len):
            parent = self.by_path.get(key[:-1]) if len(key) > 1 else None
            code = f"KP{next_number:04d}"
            next_number += 1
            kp = parent.add_child(code=code, name=key[-1]) if parent else KnowledgePoint.add_root(code=code, name=key[-1])
            self.by_path[key] = kp
            self.by_code[code] = kp

    def get(self, resolved):
        return self.by_path[resolved] if isinstance(resolved, tuple) else resolved


def _existing_questions(codes: list[str]) -> dict[str, Question]:
    found = {}
    for start in range(0, len(codes), _QUERY_CHUNK):
        chunk = codes[start : start + _QUERY_CHUNK]
        for question in Question.objects.filter(code__in=chunk).select_related("current_version"):
            found[question.code] = question
    return found


def _match_by_content(items: list[QuestionRow], exact: dict) -> dict[int, str]:
    """id(row) → the code of the bank question a row without a code repeats exactly (a re-upload of a
    file imported before, whose questions were numbered on import)."""
    matched = {}
    for item in items:
        if not item.code and item.type and not item.errors:
            hit = exact.get(exact_key(item.type, item.stem, item.options))
            if hit:
                matched[id(item)] = hit[1]
    return matched


def _frozen_question_ids(ids: list[int]) -> set[int]:
    frozen = set()
    for start in range(0, len(ids), _QUERY_CHUNK):
        frozen.update(
            QuestionVersion.objects.filter(question_id__in=ids[start : start + _QUERY_CHUNK], frozen_at__isnull=False)
            .values_list("question_id", flat=True)
        )
    return frozen


def import_questions(
    *, data: bytes, dry_run: bool = False, actor=None, check_duplicates: bool = True, filename: str = ""
) -> QuestionImportReport:
    """Import questions from an Excel, GIFT or Moodle XML file (format by content). See the module docstring.

    `filename` only names the file in messages."""
    report = QuestionImportReport(dry_run=dry_run)
    items = parse_file(data, report, filename=filename)
    if not report.ok:
        return report
    if not items:
        report.error(_("The file contains no questions."))
        return report

    kps = _KnowledgePoints()
    exact = bank_exact_index()
    by_content = _match_by_content(items, exact)
    codes = [item.code for item in items if item.code] + list(by_content.values())
    existing = _existing_questions(list(dict.fromkeys(codes)))
    frozen_ids = _frozen_question_ids([question.pk for question in existing.values()])
    duplicates_index: NearDuplicateIndex | None = bank_index() if check_duplicates else None
    seen_codes: dict[str, QuestionRow] = {}
    seen_content: dict[tuple, QuestionRow] = {}
    plan: list[tuple[QuestionRow, str, Question | None, object]] = []
    _check_group_spellings(items)
    current_groups = _current_groups([q.pk for q in existing.values()])
    counts = {"create": 0, "update": 0, "unchanged": 0}

    for item in items:
        if item.code:
            if item.code in seen_codes:
                first = seen_codes[item.code]
                item.error(cols.CODE, _("Question code %(code)s appears twice in the file (first at %(where)s).")
                           % {"code": item.code, "where": _location(first)}, item.code)
            seen_codes.setdefault(item.code, item)
        if item.type:
            for field_name, message in validate_content(
                question_type=item.type, stem=item.stem, options=item.options, answer=item.answer,
                reference_answer=item.reference_answer, marking_points=item.marking_points,
                difficulty=item.difficulty, points=item.points,
            ):
                column = cols.FIELD_COLUMNS.get(field_name, "")
                if field_name == "options" and item.options:
                    empty = [i for i, text in enumerate(item.options) if not text.strip()]
                    column = cols.OPTION_COLUMNS[empty[0]] if empty else column
                if not any(existing_col == column for existing_col, _m, _v in item.errors):
                    item.error(column, message)
        resolved = kps.resolve(item.knowledge_point) if item.knowledge_point else None
        question = existing.get(item.code or by_content.get(id(item)))
        if item.type and not item.errors:
            _check_exact_duplicate(item, question, exact, seen_content)
        action = "create"
        if question is not None and not item.errors:
            if item.type != question.type and question.pk in frozen_ids:
                item.error(cols.TYPE, _("Question %(code)s has been used in a paper; its type cannot change.")
                           % {"code": question.code})
            if item.status and item.status != question.status and item.status not in TRANSITIONS[QuestionStatus(question.status)]:
                item.error(cols.STATUS, _("Question %(code)s cannot go from “%(old)s” to “%(new)s”.")
                           % {"code": question.code, "old": QuestionStatus(question.status).label,
                              "new": QuestionStatus(item.status).label}, item.status)
            same_kp = not isinstance(resolved, tuple) and resolved == question.knowledge_point
            unchanged = (
                normalised_content(item.content()) == normalised_content(content_of(question))
                and item.type == question.type and same_kp and (item.status or question.status) == question.status
                and (item.use or question.use) == question.use
            )
            action = "unchanged" if unchanged else "update"
        messages = []
        if question is not None and not item.errors:
            report.matched_existing += 1
            messages.append(
                _("Already in the bank as %(code)s: it is updated, not added again.") % {"code": question.code}
                if item.code else
                _("Already in the bank as %(code)s (same content; the row has no code): it is updated, not added "
                  "again.") % {"code": question.code}
            )
        if item.errors:
            action = "error"
            for column, message, value in item.errors:
                report.error(_message(item, message), column=column, value=value, **_where(item))
                messages.append(f"{column}：{message}" if column else message)
        elif duplicates_index is not None and action != "unchanged":
            match = duplicates_index.find(item.stem, exclude=("q", question.pk) if question else None)
            if match:
                text = _("The stem is very similar (%(percent)d%%) to %(other)s.") % {
                    "percent": round(match[1] * 100), "other": match[0]}
                report.warn(_message(item, text), column=cols.STEM, **_where(item))
                messages.append(text)
        if duplicates_index is not None and not item.errors and action != "unchanged":
            duplicates_index.add(("row", id(item)), item.stem, _location(item))
        checks = []
        if not item.errors:
            checks = [finding.message for finding in check_item(Item.of(item))]
            report.check_warnings += bool(checks)
            if item.exclusion_group is not None and item.exclusion_group != current_groups.get(
                    question.pk if question else None, ""):
                report.group_changes += 1
        if action in counts:
            counts[action] += 1
            plan.append((item, action, question, resolved))
        report.rows.append(RowOutcome(
            location=_location(item), code=item.code or (question.code if question else ""), type=item.type, stem=item.stem[:80], action=action,
            messages=messages, checks=checks, group=item.exclusion_group,
        ))

    report.new_knowledge_points = [cols.KP_SEPARATOR.join(key) for key in kps.planned]
    for path in report.new_knowledge_points:
        report.warn(_("Knowledge point “%(path)s” does not exist and will be created.") % {"path": path},
                    column=cols.KNOWLEDGE_POINT)
    report.counts = {**counts, "errors": len(report.errors), "knowledge_points_created": len(kps.planned)}
    if not report.ok or dry_run:
        return report
    with transaction.atomic():
        _write(plan, kps, actor)
        _write_groups(plan, actor)
        audit.record(
            actor=actor, action="question.import",
            summary=_("Imported %(format)s: %(create)d new, %(update)d updated, %(unchanged)d unchanged")
            % {"format": report.format_label, **counts},
            format=report.format, **counts,
        )
    return report


def _check_exact_duplicate(item: QuestionRow, question: Question | None, exact: dict, seen: dict) -> None:
    """Refuse a row that repeats another question exactly (same type, stem and options): one already in
    the bank under another code, or an earlier row of the same file."""
    key = exact_key(item.type, item.stem, item.options)
    first = seen.setdefault(key, item)
    if first is not item:
        item.error(cols.STEM, _("The same question as %(where)s of this file (same type, stem and options).")
                   % {"where": _location(first)})
        return
    hit = exact.get(key)
    if hit and (question is None or hit[0] != question.pk):
        item.error(cols.STEM, _("This question already exists as %(code)s: the same type, stem and options "
                                "(ignoring spaces, full-width characters and the order of the options).")
                   % {"code": hit[1]})


def _check_group_spellings(items: list[QuestionRow]) -> None:
    """One group, one spelling: codes that differ only in case or width name the same group inconsistently."""
    first: dict[str, QuestionRow] = {}
    for item in items:
        if not item.exclusion_group:
            continue
        key = item.exclusion_group.casefold()
        seen = first.setdefault(key, item)
        if seen.exclusion_group != item.exclusion_group:
            item.error(cols.EXCLUSION, _("Exclusion group “%(code)s” is written “%(first)s” at %(where)s; spell one "
                                         "group the same way in every row.")
                       % {"code": item.exclusion_group, "first": seen.exclusion_group, "where": _location(seen)},
                       item.exclusion_group)


def _current_groups(question_ids: list[int]) -> dict[int, str]:
    from question_bank.models import ExclusionGroupMember

    found = {}
    for start in range(0, len(question_ids), _QUERY_CHUNK):
        found.update(ExclusionGroupMember.objects.filter(question_id__in=question_ids[start : start + _QUERY_CHUNK])
                     .values_list("question_id", "group__code"))
    return found


def _write_groups(plan, actor) -> None:
    """Memberships from the 互斥组 column (only when the file has it: GIFT, XML and older sheets leave them)."""
    from question_bank.exclusion import set_memberships

    # A row without a code that matched a bank question by its content updates that question (item.code stays empty).
    wanted = {item.code or question.code: item.exclusion_group
              for item, _a, question, _r in plan if item.exclusion_group is not None}
    if not wanted:
        return
    ids = {}
    codes = list(wanted)
    for start in range(0, len(codes), _QUERY_CHUNK):
        ids.update(Question.objects.filter(code__in=codes[start : start + _QUERY_CHUNK]).values_list("code", "pk"))
    set_memberships(assignments={ids[code]: group or None for code, group in wanted.items()}, actor=actor)


# Questions and versions are written by COPY on PostgreSQL (question_bank.services.bulk).
_insert_rows = insert_rows


def _next_ids(model, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _write(plan, kps: _KnowledgePoints, actor) -> None:
    kps.create_planned()
    new_items = [(item, resolved) for item, action, _q, resolved in plan if action == "create"]
    generated = iter(next_codes(sum(1 for item, _r in new_items if not item.code)))
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    user_id = user.pk if user else None
    default_use = Question._meta.get_field("use").get_default()
    question_rows, version_rows = [], []
    for item, resolved in new_items:
        content = normalised_content(item.content())
        code = item.code = item.code or next(generated)
        question_rows.append({
            "code": code, "type": item.type, "knowledge_point_id": kps.get(resolved).pk,
            "status": item.status or QuestionStatus.DRAFT, "status_changed_at": now, "status_changed_by_id": user_id,
            "use": item.use or default_use,
            "current_version_id": None, "created_at": now, "updated_at": now, **content,
            "search_text": search_text_for(code, content["stem"], content["options"], content["legal_basis"]),
        })
        version_rows.append({"number": 1, "created_at": now, "created_by_id": user_id, "frozen_at": None, **content})
    if connection.vendor == "postgresql" and question_rows:
        # Take the ids from the sequences first, so each question is written once with its current
        # version (an UPDATE afterwards would rewrite every row and its search index entries).
        question_ids = _next_ids(Question, len(question_rows))
        version_ids = _next_ids(QuestionVersion, len(version_rows))
        for question_row, version_row, question_id, version_id in zip(
            question_rows, version_rows, question_ids, version_ids, strict=True
        ):
            question_row.update(id=question_id, current_version_id=version_id)
            version_row.update(id=version_id, question_id=question_id)
        _insert_rows(Question, question_rows)
        _insert_rows(QuestionVersion, version_rows)  # the foreign keys are checked at commit
        if len(question_rows) >= 1000:
            # Fresh statistics, or the planner may scan every row instead of using the search index
            # until autovacuum gets round to it.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(Question._meta.db_table)}")
    elif question_rows:
        _insert_rows(Question, question_rows)
        ids = dict(Question.objects.filter(current_version__isnull=True).values_list("code", "pk"))
        for question_row, version_row in zip(question_rows, version_rows, strict=True):
            version_row["question_id"] = ids[question_row["code"]]
        _insert_rows(QuestionVersion, version_rows)
        # Only the questions just created lack a current version (the services keep that invariant).
        Question.objects.filter(current_version__isnull=True).update(
            current_version=Subquery(QuestionVersion.objects.filter(question=OuterRef("pk"), number=1).values("pk")[:1])
        )
    for item, action, question, resolved in plan:
        if action != "update":
            continue
        # An empty 用途 cell, or a file without the column (GIFT, XML, older sheets), keeps the question's use.
        use = {"use": item.use} if item.use else {}
        update_question(
            question=question, actor=actor, question_type=item.type, knowledge_point=kps.get(resolved),
            **normalised_content(item.content()), **use,
        )
        if item.status and item.status != question.status:
            set_status(questions=[question], status=item.status, actor=actor)
