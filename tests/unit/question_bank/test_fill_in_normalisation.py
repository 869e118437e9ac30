"""Fill-in answers: every equivalence a marker accepts, and the near misses he must not."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from question_bank.grading import chinese_numeral_value, named_units, normalise_blank, score_response

DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """How a person writes n (< 10^8) in Chinese numerals: 二十四, 一百零五, 三千零二十, 十五万."""
    if n == 0:
        return "零"

    def below_10000(m: int, leading: bool) -> str:
        out, zero = "", False
        for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = m // unit % 10
            if d == 0:
                zero = bool(out) or not leading
                continue
            if zero and (out or not leading):
                out += "零"
            zero = False
            out += ("" if (unit == 10 and d == 1 and not out and leading) else DIGITS[d]) + name
        return out

    high, low = divmod(n, 10_000)
    if high:
        text = below_10000(high, True) + "万"
        if low:
            text += ("零" if low < 1000 else "") + below_10000(low, False).lstrip("零")
        return text
    return below_10000(low, True)


def blank(accepted, stem="题干"):
    return SimpleNamespace(type="fill_blank", answer=[list(accepted)], options=[], stem=stem)


def right(question, typed) -> bool:
    return score_response(content=question, response=[typed], points=2) == Decimal("2")


@pytest.mark.parametrize("typed", ["24", "二十四", "廿四", "２４", " 2 4 ", "贰拾肆"])
def test_twenty_four_in_every_spelling(typed):
    assert right(blank(["24"]), typed)


@pytest.mark.parametrize("typed", ["200", "二百", "两百", "２００", "贰佰", "2百"])
def test_two_hundred_in_every_spelling(typed):
    assert right(blank(["200"]), typed)


@pytest.mark.parametrize("key", ["二十四", "廿四"])
def test_a_key_in_chinese_numerals_accepts_arabic_digits(key):
    assert right(blank([key]), "24")


@pytest.mark.parametrize("typed,key", [("25", "24"), ("二十五", "24"), ("2000", "200"), ("两千", "200"),
                                       ("20", "200"), ("240", "24"), ("24天", "24小时"), ("2", "200")])
def test_near_misses_are_not_accepted(typed, key):
    assert not right(blank([key]), typed)


def test_a_unit_named_by_the_key_may_be_left_out_or_written():
    question = blank(["24小时"])
    assert right(question, "24")
    assert right(question, "二十四小时")
    assert right(question, "24 小时")


def test_a_unit_named_in_the_stem_may_be_written():
    question = blank(["200"], stem="当场收缴的罚款不超过（  ）元")
    assert right(question, "200元")
    assert right(question, "二百元")
    assert right(question, "两百 元")
    assert not right(question, "2000元")


def test_a_unit_the_question_does_not_name_is_not_dropped():
    assert not right(blank(["200"], stem="罚款上限是多少"), "200元")


def test_full_width_letters_spaces_and_case():
    assert right(blank(["ABC法"]), "ａｂｃ　法")


def test_thousands_separator_and_percent():
    assert right(blank(["3000元"]), "3,000元")
    assert right(blank(["30%"]), "百分之三十")
    assert not right(blank(["30%"]), "百分之三")


def test_extra_accepted_spelling_of_a_session():
    question = blank(["负责人"])
    assert not right(question, "行政机关负责人")
    assert score_response(content=question, response=["行政机关负责人"], points=2,
                          extra_accepted=[["行政机关负责人"]]) == Decimal("2")


def test_named_units_come_from_stem_and_key():
    assert named_units(blank(["3个工作日"], stem="在（ ）内作出决定"), [["3个工作日"]]) >= {"个工作日"}


def test_spoken_short_forms():
    assert chinese_numeral_value("二百五") == 250
    assert chinese_numeral_value("三千五") == 3500
    assert chinese_numeral_value("一百零五") == 105
    assert chinese_numeral_value("二〇二四") == 2024


@given(st.integers(min_value=0, max_value=99_999_999))
def test_every_number_written_in_chinese_reads_as_itself(n):
    assert normalise_blank(to_chinese(n)) == str(n)


@given(st.integers(min_value=0, max_value=99_999), st.integers(min_value=0, max_value=99_999))
def test_different_numbers_never_match(a, b):
    if a != b:
        assert normalise_blank(to_chinese(a)) != normalise_blank(str(b))
        assert not right(blank([str(b)]), to_chinese(a))
