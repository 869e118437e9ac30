"""The question bank in the Wagtail admin (trainers): questions, knowledge points, import, coverage."""

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters

from . import quality_views, views
from .forms import OPTION_FIELDS, KnowledgePointChoiceField, KnowledgePointForm, QuestionForm
from .health import HealthViewSet
from .models import KnowledgePoint, Question, QuestionStatus, QuestionType
from .panels import ItemChecksPanel
from .selectors import DIFFICULTIES, in_subtree, search_questions
from .services.questions import TransitionError, move_questions, set_status


class QuestionFilterSet(WagtailFilterSet):
    type = django_filters.ChoiceFilter(label=_("Type"), choices=QuestionType.choices)
    knowledge_point = django_filters.ModelChoiceFilter(
        label=_("Knowledge point (with sub-points)"), queryset=KnowledgePoint.objects.order_by("path"),
        method="filter_subtree",
    )
    difficulty = django_filters.ChoiceFilter(label=_("Difficulty"), choices=[(d, str(d)) for d in DIFFICULTIES])
    status = django_filters.ChoiceFilter(label=_("Status"), choices=QuestionStatus.choices)

    class Meta:
        model = Question
        fields = ["type", "knowledge_point", "difficulty", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["knowledge_point"].field.label_from_instance = KnowledgePointChoiceField.label_from_instance.__get__(
            self.filters["knowledge_point"].field
        )

    def filter_subtree(self, queryset, name, value):
        return in_subtree(queryset, value) if value else queryset


class QuestionIndexView(snippet_views.IndexView):
    def search_queryset(self, queryset):
        # Substring search that finds Chinese words inside stems (see selectors.search_questions).
        if not self.is_searching:
            return queryset
        return search_questions(queryset, self.search_query)

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("knowledge_point")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.insert(0, ListingButton(
            _("Preview as officer"), url=reverse("question_bank_tools:preview", args=[instance.pk]),
            icon_name="view", attrs={"target": "_blank"}, priority=5,
        ))
        return buttons


class NearDuplicateWarningMixin:
    def save_instance(self):
        # The form saves through the services (versions, validation, audit); Wagtail's own log is not needed.
        instance = self.form.save()
        if self.form.near_duplicate:
            label, score = self.form.near_duplicate
            messages.warning(self.request, _("The stem is very similar (%(percent)d%%) to %(other)s.")
                             % {"percent": round(score * 100), "other": label})
        return instance


class QuestionCreateView(NearDuplicateWarningMixin, snippet_views.CreateView):
    pass


class QuestionEditView(NearDuplicateWarningMixin, snippet_views.EditView):
    pass


def stem_excerpt(question):
    from .grading import plain_text

    text = plain_text(question.stem)
    return text if len(text) <= 60 else text[:60] + "…"


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    menu_name = "questions"
    url_prefix = "question_bank/questions"
    list_per_page = 50
    index_view_class = QuestionIndexView
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    filterset_class = QuestionFilterSet
    search_fields = ["stem"]
    copy_view_enabled = False
    list_display = [
        "code",
        Column("stem_excerpt", label=_("Stem"), accessor=stem_excerpt),
        Column("type", label=_("Type"), accessor="get_type_display"),
        "knowledge_point",
        Column("difficulty", label=_("Difficulty"), accessor="difficulty", sort_key="difficulty"),
        Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
    ]
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("code"), FieldPanel("type"), FieldPanel("knowledge_point")]),
        FieldPanel("stem"),
        MultiFieldPanel([FieldPanel(name) for name in OPTION_FIELDS], heading=_("Options (choice questions)")),
        FieldPanel("answer_text"),
        FieldRowPanel([FieldPanel("difficulty"), FieldPanel("points"), FieldPanel("use")]),
        FieldPanel("explanation"),
        FieldPanel("legal_basis"),
        MultiFieldPanel([FieldPanel("reference_answer"), FieldPanel("marking_points_text")],
                        heading=_("Short answer / case questions")),
        ItemChecksPanel(heading=_("Item-writing checks")),
    ], base_form_class=QuestionForm)


class KnowledgePointViewSet(SnippetViewSet):
    model = KnowledgePoint
    icon = "folder-inverse"
    menu_label = _("Knowledge points")
    menu_name = "knowledge_points"
    url_prefix = "question_bank/knowledge_points"
    list_per_page = 200
    ordering = "path"
    copy_view_enabled = False
    list_display = [
        Column("tree_name", label=_("Name"), accessor=lambda kp: f"{'　　' * (kp.depth - 1)}{kp.name}"),
        "code",
        Column("questions", label=_("Questions"), accessor=lambda kp: kp.questions.count()),
    ]
    edit_handler = ObjectList([FieldPanel("parent"), FieldPanel("code"), FieldPanel("name")],
                              base_form_class=KnowledgePointForm)


class PermissionMenuItem(MenuItem):
    permission = "question_bank.view_question"

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class ImportMenuItem(PermissionMenuItem):
    permission = "question_bank.add_question"


