"""ZIP bombs made in memory for the tests and bench/bench_archive_bombs.py: Office and OpenDocument
files of a few hundred kilobytes whose entries inflate to hundreds of megabytes, an entry whose
header states a small size while its data inflates far beyond it, and an archive of 100,000
entries. Written byte by byte (zipfile cannot store pre-compressed data or lie about sizes); a
gigabyte of zeros is one deflate block of a megabyte of zeros, repeated."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from tests.files import docx_bytes, pptx_bytes, xlsx_bytes

MB = 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass
class Entry:
    name: str
    raw: bytes  # the stored bytes (raw deflate when method is 8)
    crc: int
    size: int  # what the header states as the uncompressed size
    method: int = zipfile.ZIP_DEFLATED


def entry(name: str, data: bytes) -> Entry:
    """An honest entry."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw = compressor.compress(data) + compressor.flush()
    return Entry(name, raw, zlib.crc32(data), len(data))


def inflating(name: str, size: int, prefix: bytes = b"", stated: int | None = None) -> Entry:
    """An entry of `prefix` followed by zeros up to `size` bytes, about 1/1000 of that stored.
    With `stated`, the header claims that size instead (and the checksum of that many leading
    bytes, so a reader that trusts the header finds nothing wrong)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    zeros = bytes(MB)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    blocks, rest = divmod(size - len(prefix), MB)
    tail = compressor.compress(bytes(rest)) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(prefix)
    if stated is None:
        for _ in range(blocks):
            crc = zlib.crc32(zeros, crc)
        crc = zlib.crc32(bytes(rest), crc)
        stated = size
    else:
        crc = zlib.crc32((prefix + bytes(stated))[:stated])
    return Entry(name, head + block * blocks + tail, crc, stated)


def archive(entries: list[Entry]) -> bytes:
    """The ZIP file of these entries, in this order."""
    out = io.BytesIO()
    central = []
    for item in entries:
        name = item.name.encode("utf-8")
        offset = out.tell()
        sizes = (item.crc, len(item.raw), item.size)
        fields = (20, 0x800, item.method, 0, 0x21, *sizes)
        out.write(b"PK\x03\x04" + struct.pack("<HHHHHLLL", *fields))
        out.write(struct.pack("<HH", len(name), 0) + name + item.raw)
        central.append(
            b"PK\x01\x02"
            + struct.pack("<HHHHHHLLL", 20, 20, 0x800, item.method, 0, 0x21, *sizes)
            + struct.pack("<HHHHHLL", len(name), 0, 0, 0, 0, 0, offset)
            + name
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    count = len(entries)
    if count >= 0xFFFF:  # Zip64 end records hold the real count; the classic one says "see there"
        end64 = out.tell()
        fields = (44, 45, 45, 0, 0, count, count, len(directory), start)
        out.write(b"PK\x06\x06" + struct.pack("<QHHLLQQQQ", *fields))
        out.write(b"PK\x06\x07" + struct.pack("<LQL", 0, end64, 1))
        count = 0xFFFF
    out.write(b"PK\x05\x06" + struct.pack("<HHHHLLH", 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


def _replacing(original: bytes, name: str, replacement: Entry) -> bytes:
    """An Office file made by its library with one part replaced (or added)."""
    entries = []
    with zipfile.ZipFile(io.BytesIO(original)) as source:
        for info in source.infolist():
            if info.filename != name:
                entries.append(entry(info.filename, source.read(info)))
    entries.append(replacement)
    return archive(entries)


def odt_mimetype_bomb(size: int = 1024 * MB) -> bytes:
    """An OpenDocument text whose `mimetype` entry inflates to `size` (the upload check reads it)."""
    return archive(
        [
            inflating("mimetype", size, prefix=ODT_MIMETYPE),
            entry("META-INF/manifest.xml", b'<?xml version="1.0"?><manifest:manifest/>'),
            entry("content.xml", b'<?xml version="1.0"?><office:document-content/>'),
        ]
    )


def odt_lying_mimetype(size: int = 1024 * MB) -> bytes:
    """The header of `mimetype` states 39 bytes with their right checksum; the data goes on."""
    return archive(
        [
            inflating("mimetype", size, prefix=ODT_MIMETYPE, stated=len(ODT_MIMETYPE)),
            entry("content.xml", b'<?xml version="1.0"?><office:document-content/>'),
        ]
    )


def docx_bomb(size: int = 500 * MB, stated: int | None = None) -> bytes:
    """A Word file whose word/document.xml inflates to `size`."""
    prefix = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    part = inflating("word/document.xml", size, prefix=prefix, stated=stated)
    return _replacing(docx_bytes(), "word/document.xml", part)


def xlsx_bomb(size: int = 500 * MB) -> bytes:
    """An Excel file whose first sheet inflates to `size`."""
    part = inflating("xl/worksheets/sheet1.xml", size, prefix=b'<?xml version="1.0"?>')
    return _replacing(xlsx_bytes(), "xl/worksheets/sheet1.xml", part)


def pptx_bomb(size: int = 500 * MB) -> bytes:
    """A PowerPoint file whose first slide inflates to `size`."""
    part = inflating("ppt/slides/slide1.xml", size, prefix=b'<?xml version="1.0"?>')
    return _replacing(pptx_bytes(), "ppt/slides/slide1.xml", part)


def many_entries(count: int = 100_000) -> bytes:
    """An Excel file of `count` empty entries (the table of contents alone costs memory)."""
    empty = entry("", b"")
    parts = [entry(info.filename, data) for info, data in _parts_of(xlsx_bytes())]
    parts += [Entry(f"xl/media/e{number}", empty.raw, empty.crc, 0) for number in range(count)]
    return archive(parts)


def _parts_of(original: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(original)) as source:
        return [(info, source.read(info)) for info in source.infolist()]


# name → (maker of the bomb, file name): the corpus, each format and each trick.
BOMBS = {
    "odt-mimetype": (odt_mimetype_bomb, "รายงาน.odt"),
    "odt-lying-mimetype": (odt_lying_mimetype, "รายงาน.odt"),
    "docx-document": (docx_bomb, "แผนการสอน.docx"),
    "docx-lying-document": (lambda: docx_bomb(300 * MB, stated=4096), "แผนการสอน.docx"),
    "xlsx-sheet": (xlsx_bomb, "คะแนน.xlsx"),
    "pptx-slide": (pptx_bomb, "สไลด์.pptx"),
    "xlsx-100000-entries": (many_entries, "รายชื่อ.xlsx"),
}
