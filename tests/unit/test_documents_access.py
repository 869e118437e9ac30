"""Wagtail documents are readable by signed-in users only, through the permission-checked view, and the
internal collection by staff only (issue 15 item 6, second half)."""

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Collection

import pytest

from lms.core.documents import INTERNAL_COLLECTION, ensure_internal_collection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files_on_disk(settings, tmp_path):
    # Served as in production: from files under MEDIA_ROOT (the test settings keep files in memory).
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


def make_document(title="行政强制法全文", collection=None):
    Document = get_document_model()
    document = Document(title=title, collection=collection or Collection.get_first_root_node())
    document.file.save("law.pdf", ContentFile(b"%PDF-1.4 law text"), save=False)
    document.save()
    return document


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_documents_link_to_the_checked_view_not_the_media_folder():
    assert make_document().url.startswith("/documents/")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    document = make_document()
    response = client.get(document.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_signed_in_officer_reads_a_course_document(client, officer):
    document = make_document()
    client.force_login(officer)
    response = client.get(document.url)
    assert response.status_code == 200
    assert _body(response) == b"%PDF-1.4 law text"


def test_the_internal_collection_exists_and_is_restricted_to_staff():
    ensure_internal_collection()
    ensure_internal_collection()  # idempotent
    collection = Collection.objects.get(name=INTERNAL_COLLECTION)
    (restriction,) = collection.get_view_restrictions()
    assert {g.name for g in restriction.groups.all()} == {"培训管理员", "人事管理员", "考核管理员"}


def test_officers_cannot_read_internal_material_but_trainers_can(client, officer, trainer):
    ensure_internal_collection()
    document = make_document("内部答案", collection=Collection.objects.get(name=INTERNAL_COLLECTION))
    client.force_login(officer)
    response = client.get(document.url)
    assert response.status_code != 200 or b"%PDF" not in _body(response)
    client.force_login(trainer)
    response = client.get(document.url)
    assert response.status_code == 200 and _body(response) == b"%PDF-1.4 law text"
