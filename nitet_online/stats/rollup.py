"""Daily roll-ups: raw views of a finished day summed into small tables, then raw rows older than
STATS_RAW_RETENTION_DAYS deleted. Indicators read roll-ups up to the watermark (the last rolled
day) and raw views after it, so figures are right whether or not the roll-up has run yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import String, cast, delete, distinct, func, insert, literal, select

from nitet_online.extensions import db
from nitet_online.stats.models import (
    DailyAudienceViews,
    DailyContentViews,
    DailyUniqueVisitors,
    PageView,
    RolledDay,
    VisitorSalt,
)

RAW = PageView.__table__
CONTENT = DailyContentViews.__table__
AUDIENCE = DailyAudienceViews.__table__
UNIQUE = DailyUniqueVisitors.__table__
ROLLED = RolledDay.__table__


def watermark() -> date | None:
    """The last rolled-up day; raw views after it are read directly."""
    return db.session.scalar(select(func.max(ROLLED.c.day)))


def unique_key_columns() -> dict[str, tuple]:
    """Each family of distinct-visitor slices: (key expression, extra condition or None)."""
    as_text = lambda column: cast(column, String)  # noqa: E731
    return {
        "site": (literal(""), None),
        "type": (RAW.c.content_type, None),
        "owner": (as_text(RAW.c.owner_id), RAW.c.owner_id.is_not(None)),
        "role": (RAW.c.role, None),
        "school": (as_text(RAW.c.school_id), RAW.c.school_id.is_not(None)),
        "referrer": (RAW.c.referrer, None),
        "device": (RAW.c.device, None),
        "item": (
            RAW.c.content_type.concat(":").concat(as_text(RAW.c.content_id)),
            RAW.c.content_id.is_not(None),
        ),
    }


def roll_up_day(day: date) -> int | None:
    """(Re)builds the roll-ups of one day from its raw views; returns how many raw views, or
    None when the day's raw views are already purged (its roll-up is then kept as it is)."""
    on_day = RAW.c.day == day
    raw_views = db.session.scalar(select(func.count()).select_from(RAW).where(on_day)) or 0
    if not raw_views and db.session.get(RolledDay, day) is not None:
        return None
    _delete_rollups(day)
    content_dims = [
        RAW.c.kind,
        RAW.c.content_type,
        RAW.c.content_id,
        RAW.c.owner_id,
        RAW.c.endpoint,
    ]
    _insert_grouped(CONTENT, content_dims, on_day)
    audience_dims = [
        RAW.c.kind,
        RAW.c.content_type,
        RAW.c.role,
        RAW.c.school_id,
        RAW.c.referrer,
        RAW.c.device,
    ]
    _insert_grouped(AUDIENCE, audience_dims, on_day)
    for family, (key, condition) in unique_key_columns().items():
        where = on_day if condition is None else on_day & condition
        _insert_unique(family, key, where)
    db.session.execute(insert(ROLLED).values(day=day, raw_views=raw_views))
    db.session.commit()
    return raw_views


def _delete_rollups(day: date) -> None:
    for table in (CONTENT, AUDIENCE, UNIQUE, ROLLED):
        db.session.execute(delete(table).where(table.c.day == day))


def _insert_grouped(target, dims: list, where) -> None:
    query = (
        select(RAW.c.day, *dims, func.count().label("views"))
        .where(where)
        .group_by(RAW.c.day, *dims)
    )
    names = ["day", *[column.name for column in dims], "views"]
    db.session.execute(insert(target).from_select(names, query))


def _insert_unique(family: str, key, where) -> None:
    query = (
        select(
            RAW.c.day,
            literal(family).label("family"),
            key.label("key"),
            func.count(distinct(RAW.c.visitor)),
        )
        .where(where)
        .group_by(RAW.c.day, *([] if family == "site" else [key]))
    )
    db.session.execute(insert(UNIQUE).from_select(["day", "family", "key", "visitors"], query))


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
    views = sum(roll_up_day(day) or 0 for day in days)
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
