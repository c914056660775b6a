"""Column types shared by every feature's models."""

from __future__ import annotations

import enum
from typing import Any

from nitet_online.extensions import db


def _values(members: type[enum.Enum]) -> list[Any]:
    return [member.value for member in members]


def enum_column(enum_class: type[enum.Enum], name: str | None = None, length: int = 20) -> db.Enum:
    """An enum stored by its members' values as text (VARCHAR of `length`), not as a database
    ENUM type: the same on SQLite and PostgreSQL, and a new member needs no migration."""
    options: dict[str, Any] = {"name": name} if name else {}
    return db.Enum(enum_class, native_enum=False, length=length, values_callable=_values, **options)
