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


def roll_up_day(day: date) -> int:
    """(Re)builds the roll-ups of one day from its raw views; returns how many raw views."""
    _delete_rollups(day)
    on_day = RAW.c.day == day
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
    _insert_unique(literal("site"), None, on_day)
    _insert_unique(literal("type:").concat(RAW.c.content_type), RAW.c.content_type, on_day)
    owner_scope = literal("owner:").concat(cast(RAW.c.owner_id, String))
    _insert_unique(owner_scope, RAW.c.owner_id, on_day & RAW.c.owner_id.is_not(None))
    raw_views = db.session.scalar(select(func.count()).select_from(RAW).where(on_day)) or 0
    db.session.execute(insert(ROLLED).values(day=day, raw_views=raw_views))
    db.session.commit()
    return raw_views


def _delete_rollups(day: date) -> None:
    for table in (CONTENT, AUDIENCE, UNIQUE, ROLLED):
        db.session.execute(delete(table).where(table.c.day == day))


def _insert_grouped(target, dims: list, where) -> None:
    query = (
        select(
            RAW.c.day,
            *dims,
            func.count().label("views"),
            func.count(distinct(RAW.c.visitor)).label("visitors"),
        )
        .where(where)
        .group_by(RAW.c.day, *dims)
    )
    names = ["day", *[column.name for column in dims], "views", "visitors"]
    db.session.execute(insert(target).from_select(names, query))


def _insert_unique(scope, group_column, where) -> None:
    group = [RAW.c.day] if group_column is None else [RAW.c.day, group_column]
    query = (
        select(RAW.c.day, scope.label("scope"), func.count(distinct(RAW.c.visitor)))
        .where(where)
        .group_by(*group)
    )
    db.session.execute(insert(UNIQUE).from_select(["day", "scope", "visitors"], query))


@dataclass
class RollupReport:
    days: list[date]
    views: int
    purged: int


def pending_days(today: date) -> list[date]:
    """Days before today with raw views and no roll-up yet (after the watermark)."""
    query = select(RAW.c.day).distinct().where(RAW.c.day < today)
    last = watermark()
    if last is not None:
        query = query.where(RAW.c.day > last)
    return sorted(db.session.scalars(query))


def roll_up_pending(today: date) -> RollupReport:
    """Rolls up every finished day not rolled up yet, then purges raw views past retention."""
    days = pending_days(today)
    views = sum(roll_up_day(day) for day in days)
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
