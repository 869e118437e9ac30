"""Error pages speak the interface's language (Chinese by default), never Django's English defaults, and
load nothing from another host."""

from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_address_is_a_chinese_404_page(client, officer, settings):
    settings.DEBUG = False
    client.force_login(officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert 'data-error-page="404"' in text and "您要找的页面不存在" in text and "Not Found" not in text


def test_a_refused_form_token_is_a_chinese_page_not_djangos_technical_one(officer, settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "页面已过期" in text and "DEBUG" not in text and "CSRF" not in text


def test_a_server_error_page_needs_no_context_and_is_chinese():
    request = RequestFactory().get("/")
    with translation.override("zh-hans"):
        response = server_error(request)
    text = response.content.decode()
    assert response.status_code == 500 and "服务器出现错误" in text and "/static/" in text and "http" not in text
    with translation.override("en"):
        assert "Something went wrong on the server" in server_error(request).content.decode()
