"""Shared spreadsheet plumbing for every import and export: upload safety, issue reporting, safe cells.

Importers (rosters, questions) report problems as `ImportIssue`s located by file, sheet, row and column,
in Chinese; exporters pass every cell through `safe_cell` so a value can never run as a formula.
"""

from __future__ import annotations

import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

# Leading characters that make Excel, WPS or LibreOffice treat a cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
# A real roster or question workbook expands a few times; hundreds of times is a zip bomb.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 10_000


class UploadRejected(ValueError):
    """The file is refused before any parsing; the message is for the user."""


def damaged_file_message(filename: str) -> str:
    """What the user reads when a workbook opens but a part of it cannot be read to the end (a cut-off
    download, a bad checksum, a part larger than declared): the reader fails only when it reaches the part."""
    if not filename:
        return _(
            "The file is damaged: it cannot be read to the end. Open it in Excel or WPS, save it again and "
            "upload the new copy."
        )
    return _(
        "The file is damaged: “%(name)s” cannot be read to the end. Open it in Excel or WPS, save it again "
        "and upload the new copy."
    ) % {"name": filename}


@dataclass(frozen=True)
class ImportIssue:
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row is not None:
            parts.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            parts.append(_("column “%(column)s”") % {"column": self.column})
        return _(", ").join(parts)

    def __str__(self) -> str:
        location = self.location()
        value = _("(value: %(value)s)") % {"value": self.value} if self.value else ""
        return " ".join(part for part in (f"{location}:" if location else "", self.message, value) if part)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ImportReport:
    """What an import found and did. `errors` non-empty means nothing was written."""

    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, message: str, **where) -> None:
        self.errors.append(ImportIssue(message, **where))

    def warn(self, message: str, **where) -> None:
        self.warnings.append(ImportIssue(message, **where))


def safe_cell(value):
    """Neutralise a value that a spreadsheet program would evaluate, by prefixing an apostrophe.

    Numbers are left alone (a negative number is data, not a formula); strings starting with a formula
    character get a leading single quote, which Excel and WPS show as text.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def check_upload(
    uploaded: IO[bytes],
    *,
    filename: str,
    allowed_extensions: tuple[str, ...] = (".xlsx",),
    max_bytes: int | None = None,
) -> None:
    """Refuse a file before parsing: wrong type, too large, or a zip whose contents would explode.

    `uploaded` is left positioned at its start.
    """
    max_bytes = max_bytes or settings.MAX_IMPORT_UPLOAD_BYTES
    extension = Path(filename).suffix.lower()
    if extension not in allowed_extensions:
        raise UploadRejected(
            _("File “%(name)s” is not an accepted type; accepted: %(types)s.")
            % {"name": filename, "types": "、".join(allowed_extensions)}
        )
    uploaded.seek(0, 2)
    size = uploaded.tell()
    uploaded.seek(0)
    if size == 0:
        raise UploadRejected(_("File “%(name)s” is empty.") % {"name": filename})
    if size > max_bytes:
        raise UploadRejected(
            _("File “%(name)s” is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"name": filename, "size": size / 1048576, "limit": max_bytes / 1048576}
        )
    head = uploaded.read(8)
    uploaded.seek(0)
    if extension in (".xlsx", ".xlsm"):
        if not head.startswith(XLSX_MAGIC):
            if head.startswith(XLS_MAGIC):
                raise UploadRejected(
                    _("File “%(name)s” is an old Excel 97-2003 workbook; save it as .xlsx and upload again.")
                    % {"name": filename}
                )
            raise UploadRejected(_("File “%(name)s” is not a valid Excel .xlsx workbook.") % {"name": filename})
        _check_zip(uploaded, filename)


def _check_zip(uploaded: IO[bytes], filename: str) -> None:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise UploadRejected(_("File “%(name)s” is damaged and cannot be opened.") % {"name": filename}) from exc
    finally:
        uploaded.seek(0)
    if len(members) > MAX_ZIP_MEMBERS:
        raise UploadRejected(_("File “%(name)s” has too many parts to be a workbook.") % {"name": filename})
    total = sum(member.file_size for member in members)
    compressed = sum(member.compress_size for member in members) or 1
    if total > MAX_UNCOMPRESSED_BYTES or total / compressed > MAX_COMPRESSION_RATIO:
        raise UploadRejected(
            _("File “%(name)s” expands to an unreasonable size and was refused for safety.") % {"name": filename}
        )
    if not any(member.filename == "xl/workbook.xml" for member in members):
        raise UploadRejected(_("File “%(name)s” is not a valid Excel .xlsx workbook.") % {"name": filename})
