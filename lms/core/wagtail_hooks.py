"""Wagtail admin shell: no links to Wagtail's websites (intranet users cannot reach them)."""

from wagtail import hooks

# The help menu's "What's new in Wagtail" and "Editor Guide" open pages on wagtail.org.
EXTERNAL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("construct_help_menu")
def remove_external_help_links(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(EXTERNAL_HELP_ITEMS)]
