"""Wagtail admin shell: an attention panel on the home page; no links to Wagtail's websites (intranet users
cannot reach them)."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

# The help menu's "What's new in Wagtail" and "Editor Guide" open pages on wagtail.org.
EXTERNAL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


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
