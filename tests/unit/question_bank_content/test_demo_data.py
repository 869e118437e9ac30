"""Integrity of the demo question bank (pure data, no database).

The loader in question_bank and the exam blueprint (25 single + 10 multiple + 15
true/false drawn over the five top-level areas) both rely on these properties.
"""

import re
from collections import Counter, defaultdict

import pytest

from question_bank.demo_data import KNOWLEDGE_POINTS, QUESTIONS

TYPES = {"single", "multiple", "true_false", "fill_blank", "essay"}
TOP_LEVEL = {"XF": "宪法", "QZ": "行政强制法", "CF": "行政处罚法", "CG": "城市管理执法办法", "BJ": "本局制度"}
LETTERS = "ABCDEFGH"
BLANK = re.compile(r"_{4,}")

KP_PARENT = {code: parent for code, _name, parent in KNOWLEDGE_POINTS}


def root_of(kp):
    while KP_PARENT[kp] is not None:
        kp = KP_PARENT[kp]
    return kp


def ids(q):
    return q["code"]


def test_knowledge_point_codes_unique_and_named():
    codes = [code for code, _name, _parent in KNOWLEDGE_POINTS]
    assert len(codes) == len(set(codes))
    assert all(name.strip() for _code, name, _parent in KNOWLEDGE_POINTS)


def test_parents_come_before_children():
    seen = set()
    for code, _name, parent in KNOWLEDGE_POINTS:
        assert parent is None or parent in seen, f"{code} listed before its parent {parent}"
        seen.add(code)


def test_five_top_level_areas_and_required_branches():
    roots = {code: name for code, name, parent in KNOWLEDGE_POINTS if parent is None}
    assert roots == TOP_LEVEL
    names = {name for _code, name, _parent in KNOWLEDGE_POINTS}
    for required in ["总纲", "公民的基本权利和义务", "国家机构", "宪法宣誓与宪法日",
                     "总则与原则", "强制措施种类与设定", "实施程序", "查封扣押", "强制执行", "代履行与申请法院执行",
                     "种类与设定", "管辖与适用", "程序", "执行",
                     "现场强制措施24小时报告", "暂扣物品不收保管费", "法制员与法制审核", "柔性执法六项", "协管员管理",
                     "市容管理", "环境卫生管理", "城市道路管理", "执法队伍管理", "行政执法管理",
                     "行政许可服务管理", "数字化城市管理", "机关业务科室工作"]:
        assert required in names, required


def test_question_codes_unique_and_prefixed_by_area():
    codes = [q["code"] for q in QUESTIONS]
    dupes = [c for c, n in Counter(codes).items() if n > 1]
    assert not dupes
    for q in QUESTIONS:
        assert q["code"].split("-")[0] == root_of(q["kp"]), q["code"]


@pytest.mark.parametrize("q", QUESTIONS, ids=ids)
def test_common_fields(q):
    assert q["type"] in TYPES
    assert q["kp"] in KP_PARENT
    assert isinstance(q["difficulty"], int) and 1 <= q["difficulty"] <= 5
    for field in ("stem", "explanation", "legal_basis"):
        assert isinstance(q[field], str) and len(q[field].strip()) >= 4, field
    assert "《" in q["legal_basis"] or "本局" in q["legal_basis"], "legal basis must cite a law or bureau rule"
    assert q["points"] == (10 if q["type"] == "essay" else 2)
    assert isinstance(q["options"], list) and isinstance(q["answer"], list)


@pytest.mark.parametrize("q", QUESTIONS, ids=ids)
def test_shape_per_type(q):
    options, answer = q["options"], q["answer"]
    if q["type"] in ("single", "multiple"):
        assert all(isinstance(o, str) and o.strip() for o in options)
        assert len(set(options)) == len(options), "duplicate option text"
        assert answer == sorted(set(answer)), "answers are sorted distinct letters"
        assert all(a in LETTERS[: len(options)] for a in answer), "answer letter outside the options"
    if q["type"] == "single":
        assert len(options) == 4
        assert len(answer) == 1
    elif q["type"] == "multiple":
        assert 4 <= len(options) <= 6
        assert 2 <= len(answer) < len(options), "at least two right and at least one distractor"
    elif q["type"] == "true_false":
        assert options == []
        assert answer in ([True], [False])
    elif q["type"] == "fill_blank":
        assert options == []
        assert len(BLANK.findall(q["stem"])) == len(answer) >= 1
        for accepted in answer:
            assert isinstance(accepted, list) and accepted
            assert all(isinstance(a, str) and a.strip() for a in accepted)
    elif q["type"] == "essay":
        assert options == [] and answer == []
        assert len(q["reference_answer"]) >= 50
        assert len(q["marking_points"]) >= 3
        assert all(p.strip() for p in q["marking_points"])
    if q["type"] != "fill_blank":
        assert not BLANK.search(q["stem"]), "only fill-in questions carry ____ blanks"


def test_volume_and_all_types():
    by_type = Counter(q["type"] for q in QUESTIONS)
    assert len(QUESTIONS) >= 230
    assert set(by_type) == TYPES
    assert by_type["single"] >= 95
    assert by_type["multiple"] >= 45
    assert by_type["true_false"] >= 55
    assert by_type["fill_blank"] >= 20
    assert by_type["essay"] >= 15


