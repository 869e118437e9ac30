"""seed_demo creates a login per role and is safe to run twice."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

import pytest

from lms.core import roles


@pytest.mark.django_db
def test_seed_demo_creates_one_user_per_role_and_is_idempotent(capsys):
    call_command("seed_demo")
    User = get_user_model()
    first_count = User.objects.count()
    for role in (roles.OFFICER, roles.TRAINER, roles.HR, roles.ASSESSOR):
        assert User.objects.filter(groups__name=role).exists(), role
    call_command("seed_demo")
    assert User.objects.count() == first_count
    out = capsys.readouterr().out
    assert "demo_officer" in out and "Demo2026!" in out


@pytest.mark.django_db
def test_seed_demo_rebuilds_a_missing_page_tree():
    from wagtail.models import Page, Site

    Site.objects.all().delete()
    Page.objects.all().delete()
    call_command("seed_demo")
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.get_children().filter(slug="courses").exists()
