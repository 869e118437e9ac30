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
        from . import documents

        post_migrate.connect(documents.ensure_internal_collection_after_migrate, dispatch_uid="core.internal_docs")
        _escape_wagtail_list_exports()


def _escape_wagtail_list_exports() -> None:
    """Every Wagtail list export (?export=csv/xlsx on model and snippet lists, reports, form submissions)
    passes its cells through safe_cell, as our own exports do: Wagtail writes them as they are, so a name
    like =HYPERLINK(…) would run as a formula in Excel or WPS. All those views share this one mixin."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    from .spreadsheets import safe_cell

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "escapes_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        return safe_cell(original(self, field, value, export_format))

    preprocess_field_value.escapes_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
