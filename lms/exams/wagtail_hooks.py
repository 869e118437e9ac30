"""Wagtail admin: blueprints (组卷方案) and exam sessions, grouped under one menu, plus the session screens."""

from django.conf import settings
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
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
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet, SnippetViewSetGroup

from question_bank.models import Blueprint

from . import admin_urls
from .forms import BlueprintForm, ExamSessionForm
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
    links = format_html('<a href="{}">{}</a>', reverse("exams_admin:dashboard", args=[session.pk]), _("Dashboard"))
    if session.status in ("papers_issued", "open", "closed"):
        links += format_html(' · <a href="{}">{}</a>', reverse("exams_admin:proctor", args=[session.pk]),
                             _("Proctor console"))
    return links


def _results_link(session):
    return format_html('<a href="{}">{}</a>', reverse("exams_admin:results", args=[session.pk]),
                       _("Grading and results"))


class BankShortfallWarningMixin:
    def save_instance(self):
        instance = super().save_instance()
        for shortfall in getattr(self.form, "bank_shortfalls", ()):
            messages.warning(self.request, _("Saved, but the active bank cannot fill it yet: %(issue)s")
                             % {"issue": shortfall})
        return instance


class BlueprintCreateView(BankShortfallWarningMixin, CreateView):
    pass


class BlueprintEditView(BankShortfallWarningMixin, EditView):
    pass


class BlueprintViewSet(SnippetViewSet):
    model = Blueprint
    add_view_class = BlueprintCreateView
    edit_view_class = BlueprintEditView
    icon = "list-ul"
    menu_label = _("Blueprints")
    url_prefix = "exams/blueprints"
    list_display = ["name", Column("questions", label=_("Questions"), accessor="question_count"),
                    Column("points", label=_("Total points"), accessor="total_points"),
                    Column("check", label=_("Check"), accessor=_check_link)]
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("open_for_practice"), FieldPanel("practice_minutes")],
                      heading=_("Mock exams")),
        FieldPanel("exams_only_questions"),
        HelpPanel(content=format_html(BLUEPRINT_TOTAL, label=_("Total points:"), questions=_("Questions:"),
                                      script=settings.STATIC_URL + "exams/blueprint_total.js"),
                  heading=_("Total")),
        InlinePanel("sections", heading=_("Sections (one per question type)"), label=_("Section"), min_num=1),
        InlinePanel("knowledge_quotas", heading=_("Quotas by knowledge point"), label=_("Knowledge-point quota")),
        InlinePanel("difficulty_quotas", heading=_("Quotas by difficulty"), label=_("Difficulty quota")),
    ]
    edit_handler = ObjectList(panels, base_form_class=BlueprintForm)


class ExamSessionViewSet(SnippetViewSet):
    model = ExamSession
    icon = "clipboard-list"
    menu_label = _("Exam sessions")
    url_prefix = "exams/sessions"
    list_display = ["code", "title", "year", "status", Column("dashboard", label=_("Dashboard"),
                                                              accessor=_dashboard_link),
                    Column("results", label=_("Results"), accessor=_results_link)]
    list_filter = ["status", "year"]
    edit_handler_panels = [
        MultiFieldPanel([FieldPanel("code"), FieldPanel("title"), FieldRowPanel([FieldPanel("year"),
                                                                                  FieldPanel("delivery")])],
                        heading=_("Session")),
        MultiFieldPanel([FieldPanel("blueprint"), FieldRowPanel([FieldPanel("paper_mode"),
                                                                 FieldPanel("multi_select_rule")]),
                         FieldPanel("shuffle_options"), FieldPanel("pass_mark")], heading=_("Paper")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("double_marking"), FieldPanel("arbiter_threshold")]),
                         FieldPanel("show_key_after_release")], heading=_("Marking and results")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                         FieldPanel("duration_minutes")], heading=_("Time")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("save_grace_seconds"), FieldPanel("essay_max_length")]),
                         FieldPanel("review_after_submit")], heading=_("Sitting on devices")),
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


class ProctorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("exams.proctor_examsession")


@hooks.register("register_admin_menu_item")
def register_proctor_menu_item():
    return ProctorMenuItem(_("Proctor console"), reverse("exams_admin:proctor_index"), name="proctor",
                           icon_name="view", order=310)


@hooks.register("register_admin_urls")
def register_exam_admin_urls():
    return [path("exams/", include(admin_urls, namespace="exams_admin"))]


from .reports import hooks as _report_hooks  # noqa: E402,F401 - registers the 成绩分析 screens
