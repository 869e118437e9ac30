"""Wagtail admin: blueprints (组卷方案) and exam sessions, grouped under one menu, plus the session screens."""

from django.conf import settings
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from question_bank.models import Blueprint

from . import admin_urls
from .forms import ExamSessionForm
from .models import ExamSession

BLUEPRINT_TOTAL = """
<p class="help-block">{label} <strong data-blueprint-total>0</strong> · {questions}
<strong data-blueprint-count>0</strong></p>
<script src="{script}" defer></script>
"""


def _check_link(blueprint):
    return format_html('<a href="{}">{}</a>', reverse("exams_admin:blueprint_check", args=[blueprint.pk]),
                       _("Check and preview"))


def _dashboard_link(session):
    return format_html('<a href="{}">{}</a>', reverse("exams_admin:dashboard", args=[session.pk]), _("Dashboard"))


class BlueprintViewSet(SnippetViewSet):
    model = Blueprint
    icon = "list-ul"
    menu_label = _("Blueprints")
    url_prefix = "exams/blueprints"
    list_display = ["name", Column("questions", label=_("Questions"), accessor="question_count"),
                    Column("points", label=_("Total points"), accessor="total_points"),
                    Column("check", label=_("Check"), accessor=_check_link)]
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        HelpPanel(content=format_html(BLUEPRINT_TOTAL, label=_("Total points:"), questions=_("Questions:"),
                                      script=settings.STATIC_URL + "exams/blueprint_total.js"),
                  heading=_("Total")),
        InlinePanel("sections", heading=_("Sections (one per question type)"), label=_("Section"), min_num=1),
        InlinePanel("knowledge_quotas", heading=_("Quotas by knowledge point"), label=_("Knowledge-point quota")),
        InlinePanel("difficulty_quotas", heading=_("Quotas by difficulty"), label=_("Difficulty quota")),
    ]


class ExamSessionViewSet(SnippetViewSet):
    model = ExamSession
    icon = "clipboard-list"
    menu_label = _("Exam sessions")
    url_prefix = "exams/sessions"
    list_display = ["code", "title", "year", "status", Column("dashboard", label=_("Dashboard"),
                                                              accessor=_dashboard_link)]
    list_filter = ["status", "year"]
    edit_handler_panels = [
        MultiFieldPanel([FieldPanel("code"), FieldPanel("title"), FieldRowPanel([FieldPanel("year"),
                                                                                  FieldPanel("delivery")])],
                        heading=_("Session")),
        MultiFieldPanel([FieldPanel("blueprint"), FieldRowPanel([FieldPanel("paper_mode"),
                                                                 FieldPanel("multi_select_rule")]),
                         FieldPanel("shuffle_options"), FieldPanel("pass_mark")], heading=_("Paper")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                         FieldPanel("duration_minutes")], heading=_("Time")),
        InlinePanel("venues", heading=_("Venues"), label=_("Venue")),
        MultiFieldPanel([FieldPanel("target_units"), FieldPanel("mandatory_positions"),
                         FieldPanel("sampled_positions"),
                         FieldRowPanel([FieldPanel("sample_rate"), FieldPanel("sample_minimum")]),
                         FieldPanel("stratify_by_position")],
                        heading=_("Candidate rule")),
    ]
    edit_handler = ObjectList(edit_handler_panels, base_form_class=ExamSessionForm)


class ExamsGroup(SnippetViewSetGroup):
    items = (ExamSessionViewSet, BlueprintViewSet)
    menu_icon = "clipboard-list"
    menu_label = _("Exams")
    menu_name = "exams"
    menu_order = 300


register_snippet(ExamsGroup)


@hooks.register("register_admin_urls")
def register_exam_admin_urls():
    return [path("exams/", include(admin_urls, namespace="exams_admin"))]
