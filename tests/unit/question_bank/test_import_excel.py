"""Excel import: every type, the common answer spellings, upserts, dry runs and all-or-nothing."""

from decimal import Decimal

import pytest

from question_bank.imports.excel import export_workbook, template_workbook
from question_bank.imports.service import import_questions
from question_bank.models import KnowledgePoint, Question, QuestionVersion
from question_bank.services.questions import freeze_current_version

from .sheets import single, workbook_bytes

pytestmark = pytest.mark.django_db


def import_rows(rows, **kwargs):
    return import_questions(data=workbook_bytes(rows), **kwargs)


def only_question():
    assert Question.objects.count() == 1
    return Question.objects.get()


@pytest.mark.parametrize("spelling", ["ABD", "A,B,D", "A、B、D", "ａｂｄ", "A B D", "DBA", "A，B，D"])
def test_multiple_choice_answer_spellings(spelling):
    report = import_rows([single(题型="多选题", 答案=spelling)])
    assert report.ok, report.errors
    question = only_question()
    assert question.type == "multiple" and question.answer == ["A", "B", "D"]


@pytest.mark.parametrize(
    "spelling,value",
    [("正确", True), ("错误", False), ("对", True), ("错", False), ("√", True), ("×", False), ("T", True),
     ("F", False), ("true", True), ("ＦＡＬＳＥ", False)],
)
def test_true_false_answer_spellings(spelling, value):
    report = import_rows([{"题型": "判断", "题干": "扣押物品的保管费用由当事人承担。", "答案": spelling, "知识点": "行政强制法"}])
    assert report.ok, report.errors
    question = only_question()
    assert question.type == "true_false" and question.answer == [value] and question.options == []


def test_single_choice_with_full_width_letter():
    report = import_rows([single(答案="Ｂ", 题型="单项选择题")])
    assert report.ok
    question = only_question()
    assert question.type == "single" and question.answer == ["B"]
    assert question.options == ["12小时", "24小时", "48小时", "72小时"]
    assert question.knowledge_point.name == "行政强制措施" and question.knowledge_point.get_parent().name == "行政强制法"
    assert question.current_version.answer == ["B"]


@pytest.mark.parametrize("answer", ["24小时|二十四小时#负责人", "24小时;二十四小时#负责人", "24小时；二十四小时\n负责人"])
def test_fill_in_alternatives_and_blanks(answer):
    report = import_rows([{"题型": "填空题", "题干": "当场实施强制措施后应在（ ）内向（ ）报告。", "答案": answer,
                           "知识点": "行政强制法"}])
    assert report.ok, report.errors
    assert only_question().answer == [["24小时", "二十四小时"], ["负责人"]]


def test_essay_keeps_reference_answer_and_marking_points():
    report = import_rows([{"题型": "案例分析题", "题干": "某中队当场扣押了摊贩的三轮车，请分析程序要求。",
                           "参考答案": "应当在24小时内报告并补办批准手续。", "评分要点": "24小时内报告\n补办批准手续",
                           "知识点": "行政强制法", "分值": 10}])
    assert report.ok, report.errors
    question = only_question()
    assert question.type == "essay" and question.answer == []
    assert question.marking_points == ["24小时内报告", "补办批准手续"] and question.points == Decimal("10.0")


def test_essay_reference_answer_may_sit_in_the_answer_column():
    import_rows([{"题型": "简答", "题干": "简述法制审核。", "答案": "重大执法决定前由法制机构审核。", "知识点": "行政处罚法"}])
    assert only_question().reference_answer == "重大执法决定前由法制机构审核。"


def test_a_bad_row_writes_nothing_and_every_error_is_located():
    rows = [
        single(),
        single(题干="", 答案="E", 题目编号="X2"),  # row 3: empty stem, answer not among options
        {"题型": "连线题", "题干": "？", "答案": "A", "知识点": "宪法"},  # row 4: unknown type
        {"题型": "判断题", "题干": "宪法日是12月4日。", "答案": "也许", "知识点": "宪法", "难度": "很难"},  # row 5
    ]
    report = import_rows(rows)
    assert not report.ok
    assert Question.objects.count() == 0 and KnowledgePoint.objects.count() == 0
    located = {(issue.row, issue.column) for issue in report.errors}
    assert {(3, "题干"), (3, "答案"), (4, "题型"), (5, "答案"), (5, "难度")} <= located
    assert all(issue.sheet == "题目" for issue in report.errors)
    assert "第 3 行" in str(next(i for i in report.errors if i.row == 3))
    assert [row.action for row in report.rows] == ["create", "error", "error", "error"]


