"""Template context shared by every officer-facing page."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label). Every officer page shows these; a name an app has not registered yet is skipped.
OFFICER_NAV = [
    ("courses:my_learning", _("My courses")),
    ("exams:my_exams", _("My exams")),
    ("my_results", _("My results")),
]


def site_nav(request):
    items = []
    for name, label in OFFICER_NAV:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"officer_nav": items}
