"""Benchmark: importing a large question workbook, and keyword search over the bank.

    DATABASE_URL=postgres://…/qbank_bench .venv/bin/python bench/question_import.py --questions 20000

Prints one JSON line: our import (rows/s), django-import-export's default row-by-row import of the same
layout on a sample of the rows (the library-default baseline), a bare calamine read of the file (the
floor no import can beat), and search latency p50/p95 over the imported bank. It deletes every question
and knowledge point in the database it runs on, so it refuses a database whose name lacks "bench"
unless --allow-any-database is given.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import clear_bank, percentile, print_figures, setup_django  # noqa: E402

WORDS = [
    "行政强制", "查封", "扣押", "场所", "设施", "财物", "城管", "执法", "队员", "协管员", "中队", "街道", "法制员",
    "法制审核", "罚款", "警告", "没收", "违法所得", "听证", "当事人", "陈述", "申辩", "送达", "催告", "代履行",
    "违法建筑", "强制拆除", "公告", "复议", "诉讼", "宪法", "公民", "权利", "义务", "国家机关", "人民代表大会",
    "国务院", "行政处罚", "简易程序", "普通程序", "时效", "两年", "五年", "二十四小时", "负责人", "批准", "保管费",
    "现场笔录", "签名", "见证人", "执法证件", "全程记录", "说理", "劝勉", "提示", "约谈", "回访", "市容", "环境卫生",
    "道路", "占道经营", "户外广告", "渣土", "数字化城管", "电子文书", "自由裁量", "案卷评查", "星级中队",
]
KPS = ["行政强制法/查封扣押", "行政强制法/强制执行", "行政强制法/代履行", "行政处罚法/种类", "行政处罚法/程序",
       "行政处罚法/听证", "宪法/总纲", "宪法/公民的基本权利和义务", "宪法/国家机构", "城市管理执法办法",
       "本局制度/法制员", "本局制度/柔性执法", "本局制度/二十四小时报告", "标准化/市容管理", "标准化/环境卫生管理"]
TYPES = ["单选题"] * 5 + ["多选题"] * 2 + ["判断题"] * 2 + ["填空题", "简答题"]
QUERIES = ["扣押", "罚款", "听证", "宪法", "批准", "城管", "约谈", "渣土", "申辩", "公告", "回访", "时效"]


def pseudo_words(rng: random.Random, count: int = 4000) -> list[str]:
    # Real stems mix a few very common legal terms with a long tail of other words; random CJK
    # characters stand in for the tail so that bigram statistics are not unrealistically narrow.
    return ["".join(chr(rng.randint(0x4E00, 0x7FFF)) for _ in range(rng.randint(2, 4))) for _ in range(count)]


def generate_rows(count: int, seed: int = 2026) -> list[dict]:
    rng = random.Random(seed)
    tail = pseudo_words(rng)
    rows = []
    for index in range(count):
        kind = rng.choice(TYPES)
        parts = rng.sample(WORDS, rng.randint(3, 5)) + rng.sample(tail, rng.randint(5, 8))
        rng.shuffle(parts)
        stem = "，".join(parts) + "？"
        row = {"题目编号": f"B{index + 1:06d}", "题型": kind, "题干": stem, "难度": rng.randint(1, 5),
               "知识点": rng.choice(KPS), "分值": 2, "解析": "根据" + rng.choice(WORDS) + "的规定。",
               "法条依据": f"第{rng.randint(1, 80)}条"}
        if kind in ("单选题", "多选题"):
            for key in "ABCD":
                row[f"选项{key}"] = rng.choice(WORDS) + key
            row["答案"] = rng.choice("ABCD") if kind == "单选题" else rng.choice(["AB", "A,C", "B、C、D", "ABD"])
        elif kind == "判断题":
            row["答案"] = rng.choice(["正确", "错误", "√", "×"])
        elif kind == "填空题":
            row["答案"] = rng.choice(WORDS) + "|" + rng.choice(WORDS)
        else:
            row["参考答案"] = "，".join(rng.sample(WORDS, 5))
            row["分值"] = 10
        rows.append(row)
    return rows


def build_workbook(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    from question_bank.imports.rows import COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("题目")
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row.get(column, "") for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def baseline_resource():
    """django-import-export as documented by default: one row at a time (instance lookup, diff, save)."""
    from import_export import fields, resources

    from question_bank.imports.rows import row_from_cells
    from question_bank.models import KnowledgePoint, Question, QuestionVersion

    class BaselineResource(resources.ModelResource):
        code = fields.Field(attribute="code", column_name="题目编号")

        class Meta:
            model = Question
            import_id_fields = ("code",)
            fields = ("code", "type", "stem", "options", "answer", "explanation", "difficulty", "legal_basis",
                      "points", "reference_answer", "knowledge_point")

        def before_import_row(self, row, **kwargs):
            cells = {key: "" if value is None else str(value) for key, value in row.items()}
            item = row_from_cells(cells)
            kp_name = item.knowledge_point[-1]
            kp = KnowledgePoint.objects.filter(name=kp_name).first() or KnowledgePoint.add_root(
                code=f"BK{KnowledgePoint.objects.count() + 1:04d}", name=kp_name)
            row.update({"type": item.type, "stem": item.stem, "options": json.dumps(item.options),
                        "answer": json.dumps(item.answer), "explanation": item.explanation,
                        "difficulty": item.difficulty, "legal_basis": item.legal_basis, "points": str(item.points),
                        "reference_answer": item.reference_answer, "knowledge_point": kp.pk})

        def after_save_instance(self, instance, row, **kwargs):
            if not kwargs.get("dry_run"):
                version = QuestionVersion.objects.create(
                    question=instance, number=1,
                    **{name: getattr(instance, name) for name in Question.CONTENT_FIELDS})
                Question.objects.filter(pk=instance.pk).update(current_version=version)

    return BaselineResource()


def run(*, questions: int, baseline_rows: int, searches: int) -> dict:
    from django.db import connection

    from import_export.formats.base_formats import XLSX
    from python_calamine import CalamineWorkbook

    from question_bank.imports.service import import_questions
    from question_bank.models import Question
    from question_bank.selectors import search_questions

    rows = generate_rows(questions)
    data = build_workbook(rows)

    started = time.perf_counter()
    grid = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("题目").to_python()
    bare_read = time.perf_counter() - started
    assert len(grid) == questions + 1

    clear_bank()
    sample = build_workbook(rows[:baseline_rows])
    started = time.perf_counter()
    dataset = XLSX().create_dataset(sample)
    result = baseline_resource().import_data(dataset, dry_run=False, raise_errors=True)
    baseline = time.perf_counter() - started
    assert not result.has_errors() and Question.objects.count() == baseline_rows

    clear_bank()
    started = time.perf_counter()
    report = import_questions(data=data)
    ours = time.perf_counter() - started
    assert report.ok, report.errors[:3]
    assert Question.objects.count() == questions

    latencies = []
    rng = random.Random(7)
    for _ in range(searches):
        query = rng.choice(QUERIES)
        started = time.perf_counter()
        matches = search_questions(Question.objects.all(), query)
        total = matches.count()  # what the admin listing does: a count and the first page
        page = list(matches.order_by("code")[:50])
        latencies.append((time.perf_counter() - started) * 1000)
        assert total > 0 and page
    return {
        "benchmark": "question_import",
        "database": connection.vendor,
        "questions": questions,
        "import_seconds": round(ours, 2),
        "import_rows_per_s": round(questions / ours),
        "baseline_library_default_rows": baseline_rows,
        "baseline_library_default_rows_per_s": round(baseline_rows / baseline, 1),
        "speedup_vs_library_default": round((questions / ours) / (baseline_rows / baseline), 1),
        "bare_read_seconds": round(bare_read, 2),
        "bare_read_rows_per_s": round(questions / bare_read),
        "import_vs_bare_read": round(ours / bare_read, 1),
        "near_duplicate_warnings": len([w for w in report.warnings if w.row is not None]),
        "search_queries": searches,
        "search_p50_ms": round(statistics.median(latencies), 1),
        "search_p95_ms": round(percentile(latencies, 0.95), 1),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20000)
    parser.add_argument("--baseline-rows", type=int, default=1000,
                        help="rows for the slow library-default baseline (a sample; its rate is comparable)")
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--allow-any-database", action="store_true")
    args = parser.parse_args(argv)

    setup_django(settings="lms.settings.test", migrate=False)  # migrated only once the database is known safe
    from django.conf import settings
    from django.core.management import call_command

    name = str(settings.DATABASES["default"]["NAME"])
    if "bench" not in name and not args.allow_any_database:
        sys.exit(f"refusing to wipe the question bank of database {name!r}; use a *_bench database")
    call_command("migrate", verbosity=0)
    figures = run(questions=args.questions, baseline_rows=min(args.baseline_rows, args.questions),
                  searches=args.searches)
    print_figures(figures)


if __name__ == "__main__":
    main()
