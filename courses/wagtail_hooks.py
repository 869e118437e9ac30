"""Admin screens of the courses app: study plans (snippets) and the plan completion report."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms.jobs.services import job_url, start_job

from . import selectors
from .models import StudyPlan
from .tasks import COMPLETION_EXPORT_KIND, completion_export_job

REPORT_PERMISSION = "courses.view_studyplan"


class StudyPlanViewSet(SnippetViewSet):
    model = StudyPlan
    icon = "date"
    menu_label = _("Study plans")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "year", "class_hour_target"]
    list_filter = ["year"]
    search_fields = ["title"]


register_snippet(StudyPlanViewSet)


def completion_index(request):
    if not request.user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied
    return render(request, "courses/admin/completion_index.html", {
        "plans": StudyPlan.objects.all(), "page_title": _("Study completion"), "header_icon": "table",
    })


def completion_report(request, plan_id: int):
    if not request.user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied
    plan = get_object_or_404(StudyPlan.objects.prefetch_related("plan_courses"), pk=plan_id)
    if request.method == "POST" and request.POST.get("export") == "xlsx":
        # A job: a bureau-wide plan covers thousands of people; the screen shows progress, then the file.
        job = start_job(kind=COMPLETION_EXPORT_KIND, owner=request.user, task=completion_export_job,
                        params={"plan_id": plan.pk}, title=_("Study completion: %(plan)s") % {"plan": plan})
        return redirect(job_url(job))
    report = selectors.plan_completion_report(plan=plan)
    return render(request, "courses/admin/completion_report.html", {
        **report, "page_title": str(plan), "page_subtitle": _("Study completion"), "header_icon": "table",
    })


@hooks.register("register_admin_urls")
def register_completion_urls():
    return [
        path("courses/completion/", completion_index, name="courses_completion_index"),
        path("courses/completion/<int:plan_id>/", completion_report, name="courses_completion_report"),
    ]


class PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_completion_menu_item():
    return PermissionMenuItem(
        _("Study completion"), reverse("courses_completion_index"), icon_name="table", order=220
    )