class ToolsViewSet(ViewSet):
    """Import, export, preview and coverage: views that are not a model listing."""

    name = "question_bank_tools"
    url_prefix = "question_bank/tools"

    def get_urlpatterns(self):
        return [
            path("preview/<int:pk>/", views.preview, name="preview"),
            path("preview/<int:pk>/v<int:version>/", views.preview, name="preview_version"),
            path("export/", views.export, name="export"),
            path("coverage/", views.coverage, name="coverage"),
            path("checks/", quality_views.checks_report, name="checks"),
            path("checks/<int:pk>/", quality_views.question_checks, name="question_checks"),
            path("groups/", quality_views.groups_index, name="groups"),
            path("groups/proposals/", quality_views.group_proposals, name="group_proposals"),
        ]


class ImportViewSet(ViewSet):
    name = "question_bank_import"
    url_prefix = "question_bank/import"
    icon = "upload"
    menu_label = _("Import questions")
    menu_name = "import_questions"
    menu_item_class = ImportMenuItem

    @property
    def menu_url(self):
        return reverse("question_bank_import:index")

    def get_urlpatterns(self):
        return [
            path("", views.import_upload, name="index"),
            path("confirm/", views.import_confirm, name="confirm"),
            path("template/", views.import_template, name="template"),
        ]


class CoverageViewSet(ViewSet):
    name = "question_bank_coverage"
    url_prefix = "question_bank/coverage"
    icon = "table"
    menu_label = _("Coverage matrix")
    menu_name = "coverage"
    menu_item_class = PermissionMenuItem

    @property
    def menu_url(self):
        return reverse("question_bank_tools:coverage")

    def get_urlpatterns(self):
        return []


class ChecksMenuViewSet(ViewSet):
    name = "question_bank_checks"
    url_prefix = "question_bank/checks"
    icon = "warning"
    menu_label = _("Item-writing report")
    menu_name = "item_checks"
    menu_item_class = PermissionMenuItem

    @property
    def menu_url(self):
        return reverse("question_bank_tools:checks")

    def get_urlpatterns(self):
        return []


class GroupsMenuViewSet(ViewSet):
    name = "question_bank_groups"
    url_prefix = "question_bank/groups"
    icon = "list-ul"
    menu_label = _("Exclusion groups")
    menu_name = "exclusion_groups"
    menu_item_class = PermissionMenuItem

    @property
    def menu_url(self):
        return reverse("question_bank_tools:groups")

    def get_urlpatterns(self):
        return []


class QuestionBankGroup(ViewSetGroup):
    menu_label = _("Question bank")
    menu_icon = "help"
    menu_order = 210
    items = (QuestionViewSet, KnowledgePointViewSet, ImportViewSet, CoverageViewSet, HealthViewSet,
             ChecksMenuViewSet, GroupsMenuViewSet)


register_snippet(QuestionBankGroup)


@hooks.register("register_admin_viewset")
def register_tools():
    return ToolsViewSet()


# --- Bulk actions on the question listing ---------------------------------------------------------


class QuestionBulkAction(SnippetBulkAction):
    models = [Question]
    permission = "change"

    def check_perm(self, obj):
        return self.request.user.has_perm("question_bank.change_question")

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}


class StatusBulkAction(QuestionBulkAction):
    template_name = "question_bank/bulk_confirm.html"
    target_status = None

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        view = kwargs["self"]
        try:
            return set_status(questions=objects, status=cls.target_status, actor=user), 0
        except TransitionError as exc:
            messages.error(view.request, exc.message)
            return 0, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(n)d question changed.", "%(n)d questions changed.", num_parent_objects) % {
            "n": num_parent_objects
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action_label": self.display_name}


@hooks.register("register_bulk_action")
class ActivateBulkAction(StatusBulkAction):
    display_name = _("Activate")
    action_type = "activate"
    aria_label = _("Activate the selected questions")
    action_priority = 10
    target_status = QuestionStatus.ACTIVE


@hooks.register("register_bulk_action")
class RetireBulkAction(StatusBulkAction):
    display_name = _("Retire")
    action_type = "retire"
    aria_label = _("Retire the selected questions")
    action_priority = 20
    target_status = QuestionStatus.RETIRED


class MoveForm(forms.Form):
    knowledge_point = KnowledgePointChoiceField(label=_("Move to knowledge point"))


@hooks.register("register_bulk_action")
class MoveBulkAction(QuestionBulkAction):
    display_name = _("Move")
    action_type = "move"
    aria_label = _("Move the selected questions to another knowledge point")
    action_priority = 25
    template_name = "question_bank/bulk_confirm.html"
    form_class = MoveForm

    def get_execution_context(self):
        return {**super().get_execution_context(), "knowledge_point": self.cleaned_form.cleaned_data["knowledge_point"]}

    @classmethod
    def execute_action(cls, objects, user=None, knowledge_point=None, **kwargs):
        return move_questions(questions=objects, knowledge_point=knowledge_point, actor=user), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(n)d question moved.", "%(n)d questions moved.", num_parent_objects) % {"n": num_parent_objects}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action_label": self.display_name}
