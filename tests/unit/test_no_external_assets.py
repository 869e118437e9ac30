"""Intranet users cannot reach other hosts: no page may load a script, style or font from one."""

import re
from html.parser import HTMLParser

from django.urls import reverse

import pytest

ASSET_ATTRS = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src")}
LOCAL_HOSTS = {"testserver", "127.0.0.1", "localhost"}


class AssetCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (tag, name) in ASSET_ATTRS and value:
                self.urls.append(value)
            if name == "style" and value:
                self.inline_css.append(value)
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.inline_css.append(data)


def external_references(html: str) -> list[str]:
    collector = AssetCollector()
    collector.feed(html)
    css_urls = [u for css in collector.inline_css for u in re.findall(r"url\(['\"]?([^'\")]+)", css)]
    css_urls += [u for css in collector.inline_css for u in re.findall(r"@import\s+['\"]([^'\"]+)", css)]
    found = []
    for url in collector.urls + css_urls:
        match = re.match(r"^(?:https?:)?//([^/:]+)", url.strip())
        if match and match.group(1) not in LOCAL_HOSTS:
            found.append(url)
    return found


def test_the_checker_catches_a_cdn_reference():
    html = '<link rel="stylesheet" href="https://cdn.example.com/x.css"><script src="//unpkg.com/a.js"></script>'
    assert external_references(html) == ["https://cdn.example.com/x.css", "//unpkg.com/a.js"]


MAIN_PAGES = ["home", "login", "courses:my_learning", "exams:my_exams", "my_results", "password_change"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", MAIN_PAGES)
def test_officer_pages_reference_no_other_host(client, officer, name):
    client.force_login(officer)
    response = client.get(reverse(name), follow=True)
    assert response.status_code == 200
    assert external_references(response.content.decode()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/images/", "/admin/documents/"])
def test_admin_pages_reference_no_other_host(client, trainer, path):
    client.force_login(trainer)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert external_references(response.content.decode()) == []


@pytest.mark.django_db
def test_admin_login_references_no_other_host(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert external_references(response.content.decode()) == []
