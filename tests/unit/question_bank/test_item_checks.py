"""Item-writing checks (命题规范检查): each check with a flawed and a clean example, the bank figures, and
the demo bank passing the severe checks."""

from fractions import Fraction

import pytest

from question_bank import item_checks as ic
from question_bank.item_checks import (
    Item,
    check_bank,
    check_item,
    giveaways,
    key_distributions,
    longest_key_rate,
)


def single(stem, options, key, code="S1"):
    return Item(code=code, type="single", stem=stem, options=tuple(options), answer=(key,))


def multiple(stem, options, keys, code="M1"):
    return Item(code=code, type="multiple", stem=stem, options=tuple(options), answer=tuple(keys))


def true_false(stem, answer=False, code="T1"):
    return Item(code=code, type="true_false", stem=stem, answer=(answer,))


def checks(item):
    return {f.check for f in check_item(item)}


def test_key_that_is_the_uniquely_longest_option_is_flagged():
    flawed = single("扣押的期限一般不超过（ ）。", ["10日", "15日", "30日，情况复杂的经批准可以延长", "60日"], "C")
    assert ic.LONGEST_KEY in checks(flawed)


def test_key_of_ordinary_length_is_not_flagged():
    clean = single("扣押的期限一般不超过（ ）。", ["10日", "15日", "30日", "60日"], "C")
    assert ic.LONGEST_KEY not in checks(clean)


def test_absolute_word_in_a_true_false_stem_is_flagged():
    for stem in ("违法建筑一律强制拆除。", "所有行政强制措施都可以委托实施。", "执法人员任何时候都不得实施强制。"):
        assert ic.ABSOLUTE_WORD in checks(true_false(stem)), stem


def test_true_false_stem_without_absolute_words_is_clean():
    # 首都 contains 都 but is not an absolute word
    assert ic.ABSOLUTE_WORD not in checks(true_false("中华人民共和国首都是北京。", True))
    assert ic.ABSOLUTE_WORD not in checks(true_false("扣押物品的保管费用由行政机关承担。", True))


def test_multiple_choice_with_one_wrong_option_is_flagged():
    flawed = multiple("行政强制措施包括（ ）。", ["查封", "扣押", "冻结", "罚款"], "ABC")
    assert ic.FEW_DISTRACTORS in checks(flawed)


def test_multiple_choice_with_two_wrong_options_is_clean():
    clean = multiple("行政强制措施包括（ ）。", ["查封", "扣押", "罚款", "冻结", "代履行"], "ABD")
    assert ic.FEW_DISTRACTORS not in checks(clean)


def test_all_of_the_above_option_is_flagged():
    flawed = multiple("下列属于行政处罚的有（ ）。", ["警告", "罚款", "拘留", "以上都是", "扣押"], "ABCD")
    assert ic.ALL_OF_ABOVE in checks(flawed)


def test_options_naming_facts_are_clean():
    clean = multiple("下列属于行政处罚的有（ ）。", ["警告", "罚款", "行政拘留", "扣押财物", "查封场所"], "ABC")
    assert ic.ALL_OF_ABOVE not in checks(clean)


def test_negative_stem_without_emphasis_is_flagged():
    assert ic.NEGATIVE_STEM in checks(single("下列说法不正确的是（ ）。", ["甲", "乙", "丙", "丁"], "A"))


def test_emphasised_negative_stem_is_clean():
    for stem in ("下列说法【不正确】的是（ ）。", "下列说法<strong>不正确</strong>的是（ ）。"):
        assert ic.NEGATIVE_STEM not in checks(single(stem, ["甲", "乙", "丙", "丁"], "A")), stem


def test_options_of_very_unequal_length_are_flagged():
    flawed = single("关于扣押，正确的是（ ）。",
                    ["可以", "不可以", "应当在二十四小时内向行政机关负责人报告并补办批准手续", "视情况"], "A")
    assert ic.UNEQUAL_OPTIONS in checks(flawed)


def test_options_of_similar_length_are_clean():
    clean = single("关于扣押，正确的是（ ）。", ["期限为30日", "期限为15日", "期限为60日", "期限为90日"], "A")
    assert ic.UNEQUAL_OPTIONS not in checks(clean)


