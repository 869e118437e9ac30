"""The corrected passages of the demo courses (issue 16): articles quoted whole or marked as excerpts, the
right articles cited, and case analyses that match their facts and answer their questions."""

import pytest

from courses import demo_content

ARTICLE_5 = ("中华人民共和国实行依法治国，建设社会主义法治国家。国家维护社会主义法制的统一和尊严。"
             "一切法律、行政法规和地方性法规都不得同宪法相抵触。一切国家机关和武装力量、各政党和各社会团体、"
             "各企业事业组织都必须遵守宪法和法律。一切违反宪法和法律的行为，必须予以追究。"
             "任何组织或者个人都不得有超越宪法和法律的特权。")


def _blocks():
    for course in demo_content.COURSES:
        for _slug, title, _intro, blocks in course["lessons"]:
            for kind, value in blocks:
                yield title, kind, value


def _laws(law, article_prefix):
    return [v for _t, kind, v in _blocks() if kind == "law_article" and v["law"] == law
            and v["article"].startswith(article_prefix)]


def _cases(title):
    found = [v for _t, kind, v in _blocks() if kind == "case_study" and v["title"] == title]
    assert found, title
    return found[0]


def _all_text(kind):
    return " ".join(v if isinstance(v, str) else " ".join(str(x) for x in v.values())
                    for _t, k, v in _blocks() if k == kind)


def test_constitution_article_5_is_quoted_whole():
    [article] = _laws(demo_content.XIANFA, "第五条")
    assert article["text"] == ARTICLE_5


def test_constitution_article_33_is_quoted_whole():
    [article] = _laws(demo_content.XIANFA, "第三十三条")
    assert article["text"].endswith("任何公民享有宪法和法律规定的权利，同时必须履行宪法和法律规定的义务。")
    assert "国家尊重和保障人权。" in article["text"]


def test_constitution_article_64_is_quoted_whole():
    [article] = _laws(demo_content.XIANFA, "第六十四条")
    assert article["text"].endswith("法律和其他议案由全国人民代表大会以全体代表的过半数通过。")


def test_penalty_law_article_18_is_marked_as_an_excerpt():
    [article] = _laws(demo_content.CHUFA, "第十八条")
    assert "节录" in article["article"]


@pytest.mark.parametrize("prefix", ["第五条", "第三十三条", "第六十四条"])
def test_no_partial_constitution_quote_is_left_unmarked(prefix):
    for article in _laws(demo_content.XIANFA, prefix):
        assert "……" not in article["text"] or "节" in article["article"]


def test_showing_certificates_cites_articles_52_and_55_not_42():
    keys = _all_text("key_point")
    assert "出示执法证件（第四十二条）" not in keys
    assert "第五十二条、第五十五条" in keys


def test_the_demolition_case_title_matches_its_facts():
    case = _cases("违建拆除定在国庆假期")
    assert "国庆假期" in case["facts"] and "法定节假日" in case["analysis"]
    assert not [v for _t, k, v in _blocks() if k == "case_study" and "周六" in v["title"]]


def test_the_auxiliary_ticket_case_answers_that_the_decision_is_void():
    case = _cases("协管员开出的罚单")
    assert case["analysis"].startswith("<p>无效")
    assert "第三十八条" in case["analysis"]


def test_the_first_time_shop_display_without_harm_applies_article_33_first_sentence():
    case = _cases("第一次被发现的店外经营")
    assert "没有影响通行" in case["facts"]
    analysis = case["analysis"]
    assert analysis.startswith("<p>不应当罚款")
    assert "第三十三条第一款第一句" in analysis and "不予行政处罚" in analysis
    assert "可以不予处罚。初次违法" not in analysis


def test_the_seizure_key_point_separates_the_law_from_the_bureau_rule():
    [point] = [v for _t, k, v in _blocks() if k == "key_point" and v["title"] == "不得收取保管费"]
    law_part, bureau_part = point["text"].split("本局的规定")
    assert "第二十六条" in law_part and "逾期" not in law_part
    assert "逾期" in bureau_part


def test_the_coercion_overview_keeps_laws_and_regulations_of_article_17():
    assert "可以实施法律、法规规定的与其行政处罚权有关的行政强制措施" in _all_text("key_point")


def test_the_legal_officer_review_is_internal_and_not_the_statutory_review():
    keys = _all_text("key_point")
    assert "法律职业资格" in keys and "内部审核" in keys and "第五十八条" in keys
    analyses = _all_text("case_study")
    assert "先经法制员审核" not in analyses
