"""The question bank in the Wagtail admin: listing, filters, Chinese search, preview, forms, bulk actions,
coverage and the upload → preview → confirm import, with role permissions."""

from django.urls import reverse

import pytest

from lms.core import roles
from lms.jobs.models import Job, JobStatus
from question_bank.models import Question, QuestionStatus
from question_bank.services.questions import freeze_current_version

from .sheets import single, workbook_bytes

pytestmark = pytest.mark.django_db
LIST = "wagtailsnippets_question_bank_question:list"


@pytest.fixture
def bank(make_question, kp_tree):
    return {
        "coercion": make_question(code="QZ1", status=QuestionStatus.ACTIVE, difficulty=2),
        "seizure": make_question(code="QZ2", stem="查封、扣押的期限不得超过多少日？", options=["15日", "30日"], answer=["B"],
                                 knowledge_point=kp_tree["enforcement"], difficulty=4),
        "constitution": make_question(code="XF1", question_type="true_false", options=[], answer=[True],
                                      stem="国家宪法日是每年的12月4日。", knowledge_point=kp_tree["constitution"],
                                      status=QuestionStatus.ACTIVE),
    }


def listed_codes(client, **params):
    response = client.get(reverse(LIST), params)
    assert response.status_code == 200
    return {code for code in ("QZ1", "QZ2", "XF1") if f">{code}<" in response.content.decode()}


@pytest.mark.dual_db
@pytest.mark.parametrize("query,expected", [("扣押", {"QZ2"}), ("宪法", {"XF1"}), ("报告", {"QZ1"}),
                                            ("强制 负责人", {"QZ1"}), ("ＱＺ2", {"QZ2"}), ("不存在的词", set())])
def test_chinese_keyword_search_finds_a_two_character_word_inside_a_stem(client, trainer, bank, query, expected):
    client.force_login(trainer)
    assert listed_codes(client, q=query) == expected


@pytest.mark.dual_db
def test_search_selector_on_this_database(bank):
    from question_bank.selectors import search_questions

    assert list(search_questions(Question.objects.all(), "期限").values_list("code", flat=True)) == ["QZ2"]


def test_filters_by_type_subtree_difficulty_and_status(client, trainer, bank, kp_tree):
    client.force_login(trainer)
    assert listed_codes(client, type="true_false") == {"XF1"}
    assert listed_codes(client, knowledge_point=kp_tree["law"].pk) == {"QZ1", "QZ2"}  # subtree
    assert listed_codes(client, difficulty=4) == {"QZ2"}
    assert listed_codes(client, status="draft") == {"QZ2"}


