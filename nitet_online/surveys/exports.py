"""Survey results to Excel (by the shared export writer: answers written as text, x̄ and S.D.
as numbers shown with two places), and the chart data of the results page."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.styles import PatternFill

from nitet_online.services.exports import XLSX_MIMETYPE, Spreadsheet
from nitet_online.surveys.models import ItemKind, Survey
from nitet_online.surveys.results import SurveyResults, round2

__all__ = ["XLSX_MIMETYPE", "chart_specs", "results_workbook"]

SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
SUMMARY_COLUMNS = ["ข้อ", "รายการประเมิน", "n", "x̄", "S.D.", "ระดับ", "5", "4", "3", "2", "1"]


def _number(value: float | None) -> float | None:
    return None if value is None else float(round2(value))


def _two_places(value: float | None) -> Decimal | None:
    """Rounded as the report prints it; written as a number formatted 0.00."""
    return None if value is None else round2(value)


def _summary_sheet(book: Spreadsheet, survey: Survey, results: SurveyResults) -> None:
    sheet = book.add_sheet("สรุปผล")
    sheet.append([survey.title], bold=True, size=14)
    sheet.append([f"จำนวนผู้ตอบ {results.responses} คน"])
    sheet.append(
        [
            "n คือจำนวนผู้ตอบ (คน); ค่าเฉลี่ย (x̄) และส่วนเบี่ยงเบนมาตรฐานแบบตัวอย่าง (S.D.) "
            "รายด้านและรวมคำนวณจากคำตอบทุกข้อในด้านนั้นรวมกัน (S.D. หารด้วยจำนวนคำตอบ − 1)"
        ]
    )
    sheet.append([])
    sheet.header(SUMMARY_COLUMNS)
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
                _two_places(summary.mean),
                _two_places(summary.sd),
                summary.band,
            ],
            bold=True,
            fill=SECTION_FILL,
            styled_columns=len(SUMMARY_COLUMNS),
        )
        for item in rated:
            number += 1
            s = item.summary
            counts = [item.level_counts.get(level, 0) for level in range(5, 0, -1)]
            sheet.append(
                [
                    number,
                    item.item.prompt,
                    s.n,
                    _two_places(s.mean),
                    _two_places(s.sd),
                    s.band,
                    *counts,
                ]
            )
    overall = results.overall
    sheet.append(
        [
            "",
            "รวมทุกด้าน",
            overall.n,
            _two_places(overall.mean),
            _two_places(overall.sd),
            overall.band,
        ],
        bold=True,
    )
    sheet.width(1, 6)
    sheet.width(2, 60)
    for column in range(3, 7):
        sheet.width(column, 11)


def _choices_sheet(book: Spreadsheet, results: SurveyResults) -> None:
    sheet = book.add_sheet("ตัวเลือก")
    sheet.header(["ข้อคำถาม", "ตัวเลือก", "จำนวน", "ร้อยละ"])
    for section in results.sections:
        for item in section.items:
            for option, count, percent in item.distribution:
                sheet.append([item.item.prompt, option, count, round2(percent)])
    sheet.width(1, 50)
    sheet.width(2, 35)


def _texts_sheet(book: Spreadsheet, results: SurveyResults) -> None:
    sheet = book.add_sheet("ความคิดเห็น")
    sheet.header(["ข้อคำถาม", "คำตอบ"])
    for section in results.sections:
        for item in section.items:
            for text in item.texts:
                sheet.append([item.item.prompt, text])
    sheet.width(1, 40)
    sheet.width(2, 90)


def results_workbook(survey: Survey, results: SurveyResults) -> bytes:
    book = Spreadsheet()
    _summary_sheet(book, survey, results)
    _choices_sheet(book, results)
    _texts_sheet(book, results)
    return book.to_bytes()


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