def test_a_stem_giving_away_another_key_is_flagged_unless_grouped():
    asks = single("紧急时当场实施强制措施，应当在多长时间内报告？", ["12小时", "24小时", "48小时", "72小时"], "B", code="X1")
    tells = true_false("当场实施强制措施的，应当在24小时内向负责人报告并补办批准手续。", True, code="X2")
    found = giveaways([asks, tells])
    assert [f.other for f in found["X2"]] == ["X1"]
    grouped = [Item(**{**asks.__dict__, "group": "G"}), Item(**{**tells.__dict__, "group": "G"})]
    assert giveaways(grouped) == {}


def test_unrelated_stems_give_nothing_away():
    asks = single("紧急时当场实施强制措施，应当在多长时间内报告？", ["12小时", "24小时", "48小时", "72小时"], "B", code="X1")
    other = true_false("扣押物品的保管费用由行政机关承担。", True, code="X2")
    assert giveaways([asks, other]) == {}


def test_key_distribution_compares_each_letter_with_uniform():
    items = [single("题", ["甲", "乙", "丙", "丁"], letter, code=f"S{i}") for i, letter in enumerate("AABC")]
    dist = key_distributions(items)["single"]
    assert dist.share("A") == Fraction(1, 2) and dist.expected_share("D") == Fraction(1, 4)
    assert not dist.uniform
    spread = [single("题", ["甲", "乙", "丙", "丁"], letter, code=f"S{i}") for i, letter in enumerate("ABCD")]
    assert key_distributions(spread)["single"].uniform


def test_longest_key_rate_against_chance():
    long_key = [single("题", ["甲", "乙乙乙", "丙", "丁"], "B", code=f"S{i}") for i in range(2)]
    other = [single("题", ["甲", "乙乙乙", "丙", "丁"], "A", code=f"T{i}") for i in range(6)]
    rate = longest_key_rate(long_key + other)
    assert rate.longest_is_key == 2 and rate.chance == 2 and rate.at_or_below_chance
    assert not longest_key_rate(long_key * 2 + other[:2]).at_or_below_chance


def test_a_considered_warning_is_not_open():
    item = true_false("行政机关必须依法实施行政强制。", True, code="T9")
    report = check_bank([item], considered={("T9", ic.ABSOLUTE_WORD): "“必须”是法条原文，且本题为正确"})
    assert report.findings["T9"][0].considered
    assert report.open_findings(severity=ic.SEVERE) == {}


# --- the demo bank -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_report():
    from question_bank.demo_data import CONSIDERED, QUESTIONS

    items = [Item.of(q, group=q.get("group", "")) for q in QUESTIONS]
    return check_bank(items, considered={(code, check): reason for code, checks in CONSIDERED.items()
                                         for check, reason in checks.items()})


def test_demo_bank_longest_option_key_at_chance_or_below(demo_report):
    assert demo_report.longest.at_or_below_chance, demo_report.longest


def test_demo_bank_every_multiple_choice_has_two_to_four_wrong_options(demo_report):
    from question_bank.demo_data import QUESTIONS

    for q in QUESTIONS:
        if q["type"] == "multiple":
            assert 2 <= len(q["options"]) - len(q["answer"]) <= 4, q["code"]
    assert not [c for c, fs in demo_report.findings.items() if any(f.check == ic.FEW_DISTRACTORS for f in fs)]


def test_demo_bank_has_no_unconsidered_absolute_word(demo_report):
    open_absolute = {c: [f.message for f in fs if f.check == ic.ABSOLUTE_WORD]
                     for c, fs in demo_report.open_findings(severity=ic.SEVERE).items()}
    assert not any(open_absolute.values()), open_absolute


def test_demo_bank_key_letters_within_ten_points_of_uniform(demo_report):
    for qtype, dist in demo_report.distributions.items():
        assert dist.uniform, (qtype, dist.rows())


def test_demo_bank_passes_the_severe_checks(demo_report):
    assert demo_report.severe_ok


def test_demo_bank_keys_use_every_letter_for_multiple_choice():
    from question_bank.demo_data import QUESTIONS

    letters = {a for q in QUESTIONS if q["type"] == "multiple" for a in q["answer"]}
    assert set("ABCDE") <= letters
    combos = [("".join(q["answer"])) for q in QUESTIONS if q["type"] == "multiple"]
    assert sum(c in ("ABC", "ABCD") for c in combos) <= len(combos) // 4
