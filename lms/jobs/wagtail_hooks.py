"""The job screens in the Wagtail admin: every staff user has "My jobs"."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls


@hooks.register("register_admin_urls")
def register_job_urls():
    return [path("jobs/", include((urls.urlpatterns, "jobs"), namespace="jobs"))]


@hooks.register("register_admin_menu_item")
def register_jobs_menu_item():
    return MenuItem(_("My jobs"), reverse("jobs:mine"), icon_name="time", order=9000, name="my-jobs")
