"""Tables to Excel (openpyxl) and CSV (UTF-8 with a byte-order mark so Excel reads Thai)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from nitet_online.stats.registry import StatTable

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str, used: set[str]) -> str:
    base = SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:28] or "ตาราง"
    name, number = base, 2
    while name in used:
        name = f"{base[:25]} ({number})"
        number += 1
    used.add(name)
    return name


def _write_table(sheet, table: StatTable, heading: list[str]) -> None:
    for line in heading:
        sheet.append([line])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.append([])
    sheet.append(table.columns)
    header_row = sheet.max_row
    for column in range(1, len(table.columns) + 1):
        cell = sheet.cell(header_row, column)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in table.rows:
        sheet.append(list(row))
    for column, name in enumerate(table.columns, start=1):
        widest = max([len(str(name))] + [len(str(row[column - 1])) for row in table.rows] or [8])
        sheet.column_dimensions[get_column_letter(column)].width = min(60, max(10, widest + 2))
    if table.note:
        sheet.append([])
        sheet.append([table.note])
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)


def workbook_bytes(tables: Iterable[StatTable], heading: list[str]) -> bytes:
    """One sheet per table, each starting with the report's heading lines."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, used))
        _write_table(sheet, table, [*heading, table.title])
    if not workbook.sheetnames:
        workbook.create_sheet("ไม่มีข้อมูล").append(["ไม่มีข้อมูลในช่วงเวลานี้"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(table: StatTable) -> bytes:
    """UTF-8 with BOM: Excel opens it with Thai intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
