"""Builders for the courses tests: a published page tree, questions in the bank, roster people."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.core.files.base import ContentFile

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale, Page, Site

from courses.models import CourseIndexPage, CoursePage, LessonPage
from lms.roster.models import Category, OrgUnit, Person
from question_bank.models import KnowledgePoint, Question, QuestionStatus

_counter = itertools.count(1)


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def course_index() -> CourseIndexPage:
    existing = CourseIndexPage.objects.first()
    if existing:
        return existing
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:  # transactional tests flush the tree (and locale) that Wagtail's migrations created
        Locale.objects.get_or_create(language_code="zh-hans")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=Page(title="首页", slug="home"))
        site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    root = site.root_page
    index = CourseIndexPage(title="课程中心", slug="courses")
    root.add_child(instance=index)
    return publish(index)


def make_course(*, title="宪法学习", slug=None, class_hours="2", positions=None, knowledge_points=(), **extra):
    index = course_index()
    course = CoursePage(
        title=title, slug=slug or f"course-{next(_counter)}", summary=f"{title}的课程简介",
        class_hours=Decimal(class_hours), positions=positions or [], **extra,
    )
    index.add_child(instance=course)
    course.knowledge_points.set(list(knowledge_points))
    course.save()
    return publish(course)


def law_block(n: int = 1):
    return ("law_article", {"law": "中华人民共和国行政强制法", "article": f"第{n}条", "text": f"法条正文{n}：行政机关应当依法实施。"})


def case_block(n: int = 1):
    return ("case_study", {
        "title": f"案例{n}", "facts": "中队扣押了三轮车。", "question": "能否收取保管费？",
        "analysis": f"<p>分析{n}：保管费用由行政机关承担。</p>",
    })


def make_lesson(course, *, title="查封扣押", slug=None, body=None, min_seconds=60, live=True) -> LessonPage:
    lesson = LessonPage(
        live=live,
        title=title, slug=slug or f"lesson-{next(_counter)}", intro="本课导语",
        body=body if body is not None else [law_block(), case_block()], min_seconds=min_seconds,
    )
    course.add_child(instance=lesson)
    if live:
        return publish(lesson)
    lesson.save_revision()  # a draft: saved by a trainer, never published
    return lesson


def make_image(title="执法现场") -> Image:
    return Image.objects.create(title=title, file=get_test_image_file())


def make_document(title="行政强制法全文", name="law.pdf") -> Document:
    document = Document(title=title)
    document.file.save(name, ContentFile(b"%PDF-1.4 demo"), save=False)
    document.save()
    return document


def make_knowledge_point(code="KP-QZ", name="行政强制法") -> KnowledgePoint:
    existing = KnowledgePoint.objects.filter(code=code).first()
    return existing or KnowledgePoint.add_root(code=code, name=name)


def make_question(*, code=None, type="single", stem="查封、扣押的保管费用由谁承担？", options=None, answer=None,
                  explanation="行政强制法第二十六条：保管费用由行政机关承担。", knowledge_point=None,
                  status=QuestionStatus.ACTIVE, legal_basis="行政强制法第二十六条") -> Question:
    if options is None:
        options = ["当事人", "行政机关", "第三人", "保管单位"] if type in ("single", "multiple") else []
    if answer is None:
        answer = {"single": ["B"], "multiple": ["A", "B"], "true_false": [True], "fill_blank": [["二十四", "24"]]}[type]
    return Question.objects.create(
        code=code or f"Q{next(_counter):04d}", type=type, stem=stem, options=options, answer=answer,
        explanation=explanation, legal_basis=legal_basis,
        knowledge_point=knowledge_point or make_knowledge_point(), status=status,
    )


def make_squad(code="SQ01", name="东城中队") -> OrgUnit:
    return OrgUnit.objects.get_or_create(code=code, defaults={"name": name, "kind": OrgUnit.Kind.SQUAD})[0]


def make_person(*, user=None, name="赵强", position="enforcement_officer", squad=None) -> Person:
    n = next(_counter)
    return Person.objects.create(
        name=name, id_number=f"11010119900101{n:04d}"[-18:], squad=squad or make_squad(), position=position,
        category=Category.STAFF, user=user,
    )
