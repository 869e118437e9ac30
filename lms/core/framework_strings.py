"""Strings of Django and Wagtail that our users see but whose own Chinese catalogues lack (new in Django 5.2
and Wagtail 8). Naming them here puts them in our catalogue (locale/), which Django consults before any
app's; their Chinese is in tools/translations/harden_ux.py. tests/unit/test_interface_chinese.py renders
the pages officers and staff use and fails on any framework string still in English.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

STRINGS = [
    # Django: the password validator officers meet when they set their own password.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.", 8,
    ),
    # Wagtail admin: editors, listings, the dashboard and the account page.
    gettext_noop("Go to the first error"),
    gettext_noop("The page could not be created due to validation errors."),
    gettext_noop("The page could not be saved due to validation errors."),
    gettext_noop("New: %(model_name)s"),
    gettext_noop("To be created by %(user)s"),
    gettext_noop("Actions (footer)"),
    gettext_noop("Saved"),
    gettext_noop("Autosave is paused"),
    gettext_noop("Correct the validation errors to resume preview (saving will highlight errors)"),
    gettext_noop("Checks"),
    gettext_noop("Toggle checks"),
    gettext_noop("Show issue"),
    gettext_noop("Content metrics"),
    gettext_noop("Words"),
    gettext_noop("Reading time"),
    gettext_noop("Readability"),
    gettext_noop("This data explained"),
    gettext_noop("Locking: "),
    gettext_noop("Anyone can edit this %(model_name)s – lock it to prevent others from editing"),
    gettext_noop("Anyone can edit this %(model_name)s"),
    ngettext_lazy("Referenced %(count)s time", "Referenced %(count)s times", 2),
    gettext_noop("Sort by '%(label)s' in ascending order."),
    gettext_noop("Sort by '%(label)s' in descending order."),
    ngettext_lazy(
        '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>', 2,
    ),
    ngettext_lazy(
        '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>', 2,
    ),
    ngettext_lazy(
        '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>', 2,
    ),
    gettext_noop("Search all pages…"),
    gettext_noop("Edit account avatar"),
    gettext_noop(
        "Pages created here will not be accessible at any URL. To add pages to an existing site, create them as "
        "children of the homepage."
    ),
    ngettext_lazy("%(num_parent_objects)d page", "%(num_parent_objects)d pages", 2),
    ngettext_lazy("%(num_child_objects)d child page", "%(num_child_objects)d child pages", 2),
    ngettext_lazy("%(num_pages)d page", "%(num_pages)d pages", 2),
    gettext_noop("Date updated"),
    gettext_noop("Edited by"),
    gettext_noop("Has child pages"),
    gettext_noop("Any"),
    gettext_noop("Page type"),
    gettext_noop("Grid layout"),
    gettext_noop("List layout"),
    gettext_noop("Oldest"),
    gettext_noop("Usage count: (low to high)"),
    gettext_noop("Usage count: (high to low)"),
    gettext_noop("Use server language: %(language_name)s"),
    gettext_noop("Theme preferences"),
    gettext_noop("More contrast"),
    gettext_noop("Snug"),
    gettext_noop("Enable custom keyboard shortcuts specific to Wagtail."),
]
