"""Marking rules shared by practice and exams: one behaviour per test."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from question_bank.grading import candidate_view, is_correct, normalise_response, score_response


def content(type, answer, options=(), stem="题干", **extra):
    return SimpleNamespace(type=type, answer=list(answer), options=list(options), stem=stem, **extra)


SINGLE = content("single", ["B"], ["甲", "乙", "丙", "丁"])
MULTI = content("multiple", ["A", "B", "D"], ["甲", "乙", "丙", "丁"])
TF = content("true_false", [False])
BLANKS = content("fill_blank", [["24小时", "二十四小时"], ["局长", "负责人"]])
ESSAY = content("essay", [], reference_answer="参考", marking_points=["要点"])


@pytest.mark.parametrize(
    "type,raw,expected",
    [
        ("single", "b", ["B"]),
        ("single", ["Ｂ"], ["B"]),
        ("single", "", []),
        ("multiple", ["D", "A", "B"], ["A", "B", "D"]),
        ("multiple", "A、B、D", ["A", "B", "D"]),
        ("multiple", "a,b,d", ["A", "B", "D"]),
        ("multiple", "ＡＢＤ", ["A", "B", "D"]),
        ("true_false", "false", [False]),
        ("true_false", "正确", [True]),
        ("true_false", ["×"], [False]),
        ("true_false", True, [True]),
        ("true_false", "", []),
        ("fill_blank", [" 24小时 ", "局长"], ["24小时", "局长"]),
        ("fill_blank", ["", ""], []),
        ("essay", "  我的回答 ", ["我的回答"]),
    ],
)
def test_normalise_response_accepts_form_values(type, raw, expected):
    assert normalise_response(type, raw) == expected
    assert normalise_response(type, expected) == expected  # idempotent


def test_single_and_true_false_are_all_or_nothing():
    assert score_response(content=SINGLE, response="B", points=2) == Decimal("2")
    assert score_response(content=SINGLE, response="A", points=2) == Decimal("0")
    assert score_response(content=TF, response="错", points=1) == Decimal("1")
    assert score_response(content=TF, response="", points=1) == Decimal("0")


def test_multiple_all_or_nothing_gives_nothing_for_a_subset():
    assert score_response(content=MULTI, response="ABD", points=2) == Decimal("2")
    assert score_response(content=MULTI, response="AB", points=2) == Decimal("0")


def test_multiple_partial_is_proportional_and_zero_with_any_wrong_option():
    assert score_response(content=MULTI, response="AB", points=3, multiple_rule="partial") == Decimal("2.0")
    assert score_response(content=MULTI, response="A", points=2, multiple_rule="partial") == Decimal("0.7")
    assert score_response(content=MULTI, response="ABC", points=3, multiple_rule="partial") == Decimal("0")
    assert score_response(content=MULTI, response="ABCD", points=3, multiple_rule="partial") == Decimal("0")


def test_multiple_half_gives_half_for_a_right_subset():
    assert score_response(content=MULTI, response="AD", points=2, multiple_rule="half") == Decimal("1.0")
    assert score_response(content=MULTI, response="ABD", points=2, multiple_rule="half") == Decimal("2")
    assert score_response(content=MULTI, response="AC", points=2, multiple_rule="half") == Decimal("0")


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        score_response(content=MULTI, response="A", points=2, multiple_rule="generous")


def test_fill_blank_accepts_alternatives_whitespace_and_full_width():
    assert score_response(content=BLANKS, response=["２４ 小时", "负责人"], points=2) == Decimal("2")
    assert score_response(content=BLANKS, response=["二十四小时", "科长"], points=2) == Decimal("1.0")
    assert is_correct(content=BLANKS, response=["24小时", "局长"]) is True
    assert is_correct(content=BLANKS, response=["24小时", ""]) is False


def test_essay_is_marked_by_hand():
    assert score_response(content=ESSAY, response="回答", points=10) is None
    assert is_correct(content=ESSAY, response="回答") is None


def test_is_correct_for_objective_types():
    assert is_correct(content=MULTI, response=["A", "B", "D"]) is True
    assert is_correct(content=MULTI, response=["A", "B"]) is False


def test_candidate_view_never_carries_the_key():
    full = content("single", ["B"], ["甲", "乙"], explanation="解析秘密", legal_basis="第1条",
                   reference_answer="参考秘密", marking_points=["要点秘密"])
    view = candidate_view(full)
    assert set(view) == {"type", "stem", "stem_html", "options", "blank_count"}
    flat = repr(view)
    for secret in ("解析秘密", "参考秘密", "要点秘密", "第1条"):
        assert secret not in flat


def test_candidate_view_permutes_options_and_keeps_original_keys():
    view = candidate_view(SINGLE, option_order=["C", "A", "D", "B"])
    assert [(o["label"], o["key"], o["text"]) for o in view["options"]] == [
        ("A", "C", "丙"), ("B", "A", "甲"), ("C", "D", "丁"), ("D", "B", "乙")
    ]
    assert [o["key"] for o in candidate_view(SINGLE, option_order=[1, 0, 2, 3])["options"]][:2] == ["B", "A"]
    with pytest.raises(ValueError):
        candidate_view(SINGLE, option_order=["A", "A", "B", "C"])


def test_candidate_view_counts_blanks_and_escapes_or_sanitises_text():
    view = candidate_view(content("fill_blank", [["a"], ["b"]], stem="<script>x</script><b>粗</b>（ ）"))
    assert view["blank_count"] == 2
    assert "<script>" not in view["stem_html"] and "<b>粗</b>" in view["stem_html"]
    plain = candidate_view(content("true_false", [True], stem="a < b"))
    assert "a &lt; b" in plain["stem_html"] and plain["options"] == []
