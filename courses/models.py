"""Course pages (index → course → lesson), yearly study plans, lesson progress, course completions
and the officer's wrong-answer book."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MinValueValidator
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from lms.core.textsearch import bigram_text

from .blocks import LessonStreamBlock, PracticeQuestionsBlock
from .fields import PositionsField, position_labels


class SignedInPageMixin:
    """Course content is for the bureau's staff only: anonymous visitors are sent to sign in."""

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)


class CourseIndexPage(SignedInPageMixin, Page):
    """课程中心: lists the published courses."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course centre")

    def route(self, request, path_components):
        # A lesson (course/lesson/) in one query by its URL path, instead of two per level of the tree;
        # the same outcome as walking it: the page at that path, served only if it is live.
        if len(path_components) == 2:
            lesson = LessonPage.objects.filter(
                url_path=f"{self.url_path}{'/'.join(path_components)}/", path__startswith=self.path
            ).first()
            if lesson is not None:
                if not lesson.live:
                    raise Http404
                return RouteResult(lesson)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_cards

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_cards(user=request.user, index=self)
        return context


class CoursePage(SignedInPageMixin, Page):
    summary = models.TextField(_("summary"), max_length=500)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    class_hours = models.DecimalField(
        _("class hours"), max_digits=5, decimal_places=1, default=Decimal("1"), validators=[MinValueValidator(0)],
        help_text=_("Credited to an officer when he completes every lesson of the course"),
    )
    knowledge_points = ParentalManyToManyField(
        "question_bank.KnowledgePoint", verbose_name=_("knowledge points"), blank=True, related_name="courses"
    )
    positions = PositionsField(
        _("target positions"), help_text=_("Leave empty for every position")
    )
    is_required = models.BooleanField(_("required"), default=False, help_text=_("Required or elective"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [FieldPanel("class_hours"), FieldPanel("is_required"), FieldPanel("positions")],
            heading=_("Who and how much"),
        ),
        FieldPanel("knowledge_points"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("search_bigrams"),
        index.FilterField("is_required"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")

    def search_bigrams(self) -> str:
        return bigram_text(f"{self.title} {self.summary}")

    @property
    def position_labels(self) -> list[str]:
        return position_labels(self.positions)

    def live_lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_detail

        context = super().get_context(request, *args, **kwargs)
        context.update(course_detail(user=request.user, course=self))
        return context


class LessonPage(SignedInPageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"), blank=True)
    min_seconds = models.PositiveIntegerField(
        _("minimum study time (seconds)"), default=120,
        help_text=_("Time the server must measure on the lesson before it counts as completed"),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body"), FieldPanel("min_seconds")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("search_bigrams"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def body_text(self) -> str:
        """The words of the lesson (text of every block), for the search index."""
        parts = [self.intro]

        def collect(value):
            if hasattr(value, "source"):  # RichText
                parts.append(strip_tags(value.source))
            elif isinstance(value, str):
                parts.append(value)
            elif hasattr(value, "values"):  # StructValue
                for item in value.values():
                    collect(item)

        for block in self.body:
            collect(block.value)
        return " ".join(part for part in parts if part)

    def search_bigrams(self) -> str:
        return bigram_text(f"{self.title} {self.body_text()}")

    def serve(self, request, *args, **kwargs):
        # The page all officers share comes from the cache with this officer's parts filled in
        # (courses.rendering.render_lesson_page); otherwise Wagtail renders it as usual.
        from django.http import HttpResponse

        from .rendering import render_lesson_page

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.is_preview = False
        context = self.get_context(request, *args, **kwargs)
        html = render_lesson_page(self, request, context)
        if html is None:
            return TemplateResponse(request, self.get_template(request, *args, **kwargs), context)
        return HttpResponse(html)

    def get_view_restrictions(self):
        # Set by courses.middleware from its route cache when serving; everywhere else, Wagtail's query.
        served = getattr(self, "_served_view_restrictions", None)
        return served if served is not None else super().get_view_restrictions()

    def practice_codes(self) -> list[str]:
        # From the raw stream: iterating the blocks would load every image and document of the lesson.
        codes: list[str] = []
        for block in self.body.raw_data:
            if block["type"] == "practice":
                codes.extend(PracticeQuestionsBlock.codes_of(block["value"]))
        return codes

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(user=request.user, lesson=self, request=request))
        return context


class StudyPlan(ClusterableModel):
    """学法计划 / 培训计划: for a year and a set of positions, the required courses and a class-hour target."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    positions = PositionsField(_("positions"), help_text=_("Leave empty for every position"))
    class_hour_target = models.DecimalField(
        _("class-hour target"), max_digits=5, decimal_places=1, default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("year"),
        FieldPanel("title"),
        FieldPanel("positions"),
        FieldPanel("class_hour_target"),
        FieldPanel("description"),
        InlinePanel("plan_courses", label=_("Required courses"), min_num=0),
    ]

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("study plan")
        verbose_name_plural = _("study plans")

    def __str__(self):
        return self.title

    @property
    def position_labels(self) -> list[str]:
        return position_labels(self.positions)

    def applies_to(self, position: str | None) -> bool:
        return not self.positions or position in self.positions


