"""Reading spreadsheets that offices keep: CSV (UTF-8, or TIS-620 as Thai Excel saves it) and
Excel .xlsx. Each row comes with its line number so an import can report bad rows by line."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from flask import current_app, has_app_context
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from nitet_online.services.archives import (
    DamagedArchiveError,
    UnsafeArchiveError,
    ZipLimits,
    check_zip,
)


class TableFileError(ValueError):
    """The file as a whole cannot be read; the message is Thai and meant for the user."""


@dataclass
class Row:
    line: int
    values: dict[str, str]

    def get(self, key: str) -> str:
        return (self.values.get(key) or "").strip()


@dataclass
class ImportReport:
    """What an import did: counts and the rejected rows with their reasons."""

    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.created + self.updated

    def reject(self, line: int, reason: str) -> None:
        self.errors.append((line, reason))


def _normalise_header(name: object) -> str:
    return str(name or "").strip().lstrip("\ufeff").lower().replace(" ", "_")


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp874"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableFileError("อ่านไฟล์ไม่ได้ กรุณาบันทึกไฟล์ CSV เป็น UTF-8")


def _rows_from_csv(raw: bytes) -> Iterable[tuple[int, list[str]]]:
    text = _decode(raw)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as error:
        raise TableFileError(f"ไฟล์ CSV มีรูปแบบไม่ถูกต้อง (บรรทัดที่ {reader.line_num})") from error


def _rows_from_xlsx(raw: bytes) -> Iterable[tuple[int, list[str]]]:
    # openpyxl opens the archive itself: its entries' real sizes are checked first, so that a
    # zip bomb is refused here instead of filling the server's memory.
    limits = ZipLimits.from_config(current_app.config) if has_app_context() else ZipLimits()
    try:
        check_zip(raw, limits)
    except UnsafeArchiveError as error:
        raise TableFileError(f"อ่านไฟล์ Excel นี้ไม่ได้: {error}") from error
    except DamagedArchiveError as error:
        raise TableFileError("ไฟล์ Excel เสียหายหรือไม่ใช่ไฟล์ .xlsx") from error
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableFileError("ไฟล์ Excel เสียหายหรือไม่ใช่ไฟล์ .xlsx") from error
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        for number, row in enumerate(rows, start=1):
            yield number, [_cell_text(value) for value in row]
    except (SyntaxError, KeyError, ValueError, IndexError, TypeError) as error:
        # The sheet is read as it is iterated: its XML may be broken (SyntaxError covers the
        # parse errors of ElementTree and lxml).
        raise TableFileError("ไฟล์ Excel เสียหายหรือไม่ใช่ไฟล์ .xlsx") from error
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores school codes typed as numbers as floats
    return str(value)


def read_table(
    stream: IO[bytes], filename: str, required: Iterable[str], max_rows: int = 20000
) -> list[Row]:
    """Rows of the first sheet (or the CSV) as dicts keyed by lower-cased header names.

    Raises TableFileError when the file is not a readable CSV/XLSX, is empty, lacks a required
    column or has more rows than max_rows.
    """
    suffix = Path(filename or "").suffix.lower()
    raw = stream.read()
    if not raw:
        raise TableFileError("ไฟล์ว่างเปล่า")
    if suffix == ".csv":
        rows = _rows_from_csv(raw)
    elif suffix == ".xlsx":
        if not raw.startswith(b"PK"):
            raise TableFileError("ไฟล์ Excel เสียหายหรือไม่ใช่ไฟล์ .xlsx")
        rows = _rows_from_xlsx(raw)
    else:
        raise TableFileError("รองรับเฉพาะไฟล์ .csv และ .xlsx")

    iterator = iter(rows)
    header: list[str] | None = None
    for _, values in iterator:
        if any(str(v).strip() for v in values):
            header = [_normalise_header(v) for v in values]
            break
    if not header:
        raise TableFileError("ไม่พบแถวหัวตาราง (ชื่อคอลัมน์) ในไฟล์")
    missing = [name for name in required if name not in header]
    if missing:
        raise TableFileError("ไม่พบคอลัมน์ที่จำเป็น: " + ", ".join(missing))

    result: list[Row] = []
    for line, values in iterator:
        if not any(str(v).strip() for v in values):
            continue
        if len(result) >= max_rows:
            raise TableFileError(f"ไฟล์มีข้อมูลเกิน {max_rows:,} แถว กรุณาแบ่งเป็นหลายไฟล์")
        padded = list(values) + [""] * (len(header) - len(values))
        result.append(Row(line, {key: str(padded[i]) for i, key in enumerate(header) if key}))
    return result
