"""Our own admin screens title the browser tab (Wagtail's generic base only titles its own views)."""

import re

from django.test import Client
from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db

SCREENS = [
    ("assessment_admin:index", "考核"),
    ("exams_admin:proctor_index", "监考"),
    ("jobs:mine", "任务"),
    ("question_bank_health:index", ""),
    ("courses_completion_index", ""),
]


@pytest.mark.parametrize(("name", "word"), SCREENS)
def test_each_custom_admin_screen_has_a_tab_title(superuser, name, word):
    client = Client()
    client.force_login(superuser)
    response = client.get(reverse(name))
    assert response.status_code == 200
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()
    page_title = title.rsplit(" - ", 1)[0].strip()
    assert page_title, f"{name}: untitled tab {title!r}"
    assert word in page_title
