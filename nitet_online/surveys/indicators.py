"""The survey indicator of the statistics dashboards: responses in the period and each survey's
overall x̄ and S.D. over those responses."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from nitet_online.extensions import db
from nitet_online.stats.indicators import utc_bounds
from nitet_online.stats.registry import IndicatorResult, StatTable
from nitet_online.surveys.models import Survey, SurveyResponse
from nitet_online.surveys.results import round2, survey_results


def _two_places(value: float | None) -> Decimal | str:
    """A number with two places (pages print 4.50, exports store 4.5 formatted 0.00), or "-"."""
    return "-" if value is None else round2(value)


def _results(start: date, end: date, owner_id: int | None = None) -> IndicatorResult:
    begin, until = utc_bounds(start, end)
    query = (
        select(SurveyResponse.survey_id, SurveyResponse.id)
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .where(SurveyResponse.submitted_at >= begin, SurveyResponse.submitted_at < until)
    )
    if owner_id is not None:
        query = query.where(Survey.owner_id == owner_id)
    by_survey: dict[int, list[int]] = defaultdict(list)
    for survey_id, response_id in db.session.execute(query):
        by_survey[survey_id].append(response_id)
    rows = []
    for survey_id, response_ids in sorted(by_survey.items()):
        survey = db.session.get(Survey, survey_id)
        overall = survey_results(survey, response_ids).overall
        rows.append(
            [
                survey.title,
                survey.owner.full_name if survey.owner else "-",
                len(response_ids),
                _two_places(overall.mean),
                _two_places(overall.sd),
                overall.band,
            ]
        )
    table = StatTable(
        "survey_results" if owner_id is None else "my_survey_results",
        "ผลการประเมินออนไลน์",
        ["แบบประเมิน", "ผู้จัดทำ", "ผู้ตอบ (คน)", "x̄", "S.D.", "ระดับ"],
        rows,
        note="x̄ และ S.D. (แบบตัวอย่าง n − 1) ของทุกข้อแบบมาตรประมาณค่ารวมกัน จากคำตอบในช่วงเวลานี้",
    )
    return IndicatorResult(
        value=sum(len(ids) for ids in by_survey.values()),
        unit="คำตอบ",
        figures=[("แบบประเมินที่มีผู้ตอบ", len(rows), "ฉบับ")],
        tables=[table],
    )


def survey_indicator(start: date, end: date) -> IndicatorResult:
    return _results(start, end)


def my_survey_indicator(user_id: int, start: date, end: date) -> IndicatorResult:
    return _results(start, end, owner_id=user_id)


def declare(plug) -> None:
    """The surveys feature's indicator (called from its setup)."""
    plug.indicator(
        "survey_results",
        "แบบประเมินออนไลน์",
        survey_indicator,
        order=90,
        supervisor_compute=my_survey_indicator,
    )
