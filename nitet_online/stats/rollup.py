"""Roll-ups: raw views of a finished day summed into small tables, then raw rows older than
STATS_RAW_RETENTION_DAYS deleted. Indicators read roll-ups up to the watermark (the last rolled
day) and raw views after it, so figures are right whether or not the roll-up has run yet.

Two roll-ups: per item (stats_daily_content: item, owner, page; for per-item counts and owners'
dashboards) and per slice (stats_slice: see models.Slice), by day and by month, so that a question
over years reads a few rows per month instead of millions of views.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import (
    String,
    case,
    cast,
    delete,
    distinct,
    func,
    insert,
    literal,
    literal_column,
    select,
)

from nitet_online.extensions import db
from nitet_online.stats.models import (
    DailyContentViews,
    PageView,
    RolledDay,
    Slice,
    VisitorSalt,
)

RAW = PageView.__table__
CONTENT = DailyContentViews.__table__
SLICE = Slice.__table__
ROLLED = RolledDay.__table__


def watermark() -> date | None:
    """The last rolled-up day; raw views after it are read directly."""
    return db.session.scalar(select(func.max(ROLLED.c.day)))


def slice_families() -> dict[str, tuple]:
    """Each family of slices: (key expression over raw views, extra condition or None)."""

    def as_text(column):
        return cast(column, String)

    return {
        "site": (literal(""), None),
        "type": (RAW.c.content_type, None),
        "owner": (as_text(RAW.c.owner_id), RAW.c.owner_id.is_not(None)),
        "role": (RAW.c.role, None),
        "school": (as_text(RAW.c.school_id), RAW.c.school_id.is_not(None)),
        "referrer": (RAW.c.referrer, None),
        "device": (RAW.c.device, None),
        "item": (
            RAW.c.content_type.concat(literal_column("':'")).concat(as_text(RAW.c.content_id)),
            RAW.c.content_id.is_not(None),
        ),
    }


def raw_slice_columns():
    """Views, downloads and distinct visitors of a group of raw views."""
    return (
        func.sum(case((RAW.c.kind == "view", 1), else_=0)),
        func.sum(case((RAW.c.kind == "download", 1), else_=0)),
        func.count(distinct(RAW.c.visitor)),
    )


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def roll_up_day(day: date, *, months: bool = True) -> int | None:
    """(Re)builds the roll-ups of one day from its raw views (and its month's totals unless
    `months` is False); returns how many raw views, or None when the day's raw views are already
    purged (its roll-up is then kept as it is)."""
    on_day = RAW.c.day == day
    raw_views = db.session.scalar(select(func.count()).select_from(RAW).where(on_day)) or 0
    if not raw_views and db.session.get(RolledDay, day) is not None:
        return None
    for table in (CONTENT, ROLLED):
        db.session.execute(delete(table).where(table.c.day == day))
    db.session.execute(delete(SLICE).where(SLICE.c.grain == "d", SLICE.c.day == day))
    _insert_content(on_day)
    for family, (key, condition) in slice_families().items():
        _insert_slice(family, key, on_day if condition is None else on_day & condition)
    db.session.execute(insert(ROLLED).values(day=day, raw_views=raw_views))
    if months:
        roll_up_months([day])
    db.session.commit()
    return raw_views


def _insert_content(where) -> None:
    dims = [RAW.c.kind, RAW.c.content_type, RAW.c.content_id, RAW.c.owner_id, RAW.c.endpoint]
    query = select(RAW.c.day, *dims, func.count()).where(where).group_by(RAW.c.day, *dims)
    names = ["day", *[column.name for column in dims], "views"]
    db.session.execute(insert(CONTENT).from_select(names, query))


def _insert_slice(family: str, key, where) -> None:
    group = [RAW.c.day] if family == "site" else [RAW.c.day, key]
    query = (
        select(literal("d"), literal(family), RAW.c.day, key, *raw_slice_columns())
        .where(where)
        .group_by(*group)
    )
    columns = ["grain", "family", "day", "key", "views", "downloads", "visitors"]
    db.session.execute(insert(SLICE).from_select(columns, query))


def roll_up_months(days: Iterable[date]) -> None:
    """Rebuilds the month rows of the months of `days` from their day rows."""
    for first in sorted({month_start(day) for day in days}):
        db.session.execute(delete(SLICE).where(SLICE.c.grain == "m", SLICE.c.day == first))
        in_month = SLICE.c.day.between(first, month_end(first))
        query = (
            select(
                literal("m"),
                SLICE.c.family,
                literal(first),
                SLICE.c.key,
                func.sum(SLICE.c.views),
                func.sum(SLICE.c.downloads),
                func.sum(SLICE.c.visitors),
            )
            .where(SLICE.c.grain == "d", in_month)
            .group_by(SLICE.c.family, SLICE.c.key)
        )
        columns = ["grain", "family", "day", "key", "views", "downloads", "visitors"]
        db.session.execute(insert(SLICE).from_select(columns, query))


@dataclass
class RollupReport:
    days: list[date]
    views: int
    purged: int


def pending_days(today: date) -> list[date]:
    """Finished days whose raw views are not (all) in a roll-up yet: never rolled up, or views
    arrived after their roll-up (a late flush, an import). Days already purged are left alone."""
    raw_counts = select(RAW.c.day, func.count().label("views")).where(RAW.c.day < today)
    raw_counts = raw_counts.group_by(RAW.c.day).subquery()
    query = (
        select(raw_counts.c.day)
        .outerjoin(ROLLED, ROLLED.c.day == raw_counts.c.day)
        .where((ROLLED.c.day.is_(None)) | (ROLLED.c.raw_views != raw_counts.c.views))
    )
    return sorted(db.session.scalars(query))


def roll_up_pending(today: date) -> RollupReport:
    """Rolls up every finished day not rolled up yet, then purges raw views past retention."""
    days = pending_days(today)
    views = sum(roll_up_day(day, months=False) or 0 for day in days)
    roll_up_months(days)
    db.session.commit()
    purged = purge_raw(today)
    db.session.execute(delete(VisitorSalt.__table__).where(VisitorSalt.__table__.c.day < today))
    db.session.commit()
    return RollupReport(days=days, views=views, purged=purged)


def purge_raw(today: date) -> int:
    """Deletes raw views older than the retention period, but only of days already rolled up."""
    keep_days = int(current_app.config["STATS_RAW_RETENTION_DAYS"])
    cutoff = today - timedelta(days=keep_days)
    last = watermark()
    if last is None:
        return 0
    limit = min(cutoff, last + timedelta(days=1))
    result = db.session.execute(delete(RAW).where(RAW.c.day < limit))
    db.session.commit()
    return result.rowcount or 0
