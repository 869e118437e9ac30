"""Demo accounts, one per role, for `seed_demo`. Idempotent: running it twice changes nothing."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import roles

DEMO_PASSWORD = "Demo2026!"  # noqa: S105 - documented demo login, refused in production by seed_demo

DEMO_USERS = [
    # username, family name, given name, role (None = superuser)
    ("demo_officer", "张", "伟", roles.OFFICER),
    ("demo_trainer", "李", "娜", roles.TRAINER),
    ("demo_hr", "王", "芳", roles.HR),
    ("demo_assessor", "刘", "洋", roles.ASSESSOR),
    ("demo_proctor", "陈", "静", roles.PROCTOR),
    ("admin", "系统", "管理员", None),
]


def ensure_wagtail_site() -> None:
    """Make sure the page tree has a root, a home page and a default site.

    Wagtail's own migrations create them, but a database flushed since (as transactional tests do) has
    none, and the course demo needs somewhere to put the course centre.
    """
    from wagtail.models import Locale, Page, Site

    Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.objects.first()))
    if not Site.objects.filter(is_default_site=True).exists():
        home = root.get_children().first() or root.add_child(instance=Page(title="首页", slug="home"))
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="执法学法考试平台")


def seed_demo_users() -> list[tuple[str, str]]:
    """Create the demo users if missing; returns (username, role label) for the login banner."""
    User = get_user_model()
    roles.sync_role_permissions()
    logins = []
    for username, last_name, first_name, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"last_name": last_name, "first_name": first_name, "is_staff": role is None},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = role is None
            user.save()
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        logins.append((username, role or "超级管理员"))
    return logins
