from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Long operations run as Celery tasks, with progress the person waiting can see."""

    name = "lms.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        from . import uploads  # noqa: F401 - connects the sign-out handler that drops waiting uploads
