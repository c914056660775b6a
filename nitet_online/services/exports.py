"""Writing tables people download: Excel (.xlsx, with openpyxl) and CSV. Every export uses this
module, so what users typed always reaches a spreadsheet as text.

- Formula injection (OWASP "CSV injection"): a text starting with =, +, -, @, a tab, a carriage
  return or a line feed gets a single quote in front, so a spreadsheet shows it and never runs it
  (`neutralise`). In .xlsx the cell is also stored as a string, never a formula: openpyxl would
  store any str starting with "=" as a formula. A lone "-" stays as it is; it is how Thai forms
  say "nothing" and no spreadsheet runs it. Characters Excel refuses in a cell (control
  characters) are dropped rather than failing the download.
- Numbers stay numbers, with a number format: an int as it is; a Decimal with the places it
  carries (Decimal("4.18") and Decimal("0.50") are written 4.18 and 0.5 formatted "0.00", the way
  survey results are rounded); a float with one place ("0.0"), as the dashboards show it.
- Sheet names (`sheet_title`): at most 31 characters (Excel's limit), cut between Thai words
  (PyThaiNLP newmm with the search dictionary) rather than inside one, without the characters
  Excel forbids ([]:*?/\\), and unique within the workbook (Excel ignores case).
- CSV (`csv_bytes`): UTF-8 with a byte-order mark so that Excel opens the Thai text intact.

    book = Spreadsheet()
    sheet = book.add_sheet("ผลการประเมิน")
    sheet.header(["รายการ", "x̄"])
    sheet.append(["ความพึงพอใจ", Decimal("4.18")])
    return Response(book.to_bytes(), mimetype=XLSX_MIMETYPE, ...)
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
HARMLESS = {"-"}
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
FLOAT_FORMAT = "0.0"

SHEET_TITLE_MAX = 31
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_RESERVED = {"history"}  # Excel keeps this name for itself
SHEET_TRAILING = " ([{<-–—,.;:&+"

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def neutralise(text: str) -> str:
    """A text a spreadsheet would take for a formula, quoted so that it stays text."""
    if text.startswith(FORMULA_STARTS) and text not in HARMLESS:
        return "'" + text
    return text


def _text(value: object) -> str:
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))[:MAX_CELL_TEXT]


def _decimal_format(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "0"


def cell_value(value: Any) -> tuple[Any, str | None]:
    """What to store in a cell and its number format (None: the cell's own)."""
    if value is None or isinstance(value, bool | int | date | datetime | time):
        return value, None
    if isinstance(value, Decimal):
        return (float(value), _decimal_format(value)) if value.is_finite() else (None, None)
    if isinstance(value, float):
        return (value, FLOAT_FORMAT) if math.isfinite(value) else (None, None)
    return _text(value), None


def csv_field(value: Any) -> Any:
    """A CSV field: numbers as they print (Decimal keeps its places), everything else as safe
    text."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | date | datetime | time):
        return value
    return _text(value)


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark: Excel opens it with Thai intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_field(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Sheet names ------------------------------------------------------------------------------------
def _words(text: str) -> list[str]:
    # The search index's segmentation (newmm with its dictionary), imported when first needed:
    # loading the dictionary takes a moment and most requests never name a sheet.
    from pythainlp.tokenize.newmm import segment

    from nitet_online.search.analysis import dictionary

    return segment(text, custom_dict=dictionary())


def _cut(text: str, limit: int) -> str:
    """The longest run of whole words of `text` within `limit` characters."""
    if len(text) <= limit:
        return text
    kept = ""
    for word in _words(text):
        if len(kept) + len(word) > limit:
            break
        kept += word
    kept = kept.rstrip(SHEET_TRAILING)
    if not kept:  # a single word longer than the limit: cut it, but not off its marks
        end = limit
        while end > 0 and unicodedata.category(text[end]) == "Mn":
            end -= 1
        kept = text[:end].rstrip(SHEET_TRAILING)
    return kept


def sheet_title(title: str, used: set[str], fallback: str = "ตาราง") -> str:
    """A sheet name Excel accepts, made from `title`; `used` holds the workbook's names so far
    (case-folded) and gets this one."""
    clean = " ".join(SHEET_FORBIDDEN.sub(" ", title or "").split()).strip("'").strip()
    clean = clean or fallback
    name = _cut(clean, SHEET_TITLE_MAX).strip("'") or fallback
    number = 2
    while name.casefold() in used or name.casefold() in SHEET_RESERVED:
        suffix = f" ({number})"
        name = (_cut(clean, SHEET_TITLE_MAX - len(suffix)).strip("'") or fallback) + suffix
        number += 1
    used.add(name.casefold())
    return name


# Workbooks --------------------------------------------------------------------------------------
class Sheet:
    """One worksheet, written a row at a time; every value goes through `cell_value`."""

    def __init__(self, worksheet) -> None:
        self.worksheet = worksheet
        self.row = 0  # the last row written

    def append(
        self,
        values: Sequence[Any] = (),
        *,
        bold: bool = False,
        size: float | None = None,
        fill: PatternFill | None = None,
        wrap: bool = False,
        styled_columns: int | None = None,
    ) -> int:
        """Writes the next row and returns its number. The style applies to the values' cells,
        or to the first `styled_columns` cells."""
        self.row += 1
        for column, value in enumerate(values, start=1):
            cell = self.worksheet.cell(self.row, column)
            stored, number_format = cell_value(value)
            cell.value = stored
            if isinstance(stored, str):
                cell.data_type = "s"  # never a formula, whatever the text
            if number_format:
                cell.number_format = number_format
        if bold or size or fill or wrap:
            for column in range(1, (styled_columns or len(values)) + 1):
                cell = self.worksheet.cell(self.row, column)
                if bold or size:
                    cell.font = Font(bold=bold, size=size)
                if fill:
                    cell.fill = fill
                if wrap:
                    cell.alignment = Alignment(wrap_text=True, vertical="center")
        return self.row

    def header(self, values: Sequence[str]) -> int:
        """A table's column headings: bold on a tinted background."""
        return self.append(values, bold=True, fill=HEADER_FILL, wrap=True)

    def width(self, column: int, characters: float) -> None:
        self.worksheet.column_dimensions[get_column_letter(column)].width = characters

    def fit_widths(
        self, rows: Sequence[Sequence[Any]], least: int = 10, most: int = 60, default: int = 8
    ) -> None:
        """Each column as wide as its longest value, within least..most characters."""
        columns = max((len(row) for row in rows), default=0)
        for column in range(columns):
            longest = max(
                (len(str(row[column])) for row in rows if column < len(row)), default=default
            )
            self.width(column + 1, min(most, max(least, longest + 2)))

    def freeze_below(self, row: int) -> None:
        """Keeps rows up to `row` in view while scrolling."""
        self.worksheet.freeze_panes = self.worksheet.cell(row + 1, 1)


class Spreadsheet:
    """An .xlsx workbook whose sheets are named by `sheet_title` and written by `Sheet`."""

    def __init__(self) -> None:
        self.workbook = Workbook()
        self.workbook.remove(self.workbook.active)
        self._names: set[str] = set()

    def add_sheet(self, title: str, fallback: str = "ตาราง") -> Sheet:
        return Sheet(self.workbook.create_sheet(sheet_title(title, self._names, fallback)))

    @property
    def is_empty(self) -> bool:
        return not self.workbook.sheetnames

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()
