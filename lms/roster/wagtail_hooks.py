"""Roster screens in the Wagtail admin, grouped under one menu: import, people, units, snapshots, warnings.

Who sees what follows the model permissions of the roles (lms.core.roles): HR changes rosters and imports;
roles with view permissions only browse; officers never reach the admin.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import views
from .models import OrgUnit, Person, RosterSnapshot
from .services.accounts import protected_account_ids


class NoDeletePolicy(ModelPermissionPolicy):
    """People and units are deactivated, never deleted (their exam history must stay); snapshots are frozen."""

    def __init__(self, model, denied=("delete",)):
        super().__init__(model)
        self.denied = set(denied)

    def user_has_permission(self, user, action):
        return action not in self.denied and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Person, NoDeletePolicy(Person))
register_permission_policy(OrgUnit, NoDeletePolicy(OrgUnit))
register_permission_policy(RosterSnapshot, NoDeletePolicy(RosterSnapshot, denied=("add", "change", "delete")))


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class RosterImportViewSet(ViewSet):
    name = "roster_import"
    icon = "upload"
    menu_label = _("Import roster")
    permission = "roster.change_person"

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            self.menu_label, reverse("roster_import"), icon_name=self.icon, order=self.get_menu_item_order(order),
            permission=self.permission, name="roster-import",
        )

    def get_urlpatterns(self):
        return []


class RosterWarningsViewSet(RosterImportViewSet):
    name = "roster_warnings"
    icon = "warning"
    menu_label = _("Squad warnings")
    permission = "roster.view_person"

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            self.menu_label, reverse("roster_warnings"), icon_name=self.icon, order=self.get_menu_item_order(order),
            permission=self.permission, name="roster-warnings",
        )


class PersonIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if (
            instance.user_id
            and self.request.user.has_perm("roster.change_person")
            and (self.request.user.is_superuser or instance.user_id not in self._protected_ids())
        ):
            buttons.append(
                ListingMenuItem(
                    _("New initial code"), url=reverse("roster_reissue_code", args=[instance.pk]), icon_name="key",
                    priority=40,
                )
            )
        return buttons

    def _protected_ids(self) -> set[int]:
        # Accounts with staff rights: one query per page, not one per row.
        if not hasattr(self, "_protected"):
            self._protected = protected_account_ids()
        return self._protected


class PersonViewSet(ModelViewSet):
    model = Person
    index_view_class = PersonIndexView
    name = "roster_person"
    icon = "user"
    menu_label = _("People")
    list_display = [
        "name",
        Column("squad", label=_("squad"), accessor="squad"),
        Column("position", label=_("position"), accessor="get_position_display"),
        Column("category", label=_("category"), accessor="get_category_display"),
        Column("status", label=_("status"), accessor="get_status_display"),
        Column("masked_id_number", label=_("ID-card number"), accessor="masked_id_number"),
        "phone",
    ]
    list_filter = ["squad", "position", "category", "status"]
    search_fields = ["name", "id_number", "phone", "cert_number"]
    search_backend_name = None  # plain database lookups: exact ID numbers and Chinese names both match
    form_fields = ["name", "gender", "phone", "squad", "position", "category", "cert_number", "status", "hire_date"]
    copy_view_enabled = False
    list_export = ["name", "squad", "position", "category", "status", "phone"]

    def get_queryset(self, request):
        return Person.objects.select_related("squad")


class OrgUnitViewSet(ModelViewSet):
    model = OrgUnit
    name = "roster_orgunit"
    icon = "group"
    menu_label = _("Org units")
    list_display = ["name", "code", Column("kind", label=_("kind"), accessor="get_kind_display"), "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    search_backend_name = None
    form_fields = ["code", "name", "kind", "parent", "is_active"]
    copy_view_enabled = False


class SnapshotViewSet(ModelViewSet):
    model = RosterSnapshot
    name = "roster_rostersnapshot"
    icon = "history"
    menu_label = _("Roster snapshots")
    list_display = [
        TitleColumn("title", label=_("snapshot"), accessor="__str__", url_name="roster_snapshot_detail"),
        "entry_count",
        "note",
        "taken_by",
    ]
    form_fields = ["note"]  # never editable (policy above); Wagtail requires a form definition
    copy_view_enabled = False


class RosterGroup(ViewSetGroup):
    menu_label = _("Rosters")
    menu_icon = "group"
    menu_order = 300
    items = (RosterImportViewSet, PersonViewSet, OrgUnitViewSet, SnapshotViewSet, RosterWarningsViewSet)


@hooks.register("register_admin_viewset")
def register_roster_viewsets():
    return RosterGroup()


@hooks.register("register_admin_urls")
def register_roster_admin_urls():
    return [
        path("roster/import/", views.import_upload, name="roster_import"),
        path("roster/import/preview/", views.import_preview, name="roster_import_preview"),
        path("roster/import/confirm/", views.import_confirm, name="roster_import_confirm"),
        path("roster/import/template.xlsx", views.template_download, name="roster_import_template"),
        path("roster/import/slips.xlsx", views.slips_xlsx, name="roster_slips_xlsx"),
        path("roster/import/slips.pdf", views.slips_pdf, name="roster_slips_pdf"),
        path("roster/people/<int:pk>/new-code/", views.reissue_code, name="roster_reissue_code"),
        path("roster/warnings/", views.warnings_view, name="roster_warnings"),
        path("roster/snapshots/<int:pk>/", views.snapshot_detail, name="roster_snapshot_detail"),
    ]
