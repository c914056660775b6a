"""Reading views over a period: roll-ups up to the watermark plus raw views after it.

Visitors are distinct per day (the salt of the hash changes every day), so "visitors" of a longer
period is the sum of each day's distinct visitors: the count Thai web counters show.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import distinct, func, select

from nitet_online.extensions import db
from nitet_online.stats.rollup import AUDIENCE, CONTENT, RAW, UNIQUE, watermark

CONTENT_DIMS = {"day", "content_type", "content_id", "owner_id", "endpoint"}
AUDIENCE_DIMS = {"day", "content_type", "role", "school_id", "referrer", "device"}


@dataclass
class Counts:
    views: int = 0
    visitors: int = 0


def _split(start: date, end: date) -> tuple[tuple[date, date] | None, tuple[date, date] | None]:
    """The part of [start, end] read from roll-ups and the part read from raw views."""
    last = watermark()
    rolled = None
    if last is not None and start <= last:
        rolled = (start, min(end, last))
    raw_start = start if last is None else max(start, last + timedelta(days=1))
    raw = (raw_start, end) if raw_start <= end else None
    return rolled, raw


def _filtered(query, table, filters: Mapping[str, Any]):
    for name, value in filters.items():
        column = table.c[name]
        if value is None:
            query = query.where(column.is_(None))
        elif isinstance(value, list | tuple | set | frozenset):
            query = query.where(column.in_(list(value)))
        else:
            query = query.where(column == value)
    return query


def aggregate(
    dims: Iterable[str],
    start: date,
    end: date,
    *,
    kind: str | None = "view",
    filters: Mapping[str, Any] | None = None,
) -> dict[tuple, Counts]:
    """Views and visitors over [start, end] grouped by `dims`. The dimensions and filters decide
    the roll-up read: item dimensions (content_id, owner_id, endpoint) or audience dimensions
    (role, school_id, referrer, device); content_type and day are in both."""
    dims = list(dims)
    filters = dict(filters or {})
    if kind is not None:
        filters["kind"] = kind
    wanted = set(dims) | set(filters) - {"kind"}
    table = CONTENT if wanted <= CONTENT_DIMS else AUDIENCE
    if not wanted <= (CONTENT_DIMS if table is CONTENT else AUDIENCE_DIMS):
        raise ValueError(f"cannot group by {sorted(wanted)} together")
    totals: dict[tuple, Counts] = defaultdict(Counts)
    rolled, raw = _split(start, end)
    if rolled:
        columns = [table.c[name] for name in dims]
        query = select(*columns, func.sum(table.c.views), func.sum(table.c.visitors))
        query = _filtered(query.where(table.c.day.between(*rolled)), table, filters)
        for *key, views, visitors in db.session.execute(query.group_by(*columns)):
            counts = totals[tuple(key)]
            counts.views += int(views or 0)
            counts.visitors += int(visitors or 0)
    if raw:
        columns = [RAW.c[name] for name in dims]
        query = select(
            RAW.c.day, *columns, func.count(), func.count(distinct(RAW.c.visitor))
        ).where(RAW.c.day.between(*raw))
        query = _filtered(query, RAW, filters).group_by(RAW.c.day, *columns)
        for _day, *key, views, visitors in db.session.execute(query):
            counts = totals[tuple(key)]
            counts.views += int(views)
            counts.visitors += int(visitors)
    return dict(totals)


def total(
    start: date, end: date, *, kind: str | None = "view", filters: Mapping[str, Any] | None = None
) -> Counts:
    return aggregate([], start, end, kind=kind, filters=filters).get((), Counts())


def unique_visitors_by_day(scope: str, start: date, end: date) -> dict[date, int]:
    """Distinct visitors of each day in a scope: "site", "type:<content type>", "owner:<id>"."""
    by_day: dict[date, int] = {}
    rolled, raw = _split(start, end)
    if rolled:
        query = select(UNIQUE.c.day, UNIQUE.c.visitors).where(
            UNIQUE.c.scope == scope, UNIQUE.c.day.between(*rolled)
        )
        by_day.update({day: int(count) for day, count in db.session.execute(query)})
    if raw:
        query = select(RAW.c.day, func.count(distinct(RAW.c.visitor))).where(
            RAW.c.day.between(*raw)
        )
        if scope.startswith("type:"):
            query = query.where(RAW.c.content_type == scope.removeprefix("type:"))
        elif scope.startswith("owner:"):
            query = query.where(RAW.c.owner_id == int(scope.removeprefix("owner:")))
        elif scope != "site":
            raise ValueError(f"unknown scope {scope!r}")
        by_day.update(
            {day: int(count) for day, count in db.session.execute(query.group_by(RAW.c.day))}
        )
    return by_day


def unique_visitors(scope: str, start: date, end: date) -> int:
    return sum(unique_visitors_by_day(scope, start, end).values())


def first_day() -> date | None:
    """The first day with any recorded view (roll-ups or raw)."""
    candidates = [
        db.session.scalar(select(func.min(UNIQUE.c.day))),
        db.session.scalar(select(func.min(RAW.c.day))),
    ]
    known = [day for day in candidates if day is not None]
    return min(known) if known else None
