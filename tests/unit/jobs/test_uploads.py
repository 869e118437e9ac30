"""Uploads waiting for confirmation: bound to their owner and his sign-in session, on private storage."""

from django.test import RequestFactory

import pytest

from lms.core import roles
from lms.jobs import uploads
from lms.jobs.models import Upload
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def request_for(client, user):
    client.force_login(user)
    request = RequestFactory().get("/")
    request.user = user
    request.session = client.session
    return request


def test_an_upload_is_readable_by_its_owner_in_his_session(client):
    owner = make_user("up-owner")
    request = request_for(client, owner)
    upload = uploads.save_upload(request=request, kind="roster", filename="花名册.xlsx", content=b"PK data")
    assert uploads.get_upload(request=request, kind="roster", upload_id=upload.pk) == upload
    assert uploads.read_upload(upload) == b"PK data"
    assert upload.file.name.startswith("uploads/roster/") and "花名册" not in upload.file.name
    assert uploads.get_upload(request=request, kind="questions", upload_id=upload.pk) is None
    assert uploads.get_upload(request=request, kind="roster", upload_id="../../etc/passwd") is None


def test_another_user_cannot_use_an_upload(client):
    owner, other = make_user("up-owner"), make_user("up-other")
    upload = uploads.save_upload(request=request_for(client, owner), kind="roster", filename="a.xlsx", content=b"x")
    assert uploads.get_upload(request=request_for(client, other), kind="roster", upload_id=upload.pk) is None


def test_signing_out_ends_the_upload_even_for_its_owner(client):
    owner = make_user("up-owner", roles.HR)
    upload = uploads.save_upload(request=request_for(client, owner), kind="roster", filename="a.xlsx", content=b"x")
    name = upload.file.name
    client.post("/admin/logout/")
    assert not Upload.objects.filter(pk=upload.pk).exists()
    assert not upload.file.storage.exists(name)
    assert uploads.get_upload(request=request_for(client, owner), kind="roster", upload_id=upload.pk) is None


def test_a_new_session_of_the_owner_cannot_use_the_old_sessions_upload(client):
    owner = make_user("up-owner")
    upload = uploads.save_upload(request=request_for(client, owner), kind="roster", filename="a.xlsx", content=b"x")
    client.session.flush()  # the session expired without a sign-out
    client.logout()
    assert uploads.get_upload(request=request_for(client, owner), kind="roster", upload_id=upload.pk) is None
