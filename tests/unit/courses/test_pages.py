"""Course pages in the style of Wagtail's own page tests: where each type may be created, that a trainer
can create them through the admin, that every block renders (and previews), and what officers may see."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest

from courses.models import CourseIndexPage, CoursePage, LessonPage
from lms.core import roles
from tests.conftest import make_user

from . import factories

pytestmark = pytest.mark.django_db


class CoursePageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = factories.course_index()
        cls.course = factories.make_course()

    def setUp(self):
        super().setUp()
        self.client.force_login(make_user("trainer-pages", roles.TRAINER))

    def test_index_goes_under_the_site_root_and_holds_courses_only(self):
        self.assertCanCreateAt(Page, CourseIndexPage)
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_course_goes_only_in_the_course_centre(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertCanNotCreateAt(Page, CoursePage)

    def test_lesson_goes_only_in_a_course_and_has_no_children(self):
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)

    def test_a_trainer_can_create_a_course(self):
        data = nested_form_data({
            "title": "行政强制法与城管执法",
            "slug": "coercion-law",
            "summary": "强制措施与强制执行",
            "class_hours": "3",
            "is_required": "on",
        })
        data["positions"] = ["legal_officer", "squad_leader"]
        self.assertCanCreate(self.index, CoursePage, data)
        course = CoursePage.objects.get(title="行政强制法与城管执法")
        assert course.live
        assert course.positions == ["legal_officer", "squad_leader"]

    def test_a_trainer_can_create_a_lesson_with_every_kind_of_block(self):
        image = factories.make_image()
        document = factories.make_document()
        first, second = factories.make_question(code="Q1"), factories.make_question(code="Q2", stem="另一道题")
        self.assertCanCreate(self.course, LessonPage, nested_form_data({
            "title": "紧急情况下的强制措施",
            "slug": "emergency",
            "intro": "二十四小时内报告",
            "min_seconds": "120",
            "body": streamfield([
                ("paragraph", rich_text("<p>正文</p>")),
                ("law_article", {"law": "中华人民共和国行政强制法", "article": "第十九条", "text": "二十四小时内报告"}),
                ("key_point", {"title": "要点", "text": rich_text("<p>补办批准手续</p>")}),
                ("case_study", {"title": "案例", "facts": "事实", "question": "问题", "analysis": rich_text("<p>分析</p>")}),
                ("image", {"image": image.pk, "caption": "图"}),
                ("video", {"video": document.pk, "caption": "视频"}),
                ("document", {"document": document.pk, "title": "全文"}),
                ("practice", {"title": "练习", "questions": chosen([first, second])}),
            ]),
        }))
        lesson = LessonPage.objects.get(title="紧急情况下的强制措施")
        assert [block.block_type for block in lesson.body] == [
            "paragraph", "law_article", "key_point", "case_study", "image", "video", "document", "practice",
        ]
        assert lesson.practice_codes() == ["Q1", "Q2"]

    def test_lessons_open_in_the_admin_editor(self):
        lesson = factories.make_lesson(self.course)
        response = self.client.get(f"/admin/pages/{lesson.pk}/edit/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "查封扣押")


def chosen(questions) -> dict:
    """A ListBlock of choosers as the editor posts it."""
    data = {str(i): {"value": str(q.pk), "deleted": "", "order": str(i), "id": ""} for i, q in enumerate(questions)}
    data["count"] = str(len(questions))
    return data


class CourseIndexCreationTests(WagtailPageTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(make_user("trainer-index", roles.TRAINER))

    def test_a_trainer_can_create_the_course_centre_under_the_site_root_once(self):
        root = Site.objects.get(is_default_site=True).root_page
        self.assertCanCreate(root, CourseIndexPage, nested_form_data({"title": "课程中心", "slug": "courses", "intro": rich_text("")}))
        self.assertEqual(CourseIndexPage.objects.get().url, "/courses/")
        self.assertFalse(CourseIndexPage.can_create_at(root.specific))  # max_count = 1


def every_block_body(image, document, question):
    return [
        ("paragraph", "<p>宪法是国家的根本法。</p>"),
        ("law_article", {"law": "中华人民共和国宪法", "article": "第二十七条", "text": "国家工作人员就职时应当依照法律规定公开进行宪法宣誓。"}),
        ("key_point", {"title": "记住", "text": "<p>二十四小时内报告</p>"}),
        ("case_study", {"title": "逾期领取", "facts": "拖了两个月才来领取", "question": "能否收费？", "analysis": "<p>不得收取保管费</p>"}),
        ("image", {"image": image, "caption": "执法记录仪"}),
        ("video", {"video": document, "caption": "示范视频"}),
        ("document", {"document": document, "title": "法律全文"}),
        ("practice", {"title": "随堂练习", "questions": [question.code]}),
    ]


def test_a_lesson_renders_every_block_for_an_officer(client, officer):
    question = factories.make_question(stem="保管费用由谁承担？")
    image, document = factories.make_image(), factories.make_document()
    lesson = factories.make_lesson(factories.make_course(), body=every_block_body(image, document, question))
    client.force_login(officer)
    html = client.get(lesson.url).content.decode()
    assert "宪法是国家的根本法" in html
    assert "<blockquote>国家工作人员就职时应当依照法律规定公开进行宪法宣誓。</blockquote>" in html
    assert "——《中华人民共和国宪法》<span class=\"law-article-number\">第二十七条</span>" in html
    assert 'class="key-point"' in html and "二十四小时内报告" in html
    assert "<details class=\"case-analysis\">" in html and "不得收取保管费" in html
    assert "<img" in html and "执法记录仪" in html
    assert "<video" in html and document.url in html
    assert "法律全文" in html
    assert "保管费用由谁承担？" in html
    assert 'id="lesson-end"' in html and "courses/progress.js" in html


def test_a_practice_block_never_sends_the_answer_or_explanation(client, officer):
    question = factories.make_question(stem="保管费用由谁承担？", explanation="解析：第二十六条规定由行政机关承担")
    lesson = factories.make_lesson(factories.make_course(), body=[("practice", {"title": "练习", "questions": [question.code]})])
    client.force_login(officer)
    html = client.get(lesson.url).content.decode()
    assert "保管费用由谁承担？" in html
    assert "解析：第二十六条" not in html
    assert "行政强制法第二十六条" not in html  # legal basis is shown only after answering
    assert '"answer"' not in html.replace('name="answer"', "")


def test_a_practice_block_naming_unknown_questions_degrades_gracefully(client, officer):
    lesson = factories.make_lesson(factories.make_course(), body=[("practice", {"title": "练习", "questions": ["NOPE-1"]})])
    client.force_login(officer)
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "本节练习题暂未上线" in response.content.decode()


@pytest.mark.parametrize("name", list(LessonPage.body.field.stream_block.child_blocks))
def test_every_block_has_an_admin_preview(client, trainer, name):
    block = LessonPage.body.field.stream_block.child_blocks[name]
    assert block.is_previewable
    assert block.get_template() and block.get_template().startswith("blocks/")
    client.force_login(trainer)
    response = client.get("/admin/block-preview/", {"id": block.definition_prefix})
    assert response.status_code == 200
    html = response.content.decode()
    assert "courses/courses.css" in html
    assert f"block-{name}" in html


def test_officers_do_not_see_drafts(client, officer):
    course = factories.make_course()
    draft = factories.make_lesson(course, title="草稿课时", live=False)
    published = factories.make_lesson(course, title="已发布课时")
    published.title = "尚未发布的修改"
    published.save_revision()  # a newer draft of a live page
    client.force_login(officer)
    assert client.get(f"{course.url}{draft.slug}/").status_code == 404
    html = client.get(published.url).content.decode()
    assert "已发布课时" in html and "尚未发布的修改" not in html
    course_html = client.get(course.url).content.decode()
    assert "草稿课时" not in course_html and "已发布课时" in course_html


def test_anonymous_visitors_are_sent_to_sign_in(client):
    lesson = factories.make_lesson(factories.make_course())
    response = client.get(lesson.url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_course_centre_lives_at_courses(client, officer):
    factories.make_course(title="宪法学习")
    client.force_login(officer)
    response = client.get("/courses/")
    assert response.status_code == 200
    assert "宪法学习" in response.content.decode()


def _render_queries(client, lesson) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lesson.url).status_code == 200
    return len(queries)


def test_rendering_a_lesson_takes_a_bounded_number_of_queries_whatever_its_blocks(client, officer):
    image, document = factories.make_image(), factories.make_document()
    questions = [factories.make_question() for _ in range(10)]
    def body(repeat):
        blocks = []
        for n in range(repeat):
            blocks += every_block_body(image, document, questions[n % len(questions)])
        return blocks

    # Each the only lesson of its course, so the pages differ in their blocks alone.
    small = factories.make_lesson(factories.make_course(), body=body(1))
    large = factories.make_lesson(factories.make_course(), body=body(10))  # 80 blocks
    client.force_login(officer)
    _render_queries(client, small)  # warm image renditions, sessions and the site-root cache
    _render_queries(client, large)
    small_count, large_count = _render_queries(client, small), _render_queries(client, large)
    assert large_count == small_count
    assert large_count <= 25


def test_course_pages_reference_no_other_host(client, officer):
    from tests.unit.test_no_external_assets import external_references

    question = factories.make_question()
    course = factories.make_course()
    lesson = factories.make_lesson(course, body=every_block_body(factories.make_image(), factories.make_document(), question))
    client.force_login(officer)
    for url in ("/courses/", course.url, lesson.url, "/learn/", "/learn/practice/", f"/learn/practice/?course={course.pk}",
                "/learn/wrong-answers/", "/learn/search/?q=保管"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert external_references(response.content.decode()) == [], url
