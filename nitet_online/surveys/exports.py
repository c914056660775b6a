"""Survey results to Excel, and the chart data of the results page."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from nitet_online.stats.exports import XLSX_MIMETYPE
from nitet_online.surveys.models import ItemKind, Survey
from nitet_online.surveys.results import SurveyResults, round2

__all__ = ["XLSX_MIMETYPE", "chart_specs", "results_workbook"]

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")


def _number(value: float | None) -> float | None:
    return None if value is None else float(round2(value))


def _header(sheet, values: list[str]) -> None:
    sheet.append(values)
    for column in range(1, len(values) + 1):
        cell = sheet.cell(sheet.max_row, column)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _summary_sheet(workbook: Workbook, survey: Survey, results: SurveyResults) -> None:
    sheet = workbook.active
    sheet.title = "สรุปผล"
    sheet.append([survey.title])
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.append([f"จำนวนผู้ตอบ {results.responses} คน"])
    sheet.append(["ค่าเฉลี่ย (x̄) และส่วนเบี่ยงเบนมาตรฐานแบบตัวอย่าง (S.D., หารด้วย n − 1)"])
    sheet.append([])
    _header(sheet, ["ข้อ", "รายการประเมิน", "n", "x̄", "S.D.", "ระดับ", "5", "4", "3", "2", "1"])
    number = 0
    for section in results.sections:
        rated = [item for item in section.items if item.item.kind == ItemKind.RATING]
        if not rated:
            continue
        summary = section.summary
        sheet.append(
            [
                "",
                section.section.title,
                summary.n,
                _number(summary.mean),
                _number(summary.sd),
                summary.band,
            ]
        )
        for column in range(1, 12):
            sheet.cell(sheet.max_row, column).fill = SECTION_FILL
            sheet.cell(sheet.max_row, column).font = Font(bold=True)
        for item in rated:
            number += 1
            s = item.summary
            counts = [item.level_counts.get(level, 0) for level in range(5, 0, -1)]
            sheet.append(
                [number, item.item.prompt, s.n, _number(s.mean), _number(s.sd), s.band, *counts]
            )
    overall = results.overall
    sheet.append(
        ["", "รวมทุกด้าน", overall.n, _number(overall.mean), _number(overall.sd), overall.band]
    )
    for column in range(1, 7):
        sheet.cell(sheet.max_row, column).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 60
    for letter in "CDEF":
        sheet.column_dimensions[letter].width = 11


def _choices_sheet(workbook: Workbook, results: SurveyResults) -> None:
    sheet = workbook.create_sheet("ตัวเลือก")
    _header(sheet, ["ข้อคำถาม", "ตัวเลือก", "จำนวน", "ร้อยละ"])
    for section in results.sections:
        for item in section.items:
            for option, count, percent in item.distribution:
                sheet.append([item.item.prompt, option, count, round(percent, 2)])
    sheet.column_dimensions["A"].width = 50
    sheet.column_dimensions["B"].width = 35


def _texts_sheet(workbook: Workbook, results: SurveyResults) -> None:
    sheet = workbook.create_sheet("ความคิดเห็น")
    _header(sheet, ["ข้อคำถาม", "คำตอบ"])
    for section in results.sections:
        for item in section.items:
            for text in item.texts:
                sheet.append([item.item.prompt, text])
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 90


def results_workbook(survey: Survey, results: SurveyResults) -> bytes:
    workbook = Workbook()
    _summary_sheet(workbook, survey, results)
    _choices_sheet(workbook, results)
    _texts_sheet(workbook, results)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def chart_specs(results: SurveyResults) -> dict:
    """Chart data for static/js/stats.js: item means, and each choice item's distribution."""
    labels, means = [], []
    number = 0
    for section in results.sections:
        for item in section.items:
            if item.item.kind == ItemKind.RATING:
                number += 1
                labels.append(f"ข้อ {number}")
                means.append(_number(item.summary.mean) or 0)
    specs: dict = {}
    if labels:
        specs["means"] = {
            "type": "bar",
            "labels": labels,
            "datasets": [{"label": "ค่าเฉลี่ย (x̄)", "data": means}],
            "horizontal": True,
            "max": 5,
        }
    for section in results.sections:
        for item in section.items:
            if item.distribution:
                specs[f"item-{item.item.id}"] = {
                    "type": "doughnut" if item.item.kind == ItemKind.SINGLE else "bar",
                    "labels": [option for option, _, _ in item.distribution],
                    "datasets": [
                        {"label": "จำนวน", "data": [count for _, count, _ in item.distribution]}
                    ],
                    "horizontal": True,
                }
    return specs