def test_difficulty_spread():
    by_level = Counter(q["difficulty"] for q in QUESTIONS)
    assert set(by_level) == {1, 2, 3, 4, 5}
    middle = by_level[2] + by_level[3] + by_level[4]
    assert middle >= 0.7 * len(QUESTIONS), "most questions are of middling difficulty"
    assert by_level[1] >= 10 and by_level[4] >= 10 and by_level[5] >= 5


@pytest.mark.parametrize("root", sorted(TOP_LEVEL))
def test_each_area_can_fill_an_exam_blueprint(root):
    counts = Counter()
    levels = defaultdict(set)
    for q in QUESTIONS:
        if root_of(q["kp"]) == root:
            counts[q["type"]] += 1
            levels[q["type"]].add(q["difficulty"])
    assert counts["single"] >= 6
    assert counts["multiple"] >= 3
    assert counts["true_false"] >= 4
    for kind in ("single", "multiple", "true_false"):
        assert len(levels[kind]) >= 2, f"{root} {kind} questions all of one difficulty"


def test_blueprint_25_10_15_can_be_drawn_over_the_five_areas():
    # 5 single, 2 multiple, 3 true/false per area, each with at least two difficulty levels
    for root in TOP_LEVEL:
        pool = [q for q in QUESTIONS if root_of(q["kp"]) == root]
        for kind, need in (("single", 5), ("multiple", 2), ("true_false", 3)):
            assert sum(q["type"] == kind for q in pool) >= need


def test_key_facts_are_stated_consistently():
    text = "\n".join(q["stem"] + q["explanation"] + q.get("reference_answer", "") for q in QUESTIONS)
    # traps the brief names: no statement of wrong figures in explanations
    assert "二十四小时" in text or "24小时" in text
    assert "12月4日" in text
    for q in QUESTIONS:
        # explanations never recommend charging storage fees to the party
        assert "由当事人承担保管" not in q["explanation"]


def test_single_choice_answers_are_not_predictable_by_letter():
    letters = Counter(q["answer"][0] for q in QUESTIONS if q["type"] == "single")
    total = sum(letters.values())
    assert set(letters) == set("ABCD")
    assert max(letters.values()) <= 0.4 * total
    assert min(letters.values()) >= 0.1 * total


def test_true_false_answers_are_balanced():
    answers = Counter(q["answer"][0] for q in QUESTIONS if q["type"] == "true_false")
    assert min(answers[True], answers[False]) >= 0.35 * sum(answers.values())


# --- exam quality (issue 16): repeated facts grouped, article numbers cited -------------------------


def test_every_grouped_code_exists_and_is_in_one_group_only():
    from question_bank.demo_data import GROUPS

    codes = {q["code"] for q in QUESTIONS}
    listed = [c for _name, members in GROUPS.values() for c in members]
    assert len(listed) == len(set(listed)), "a question is in at most one group"
    assert set(listed) <= codes
    assert all(len(members) >= 2 and name for name, members in GROUPS.values())


def test_the_repeated_facts_the_review_named_are_one_group():
    from question_bank.demo_data import GROUPS

    by_code = {c: g for g, (_n, members) in GROUPS.items() for c in members}
    # the 24-hour report was asked six times in different forms
    assert len({by_code[c] for c in ("QZ-S17", "QZ-T08", "QZ-F01", "BJ-S02", "BJ-T01", "BJ-F01")}) == 1


def test_no_question_gives_away_another_outside_its_group():
    """Every pair where one question's key is written in another's stem is grouped, or was judged to test a
    different fact (DIFFERENT_FACTS)."""
    from question_bank.demo_data import DIFFERENT_FACTS
    from question_bank.item_checks import Item, giveaways

    items = [Item.of(q, group=q.get("group", "")) for q in QUESTIONS]
    found = giveaways(items, separated={frozenset(pair) for pair in DIFFERENT_FACTS})
    assert found == {}


def test_different_facts_pairs_name_existing_questions():
    from question_bank.demo_data import DIFFERENT_FACTS

    codes = {q["code"] for q in QUESTIONS}
    assert all(a in codes and b in codes and a != b for a, b in DIFFERENT_FACTS)


def test_measures_items_cite_article_numbers():
    """城市管理执法办法 items cite the article they test (the Measures' own, or the law it restates); only the
    items on the Measures' issuer and commencement date have no article to cite."""
    dates = {"CG-S01", "CG-S02", "CG-T01", "CG-F01"}
    for q in QUESTIONS:
        if q["code"].startswith("CG-") and q["code"] not in dates:
            assert re.search(r"第[一二三四五六七八九十百]+条", q["legal_basis"]), q["code"]
    cited = "".join(q["legal_basis"] for q in QUESTIONS if q["code"].startswith("CG-"))
    for article in ("第十四条", "第十五条", "第十六条", "第十七条"):
        assert "《城市管理执法办法》" + article in cited or article in cited


def test_no_absurd_distractors_remain():
    text = "".join("".join(q["options"]) for q in QUESTIONS)
    for absurd in ("家庭住址", "招商引资", "被褥", "拒绝任何行政检查", "罚没收入排名"):
        assert absurd not in text, absurd


def test_multiple_choice_has_two_to_four_wrong_options():
    for q in QUESTIONS:
        if q["type"] == "multiple":
            assert 2 <= len(q["options"]) - len(q["answer"]) <= 4, q["code"]
