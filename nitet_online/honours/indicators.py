"""The honours indicator of the statistics dashboards: honours approved in the period, by level
and by recipient (declared in the feature's setup)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from nitet_online.extensions import db
from nitet_online.honours.models import Honour, HonourStatus
from nitet_online.stats.indicators import utc_bounds
from nitet_online.stats.registry import IndicatorResult, StatTable


def honours_indicator(start: date, end: date) -> IndicatorResult:
    begin, until = utc_bounds(start, end)
    honours = db.session.scalars(
        select(Honour).where(
            Honour.status == HonourStatus.APPROVED,
            Honour.reviewed_at >= begin,
            Honour.reviewed_at < until,
        )
    ).all()
    by_level: dict[str, int] = defaultdict(int)
    by_recipient: dict[str, int] = defaultdict(int)
    for honour in sorted(honours, key=lambda h: h.level.rank):
        by_level[honour.level.label] += 1
        by_recipient[honour.recipient_type.label] += 1
    return IndicatorResult(
        value=len(honours),
        unit="รายการ",
        note="ประกาศเกียรติคุณที่อนุมัติในช่วงเวลานี้",
        tables=[
            StatTable(
                "honours_by_level",
                "ประกาศเกียรติคุณแยกตามระดับรางวัล",
                ["ระดับรางวัล", "รายการ"],
                [[label, count] for label, count in by_level.items()],
                chart={"type": "doughnut", "value_columns": [1]},
            ),
            StatTable(
                "honours_by_recipient",
                "ประกาศเกียรติคุณแยกตามผู้ได้รับ",
                ["ผู้ได้รับ", "รายการ"],
                [[label, count] for label, count in by_recipient.items()],
                chart={"type": "doughnut", "value_columns": [1]},
            ),
        ],
    )
