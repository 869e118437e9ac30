"""What GIFT and Moodle XML imports share: text cleaning, category paths, skip reasons."""

from __future__ import annotations

import html
import re

from django.utils.translation import gettext as _

from question_bank.grading import looks_like_html, sanitise_html

_ONLY_PARAGRAPHS = re.compile(r"^(?:\s|<p>|</p>|<br>|<br />|[^<])*$")
_CATEGORY_PREFIX = re.compile(r"^\$(?:course|system|module|cat\d*)\$/?")


def clean_text(text: str, *, is_html: bool = False) -> str:
    """Imported text made safe: HTML is sanitised (allow-list); text that is only paragraphs and line
    breaks becomes plain text with line breaks, which is what a Moodle user sees and what the
    spreadsheet export can show."""
    text = (text or "").strip()
    if not (is_html or looks_like_html(text)):
        return text
    cleaned = sanitise_html(text).strip()
    if _ONLY_PARAGRAPHS.match(cleaned):
        plain = re.sub(r"<br\s*/?>", "\n", cleaned)
        plain = re.sub(r"</p>\s*<p>", "\n", plain)
        plain = re.sub(r"</?p>", "", plain)
        return html.unescape(plain).strip()
    return cleaned


def category_path(raw: str) -> list[str]:
    """Moodle's "$course$/top/Alpha/Beta" → ["Alpha", "Beta"]: context prefix and "top" dropped."""
    text = _CATEGORY_PREFIX.sub("", (raw or "").strip())
    parts = [part.strip() for part in re.split(r"(?<!/)/(?!/)", text) if part.strip()]
    parts = [part.replace("//", "/") for part in parts]
    if parts and parts[0].lower() == "top":
        parts = parts[1:]
    return parts


def unsupported_reason(moodle_type: str) -> str:
    names = {
        "matching": _("matching questions"),
        "numerical": _("numerical questions"),
        "multianswer": _("embedded answers (cloze) questions"),
        "cloze": _("embedded answers (cloze) questions"),
        "description": _("descriptions (no answer)"),
        "calculated": _("calculated questions"),
        "calculatedsimple": _("calculated questions"),
        "calculatedmulti": _("calculated questions"),
        "ddwtos": _("drag-and-drop questions"),
        "ddimageortext": _("drag-and-drop questions"),
        "ddmarker": _("drag-and-drop questions"),
        "gapselect": _("select missing words questions"),
        "randomsamatch": _("random short-answer matching questions"),
        "random": _("random questions"),
        "ordering": _("ordering questions"),
    }
    kind = names.get(moodle_type, moodle_type)
    return _("Skipped: the bank has no equivalent of %(kind)s.") % {"kind": kind}
