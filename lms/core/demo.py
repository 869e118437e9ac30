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
    ("admin", "系统", "管理员", None),
]


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
