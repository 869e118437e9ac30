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


def test_development_media_serving_never_serves_the_private_folder(rf, settings, tmp_path):
    from django.http import Http404

    from lms.jobs.media import serve_public_media

    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    (tmp_path / "private" / "uploads").mkdir(parents=True)
    (tmp_path / "private" / "uploads" / "key.xlsx").write_bytes(b"secret")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(b"png")
    assert serve_public_media(rf.get("/media/images/a.png"), "images/a.png").status_code == 200
    for path in ("private/uploads/key.xlsx", "private", "./private/uploads/key.xlsx", "images/../private/uploads/key.xlsx"):
        with pytest.raises(Http404):
            serve_public_media(rf.get("/media/" + path), path)


def test_by_default_the_private_folder_is_under_media_root_and_files_are_not_world_readable():
    from django.conf import settings

    from lms.settings import base

    assert base.PRIVATE_MEDIA_ROOT == base.MEDIA_ROOT / "private"
    assert base.STORAGES["private"]["OPTIONS"]["base_url"] is None
    assert base.STORAGES["private"]["OPTIONS"]["file_permissions_mode"] == 0o600
    assert "private" in settings.STORAGES
