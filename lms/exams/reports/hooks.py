"""Admin hooks of the reports (imported by lms.exams.wagtail_hooks): URLs and the 成绩分析 menu item."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("exams.view_examsession")


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("exams/reports/", include(urls, namespace="exam_reports"))]


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(_("Exam reports"), reverse_lazy("exam_reports:index"), icon_name="table",
                           name="exam_reports", order=310)
