from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Long operations run as Celery tasks, with progress the person waiting can see."""

    name = "lms.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        from . import uploads  # noqa: F401 - connects the sign-out handler that drops waiting uploads

        # Our apps' tasks modules register their job kinds (label, result template); import them in every
        # process, so any web node can show any job, whichever node started it.
        base = str(settings.BASE_DIR)
        for config in apps.get_app_configs():
            if config.path.startswith(base) and find_spec(f"{config.name}.tasks") is not None:
                import_module(f"{config.name}.tasks")
