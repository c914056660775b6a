"""Reading views over a period: roll-ups up to the watermark plus raw views after it.

Visitors are distinct per day (the salt of the hash changes every day), so "visitors" of a longer
period is the sum of each day's distinct visitors (ราย-วัน): the count Thai web counters show.
Distinct counts do not add up across slices, so they come from their own slices ("families"):
site, type, owner, role, school, referrer, device, item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import distinct, func, select

from nitet_online.extensions import db
from nitet_online.stats.rollup import (
    AUDIENCE,
    CONTENT,
    RAW,
    UNIQUE,
    unique_key_columns,
    watermark,
)

CONTENT_DIMS = {"day", "content_type", "content_id", "owner_id", "endpoint"}
AUDIENCE_DIMS = {"day", "content_type", "role", "school_id", "referrer", "device"}


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
) -> dict[tuple, int]:
    """Views over [start, end] grouped by `dims` (kind None: views and downloads). Item
    dimensions (content_id, owner_id, endpoint) and audience dimensions (role, school_id,
    referrer, device) come from different roll-ups and cannot be mixed; content_type and day
    go with both."""
    dims = list(dims)
    filters = dict(filters or {})
    if kind is not None:
        filters["kind"] = kind
    wanted = (set(dims) | set(filters)) - {"kind"}
    if wanted <= CONTENT_DIMS:
        table = CONTENT
    elif wanted <= AUDIENCE_DIMS:
        table = AUDIENCE
    else:
        raise ValueError(f"cannot group by {sorted(wanted)} together")
    totals: dict[tuple, int] = defaultdict(int)
    rolled, raw = _split(start, end)
    if rolled:
        columns = [table.c[name] for name in dims]
        query = select(*columns, func.sum(table.c.views))
        query = _filtered(query.where(table.c.day.between(*rolled)), table, filters)
        for *key, views in db.session.execute(query.group_by(*columns)):
            totals[tuple(key)] += int(views or 0)
    if raw:
        columns = [RAW.c[name] for name in dims]
        query = select(*columns, func.count()).where(RAW.c.day.between(*raw))
        query = _filtered(query, RAW, filters).group_by(*columns)
        for *key, views in db.session.execute(query):
            totals[tuple(key)] += int(views)
    return dict(totals)


def total(
    start: date, end: date, *, kind: str | None = "view", filters: Mapping[str, Any] | None = None
) -> int:
    return aggregate([], start, end, kind=kind, filters=filters).get((), 0)


def by(dimension: str, start: date, end: date, **options) -> dict[Any, int]:
    """Views by one dimension: {value: views}."""
    return {key[0]: views for key, views in aggregate([dimension], start, end, **options).items()}


def unique_by_day(family: str, start: date, end: date, key: str | None = None) -> dict[tuple, int]:
    """Distinct visitors per (day, key) of a family; only `key` when given."""
    counts: dict[tuple, int] = {}
    rolled, raw = _split(start, end)
    if rolled:
        query = select(UNIQUE.c.day, UNIQUE.c.key, UNIQUE.c.visitors).where(
            UNIQUE.c.family == family, UNIQUE.c.day.between(*rolled)
        )
        if key is not None:
            query = query.where(UNIQUE.c.key == key)
        counts.update({(day, k): int(n) for day, k, n in db.session.execute(query)})
    if raw:
        expression, condition = unique_key_columns()[family]
        query = select(RAW.c.day, expression, func.count(distinct(RAW.c.visitor))).where(
            RAW.c.day.between(*raw)
        )
        if condition is not None:
            query = query.where(condition)
        if key is not None:
            query = query.where(expression == key)
        group = [RAW.c.day] if family == "site" else [RAW.c.day, expression]
        counts.update(
            {(day, k): int(n) for day, k, n in db.session.execute(query.group_by(*group))}
        )
    return counts


def unique_visitors_by_day(family: str, start: date, end: date, key: str = "") -> dict[date, int]:
    """{day: distinct visitors} of one slice, e.g. ("site"), ("type", "knowledge"), ("owner", "5")."""
    return {day: n for (day, _), n in unique_by_day(family, start, end, key).items()}


def unique_visitors(family: str, start: date, end: date, key: str = "") -> int:
    return sum(unique_visitors_by_day(family, start, end, key).values())


def unique_by(family: str, start: date, end: date) -> dict[str, int]:
    """{key: visitors (ราย-วัน)} of every slice of a family over the period."""
    totals: dict[str, int] = defaultdict(int)
    for (_, key), count in unique_by_day(family, start, end).items():
        totals[key] += count
    return dict(totals)
