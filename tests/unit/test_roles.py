"""Roles: officers never reach the admin; each staff role reaches only its own areas."""

from django.contrib.auth.models import Group

import pytest

from lms.core import roles


@pytest.mark.django_db
def test_the_four_role_groups_exist_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert {roles.OFFICER, roles.TRAINER, roles.HR, roles.ASSESSOR} <= names


@pytest.mark.django_db
def test_officer_gets_no_access_to_the_admin(client, officer):
    client.force_login(officer)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "仅限管理人员" in response.content.decode()
    assert not officer.has_perm("wagtailadmin.access_admin")


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["trainer", "hr_user", "assessor"])
def test_staff_roles_reach_the_admin_dashboard(client, request, fixture):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_anonymous_admin_visit_redirects_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_trainer_may_edit_pages_but_not_users_or_rosters(trainer):
    assert trainer.has_perm("wagtailadmin.access_admin")
    assert not trainer.has_perm("core.change_user")
    assert not trainer.has_perm("roster.change_person")


@pytest.mark.django_db
def test_hr_and_assessor_cannot_add_pages(hr_user, assessor):
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page
    for user in (hr_user, assessor):
        assert not home.permissions_for_user(user).permissions


@pytest.mark.django_db
def test_trainer_can_add_and_publish_pages_in_the_site(trainer):
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page
    # Page types arrive with the courses app; the permissions are granted on the tree already.
    assert {"add", "change", "publish"} <= home.permissions_for_user(trainer).permissions
