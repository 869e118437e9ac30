"""What a user reads on a rendered page, and the English strings of Django and Wagtail that lack Chinese.

`visible_text` keeps text nodes and the attributes people read (title, aria-label, placeholder, alt, button
values), leaving out scripts, styles, templates and <noscript>. `untranslated_framework_strings` lists the
msgids of Django's and Wagtail's own zh_Hans catalogues that are still English after our catalogue is merged
in; `english_on_page` finds any of them on a page.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.utils import translation

import polib

SKIPPED = {"script", "style", "template", "noscript", "svg", "code", "pre"}
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skip += 1
        attrs = dict(attrs)
        for name in READ_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in SKIPPED and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return [" ".join(part.split()) for part in parser.parts if part.strip()]


def _framework_catalogues() -> list[Path]:
    import django

    import wagtail

    roots = [Path(django.__file__).parent / "contrib" / "auth", Path(django.__file__).parent / "conf",
             Path(django.__file__).parent / "contrib" / "admin"]
    roots += [p.parent.parent.parent.parent for p in Path(wagtail.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po")]
    found = []
    for root in roots:
        # The English catalogue lists every msgid of the source; the Chinese one may lag behind it.
        po = root / "locale" / "en" / "LC_MESSAGES" / "django.po"
        if po.exists():
            found.append(po)
    return sorted(set(found))


@cache
def untranslated_framework_strings() -> tuple[str, ...]:
    """English msgids of Django's and Wagtail's catalogues that no catalogue (theirs or ours) translates."""
    strings = []
    with translation.override("zh-hans"):
        for po in _framework_catalogues():
            for entry in polib.pofile(str(po)):
                if entry.obsolete or not entry.msgid:
                    continue
                if entry.msgid_plural:
                    shown = translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2) if entry.msgctxt \
                        else translation.ngettext(entry.msgid, entry.msgid_plural, 2)
                    if shown == entry.msgid_plural:
                        strings += [entry.msgid, entry.msgid_plural]
                    continue
                shown = translation.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else translation.gettext(entry.msgid)
                if shown == entry.msgid:
                    strings.append(entry.msgid)
    return tuple(dict.fromkeys(strings))


_TAG = re.compile(r"<[^>]+>")
_HOLE = re.compile(r"%\(\w+\)[sdfr]|%[sdr]|\{\w*\}")


@cache
def _segment_patterns(msgid: str) -> tuple[re.Pattern, ...]:
    """One pattern per piece of a msgid between tags (each piece renders as its own text node), with
    placeholders matching anything; pieces without a word of three letters are too vague to look for."""
    patterns = []
    for segment in _TAG.split(msgid):
        segment = " ".join(segment.split())
        if not re.search(r"[A-Za-z]{3}", _HOLE.sub("", segment)):
            continue
        literal = "".join(".+?" if _HOLE.fullmatch(piece) else re.escape(piece)
                          for piece in re.split(f"({_HOLE.pattern})", segment) if piece)
        patterns.append(re.compile(f"^{literal}$"))
    return tuple(patterns)


def english_on_page(texts: list[str], extra: tuple[str, ...] = ()) -> list[str]:
    """The untranslated framework strings found among a page's text nodes (a node that is one of them, its
    placeholders filled in), and any of `extra` (known English) found anywhere in the text."""
    joined = "\n".join(texts)
    found = [phrase for phrase in extra if phrase in joined]
    nodes = set(texts)
    for msgid in untranslated_framework_strings():
        if any(pattern.match(node) for pattern in _segment_patterns(msgid) for node in nodes):
            found.append(msgid)
    return found
