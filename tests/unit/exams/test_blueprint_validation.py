"""Blueprints are checked when saved, with the check page's own messages: a blueprint whose quotas cannot
work is refused; one the bank cannot fill yet is saved with the shortfall named."""

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from question_bank.assembly import check_blueprint
from question_bank.models import Blueprint

from .factories import build_bank, build_blueprint

pytestmark = pytest.mark.django_db
ADD = "wagtailsnippets_question_bank_blueprint:add"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def kps(db):
    return build_bank({("single", "K1", 3): 12, ("single", "K2", 3): 3, ("true_false", "K1", 2): 2})


def blueprint_data(*, sections, knowledge_quotas=(), difficulty_quotas=(), name="季度测验方案"):
    return nested_form_data({
        "name": name, "description": "", "practice_minutes": "60",  # the editor's mock-exam time, as the browser sends it
        "sections": inline_formset([
            {"question_type": t, "count": str(n), "points": str(p), "title": "", "sort_order": str(i)}
            for i, (t, n, p) in enumerate(sections)
        ]),
        "knowledge_quotas": inline_formset([
            {"question_type": t, "knowledge_point": str(kp.pk), "count": "" if n is None else str(n),
             "share": "" if s is None else str(s)}
            for t, kp, n, s in knowledge_quotas
        ]),
        "difficulty_quotas": inline_formset([
            {"question_type": t, "difficulty": str(d), "count": "" if n is None else str(n),
             "share": "" if s is None else str(s)}
            for t, d, n, s in difficulty_quotas
        ]),
    })


def form_errors(response) -> str:
    form = response.context["form"]
    return " ".join(str(message) for message in form.non_field_errors())


def test_a_quota_that_does_not_add_up_to_its_section_is_refused_with_the_check_page_message(client, trainer, kps):
    client.force_login(trainer)
    response = client.post(reverse(ADD), blueprint_data(
        sections=[("single", 10, 10)], knowledge_quotas=[("single", kps["K1"], 3, None)],
    ))
    assert response.status_code == 200
    assert not Blueprint.objects.exists()
    errors = form_errors(response)
    # The same words the check page shows for this blueprint.
    saved = build_blueprint(name="对照", sections=[("single", 10, "10")], kp_quotas=[("single", kps["K1"], 3, None)])
    (issue,) = check_blueprint(saved).issues
    assert issue in errors and "3" in issue and "10" in issue


def test_mixed_counts_and_shares_and_two_sections_of_one_type_are_refused(client, trainer, kps):
    client.force_login(trainer)
    response = client.post(reverse(ADD), blueprint_data(
        sections=[("single", 10, 5), ("single", 5, 10)],
        difficulty_quotas=[("single", 3, 5, None), ("single", 2, None, 50)],
    ))
    assert response.status_code == 200 and not Blueprint.objects.exists()
    errors = form_errors(response)
    assert "两个部分" in errors or "两个" in errors


def test_a_blueprint_the_bank_cannot_fill_yet_is_saved_with_the_shortfall_named(client, trainer, kps):
    client.force_login(trainer)
    response = client.post(reverse(ADD), blueprint_data(
        sections=[("single", 5, 4), ("true_false", 4, 20)], knowledge_quotas=[("true_false", kps["K1"], 4, None)],
    ))
    assert response.status_code == 302
    blueprint = Blueprint.objects.get()
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert any("需要 4 题，题库中启用的只有 2 题" in w for w in warnings), warnings
    assert check_blueprint(blueprint).issues


def test_a_workable_blueprint_saves_without_warnings_and_edits_are_checked_too(client, trainer, kps):
    client.force_login(trainer)
    response = client.post(reverse(ADD), blueprint_data(
        sections=[("single", 10, 10)], knowledge_quotas=[("single", kps["K1"], 8, None), ("single", kps["K2"], 2, None)],
    ))
    assert response.status_code == 302
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    blueprint = Blueprint.objects.get()
    edit = reverse("wagtailsnippets_question_bank_blueprint:edit", args=[blueprint.pk])
    response = client.post(edit, blueprint_data(
        sections=[("single", 10, 10)], knowledge_quotas=[("single", kps["K1"], 3, None)],
    ))
    assert response.status_code == 200
    assert blueprint.knowledge_quotas.count() == 2