class StudyPlanCourse(Orderable):
    plan = ParentalKey(StudyPlan, on_delete=models.CASCADE, related_name="plan_courses")
    course = models.ForeignKey(CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+")
    deadline = models.DateField(_("deadline"))

    panels = [FieldPanel("course"), FieldPanel("deadline")]

    class Meta(Orderable.Meta):
        verbose_name = _("required course")
        constraints = [models.UniqueConstraint(fields=["plan", "course"], name="courses_plan_course_unique")]


class LessonProgress(models.Model):
    """One officer on one lesson. `seconds_spent` only grows from server-timed heartbeats."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    seconds_spent = models.PositiveIntegerField(_("seconds spent"), default=0)
    last_heartbeat_at = models.DateTimeField(null=True, blank=True)
    reached_end = models.BooleanField(_("reached the end"), default=False)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="courses_progress_unique")]

    def __str__(self):
        return f"{self.user} · {self.lesson_id}"


class CourseCompletion(models.Model):
    """Written once, when the last lesson of a course is completed; carries the class hours credited."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_completions")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("completed"))
    class_hours = models.DecimalField(_("class hours"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("course completion")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="courses_completion_unique")]

    def __str__(self):
        return f"{self.user} · {self.course_id}"


class WrongAnswer(models.Model):
    """An entry of the wrong-answer book (错题本). It leaves the book (resolved_at set) after two correct
    answers in a row and comes back if answered wrongly again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wrong_answers")
    question = models.ForeignKey("question_bank.Question", on_delete=models.CASCADE, related_name="+")
    wrong_count = models.PositiveIntegerField(_("times wrong"), default=0)
    correct_streak = models.PositiveSmallIntegerField(_("correct in a row"), default=0)
    last_response = models.JSONField(default=list, blank=True)
    last_wrong_at = models.DateTimeField(_("last wrong"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("left the book"), null=True, blank=True)

    class Meta:
        verbose_name = _("wrong answer")
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="courses_wrong_answer_unique")]
        indexes = [models.Index(fields=["user", "resolved_at"])]

    def __str__(self):
        return f"{self.user} · {self.question_id}"


class PracticeAnswer(models.Model):
    """Every practice answer, for the officer's own statistics."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_answers")
    question = models.ForeignKey("question_bank.Question", on_delete=models.CASCADE, related_name="+")
    response = models.JSONField(default=list)
    correct = models.BooleanField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practice answer")
        indexes = [models.Index(fields=["user", "answered_at"])]

    def __str__(self):
        return f"{self.user} · {self.question_id} · {'✓' if self.correct else '✗'}"
