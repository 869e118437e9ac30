"""Platform-shell screens in the Wagtail admin: accounts locked after failed sign-ins, an attention panel on
the home page, and no links to Wagtail's websites (intranet users cannot reach them)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import admin_views, documents, lockout

# The help menu's "What's new in Wagtail" and "Editor Guide" open pages on wagtail.org.
EXTERNAL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


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


@hooks.register("construct_help_menu")
def remove_external_help_links(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(EXTERNAL_HELP_ITEMS)]


class AttentionPanel(Component):
    """Admin home: what needs attention, by what the user's role may see (see lms.core.home.staff_attention)."""

    name = "attention"
    order = 50
    template_name = "core/admin/attention_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        from .home import staff_attention

        context = super().get_context_data(parent_context)
        context["attention"] = staff_attention(user=self.request.user)
        return context


@hooks.register("construct_homepage_panels")
def add_attention_panel(request, panels):
    panels.insert(0, AttentionPanel(request))
