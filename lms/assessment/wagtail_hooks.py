"""Wagtail admin: the yearly schemes (snippets edited by assessors) and the assessment screens, in one menu.

Saving a scheme records who changed which indicator (shown against the previous year) in the audit log.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
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
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView, SnippetViewSet

from . import admin_urls, selectors
from .forms import SchemeForm
from .models import AssessmentScheme
from .services.schemes import record_scheme_changes, scheme_state


def _results_link(scheme):
    return format_html('<a href="{}">{}</a>', reverse("assessment_admin:year", args=[scheme.year]),
                       _("Results"))


class SchemeDeleteView(DeleteView):
    """A scheme with a published result is kept: its publications point at it for good."""

    def dispatch(self, request, *args, **kwargs):
        scheme = AssessmentScheme.objects.filter(pk=kwargs.get("pk")).first()
        if scheme is not None and scheme.publications.exists():
            messages.error(request, _("The %(year)s scheme has published results and cannot be deleted.")
                           % {"year": scheme.year})
            return redirect("assessment_admin:year", year=scheme.year)
        return super().dispatch(request, *args, **kwargs)


class SchemeCreateView(CreateView):
    def save_instance(self):
        instance = super().save_instance()
        record_scheme_changes(scheme=instance, before={}, actor=self.request.user)
        return instance


class SchemeEditView(EditView):
    def save_instance(self):
        before = scheme_state(self.object)  # still the stored indicators: the form has not saved yet
        instance = super().save_instance()
        record_scheme_changes(scheme=instance, before=before, actor=self.request.user)
        return instance


# The kind-specific rows are shown for the chosen kind only (static/assessment/scheme_editor.js).
INDICATOR_PANELS = [
    FieldRowPanel([FieldPanel("code"), FieldPanel("parent_code"), FieldPanel("name")]),
    FieldRowPanel([FieldPanel("kind"), FieldPanel("points"), FieldPanel("star_aspect")]),
    FieldPanel("description"),
    FieldPanel("sessions"),
    FieldRowPanel([FieldPanel("exam_measure"), FieldPanel("absent_rule")]),
    FieldRowPanel([FieldPanel("study_plan"), FieldPanel("study_measure")]),
    FieldPanel("roster_check"),
    FieldRowPanel([FieldPanel("deduction_per_item"), FieldPanel("floor")]),
]


class AssessmentSchemeViewSet(SnippetViewSet):
    model = AssessmentScheme
    icon = "table"
    menu_label = _("Assessment schemes")
    menu_order = 340
    add_to_admin_menu = True
    url_prefix = "assessment/schemes"
    add_view_class = SchemeCreateView
    edit_view_class = SchemeEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    delete_view_class = SchemeDeleteView

    list_display = ["year", "title", "street_rule", Column("results", label=_("Results"), accessor=_results_link)]
    edit_handler = ObjectList([
        MultiFieldPanel([FieldRowPanel([FieldPanel("year"), FieldPanel("title")]), FieldPanel("street_rule")],
                        heading=_("Scheme")),
        HelpPanel(content=format_html('<script src="{}" defer></script>',
                                      settings.STATIC_URL + "assessment/scheme_editor.js")),
        InlinePanel("indicators", heading=_("Indicators (top level adds up to 100 points)"), label=_("Indicator"),
                    panels=INDICATOR_PANELS, min_num=1),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("star1_total"), FieldPanel("star1_min")]),
            FieldRowPanel([FieldPanel("star2_total"), FieldPanel("star2_min")]),
            FieldRowPanel([FieldPanel("star3_total"), FieldPanel("star3_min")]),
        ], heading=_("Star-rated squads: thresholds")),
    ], base_form_class=SchemeForm)


register_snippet(AssessmentSchemeViewSet)


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.can_see_published(request.user)


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return ResultsMenuItem(_("Assessment results"), reverse("assessment_admin:index"), icon_name="table",
                           name="assessment-results", order=350)


@hooks.register("register_admin_urls")
def register_assessment_admin_urls():
    return [path("assessment/", include(admin_urls, namespace="assessment_admin"))]
