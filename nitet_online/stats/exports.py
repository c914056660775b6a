"""Indicator tables to Excel and CSV, written by the shared export writer
(`nitet_online.services.exports`: user text as text, numbers as numbers, Thai sheet names)."""

from __future__ import annotations

from collections.abc import Iterable

from nitet_online.services.exports import XLSX_MIMETYPE, Sheet, Spreadsheet
from nitet_online.services.exports import csv_bytes as _csv_bytes
from nitet_online.stats.registry import StatTable

__all__ = ["XLSX_MIMETYPE", "csv_bytes", "workbook_bytes"]


def _write_table(sheet: Sheet, table: StatTable, heading: list[str]) -> None:
    for line in heading:
        sheet.append([line], bold=True)
    sheet.append([])
    header_row = sheet.header(table.columns)
    for row in table.rows:
        sheet.append(list(row))
    sheet.fit_widths([table.columns, *table.rows])
    if table.note:
        sheet.append([])
        sheet.append([table.note])
    sheet.freeze_below(header_row)


def workbook_bytes(tables: Iterable[StatTable], heading: list[str]) -> bytes:
    """One sheet per table, each starting with the report's heading lines."""
    book = Spreadsheet()
    for table in tables:
        _write_table(book.add_sheet(table.title), table, [*heading, table.title])
    if book.is_empty:
        book.add_sheet("ไม่มีข้อมูล").append(["ไม่มีข้อมูลในช่วงเวลานี้"])
    return book.to_bytes()


def csv_bytes(table: StatTable) -> bytes:
    """The table's columns and rows; UTF-8 with BOM, so Excel opens it with Thai intact."""
    return _csv_bytes([table.columns, *table.rows])
