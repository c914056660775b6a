"""Computing the dashboards: every registered indicator for a period, and a supervisor's own
figures. Kept out of the views so the API, the report and the exports share it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from nitet_online.stats import queries
from nitet_online.stats.indicators import time_table
from nitet_online.stats.registry import (
    Indicator,
    IndicatorResult,
    StatTable,
    content_type_label,
    describe_items,
    indicators,
    supervisor_indicators,
)
from nitet_online.stats.services import Period

log = logging.getLogger(__name__)


@dataclass
class ComputedIndicator:
    indicator: Indicator
    result: IndicatorResult | None  # None: it failed (logged), the rest of the page still shows


def compute_all(period: Period) -> list[ComputedIndicator]:
    computed = []
    for indicator in indicators():
        try:
            result = indicator.compute(period.start, period.end)
        except Exception:
            log.exception("indicator %s failed", indicator.key)
            result = None
        computed.append(ComputedIndicator(indicator, result))
    return computed


def all_tables(computed: list[ComputedIndicator]) -> list[StatTable]:
    return [table for item in computed if item.result for table in item.result.tables]


def find_table(computed: list[ComputedIndicator], key: str) -> StatTable | None:
    return next((table for table in all_tables(computed) if table.key == key), None)


def summary_json(period: Period, computed: list[ComputedIndicator]) -> dict:
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "period": period.label,
        "indicators": {
            item.indicator.key: {
                "label": item.indicator.label,
                **(item.result.as_json() if item.result else {"error": "คำนวณไม่สำเร็จ"}),
            }
            for item in computed
        },
    }


# A supervisor's own dashboard -----------------------------------------------------------------
@dataclass
class SupervisorDashboard:
    page_views: int
    content_views: int
    downloads: int
    visitors: int
    trend: StatTable
    content: StatTable
    extra: list[tuple[Indicator, IndicatorResult | None]] = field(default_factory=list)


def supervisor_dashboard(user_id: int, start: date, end: date) -> SupervisorDashboard:
    mine = {"owner_id": user_id}
    by_type_day = queries.aggregate(["day", "content_type"], start, end, filters=mine)
    page_by_day: dict[date, int] = {}
    content_by_day: dict[date, int] = {}
    for (day, content_type), views in by_type_day.items():
        target = page_by_day if content_type == "supervisor" else content_by_day
        target[day] = target.get(day, 0) + views
    visitors_by_day = queries.unique_visitors_by_day("owner", start, end, str(user_id))
    downloads = queries.total(start, end, kind="download", filters=mine)
    trend = time_table(
        "my_trend",
        "การเข้าชมหน้าส่วนตัวและเนื้อหาของฉัน",
        start,
        end,
        [
            ("หน้าส่วนตัว (ครั้ง)", page_by_day),
            ("เนื้อหาของฉัน (ครั้ง)", content_by_day),
            ("ผู้เข้าชม (ราย-วัน)", visitors_by_day),
        ],
    )
    return SupervisorDashboard(
        page_views=sum(page_by_day.values()),
        content_views=sum(content_by_day.values()),
        downloads=downloads,
        visitors=sum(visitors_by_day.values()),
        trend=trend,
        content=my_content_table(user_id, start, end),
        extra=_supervisor_extras(user_id, start, end),
    )


def my_content_table(user_id: int, start: date, end: date) -> StatTable:
    mine = {"owner_id": user_id}
    views = queries.aggregate(["content_type", "content_id"], start, end, filters=mine)
    downloads = queries.aggregate(
        ["content_type", "content_id"], start, end, kind="download", filters=mine
    )
    keys = sorted(
        {key for key in (*views, *downloads) if key[1] is not None and key[0] != "supervisor"},
        key=lambda key: (-views.get(key, 0), key[0], key[1]),
    )
    names: dict[str, dict] = {}
    for content_type in {key[0] for key in keys}:
        names[content_type] = describe_items(
            content_type, [k[1] for k in keys if k[0] == content_type]
        )
    rows = []
    for content_type, content_id in keys:
        title, url = names[content_type][content_id]
        rows.append(
            [
                content_type_label(content_type),
                title,
                views.get((content_type, content_id), 0),
                downloads.get((content_type, content_id), 0),
                url or "",
            ]
        )
    return StatTable(
        "my_content",
        "เนื้อหาของฉันเรียงตามการเข้าชม",
        ["ประเภท", "รายการ", "เข้าชม (ครั้ง)", "ดาวน์โหลด (ครั้ง)", "ลิงก์"],
        rows,
    )


def _supervisor_extras(user_id: int, start: date, end: date):
    extras = []
    for indicator in supervisor_indicators():
        try:
            result = indicator.supervisor_compute(user_id, start, end)
        except Exception:
            log.exception("supervisor indicator %s failed", indicator.key)
            result = None
        extras.append((indicator, result))
    return extras


def recent_period(days: int, today: date) -> Period:
    return Period(today - timedelta(days=days - 1), today)
