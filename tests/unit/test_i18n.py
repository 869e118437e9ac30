"""Chinese by default, English on request; every string of ours has a committed, compiled translation."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

import polib
import pytest


@pytest.mark.django_db
def test_pages_are_chinese_by_default(client):
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in content
    assert "登录" in content


@pytest.mark.django_db
def test_language_switcher_changes_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Sign in" in response.content.decode()
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}, follow=True)
    assert "登录" in response.content.decode()


def catalogues() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "locale"] + [
        p for p in Path(settings.BASE_DIR).glob("*/locale") if ".venv" not in p.parts
    ] + list(Path(settings.BASE_DIR).glob("lms/*/locale"))
    return sorted(po for root in roots for po in root.glob("zh_Hans/LC_MESSAGES/django.po"))


def untranslated_entries(po_path: Path) -> list[str]:
    catalogue = polib.pofile(str(po_path))
    return [entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]


def test_there_is_a_chinese_catalogue():
    assert catalogues(), "no locale/zh_Hans/LC_MESSAGES/django.po found"


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_every_string_is_translated_and_compiled(po_path):
    assert untranslated_entries(po_path) == []
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is not committed; run make messages"
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(mo_path))}
    for entry in polib.pofile(str(po_path)).translated_entries():
        if not entry.msgid_plural:
            assert compiled.get(entry.msgid) == entry.msgstr, f"{mo_path} is stale; run make messages"
