"""Opening ZIP-based files safely: Word, Excel and PowerPoint (.docx .xlsx .pptx) and OpenDocument
(.odt .ods .odp) are ZIP archives, and a small archive can inflate to gigabytes (a "zip bomb").
Every reader of such a file goes through this module:

    with open_zip(data_or_path, limits) as archive:     # refuses bombs from the declared sizes
        names = archive.names()
        text = archive.read("mimetype", max_bytes=256)  # bounded read of the real bytes

    check_zip(path, limits)   # before handing the file to a library that opens it itself
                              # (python-docx, openpyxl): declared AND actual sizes checked

What is checked, refusing with ArchiveError (a Thai message meant for the user):
- before the table of contents is even parsed: the entry count and the size of the central
  directory stated at the end of the file (100,000 entries would cost 60 MB just to list);
- from the table of contents: the number of entries, each entry's declared uncompressed size,
  their total, and the compression ratio of large entries;
- while reading: the bytes actually inflated, counted chunk by chunk (64 KB at a time) from the
  raw compressed data, so a header that states a small size cannot hide a bomb; the read stops
  as soon as the count passes the declared size or the limit, and the CRC is checked at the end.

Only the standard library is imported: the document worker (knowledge/filework.py, a child
process that imports no part of the application) loads this file too. The limits come from
config.py through ZipLimits.from_config().
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO

MB = 1024 * 1024
CHUNK = 64 * 1024
# A central directory record is 46 bytes plus the name, extra field and comment; Office and
# OpenDocument names are short (word/media/image12.png). Allowing 256 bytes per permitted entry
# bounds what the table of contents may cost to parse even when the stated count lies.
CENTRAL_RECORD_ALLOWANCE = 256
# Entries smaller than this are not held to the compression ratio: tiny parts compress oddly.
RATIO_FLOOR_BYTES = 1 * MB

_END_RECORD = b"PK\x05\x06"
_END_RECORD_64 = b"PK\x06\x06"
_END_LOCATOR_64 = b"PK\x06\x07"
_LOCAL_HEADER = b"PK\x03\x04"
_READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    struct.error,
    NotImplementedError,
    zlib.error,
)


class ArchiveError(ValueError):
    """The archive is refused; the message says why, in Thai."""


class DamagedArchiveError(ArchiveError):
    """Not a ZIP archive, or a broken one (truncated, wrong checksum, unknown compression)."""


class UnsafeArchiveError(ArchiveError):
    """Beyond the limits: too many entries, too large once inflated, or compressed suspiciously
    well — what a zip bomb looks like."""


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 5_000
    max_entry_bytes: int = 50 * MB
    max_total_bytes: int = 200 * MB
    max_ratio: int = 200

    @classmethod
    def from_config(cls, config: Mapping) -> ZipLimits:
        return cls(
            max_entries=int(config.get("ARCHIVE_MAX_ENTRIES", cls.max_entries)),
            max_entry_bytes=int(config.get("ARCHIVE_MAX_ENTRY_MB", cls.max_entry_bytes // MB) * MB),
            max_total_bytes=int(config.get("ARCHIVE_MAX_TOTAL_MB", cls.max_total_bytes // MB) * MB),
            max_ratio=int(config.get("ARCHIVE_MAX_RATIO", cls.max_ratio)),
        )


def _megabytes(size: int) -> str:
    if size >= MB:
        return f"{size / MB:,.0f} MB"
    return f"{size / 1024:,.0f} KB" if size >= 1024 else f"{size:,} ไบต์"


def _name_of(info: zipfile.ZipInfo) -> str:
    """The entry's name as shown in a message: printable, at most 60 characters."""
    name = "".join(ch for ch in info.filename if ch.isprintable())
    return name if len(name) <= 60 else name[:57] + "..."


def _bomb(reason: str) -> UnsafeArchiveError:
    return UnsafeArchiveError(f"{reason} ไฟล์ลักษณะนี้อาจเป็นไฟล์อันตรายที่ทำให้ระบบหน่วยความจำเต็ม (zip bomb)")


def _damaged() -> DamagedArchiveError:
    return DamagedArchiveError("ไฟล์เสียหาย เปิดอ่านเนื้อหาที่บีบอัดอยู่ข้างในไม่ได้")


