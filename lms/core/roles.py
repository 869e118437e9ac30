"""The four roles and what each may do.

The groups themselves are created by a data migration (core 0002). Model permissions are granted
here after every migrate, because an app's permissions exist only once that app has migrated;
granting is additive, so permissions an administrator adds by hand are kept.
"""

from fnmatch import fnmatch

from django.utils.translation import gettext_lazy as _

OFFICER = "学员"
TRAINER = "培训管理员"
HR = "人事管理员"
ASSESSOR = "考核管理员"
PROCTOR = "监考员"

ROLE_LABELS = {
    OFFICER: _("Officer"),
    TRAINER: _("Trainer"),
    HR: _("HR"),
    ASSESSOR: _("Assessor"),
    PROCTOR: _("Proctor"),
}

STAFF_ROLES = (TRAINER, HR, ASSESSOR, PROCTOR)

# "app_label.codename" patterns (fnmatch). Officers get none: they never use the admin.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    OFFICER: [],
    TRAINER: [
        "wagtailadmin.access_admin",
        "question_bank.*",
        "courses.*",
        "exams.*",
        "wagtailimages.*",
        "wagtaildocs.*",
        "roster.view_*",
        "assessment.view_publication",  # published assessment results only
    ],
    HR: ["wagtailadmin.access_admin", "roster.*", "assessment.view_publication"],
    ASSESSOR: ["wagtailadmin.access_admin", "assessment.*", "exams.view_*", "roster.view_*"],
    # Proctors (监考员) see only the proctor console: no model of the admin is theirs to list or edit.
    PROCTOR: ["wagtailadmin.access_admin", "exams.proctor_examsession"],
}

# Trainers write the course pages: Wagtail page permissions on the whole tree, and they may use
# the image and document libraries.
PAGE_PERMISSIONS = {TRAINER: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]}
COLLECTION_PERMISSIONS = {
    TRAINER: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ]
}


def sync_role_permissions() -> None:
    from django.contrib.auth.models import Group, Permission

    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    all_permissions = list(Permission.objects.select_related("content_type"))
    for role, patterns in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = [
            perm
            for perm in all_permissions
            if any(fnmatch(f"{perm.content_type.app_label}.{perm.codename}", p) for p in patterns)
        ]
        group.permissions.add(*wanted)

    root = Page.get_first_root_node()
    if root is not None:
        for role, codenames in PAGE_PERMISSIONS.items():
            group = Group.objects.get(name=role)
            for perm in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames):
                GroupPagePermission.objects.get_or_create(group=group, page=root, permission=perm)

    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for role, labels in COLLECTION_PERMISSIONS.items():
            group = Group.objects.get(name=role)
            for label in labels:
                app_label, codename = label.split(".")
                perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
                if perm:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=perm
                    )


def sync_role_permissions_after_migrate(sender, **kwargs) -> None:
    # post_migrate fires once per app that has models; act only on the last one, when every
    # app's permissions exist.
    from django.apps import apps

    apps_with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is apps_with_models[-1]:
        sync_role_permissions()


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(user.groups.values_list("name", flat=True))


def is_officer(user) -> bool:
    return OFFICER in user_roles(user)


def holds_only_officer_role(user) -> bool:
    """An officer's account and nothing more: not staff, not superuser, no role besides 学员.

    HR manages such accounts (initial codes, unlocking); any account with more rights is managed by
    superusers only, so that HR cannot take over a trainer's account and read answer keys.
    """
    if user.is_staff or user.is_superuser:
        return False
    if user.user_permissions.exists():
        return False
    return set(user.groups.values_list("name", flat=True)) <= {OFFICER}
