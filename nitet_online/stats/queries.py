"""Reading views over a period: roll-ups up to the watermark plus raw views after it.

Visitors are distinct per day (the salt of the hash changes every day), so "visitors" of a longer
period is the sum of each day's distinct visitors (ราย-วัน): the count Thai web counters show.

- `slices(family, start, end)`: views, downloads and visitors per key of a family (site, type,
  owner, role, school, referrer, device, item); whole months are read from month rows.
- `slices_by_day(...)`: the same per day, for charts.
- `aggregate(dims, ...)`: views per item dimensions (content_type, content_id, owner_id,
  endpoint, day) from the per-item roll-up, for per-item counts and owners' dashboards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, null, select

from nitet_online.extensions import db
from nitet_online.stats.rollup import (
    CONTENT,
    RAW,
    SLICE,
    month_end,
    month_start,
    raw_slice_columns,
    slice_families,
    watermark,
)

CONTENT_DIMS = {"day", "content_type", "content_id", "owner_id", "endpoint"}


@dataclass
class Counts:
    views: int = 0
    downloads: int = 0
    visitors: int = 0

    def add(self, views: int, downloads: int, visitors: int) -> None:
        self.views += int(views or 0)
        self.downloads += int(downloads or 0)
        self.visitors += int(visitors or 0)


ZERO = Counts()


def split(start: date, end: date) -> tuple[tuple[date, date] | None, tuple[date, date] | None]:
    """The part of [start, end] read from roll-ups and the part read from raw views."""
    last = watermark()
    rolled = None
    if last is not None and start <= last:
        rolled = (start, min(end, last))
    raw_start = start if last is None else max(start, last + timedelta(days=1))
    raw = (raw_start, end) if raw_start <= end else None
    return rolled, raw


def month_parts(start: date, end: date) -> tuple[list[tuple[date, date]], tuple[date, date] | None]:
    """[start, end] as day ranges (the uneven edges) and the range of whole months in it."""
    first_whole = start if start.day == 1 else month_end(start) + timedelta(days=1)
    last_whole = end if end == month_end(end) else month_start(end) - timedelta(days=1)
    if first_whole > last_whole:
        return [(start, end)], None
    edges = []
    if start < first_whole:
        edges.append((start, first_whole - timedelta(days=1)))
    if last_whole < end:
        edges.append((last_whole + timedelta(days=1), end))
    return edges, (first_whole, month_start(last_whole))


def _slice_query(family: str, grain: str, days: tuple[date, date], keys, prefix, by_day: bool):
    group = [SLICE.c.day, SLICE.c.key] if by_day else [SLICE.c.key]
    query = select(
        SLICE.c.day if by_day else null(),
        SLICE.c.key,
        func.sum(SLICE.c.views),
        func.sum(SLICE.c.downloads),
        func.sum(SLICE.c.visitors),
    ).where(SLICE.c.grain == grain, SLICE.c.family == family, SLICE.c.day.between(*days))
    if keys is not None:
        query = query.where(SLICE.c.key.in_(list(keys)))
    if prefix:
        query = query.where(SLICE.c.key.startswith(prefix))
    return query.group_by(*group)


def _raw_query(family: str, days: tuple[date, date], keys, prefix, by_day: bool):
    expression, condition = slice_families()[family]
    query = select(RAW.c.day.label("day"), expression.label("key"), *raw_slice_columns()).where(
        RAW.c.day.between(*days)
    )
    if condition is not None:
        query = query.where(condition)
    if keys is not None:
        query = query.where(expression.in_(list(keys)))
    if prefix:
        query = query.where(expression.startswith(prefix))
    query = query.group_by(*([RAW.c.day] if family == "site" else [RAW.c.day, expression]))
    if by_day:
        return query
    # Distinct visitors are per day: count them by day first, then add the days up.
    per_day = query.subquery()
    columns = list(per_day.c)
    return select(null(), per_day.c.key, *(func.sum(column) for column in columns[2:])).group_by(
        per_day.c.key
    )


def _collect(
    family: str,
    start: date,
    end: date,
    keys: Iterable[str] | None,
    prefix: str | None,
    by_day: bool,
) -> dict[tuple[date | None, str], Counts]:
    """Sums per (day, key), or per (None, key) when not by_day, summed in the database."""
    keys = None if keys is None else list(keys)
    queries = []
    rolled, raw = split(start, end)
    if rolled:
        edges, months = ([rolled], None) if by_day else month_parts(*rolled)
        queries += [_slice_query(family, "d", edge, keys, prefix, by_day) for edge in edges]
        if months:
            queries.append(_slice_query(family, "m", months, keys, prefix, by_day))
    if raw:
        queries.append(_raw_query(family, raw, keys, prefix, by_day))
    found: dict[tuple[date | None, str], Counts] = defaultdict(Counts)
    for query in queries:
        for day, key, views, downloads, visitors in db.session.execute(query):
            found[(day, key)].add(views, downloads, visitors)
    return found


def slices(
    family: str,
    start: date,
    end: date,
    *,
    keys: Iterable[str] | None = None,
    prefix: str | None = None,
) -> dict[str, Counts]:
    """{key: Counts} of a family over the period (only `keys`, or keys starting with `prefix`)."""
    totals: dict[str, Counts] = defaultdict(Counts)
    for (_day, key), counts in _collect(family, start, end, keys, prefix, False).items():
        totals[key].add(counts.views, counts.downloads, counts.visitors)
    return dict(totals)


def slice_total(family: str, start: date, end: date, key: str = "") -> Counts:
    return slices(family, start, end, keys=[key]).get(key, Counts())


def slices_by_day(family: str, start: date, end: date, key: str = "") -> dict[date, Counts]:
    """{day: Counts} of one slice, e.g. ("site"), ("type", "knowledge"), ("owner", "5")."""
    return {
        day: counts for (day, _), counts in _collect(family, start, end, [key], None, True).items()
    }


def unique_visitors_by_day(family: str, start: date, end: date, key: str = "") -> dict[date, int]:
    return {day: counts.visitors for day, counts in slices_by_day(family, start, end, key).items()}


# Per item ---------------------------------------------------------------------------------------
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
    """Views over [start, end] grouped by item dimensions (kind None: views and downloads)."""
    dims = list(dims)
    filters = dict(filters or {})
    if kind is not None:
        filters["kind"] = kind
    wanted = (set(dims) | set(filters)) - {"kind"}
    if not wanted <= CONTENT_DIMS:
        raise ValueError(f"cannot group by {sorted(wanted - CONTENT_DIMS)}; use slices()")
    totals: dict[tuple, int] = defaultdict(int)
    rolled, raw = split(start, end)
    for table, days, count in (
        (CONTENT, rolled, func.sum(CONTENT.c.views)),
        (RAW, raw, func.count()),
    ):
        if not days:
            continue
        columns = [table.c[name] for name in dims]
        query = select(*columns, count).where(table.c.day.between(*days))
        query = _filtered(query, table, filters).group_by(*columns)
        for *key, views in db.session.execute(query):
            totals[tuple(key)] += int(views or 0)
    return dict(totals)


def total(
    start: date, end: date, *, kind: str | None = "view", filters: Mapping[str, Any] | None = None
) -> int:
    return aggregate([], start, end, kind=kind, filters=filters).get((), 0)


def by(dimension: str, start: date, end: date, **options) -> dict[Any, int]:
    """Views by one item dimension: {value: views}."""
    return {key[0]: views for key, views in aggregate([dimension], start, end, **options).items()}