class SafeZip:
    """A ZIP archive whose table of contents passed the limits; read it with read() or verify().
    Use open_zip() to make one."""

    def __init__(self, handle: IO[bytes], limits: ZipLimits, owns_handle: bool) -> None:
        self.limits = limits
        self._handle = handle
        self._owns_handle = owns_handle
        self._inflated = 0  # bytes inflated so far by this object, against max_total_bytes
        _check_end_record(handle, limits)
        try:
            handle.seek(0)
            self._zip = zipfile.ZipFile(handle)
            self._infos = self._zip.infolist()
        except _READ_ERRORS as error:
            raise _damaged() from error
        self._by_name = {info.filename: info for info in self._infos}
        try:
            _check_declared(self._infos, limits)
        except ArchiveError:
            self._zip.close()
            raise

    # The table of contents -----------------------------------------------------------------
    def names(self) -> list[str]:
        return [info.filename for info in self._infos]

    def infolist(self) -> list[zipfile.ZipInfo]:
        return list(self._infos)

    def getinfo(self, name: str) -> zipfile.ZipInfo:
        """The entry's header (its declared sizes); KeyError when absent."""
        return self._by_name[name]

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    # Reading -------------------------------------------------------------------------------
    def read(self, name: str, max_bytes: int | None = None) -> bytes:
        """The entry's bytes, read in chunks; UnsafeArchiveError as soon as more than max_bytes
        (or the entry limit) come out, whatever the header states. KeyError when absent."""
        info = self._by_name[name]
        limit = self.limits.max_entry_bytes if max_bytes is None else max_bytes
        return b"".join(self._chunks(info, limit))

    def verify(self) -> None:
        """Inflates every entry (bounded, nothing kept): the real sizes must match the declared
        ones, stay within the limits, and the checksums must be right."""
        for info in self._infos:
            for _ in self._chunks(info, self.limits.max_entry_bytes):
                pass

    def _chunks(self, info: zipfile.ZipInfo, limit: int) -> Iterator[bytes]:
        if info.flag_bits & 0x1:
            raise DamagedArchiveError("ไฟล์นี้ถูกเข้ารหัสด้วยรหัสผ่าน ระบบจึงเปิดอ่านไม่ได้")
        if info.compress_type == zipfile.ZIP_STORED:
            inflater = None
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        else:
            raise DamagedArchiveError("ไฟล์นี้บีบอัดด้วยวิธีที่ระบบไม่รองรับ")
        if info.file_size > limit:
            raise _bomb(
                f"เนื้อหาส่วน {_name_of(info)} ในไฟล์มีขนาด {_megabytes(info.file_size)} "
                f"เกินที่อ่านได้ ({_megabytes(limit)})"
            )
        try:
            remaining = self._seek_to_data(info)
            produced, crc, pending = 0, 0, b""
            while True:
                if not pending:
                    if remaining <= 0:
                        break
                    pending = self._handle.read(min(CHUNK, remaining))
                    if not pending:
                        raise _damaged()  # the data ends before its stated compressed size
                    remaining -= len(pending)
                if inflater is None:
                    out, pending = pending, b""
                else:
                    out = inflater.decompress(pending, CHUNK)
                    pending = inflater.unconsumed_tail
                produced += len(out)
                self._inflated += len(out)
                # Counted, not believed: the real bytes may run past what the header states.
                if produced > info.file_size:
                    raise _bomb(
                        f"เนื้อหาส่วน {_name_of(info)} ขยายออกมาได้มากกว่าขนาดที่ไฟล์ระบุไว้ "
                        f"({_megabytes(info.file_size)})"
                    )
                if self._inflated > self.limits.max_total_bytes:
                    raise _bomb(
                        f"เนื้อหาในไฟล์เมื่อขยายออกแล้วรวมเกิน {_megabytes(self.limits.max_total_bytes)}"
                    )
                crc = zlib.crc32(out, crc)
                if out:
                    yield out
                if inflater is not None and inflater.eof:
                    break
            if inflater is not None and not inflater.eof:
                raise _damaged()  # compressed data cut short
        except _READ_ERRORS as error:
            if isinstance(error, ArchiveError):
                raise
            raise _damaged() from error
        if produced != info.file_size or crc != info.CRC:
            raise _damaged()

    def _seek_to_data(self, info: zipfile.ZipInfo) -> int:
        """Positions the handle at the entry's compressed bytes; returns how many there are."""
        self._handle.seek(info.header_offset)
        header = self._handle.read(30)
        if len(header) != 30 or header[:4] != _LOCAL_HEADER:
            raise _damaged()
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        self._handle.seek(info.header_offset + 30 + name_length + extra_length)
        return info.compress_size

    # Closing -------------------------------------------------------------------------------
    def close(self) -> None:
        self._zip.close()
        if self._owns_handle:
            self._handle.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def open_zip(source: bytes | str | os.PathLike | IO[bytes], limits: ZipLimits) -> SafeZip:
    """The archive in `source` (its bytes, a path, or a seekable binary file), its table of
    contents checked against the limits. Raises DamagedArchiveError or UnsafeArchiveError."""
    if isinstance(source, bytes | bytearray | memoryview):
        return SafeZip(io.BytesIO(source), limits, owns_handle=True)
    if isinstance(source, str | os.PathLike):
        try:
            handle = open(source, "rb")  # noqa: SIM115 (closed by SafeZip.close)
        except OSError as error:
            raise _damaged() from error
        try:
            return SafeZip(handle, limits, owns_handle=True)
        except BaseException:
            handle.close()
            raise
    return SafeZip(source, limits, owns_handle=False)


