"""The quality screens: warnings on the edit page, marking one as considered, the bank report with counts,
and the exclusion-group proposals (accept / reject) and groups (split / merge) screens."""

from django.urls import reverse

import pytest

from lms.core.models import AuditEntry
from question_bank.exclusion import create_group
from question_bank.models import ExclusionGroup, ItemCheckReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def absolute(make_question):
    return make_question(code="T-1", question_type="true_false", options=[], answer=[False],
                         stem="违法建筑一律强制拆除。")


@pytest.fixture
def pair(make_question):
    a = make_question(code="P-1", legal_basis="《行政强制法》第十九条")
    b = make_question(code="P-2", question_type="true_false", options=[], answer=[True],
                      stem="当场实施行政强制措施的，应当在24小时内向负责人报告。", legal_basis="《行政强制法》第十九条")
    return a, b


def test_edit_page_shows_the_warnings(client, trainer, absolute):
    client.force_login(trainer)
    text = client.get(reverse("wagtailsnippets_question_bank_question:edit", args=[absolute.pk])).content.decode()
    assert 'id="item-checks"' in text and "一律" in text


def test_a_warning_is_marked_considered_with_a_reason_and_audited(client, trainer, absolute):
    client.force_login(trainer)
    url = reverse("question_bank_tools:question_checks", args=[absolute.pk])
    client.post(url, {"check": "absolute_word", "reason": ""})
    assert not ItemCheckReview.objects.exists()  # a reason is required
    client.post(url, {"check": "absolute_word", "reason": "“一律”在此为命题陷阱，本题答案为错误，题组中另有正确表述"})
    review = ItemCheckReview.objects.get()
    assert review.check_code == "absolute_word" and review.reviewed_by == trainer
    assert AuditEntry.objects.filter(action="question.check_considered").exists()
    text = client.get(url).content.decode()
    assert "命题陷阱" in text
    client.post(url, {"check": "absolute_word", "action": "reopen"})
    assert not ItemCheckReview.objects.exists()


def test_officer_cannot_reach_the_quality_screens(client, officer, absolute):
    client.force_login(officer)
    for url in (reverse("question_bank_tools:checks"), reverse("question_bank_tools:groups"),
                reverse("question_bank_tools:group_proposals"),
                reverse("question_bank_tools:question_checks", args=[absolute.pk])):
        assert client.get(url).status_code in (302, 403), url


def test_bank_report_shows_counts_per_check_and_key_positions(client, trainer, absolute, pair):
    from question_bank.models import Question
    from tests.unit.exams.factories import build_blueprint

    Question.objects.filter(code="P-1").update(status="active")
    build_blueprint(name="单选一题", sections=[("single", 1, "2")])
    client.force_login(trainer)
    response = client.get(reverse("question_bank_tools:checks"))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="check-counts"' in text and 'id="bank-keys"' in text and "T-1" in text
    counts = {row["check"]: row for row in response.context["counts"]}
    assert counts["absolute_word"]["open"] == 1
    assert counts["gives_away"]["open"] == 1  # P-1's key (24小时) is written in P-2's stem
    # the blueprint's pool: the one active single-choice question, key B
    [row] = response.context["blueprints"]
    assert row["blueprint"].name == "单选一题" and row["distributions"][0]["dist"].counts == {"B": 1}
    filtered = client.get(reverse("question_bank_tools:checks") + "?check=absolute_word")
    assert [row["code"] for row in filtered.context["rows"]] == ["T-1"]


def test_proposals_screen_accepts_a_group(client, trainer, pair):
    client.force_login(trainer)
    url = reverse("question_bank_tools:group_proposals")
    text = client.get(url).content.decode()
    assert "P-1" in text and "P-2" in text
    client.post(url, {"action": "accept", "question": [q.pk for q in pair], "name": "24小时报告"})
    group = ExclusionGroup.objects.get()
    assert group.name == "24小时报告" and group.members.count() == 2
    assert "P-1" not in client.get(url).content.decode()


def test_proposals_screen_rejects_a_proposal_for_good(client, trainer, pair):
    client.force_login(trainer)
    url = reverse("question_bank_tools:group_proposals")
    client.post(url, {"action": "reject", "question": [q.pk for q in pair]})
    assert not ExclusionGroup.objects.exists()
    assert "P-1" not in client.get(url).content.decode()


def test_groups_screen_splits_and_merges(client, trainer, make_question, pair):
    client.force_login(trainer)
    c = make_question(code="P-3", stem="查封期限一般为多少日？")
    d = make_question(code="P-4", stem="扣押期限一般为多少日？")
    first = create_group(questions=[*pair, c], code="HC1")
    second = create_group(questions=[d, make_question(code="P-5", stem="扣押可以延长多少日？")], code="HC2")
    url = reverse("question_bank_tools:groups")
    assert "HC1" in client.get(url).content.decode()
    client.post(url, {"action": "split", "group_id": first.pk, "question": [c.pk]})
    assert set(first.members.values_list("question__code", flat=True)) == {"P-1", "P-2"}
    client.post(url, {"action": "merge", "group": [first.pk, second.pk]})
    assert ExclusionGroup.objects.get().members.count() == 4
