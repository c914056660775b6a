"""Statistics services other features call.

- `track_view(content_type, content_id, owner_id)` from a detail view: counts a view of that item
  (owner = the supervisor whose page or content it is). Every other HTML page is counted
  automatically as content type "page" (see tracking.track_page_after_request).
- `track_download(content_type, content_id, owner_id)` from a download view.
- `view_count(content_type, content_id)` / `download_count(...)`: per-item counts for pages
  (also the Jinja global `view_count`).
- `public_counters()`: ผู้เข้าชมวันนี้ / เดือนนี้ / ทั้งหมด.
"""

from __future__ import annotations

import time as clock
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_login import current_user

from nitet_online.services.date_input import (
    BE_YEARS,
    ISO_DAY,
    ThaiDateError,
    parse_iso_date,
    parse_thai_date,
)
from nitet_online.services.thai import (
    academic_year,
    academic_year_range,
    be_year,
    fiscal_year,
    fiscal_year_range,
    thai_date,
    today_bangkok,
)
from nitet_online.stats import queries
from nitet_online.stats.tracking import DOWNLOAD, VIEW, record

EPOCH = date(2000, 1, 1)
COUNTER_CACHE_SECONDS = 60


def track_view(
    content_type: str, content_id: int | None = None, owner_id: int | None = None
) -> bool:
    """Counts a view of an item by the current visitor (bots and health checks are not counted).
    Call it from the item's page view; the page is then not counted a second time as "page"."""
    return record(VIEW, content_type, content_id, owner_id)


def track_view_by_others(content_type: str, content_id: int, owner_id: int | None) -> bool:
    """Counts a view unless the visitor owns the item (owners' visits to their own news or
    personal site do not count)."""
    if owner_id is not None and current_user.is_authenticated and current_user.id == owner_id:
        return False
    return track_view(content_type, content_id, owner_id)


def track_download(
    content_type: str, content_id: int | None = None, owner_id: int | None = None
) -> bool:
    """Counts a download of an item's file by the current visitor."""
    return record(DOWNLOAD, content_type, content_id, owner_id)


def view_count(content_type: str, content_id: int) -> int:
    """How many times an item has been viewed (all time)."""
    filters = {"content_type": content_type, "content_id": content_id}
    return queries.total(EPOCH, today_bangkok(), kind=VIEW, filters=filters)


def download_count(content_type: str, content_id: int) -> int:
    filters = {"content_type": content_type, "content_id": content_id}
    return queries.total(EPOCH, today_bangkok(), kind=DOWNLOAD, filters=filters)


@dataclass(frozen=True)
class PublicCounters:
    today: int
    month: int
    total: int


def public_counters() -> PublicCounters:
    """Visitors today, this month and since the start; cached for a minute per process."""
    cache = current_app.extensions.setdefault("stats_counter_cache", {})
    if cache.get("expires", 0) > clock.monotonic():
        return cache["value"]
    today = today_bangkok()
    by_day = queries.unique_visitors_by_day("site", EPOCH, today)
    month_start = today.replace(day=1)
    counters = PublicCounters(
        today=by_day.get(today, 0),
        month=sum(count for day, count in by_day.items() if day >= month_start),
        total=sum(by_day.values()),
    )
    cache.update(value=counters, expires=clock.monotonic() + COUNTER_CACHE_SECONDS)
    return counters


# Periods ------------------------------------------------------------------------------------
class PeriodError(ValueError):
    """A period the user asked for that cannot be used; the message is Thai."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str = "range"  # fiscal | academic | range
    year: int | None = None

    @property
    def span(self) -> str:
        return f"{thai_date(self.start, 'long')} – {thai_date(self.end, 'long')}"

    @property
    def label(self) -> str:
        if self.kind == "fiscal":
            return f"ปีงบประมาณ {self.year} ({self.span})"
        if self.kind == "academic":
            return f"ปีการศึกษา {self.year} ({self.span})"
        return self.span

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def query_args(self) -> dict[str, str]:
        if self.kind == "fiscal":
            return {"fy": str(self.year)}
        if self.kind == "academic":
            return {"ay": str(self.year)}
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


MAX_PERIOD_YEARS = 30


def parse_day(text: str, api: bool = False) -> date:
    """A day of a period. The API takes ISO 8601 with the Gregorian year only; the pages take the
    same (their links) or a day typed in พ.ศ. by the date picker (11/12/2569)."""
    try:
        if api:
            return parse_iso_date(text)
        if ISO_DAY.match((text or "").strip()) and int(text.strip()[:4]) < BE_YEARS.start:
            return parse_iso_date(text)
        return parse_thai_date(text)
    except ThaiDateError as error:
        raise PeriodError(str(error)) from error


def _year_arg(text: str, what: str) -> int:
    try:
        year = int(text)
    except ValueError as error:
        raise PeriodError(f"{what}ไม่ถูกต้อง กรุณาระบุเป็นปีพุทธศักราช เช่น 2569") from error
    if year < 2500:  # a Gregorian year typed by mistake
        year = be_year(year)
    if not 2540 <= year <= 2700:
        raise PeriodError(f"{what}ไม่ถูกต้อง กรุณาระบุเป็นปีพุทธศักราช เช่น 2569")
    return year


def parse_period(args: Mapping[str, str], today: date | None = None, api: bool = False) -> Period:
    """The period asked for by `fy` (ปีงบประมาณ), `ay` (ปีการศึกษา) or `from`/`to`; the current
    fiscal year when nothing is asked."""
    today = today or today_bangkok()
    if args.get("fy"):
        year = _year_arg(args["fy"], "ปีงบประมาณ")
        return Period(*fiscal_year_range(year), kind="fiscal", year=year)
    if args.get("ay"):
        year = _year_arg(args["ay"], "ปีการศึกษา")
        return Period(*academic_year_range(year), kind="academic", year=year)
    if args.get("from") or args.get("to"):
        if not args.get("from") or not args.get("to"):
            raise PeriodError("กรุณาระบุทั้งวันเริ่มต้น (from) และวันสิ้นสุด (to)")
        start, end = parse_day(args["from"], api), parse_day(args["to"], api)
        if start > end:
            raise PeriodError("วันเริ่มต้นต้องไม่อยู่หลังวันสิ้นสุด")
        if (end - start).days > 366 * MAX_PERIOD_YEARS:
            raise PeriodError(f"ช่วงเวลายาวเกินไป (ไม่เกิน {MAX_PERIOD_YEARS} ปี)")
        return Period(start, end)
    year = fiscal_year(today)
    return Period(*fiscal_year_range(year), kind="fiscal", year=year)


def recent_fiscal_years(today: date | None = None, count: int = 5) -> list[int]:
    current = fiscal_year(today or today_bangkok())
    return list(range(current, current - count, -1))


def recent_academic_years(today: date | None = None, count: int = 5) -> list[int]:
    current = academic_year(today or today_bangkok())
    return list(range(current, current - count, -1))
