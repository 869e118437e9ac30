"""GIFT and Moodle XML: Moodle's own fixtures import as a Moodle user would expect; HTML is sanitised."""

from pathlib import Path

import pytest

from question_bank.imports.service import import_questions
from question_bank.models import KnowledgePoint, Question

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "moodle_fixtures"


def by_stem():
    return {q.stem: q for q in Question.objects.order_by("code")}


def test_moodle_gift_fixture_refuses_its_repeated_question_as_an_exact_duplicate():
    report = import_questions(data=(FIXTURES / "questions.gift.txt").read_bytes())
    (error,) = report.errors
    assert "2-08 TSL" in error.message and "(第 46 行)" in error.message.replace("（", "(").replace("）", ")")
    assert Question.objects.count() == 0


def test_moodle_gift_fixture_imports_supported_types_and_skips_the_rest_with_reasons():
    data = (FIXTURES / "questions.gift.txt").read_bytes()
    # The fixture repeats "2-08 TSL" ({T} then {TRUE}); an exact duplicate is refused, so drop the repeat.
    repeat = b"// name 0-11\n::2-08 TSL::TSL is blablabla.{TRUE}\n"
    assert repeat in data
    report = import_questions(data=data.replace(repeat, b""))
    assert report.ok and report.format == "gift"
    questions = list(Question.objects.order_by("code"))
    assert [q.type for q in questions] == [
        "essay", "single", "multiple", "fill_blank", "true_false", "true_false"
    ]
    essay, single, multiple, short, tf_false, tsl_t = questions
    assert essay.stem == "How are you?"
    assert single.options == ["yellow", "red", "blue"] and single.answer == ["A"]
    # "colours": weights without "=" → multiple response; the two 50 % options are the right ones.
    assert multiple.options == ["yellow", "red", "off-beige", "blue"] and multiple.answer == ["A", "C"]
    assert short.stem == "Which is the best animal?" and short.answer == [["Frog"]]
    assert tf_false.stem == "42 is the Absolute Answer to everything." and tf_false.answer == [False]
    assert tf_false.explanation == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    assert tsl_t.answer == [True]
    assert {q.knowledge_point.name for q in questions} == {"未分类"}
    warnings = " ".join(issue.message for issue in report.warnings)
    assert "Moodle activities" in warnings and "Q5" in warnings  # matching and numerical skipped by name
    assert "Cat" in warnings  # the 50 % short answer is reported, not silently kept


def test_moodle_xml_fixture_nests_categories_as_knowledge_points():
    report = import_questions(data=(FIXTURES / "nested_categories_with_questions.xml").read_bytes())
    assert report.ok and report.format == "moodle_xml"
    questions = by_stem()
    assert set(questions) == {
        "Testing Iota Question", "Testing Kappa Essay Question", "Testing Kappa Question",
        "Testing Lambda Question", "Testing Mu Question",
    }
    lam = questions["Testing Lambda Question"].knowledge_point
    assert [kp.name for kp in lam.get_ancestors()] + [lam.name] == ["Iota", "Kappa", "Lambda"]
    assert questions["Testing Mu Question"].knowledge_point.get_parent().name == "Iota"
    assert questions["Testing Kappa Essay Question"].type == "essay"
    tf = questions["Testing Iota Question"]
    assert tf.type == "true_false" and tf.answer == [True] and str(tf.points) == "1.0"
    assert KnowledgePoint.objects.count() == 4


def test_importing_the_same_moodle_file_twice_updates_instead_of_adding_duplicates():
    import_questions(data=(FIXTURES / "nested_categories_with_questions.xml").read_bytes())
    report = import_questions(data=(FIXTURES / "nested_categories_with_questions.xml").read_bytes())
    assert report.ok and report.counts["create"] == 0 and report.matched_existing == 5
    assert "Q000001" in {row.code for row in report.rows}
    assert Question.objects.count() == 5


GIFT_EACH_TYPE = """
$CATEGORY: $course$/top/行政强制法/查封扣押

::S1:: 查封、扣押的期限一般不得超过多少日？ {=30日 ~15日 ~60日 ~90日}

::M1:: 下列属于行政强制措施的有： {~%50%查封场所 ~%50%扣押财物 ~%-100%罚款}

::T1:: 扣押的物品由行政机关负责保管，不得收取保管费。 {TRUE}

::F1:: 情况紧急当场实施的，应当在{=24小时 =二十四小时}内报告。

::E1:: 简述查封扣押的程序。 {}
"""


