"""On a phone: an officer opens his study plan, reads a lesson to the end (the server times it), practises,
gets one wrong and finds it in his wrong-answer book. Screenshots go to test-output/."""

from datetime import date

from django.utils import timezone

import pytest

from courses import services
from courses.models import LessonProgress, StudyPlan, StudyPlanCourse, WrongAnswer
from tests.unit.courses import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def study_setup(officer, monkeypatch):
    # Short beats so the test does not wait: the server still measures the time between them.
    monkeypatch.setattr(services, "HEARTBEAT_SECONDS", 1)
    factories.make_person(user=officer, name="赵强", position="enforcement_officer")
    point = factories.make_knowledge_point("KP-XF", "宪法")
    question = factories.make_question(
        code="XF-001", type="single", knowledge_point=point,
        stem="国家工作人员就职时应当依照法律规定公开进行什么宣誓？",
        options=["入职宣誓", "宪法宣誓", "保密宣誓", "廉洁宣誓"], answer=["B"],
        explanation="宪法第二十七条第三款：国家工作人员就职时应当依照法律规定公开进行宪法宣誓。",
        legal_basis="宪法第二十七条",
    )
    course = factories.make_course(title="宪法学习", class_hours="4", knowledge_points=[point])
    body = [
        ("paragraph", "<p>宪法是国家的根本法，具有最高的法律效力。2018年修正时，宪法宣誓制度被写入宪法。</p>"),
        ("law_article", {"law": "中华人民共和国宪法", "article": "第二十七条第三款",
                         "text": "国家工作人员就职时应当依照法律规定公开进行宪法宣誓。"}),
        ("key_point", {"title": "要点", "text": "<p>宪法宣誓是法定的就职程序，不是可有可无的仪式。</p>"}),
        ("case_study", {"title": "新任中队长的第一课", "facts": "区局新任命了一名中队长。有人认为宪法宣誓只是走个形式。",
                        "question": "宪法宣誓对执法人员意味着什么？",
                        "analysis": "<p>执法权来自宪法和法律，必须在宪法和法律范围内行使。</p>"}),
    ] + [("paragraph", f"<p>第{n}段：依法行政要求执法人员尊崇宪法、遵守法律、规范执法、文明执法。</p>") for n in range(1, 9)]
    lesson = factories.make_lesson(course, title="宪法宣誓制度", body=body, min_seconds=3)
    plan = StudyPlan.objects.create(year=timezone.localdate().year, title="年度学法计划", class_hour_target=12)
    StudyPlanCourse.objects.create(plan=plan, course=course, deadline=date(plan.year, 12, 4))
    return {"lesson": lesson, "question": question, "course": course}


def shot(page, output_dir, name):
    page.screenshot(path=str(output_dir / f"courses-phone-{name}.png"), full_page=True)


def test_an_officer_studies_practises_and_finds_his_mistake_on_a_phone(phone_page, study_setup, officer, output_dir):
    page = phone_page
    page.goto(f"{page.base_url}/accounts/login/?next=/learn/")
    page.fill("input[name=username]", "officer1")
    page.fill("input[name=password]", "pass-Word-123")
    page.locator("form:has(input[name=password]) button[type=submit]").click()

    # 1. His study plan, with the required course.
    page.wait_for_url(f"{page.base_url}/learn/")
    plan = page.locator(".plan")
    assert "年度学法计划" in plan.inner_text() and "宪法学习" in plan.inner_text()
    shot(page, output_dir, "1-plan")

    # 2. The course, then the lesson, read to the end.
    plan.get_by_role("link", name="宪法学习").click()
    page.get_by_role("link", name="宪法宣誓制度").click()
    page.wait_for_selector("blockquote")
    shot(page, output_dir, "2-lesson-top")
    page.get_by_text("查看分析").click()  # the case analysis opens on request
    assert page.get_by_text("执法权来自宪法和法律").is_visible()
    page.locator("#lesson-end").scroll_into_view_if_needed()
    page.wait_for_selector("#lesson-end.is-complete", timeout=20000)
    assert "本课时已完成" in page.locator("#lesson-end").inner_text()
    shot(page, output_dir, "3-lesson-complete")
    progress = LessonProgress.objects.get(user=officer, lesson=study_setup["lesson"])
    assert progress.completed_at is not None and progress.seconds_spent >= 3

    # 3. Practise the course and get the question wrong.
    page.goto(f"{page.base_url}/learn/practice/?course={study_setup['course'].pk}")
    assert "国家工作人员就职时" in page.content()
    assert "第二十七条第三款：" not in page.content()  # the explanation waits for the answer
    page.locator("label.option", has_text="保密宣誓").click()
    shot(page, output_dir, "4-practice")
    page.get_by_role("button", name="提交答案").click()
    page.wait_for_selector(".feedback-wrong")
    assert "正确答案" in page.content() and "宪法第二十七条第三款" in page.content()
    shot(page, output_dir, "5-feedback")

    # 4. The wrong-answer book has it.
    page.get_by_role("link", name="错题本").first.click()
    page.wait_for_url("**/learn/wrong-answers/")
    assert "国家工作人员就职时应当依照法律规定公开进行什么宣誓？" in page.locator(".wrong-list").inner_text()
    shot(page, output_dir, "6-wrong-book")
    assert WrongAnswer.objects.filter(user=officer, question=study_setup["question"], resolved_at__isnull=True).exists()

    # The plan now shows the completed course and its class hours.
    page.goto(f"{page.base_url}/learn/")
    assert "已完成" in page.locator(".plan").inner_text()
    shot(page, output_dir, "7-plan-after")
