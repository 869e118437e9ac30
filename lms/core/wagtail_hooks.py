"""Platform-shell screens in the Wagtail admin: accounts locked after failed sign-ins."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views, documents, lockout


class LockedAccountsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or request.user.has_perm(lockout.UNLOCK_PERMISSION)


@hooks.register("register_admin_urls")
def register_core_admin_urls():
    return [
        path("accounts/locked/", admin_views.locked_accounts, name="locked_accounts"),
        path("accounts/locked/unlock/", admin_views.unlock, name="locked_accounts_unlock"),
    ]


@hooks.register("register_admin_menu_item")
def register_locked_accounts_menu_item():
    return LockedAccountsMenuItem(
        _("Locked accounts"), reverse("locked_accounts"), icon_name="lock", order=390, name="locked-accounts"
    )


hooks.register("before_serve_document", documents.require_login_for_documents)
