"""The 用途 column of the question workbook: new questions take it, updates change it only when the cell is
filled, a word that is not understood is refused (located, nothing written), and the export round-trips it."""

import io

import pytest
from python_calamine import CalamineWorkbook

from lms.core.models import AuditEntry
from question_bank.imports import rows as cols
from question_bank.imports.excel import HELP_SHEET_NAME, export_workbook, template_workbook
from question_bank.imports.service import import_questions
from question_bank.models import Question, QuestionUse, QuestionVersion
from question_bank.services.questions import update_question

from .sheets import single, workbook_bytes

pytestmark = pytest.mark.django_db

WITHOUT_USE = [header for header in cols.COLUMNS if header != cols.USE]


def _import(rows, headers=cols.COLUMNS, **kwargs):
    return import_questions(data=workbook_bytes(rows, headers=headers), check_duplicates=False, **kwargs)


def _sheet(data, name="题目"):
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name).to_python()


def _use(code):
    return Question.objects.get(code=code).use


def test_a_new_question_marked_exams_only_is_kept_out_of_practice():
    report = _import([single(题目编号="U-1", 用途="仅用于考试")])
    assert report.ok, report.errors
    assert _use("U-1") == QuestionUse.EXAMS_ONLY


def test_a_new_question_without_the_column_or_with_an_empty_cell_gets_the_default():
    assert _import([single(题目编号="U-1")], headers=WITHOUT_USE).ok
    assert _import([single(题目编号="U-2", 题干="查封期限一般不超过多少日？", 用途="")]).ok
    assert _use("U-1") == _use("U-2") == QuestionUse.PRACTICE_AND_EXAMS


@pytest.mark.parametrize("word,use", [
    ("练习和考试", QuestionUse.PRACTICE_AND_EXAMS), ("练习与考试", QuestionUse.PRACTICE_AND_EXAMS),
    ("通用", QuestionUse.PRACTICE_AND_EXAMS), ("可练习", QuestionUse.PRACTICE_AND_EXAMS),
    ("仅考试", QuestionUse.EXAMS_ONLY), ("考试专用", QuestionUse.EXAMS_ONLY), ("考试", QuestionUse.EXAMS_ONLY),
    (" 仅 用于考试 ", QuestionUse.EXAMS_ONLY), ("ＥＸＡＭＳ_ＯＮＬＹ", QuestionUse.EXAMS_ONLY),
])
def test_the_words_a_trainer_types_are_understood(word, use):
    assert _import([single(题目编号="U-1", 用途=word)]).ok
    assert _use("U-1") == use


def test_a_header_alias_is_understood():
    headers = ["题型", "题干", "选项A", "选项B", "答案", "知识点", "使用范围"]
    report = _import([{"题型": "单选", "题干": "城管执法人员实施行政强制措施不得少于几人？", "选项A": "1", "选项B": "2",
                       "答案": "B", "知识点": "行政强制法", "使用范围": "考试专用"}], headers=headers)
    assert report.ok, report.errors
    assert Question.objects.get().use == QuestionUse.EXAMS_ONLY


def test_a_re_import_without_the_column_or_with_an_empty_cell_keeps_the_use():
    _import([single(题目编号="U-1", 用途="仅用于考试")])
    report = _import([single(题目编号="U-1", 解析="改过的解析")], headers=WITHOUT_USE)
    assert report.ok and report.counts["update"] == 1
    assert _use("U-1") == QuestionUse.EXAMS_ONLY
    report = _import([single(题目编号="U-1", 解析="改过的解析", 用途="")])
    assert report.ok and report.counts["unchanged"] == 1
    assert _use("U-1") == QuestionUse.EXAMS_ONLY


def test_a_changed_use_alone_is_an_update_without_a_new_version():
    _import([single(题目编号="U-1")])
    report = _import([single(题目编号="U-1", 用途="仅用于考试")], dry_run=True)
    assert report.counts["update"] == 1 and report.counts["unchanged"] == 0
    assert [row.action for row in report.rows] == ["update"]
    report = _import([single(题目编号="U-1", 用途="仅用于考试")])
    assert report.ok and report.counts["update"] == 1
    assert _use("U-1") == QuestionUse.EXAMS_ONLY
    assert QuestionVersion.objects.count() == 1  # who may practise it is not content
    report = _import([single(题目编号="U-1", 用途="仅考试")])
    assert report.counts["unchanged"] == 1


def test_a_word_that_is_not_understood_is_refused_located_and_nothing_is_written():
    _import([single(题目编号="U-1")])
    report = _import([
        single(题目编号="U-1", 用途="仅用于考试"),
        single(题目编号="U-2", 题干="查封期限一般不超过多少日？", 用途="仅练习"),
    ])
    assert not report.ok
    [error] = report.errors
    assert (error.sheet, error.row, error.column, error.value) == ("题目", 3, cols.USE, "仅练习")
    text = str(error)
    assert "题目" in text and "第 3 行" in text and "用途" in text and "仅练习" in text
    assert "仅用于考试" in error.message
    assert list(Question.objects.values_list("code", "use")) == [("U-1", QuestionUse.PRACTICE_AND_EXAMS)]


def test_the_export_writes_the_word_and_re_imports_to_the_same_use(make_question):
    make_question(code="E-1", use=QuestionUse.EXAMS_ONLY)
    make_question(code="E-2", stem="查封期限一般不超过多少日？", answer=["C"])
    exported = export_workbook()
    rows = _sheet(exported)
    column = rows[0].index(cols.USE)
    assert [row[column] for row in rows[1:]] == ["仅用于考试", "练习和考试"]
    report = import_questions(data=exported, dry_run=True, check_duplicates=False)
    assert report.ok and report.counts["unchanged"] == 2

    update_question(question=Question.objects.get(code="E-1"), use=QuestionUse.PRACTICE_AND_EXAMS)
    report = import_questions(data=exported, check_duplicates=False)
    assert report.ok and report.counts["update"] == 1 and report.counts["unchanged"] == 1
    assert _use("E-1") == QuestionUse.EXAMS_ONLY and _use("E-2") == QuestionUse.PRACTICE_AND_EXAMS


def test_the_template_has_the_column_and_explains_it():
    template = template_workbook()
    assert cols.USE in _sheet(template)[0]
    assert any(cols.USE in line[0] and "仅用于考试" in line[0] for line in _sheet(template, HELP_SHEET_NAME))


def test_a_changed_use_alone_gets_the_per_question_audit_entry_other_changes_get(trainer):
    _import([single(题目编号="U-1")])
    question = Question.objects.get(code="U-1")
    report = _import([single(题目编号="U-1", 用途="仅用于考试")], actor=trainer)
    assert report.ok and report.counts["update"] == 1
    [entry] = AuditEntry.objects.filter(action="question.update", object_id=str(question.pk))
    assert entry.actor == trainer and entry.summary == "U-1"
    assert entry.data == {"code": "U-1", "version": 1, "fields": ["use"]}
