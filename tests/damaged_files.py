"""Damaged .xlsx files as they arrive from broken downloads and USB sticks: the zip opens, but reading a
sheet fails. Each builder takes a good workbook's bytes and damages its first sheet."""

from __future__ import annotations

import io
import struct
import zipfile

SHEET = "xl/worksheets/sheet1.xml"
CENTRAL = b"PK\x01\x02"


def _central_entry(data: bytes, name: str) -> int:
    start = data.find(CENTRAL)
    while start != -1:
        length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + length] == name.encode():
            return start
        start = data.find(CENTRAL, start + 4)
    raise AssertionError(f"{name} not in the archive")


def truncated_sheet_xml(data: bytes) -> bytes:
    """A sheet whose XML stops half-way (a well-formed zip holding a cut-off part)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, content[: len(content) // 2] if info.filename == SHEET else content)
    return output.getvalue()


def bad_crc(data: bytes) -> bytes:
    """The sheet's stored checksum does not match its content."""
    buffer = bytearray(data)
    local = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET).header_offset
    for offset in (local + 14, _central_entry(data, SHEET) + 16):
        struct.pack_into("<I", buffer, offset, struct.unpack_from("<I", buffer, offset)[0] ^ 0xFFFFFFFF)
    return bytes(buffer)


def larger_than_declared(data: bytes) -> bytes:
    """The sheet inflates to more bytes than its headers declare."""
    buffer = bytearray(data)
    local = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET).header_offset
    struct.pack_into("<I", buffer, local + 22, 100)
    struct.pack_into("<I", buffer, _central_entry(data, SHEET) + 24, 100)
    return bytes(buffer)


DAMAGES = {"truncated sheet xml": truncated_sheet_xml, "bad crc": bad_crc, "larger than declared": larger_than_declared}