def test_preview_shows_what_an_officer_sees_and_never_the_answer(client, trainer, bank):
    client.force_login(trainer)
    response = client.get(reverse("question_bank_tools:preview", args=[bank["coercion"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "应当在多长时间内" in html and "24小时" in html and 'type="radio"' in html
    assert "行政强制法第十九条" not in html  # explanation stays hidden
    assert "《行政强制法》第十九条" not in html  # legal basis too


def test_creating_a_question_through_the_form_parses_the_answer_spelling(client, trainer, kp_tree):
    client.force_login(trainer)
    response = client.post(reverse("wagtailsnippets_question_bank_question:add"), {
        "code": "", "type": "multiple", "knowledge_point": kp_tree["measures"].pk,
        "stem": "下列哪些属于行政强制措施？", "option_a": "查封场所", "option_b": "扣押财物", "option_c": "罚款",
        "answer_text": "A、B", "difficulty": 3, "points": "2", "explanation": "", "legal_basis": "",
        "reference_answer": "", "marking_points_text": "",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get()
    assert question.answer == ["A", "B"] and question.options == ["查封场所", "扣押财物", "罚款"]
    assert question.current_version.number == 1


def test_the_form_reports_a_wrong_answer_on_the_answer_field(client, trainer, kp_tree):
    client.force_login(trainer)
    response = client.post(reverse("wagtailsnippets_question_bank_question:add"), {
        "type": "single", "knowledge_point": kp_tree["measures"].pk, "stem": "题干", "option_a": "甲",
        "option_b": "乙", "answer_text": "E", "difficulty": 3, "points": "2",
    })
    assert response.status_code == 200 and Question.objects.count() == 0
    assert "answer_text" in response.context["form"].errors


def test_editing_a_used_question_in_the_admin_keeps_the_old_version(client, trainer, bank):
    question = bank["coercion"]
    old = freeze_current_version(question=question)
    client.force_login(trainer)
    response = client.post(reverse("wagtailsnippets_question_bank_question:edit", args=[question.pk]), {
        "type": "single", "knowledge_point": question.knowledge_point_id, "stem": question.stem,
        "option_a": "12小时", "option_b": "24小时", "option_c": "48小时", "option_d": "72小时",
        "answer_text": "B", "difficulty": 2, "points": "3", "explanation": "改", "legal_basis": "",
        "reference_answer": "", "marking_points_text": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    old.refresh_from_db()
    question.refresh_from_db()
    assert str(old.points) == "2.0" and question.current_version.number == 2 and str(question.points) == "3.0"


def test_bulk_activate_and_move(client, trainer, bank, kp_tree):
    client.force_login(trainer)
    ids = [bank["seizure"].pk, bank["coercion"].pk]
    url = reverse("wagtail_bulk_action", args=["question_bank", "question", "activate"])
    response = client.post(f"{url}?id={ids[0]}&id={ids[1]}&next={reverse(LIST)}")
    assert response.status_code == 302
    assert set(Question.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"active"}
    url = reverse("wagtail_bulk_action", args=["question_bank", "question", "move"])
    client.post(f"{url}?id={ids[0]}&id={ids[1]}", {"knowledge_point": kp_tree["constitution"].pk})
    assert set(Question.objects.filter(pk__in=ids).values_list("knowledge_point", flat=True)) == {kp_tree["constitution"].pk}


def test_coverage_matrix_counts_active_questions_per_subtree(client, trainer, bank, kp_tree):
    from question_bank.selectors import coverage_matrix

    rows = {row.knowledge_point.code: row for row in coverage_matrix()}
    assert rows["QZF"].cells == {("single", 2): 1}  # QZ2 is a draft; QZ1 sits in a sub-point
    assert rows["XF"].totals == {"true_false": 1}
    client.force_login(trainer)
    response = client.get(reverse("question_bank_tools:coverage"))
    assert response.status_code == 200 and "行政强制措施" in response.content.decode()


def test_import_upload_preview_with_error_row_then_confirm(client, trainer, django_capture_on_commit_callbacks):
    client.force_login(trainer)
    bad = workbook_bytes([single(题目编号="A1"), single(题目编号="A2", 答案="Z")])
    response = client.post(reverse("question_bank_import:index"), {"file": _upload("q.xlsx", bad)})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="import-errors"' in html and 'id="confirm-import"' not in html
    assert Question.objects.count() == 0
    good = workbook_bytes([single(题目编号="A1"), single(题目编号="A2", 题干="另一道不同的题目内容", 答案="C")])
    response = client.post(reverse("question_bank_import:index"), {"file": _upload("q.xlsx", good)})
    token = response.context["token"]
    assert token and Question.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("question_bank_import:confirm"), {"token": token})
    job = Job.objects.get(kind="questions.import", owner=trainer)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED and job.result["counts"]["create"] == 2
    assert Question.objects.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "2" in page and reverse("wagtailsnippets_question_bank_question:list") in page
    # A second click on "confirm" shows the same job and imports nothing more.
    assert client.post(reverse("question_bank_import:confirm"), {"token": token}).status_code == 302
    assert Question.objects.count() == 2 and Job.objects.count() == 1


def test_import_refuses_a_path_as_token(client, trainer):
    client.force_login(trainer)
    response = client.post(reverse("question_bank_import:confirm"), {"token": "../../etc/passwd"})
    assert response.status_code == 302 and not Job.objects.exists()


def test_the_preview_file_is_private_and_bound_to_its_uploader(client, trainer, django_capture_on_commit_callbacks):
    """Issue 15 item 6: previews are not under the public media folder and nobody else can confirm them."""
    from django.core.files.storage import default_storage

    from lms.jobs.models import Upload
    from tests.conftest import make_user

    client.force_login(trainer)
    data = workbook_bytes([single(题目编号="P1")])
    token = client.post(reverse("question_bank_import:index"), {"file": _upload("q.xlsx", data)}).context["token"]
    upload = Upload.objects.get(pk=token)
    assert upload.owner == trainer and upload.file.storage is not default_storage
    assert not default_storage.exists(f"question_imports/{token}") and not default_storage.exists(upload.file.name)
    other = make_user("trainer2", roles.TRAINER)
    client.force_login(other)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("question_bank_import:confirm"), {"token": token})
    assert response.status_code == 302 and Question.objects.count() == 0 and not Job.objects.exists()


def test_template_and_export_download(client, trainer, bank):
    client.force_login(trainer)
    for name in ("question_bank_import:template", "question_bank_tools:export"):
        response = client.get(reverse(name))
        assert response.status_code == 200 and response.content.startswith(b"PK")


@pytest.mark.parametrize("role_user", ["hr_user", "assessor"])
def test_other_roles_cannot_reach_the_question_bank(client, role_user, request, bank):
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(reverse(LIST)).status_code in (302, 403)
    assert client.get(reverse("question_bank_import:index")).status_code in (302, 403)
    assert client.get(reverse("question_bank_tools:preview", args=[bank["coercion"].pk])).status_code in (302, 403)


def test_officers_never_reach_the_admin(client, officer):
    client.force_login(officer)
    assert client.get(reverse(LIST)).status_code == 403


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_knowledge_points_are_created_under_a_parent(client, trainer, kp_tree):
    client.force_login(trainer)
    response = client.post(reverse("wagtailsnippets_question_bank_knowledgepoint:add"),
                           {"parent": kp_tree["law"].pk, "code": "QZF-DLX", "name": "代履行"})
    assert response.status_code == 302, response.content.decode()[:2000]
    from question_bank.models import KnowledgePoint

    assert KnowledgePoint.objects.get(code="QZF-DLX").get_parent() == kp_tree["law"]
    assert "代履行" in client.get(reverse("wagtailsnippets_question_bank_knowledgepoint:list")).content.decode()


@pytest.mark.dual_db
def test_search_text_follows_edits_and_single_characters_still_match(bank):
    from question_bank.selectors import search_questions
    from question_bank.services.questions import update_question

    update_question(question=bank["seizure"], stem="代履行的费用由当事人承担吗？", options=["是", "否"], answer=["A"])
    codes = lambda q: set(search_questions(Question.objects.all(), q).values_list("code", flat=True))  # noqa: E731
    assert codes("代履行") == {"QZ2"} and codes("扣押") == set()
    assert codes("费") == {"QZ2"}  # one character: substring match
    assert codes("qz1") == {"QZ1"}  # codes are searchable too


def test_add_and_edit_pages_render_with_the_options_and_answer_spelled(client, trainer, bank):
    client.force_login(trainer)
    assert client.get(reverse("wagtailsnippets_question_bank_question:add")).status_code == 200
    response = client.get(reverse("wagtailsnippets_question_bank_question:edit", args=[bank["coercion"].pk]))
    html = response.content.decode()
    assert response.status_code == 200 and 'value="24小时"' in html and 'name="answer_text"' in html
    assert client.get(reverse("question_bank_tools:preview_version", args=[bank["coercion"].pk, 1])).status_code == 200
