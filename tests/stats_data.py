"""Helpers of the statistics tests: raw view rows with known visitors, written for real."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import insert, select

from nitet_online.extensions import db
from nitet_online.stats.models import PageView

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"


def view(day: date, visitor: str = "v1", **fields) -> dict:
    row = {
        "viewed_at": datetime.combine(day, time(5, 0)),
        "day": day,
        "kind": "view",
        "content_type": "page",
        "content_id": None,
        "owner_id": None,
        "endpoint": "",
        "visitor": visitor,
        "role": "",
        "school_id": None,
        "referrer": "direct",
        "device": "desktop",
    }
    row.update(fields)
    return row


def insert_views(rows: list[dict]) -> None:
    db.session.execute(insert(PageView.__table__), rows)
    db.session.commit()


def all_views() -> list[PageView]:
    db.session.expire_all()
    return list(db.session.scalars(select(PageView).order_by(PageView.id)))
