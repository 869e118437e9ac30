from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lms.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self):
        from . import roles

        # Permissions exist only after every app has migrated, so roles get theirs afterwards.
        post_migrate.connect(roles.sync_role_permissions_after_migrate, dispatch_uid="core.sync_roles")