def test_dry_run_reports_what_would_change_and_writes_nothing():
    report = import_rows([single(), single(题干="宪法规定国家宪法日是哪一天？", 题目编号="C1")], dry_run=True)
    assert report.ok and report.dry_run
    assert report.counts["create"] == 2 and report.new_knowledge_points == ["行政强制法", "行政强制法/行政强制措施"]
    assert Question.objects.count() == 0 and KnowledgePoint.objects.count() == 0


def test_upsert_by_code_updates_and_counts_unchanged():
    import_rows([single(题目编号="QZ-001"), single(题目编号="QZ-002", 题干="扣押期限一般不超过多少日？", 答案="C")])
    report = import_rows([single(题目编号="QZ-001", 解析="改过的解析"), single(题目编号="QZ-002", 题干="扣押期限一般不超过多少日？", 答案="C")])
    assert report.ok
    assert report.counts == {"create": 0, "update": 1, "unchanged": 1, "errors": 0, "knowledge_points_created": 0}
    assert Question.objects.get(code="QZ-001").explanation == "改过的解析"


def test_importing_over_a_used_question_makes_a_new_version_and_keeps_the_old():
    import_rows([single(题目编号="QZ-001")])
    question = Question.objects.get()
    old = freeze_current_version(question=question)
    import_rows([single(题目编号="QZ-001", 答案="C")])
    old.refresh_from_db()
    question.refresh_from_db()
    assert old.answer == ["B"] and question.current_version.number == 2 and question.current_version.answer == ["C"]
    assert QuestionVersion.objects.count() == 2


def test_a_code_twice_in_one_file_is_an_error():
    report = import_rows([single(题目编号="D1"), single(题目编号="D1", 题干="另一道题")])
    assert not report.ok and report.errors[0].row == 3 and report.errors[0].column == "题目编号"


def test_header_below_a_title_row_and_header_aliases_are_understood():
    headers = ["序号", "题目类型", "题目", "A", "B", "正确答案", "知识点"]
    data = workbook_bytes([{"题目类型": "单选", "题目": "城管执法人员实施行政强制措施不得少于几人？", "A": "1", "B": "2",
                            "正确答案": "B", "知识点": "行政强制法"}], headers=headers, title_row="2026年题库")
    report = import_questions(data=data)
    assert report.ok, report.errors
    assert only_question().options == ["1", "2"]


def test_a_near_duplicate_stem_warns_and_names_the_existing_code():
    import_rows([single(题目编号="OLD-1")])
    report = import_rows([single(题干="城管执法中当场实施行政强制措施后应当在多少个小时内报告？", 题目编号="NEW-1")])
    assert report.ok
    assert any("OLD-1" in issue.message for issue in report.warnings)


def test_export_is_re_imported_unchanged_and_keeps_formula_like_text_as_text():
    import_rows([single(题目编号="F1", 解析="-1 =SUM(A1) 不是公式"), {"题型": "填空题", "题干": "扣押期限不超过（ ）日。",
                 "答案": "30|三十", "知识点": "行政强制法", "题目编号": "F2"}])
    exported = export_workbook()
    report = import_questions(data=exported, dry_run=True)
    assert report.ok and report.counts["unchanged"] == 2
    assert Question.objects.get(code="F1").explanation == "-1 =SUM(A1) 不是公式"
    assert export_workbook() == exported  # deterministic bytes


def test_template_has_the_columns_and_imports_as_empty():
    report = import_questions(data=template_workbook())
    assert not report.ok and "no questions" in report.errors[0].message.lower() or "没有" in report.errors[0].message
    import io

    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(template_workbook()))
    header = workbook.get_sheet_by_name("题目").to_python()[0]
    assert header[:4] == ["题目编号", "题型", "题干", "选项A"] and "选项H" in header and "评分要点" in header


def test_a_file_that_is_no_workbook_is_refused_with_a_message():
    report = import_questions(data=b"\x00\x01binary")
    assert not report.ok and Question.objects.count() == 0
