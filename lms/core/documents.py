"""Who may read Wagtail documents: signed-in users only, and a private collection for internal material.

Documents are streamed by Wagtail's permission-checked view (WAGTAILDOCS_SERVE_METHOD = "serve_view"), never
from the public media folder, so the login rule below and collection view restrictions apply to every file.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login

INTERNAL_COLLECTION = "内部资料（仅管理人员）"


def require_login_for_documents(document, request):
    """before_serve_document hook: the courses need a login, so do the files they link to."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def ensure_internal_collection() -> None:
    """A collection readable by staff roles only (trainers, HR, assessors; superusers always), for drafts of
    rules, answer keys and other internal material. Idempotent: runs after every migrate."""
    from django.contrib.auth.models import Group

    from wagtail.models import Collection, CollectionViewRestriction

    from . import roles

    root = Collection.get_first_root_node()
    if root is None:
        return
    collection = root.get_children().filter(name=INTERNAL_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=INTERNAL_COLLECTION)
    restriction = CollectionViewRestriction.objects.filter(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    ).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    # The managing roles only: proctors (also staff) see nothing but the proctor console, never answer keys.
    restriction.groups.add(*Group.objects.filter(name__in=(roles.TRAINER, roles.HR, roles.ASSESSOR)))


def ensure_internal_collection_after_migrate(sender, **kwargs) -> None:
    from django.apps import apps

    apps_with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is apps_with_models[-1]:
        ensure_internal_collection()
