"""Whole numbers that come from URLs, kept within what the database stores.

Ids, years and counts are 32-bit integers in PostgreSQL (SQLite holds 64 bits); a larger number
that reaches the database fails there with an overflow, a 500. So numbers are checked where they
enter, once for every view:

- query parameters and form fields: `request.args.get(name, default, type=int)`, the one way to
  read them. The app's request class (core.security.CleanRequest) keeps its parameters in
  `BoundedArgs`: junk gives the default as in Werkzeug, a number beyond the database's range is a
  400 with a Thai message. A service that is handed the arguments reads them with `int_arg()`.
- pagination: `db.paginate(...)` (extensions.Database) reads `?page=` and `?per_page=` the same
  way, and a page number beyond the range is a 404 like any page past the end.
- path variables: `<int:...>` matches numbers up to DB_INT_MAX only (BoundedIntConverter); a
  larger one is a 404.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

DB_INT_MIN = -(2**31)
DB_INT_MAX = 2**31 - 1


class NumberOutOfRange(BadRequest):
    description = "ตัวเลขในที่อยู่ของหน้านี้มีค่ามากหรือน้อยเกินไป กรุณาตรวจสอบที่อยู่อีกครั้ง"


def bounded_int(value: Any) -> int:
    """int(value), refused (400) when the database could not hold it. Raises ValueError or
    TypeError for what is not a whole number, as int() does."""
    number = int(value)
    if not DB_INT_MIN <= number <= DB_INT_MAX:
        raise NumberOutOfRange()
    return number


def _bounded(kind: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    return bounded_int if kind is int else kind


class BoundedArgs(ImmutableMultiDict):
    """Request parameters whose `type=int` conversions stay within the database's range."""

    def get(self, key, default=None, type=None):
        return super().get(key, default, _bounded(type))

    def getlist(self, key, type=None):
        return super().getlist(key, _bounded(type))


def int_arg(args: Mapping[str, Any], name: str, default: int | None = None) -> int | None:
    """The parameter as a whole number: `default` when absent or not a number, a 400 when beyond
    the database's range. For services handed `request.args` (or a plain dict in tests)."""
    value = args.get(name)
    if value is None:
        return default
    try:
        return bounded_int(str(value).strip())
    except ValueError:
        return default


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` with the database's range as its default maximum: a larger number does not
    match the route (404) instead of failing in the database."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_number_converters(app: Flask) -> None:
    """Before any blueprint is registered: rules take their converters when they are added."""
    app.url_map.converters["int"] = BoundedIntConverter