def test_gift_each_type_with_category_and_missing_word():
    report = import_questions(data=GIFT_EACH_TYPE.encode())
    assert report.ok, report.errors
    q = {question.type: question for question in Question.objects.all()}
    assert q["single"].answer == ["A"] and q["multiple"].answer == ["A", "B"]
    assert q["true_false"].answer == [True] and q["fill_blank"].answer == [["24小时", "二十四小时"]]
    assert q["fill_blank"].stem == "情况紧急当场实施的，应当在_____内报告。"
    assert q["essay"].stem == "简述查封扣押的程序。"
    assert q["single"].knowledge_point.name == "查封扣押" and q["single"].knowledge_point.get_parent().name == "行政强制法"


XML_EACH_TYPE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/宪法</text></category></question>
  <question type="multichoice"><name><text>单选</text></name>
    <questiontext format="html"><text><![CDATA[<p onclick="steal()">国家宪法日是<b>哪一天</b>？<script>alert(1)</script><img src="x" onerror="y"></p>]]></text></questiontext>
    <defaultgrade>2</defaultgrade><single>true</single>
    <answer fraction="0"><text>3月15日</text></answer><answer fraction="100"><text>12月4日</text></answer>
  </question>
  <question type="multichoice"><name><text>多选</text></name>
    <questiontext format="html"><text>&lt;p&gt;下列属于宪法规定的公民基本权利的有&lt;/p&gt;</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>选举权</text></answer><answer fraction="50"><text>批评建议权</text></answer>
    <answer fraction="-100"><text>收取保管费</text></answer>
  </question>
  <question type="shortanswer"><name><text>填空</text></name>
    <questiontext format="moodle_auto_format"><text>全国人大常委会负责（ ）宪法。</text></questiontext>
    <answer fraction="100"><text>解释</text></answer><answer fraction="50"><text>说明</text></answer>
  </question>
  <question type="essay"><name><text>简答</text></name>
    <questiontext format="plain_text"><text>简述宪法第五条的内容。</text></questiontext>
    <graderinfo format="html"><text>&lt;p&gt;依法治国&lt;/p&gt;</text></graderinfo>
  </question>
  <question type="matching"><name><text>连线</text></name><questiontext><text>连线</text></questiontext></question>
  <question type="description"><name><text>说明</text></name><questiontext><text>请作答</text></questiontext></question>
</quiz>"""


def test_moodle_xml_each_type_is_mapped_and_html_is_sanitised():
    report = import_questions(data=XML_EACH_TYPE.encode())
    assert report.ok, report.errors
    q = {question.type: question for question in Question.objects.all()}
    assert q["single"].answer == ["B"] and q["single"].options == ["3月15日", "12月4日"]
    stem = q["single"].stem
    assert "<b>哪一天</b>" in stem
    for dangerous in ("script", "alert", "onclick", "onerror", "<img"):
        assert dangerous not in stem
    assert q["multiple"].stem == "下列属于宪法规定的公民基本权利的有" and q["multiple"].answer == ["A", "B"]
    assert q["fill_blank"].answer == [["解释"]]
    assert q["essay"].reference_answer == "依法治国"
    skipped = [issue.message for issue in report.warnings if "连线" in issue.message or "“说明”" in issue.message]
    assert len(skipped) == 2


def test_malformed_xml_is_an_error_and_writes_nothing():
    report = import_questions(data=b"<?xml version='1.0'?><quiz><question type='truefalse'>")
    assert not report.ok and Question.objects.count() == 0


def test_xml_entity_expansion_is_refused():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<quiz><question type="essay"><questiontext><text>&b;</text></questiontext></question></quiz>"""
    report = import_questions(data=bomb)
    assert not report.ok and Question.objects.count() == 0


def test_gift_with_unbalanced_braces_is_an_error():
    report = import_questions(data="::A:: 题目 {=对 ~错\n\n::B:: 另一题 {T}".encode())
    assert not report.ok and Question.objects.count() == 0