def check_zip(source: bytes | str | os.PathLike | IO[bytes], limits: ZipLimits) -> None:
    """Declared and actual sizes of every entry within the limits: then the archive may be
    handed to a library that opens it itself (python-docx, openpyxl)."""
    with open_zip(source, limits) as archive:
        archive.verify()


def _check_end_record(handle: IO[bytes], limits: ZipLimits) -> None:
    """The entry count and central directory size stated at the end of the file, checked before
    zipfile parses (and builds an object for) every entry."""
    try:
        size = handle.seek(0, os.SEEK_END)
        start = max(0, size - (22 + 65_535))
        handle.seek(start)
        tail = handle.read()
    except _READ_ERRORS as error:
        raise _damaged() from error
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < 22:
        raise _damaged()
    entries, directory_size = struct.unpack("<HL", tail[at + 10 : at + 16])
    locator = at - 20
    zip64 = entries == 0xFFFF or directory_size == 0xFFFFFFFF
    if zip64 and locator >= 0 and tail[locator : locator + 4] == _END_LOCATOR_64:
        (offset,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
        try:
            handle.seek(offset)
            record = handle.read(56)
        except _READ_ERRORS as error:
            raise _damaged() from error
        if len(record) == 56 and record[:4] == _END_RECORD_64:
            entries, directory_size = struct.unpack("<QQ", record[32:48])
    _refuse_entry_count(entries, limits)
    if directory_size > limits.max_entries * CENTRAL_RECORD_ALLOWANCE:
        raise _bomb(
            f"สารบัญของไฟล์มีขนาด {_megabytes(directory_size)} ใหญ่ผิดปกติ "
            f"(ไฟล์ย่อยได้ไม่เกิน {limits.max_entries:,} ไฟล์)"
        )


def _refuse_entry_count(count: int, limits: ZipLimits) -> None:
    if count > limits.max_entries:
        raise _bomb(f"ไฟล์นี้มีไฟล์ย่อยข้างใน {count:,} ไฟล์ เกินที่รับได้ ({limits.max_entries:,} ไฟล์)")


def _check_declared(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    _refuse_entry_count(len(infos), limits)
    total = 0
    for info in infos:
        if info.file_size > limits.max_entry_bytes:
            raise _bomb(
                f"เนื้อหาส่วน {_name_of(info)} ในไฟล์เมื่อขยายออกแล้วมีขนาด "
                f"{_megabytes(info.file_size)} เกินที่รับได้ ({_megabytes(limits.max_entry_bytes)})"
            )
        if info.file_size > RATIO_FLOOR_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise _bomb(
                    f"เนื้อหาส่วน {_name_of(info)} ในไฟล์ถูกบีบอัดไว้มากผิดปกติ "
                    f"(ขยายได้ {ratio:,.0f} เท่า รับได้ไม่เกิน {limits.max_ratio:,} เท่า)"
                )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _bomb(
                f"เนื้อหาในไฟล์เมื่อขยายออกแล้วมีขนาดรวมเกินที่รับได้ ({_megabytes(limits.max_total_bytes)})"
            )
