"""The best-practice indicator of the statistics dashboards: works published in the period, by
learning area and by network (declared in the feature's setup)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from nitet_online.best_practices.models import BestPractice, BestPracticeStatus
from nitet_online.extensions import db
from nitet_online.org.models import LearningArea, Network, School
from nitet_online.stats.indicators import utc_bounds
from nitet_online.stats.registry import IndicatorResult, StatTable


def best_practices_indicator(start: date, end: date) -> IndicatorResult:
    begin, until = utc_bounds(start, end)
    published = (
        BestPractice.status == BestPracticeStatus.PUBLISHED,
        BestPractice.published_at >= begin,
        BestPractice.published_at < until,
    )
    by_area = db.session.execute(
        select(func.coalesce(LearningArea.name, "ไม่ระบุ"), func.count(BestPractice.id))
        .outerjoin(LearningArea, LearningArea.id == BestPractice.learning_area_id)
        .where(*published)
        .group_by(LearningArea.name)
        .order_by(func.count(BestPractice.id).desc())
    ).all()
    by_network = db.session.execute(
        select(
            func.coalesce(Network.name, "-"),
            func.count(BestPractice.id),
            func.count(func.distinct(School.id)),
        )
        .join(School, School.id == BestPractice.school_id)
        .outerjoin(Network, Network.id == School.network_id)
        .where(*published)
        .group_by(Network.name)
        .order_by(Network.name)
    ).all()
    total = sum(count for _, count in by_area)
    return IndicatorResult(
        value=total,
        unit="ผลงาน",
        note="ผลงานที่เผยแพร่ในช่วงเวลานี้",
        tables=[
            StatTable(
                "best_practices_by_area",
                "ผลงานดีเด่นที่เผยแพร่แยกตามกลุ่มสาระการเรียนรู้",
                ["กลุ่มสาระการเรียนรู้", "ผลงาน"],
                [list(row) for row in by_area],
                chart={"type": "bar", "value_columns": [1], "horizontal": True},
            ),
            StatTable(
                "best_practices_by_network",
                "ผลงานดีเด่นที่เผยแพร่แยกตามกลุ่มเครือข่าย",
                ["กลุ่มเครือข่าย", "ผลงาน", "โรงเรียน"],
                [list(row) for row in by_network],
            ),
        ],
    )
