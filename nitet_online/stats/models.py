"""Visit statistics: raw views (kept for STATS_RAW_RETENTION_DAYS), daily roll-ups that answer
indicators over years, and the daily salts of the visitor hash (deleted once their day is over).

No table here stores who a visitor is: a visitor is a hash of address and browser salted with a
random value that exists only for one day, so two days' hashes cannot be linked and nobody can
recompute them afterwards. Logged-in views keep the role and school, never the user.

The tables have no foreign keys on purpose: they are written in batches on every page view and
must stay cheap; ids of users and schools are kept as plain numbers.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nitet_online.extensions import db
from nitet_online.services.thai import utcnow

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit key.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class PageView(db.Model):
    """One view or download, as it happened."""

    __tablename__ = "stats_view"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    viewed_at: Mapped[datetime]
    day: Mapped[date] = mapped_column(Date, index=True)  # Thailand's calendar day
    kind: Mapped[str] = mapped_column(String(10), default="view")  # view | download
    content_type: Mapped[str] = mapped_column(String(40))
    content_id: Mapped[int | None]
    owner_id: Mapped[int | None]
    endpoint: Mapped[str] = mapped_column(String(80), default="")
    visitor: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(20), default="")  # "" when not logged in
    school_id: Mapped[int | None]
    referrer: Mapped[str] = mapped_column(String(10), default="direct")
    device: Mapped[str] = mapped_column(String(10), default="desktop")

    __table_args__ = (Index("ix_stats_view_content", "content_type", "content_id"),)


class DailyContentViews(db.Model):
    """Views per day and item with its owner and page: per-item counts and owners' dashboards."""

    __tablename__ = "stats_daily_content"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(40))
    content_id: Mapped[int | None]
    owner_id: Mapped[int | None]
    endpoint: Mapped[str] = mapped_column(String(80), default="")
    views: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        Index("ix_stats_daily_content_item", "content_type", "content_id"),
        Index("ix_stats_daily_content_owner", "owner_id", "day"),
    )


class Slice(db.Model):
    """Views, downloads and distinct visitors of one day ("d") or one month ("m", day = its
    first day) in one slice of the audience or content:

    family    key
    site      ""                      every view
    type      content type            "knowledge", "news", ...
    owner     user id                 the supervisor whose page or content it is
    role      role                    "" = not logged in
    school    school id
    referrer  direct/search/social/internal/other
    device    mobile/tablet/desktop
    item      "<content type>:<id>"

    Distinct counts do not add up across slices, so each slice people ask about has its own
    row; visitors of a month are the sum of its days' distinct visitors (ราย-วัน)."""

    __tablename__ = "stats_slice"

    id: Mapped[int] = mapped_column(primary_key=True)
    grain: Mapped[str] = mapped_column(String(1))  # d | m
    family: Mapped[str] = mapped_column(String(10))
    day: Mapped[date] = mapped_column(Date)
    key: Mapped[str] = mapped_column(String(60), default="")
    views: Mapped[int] = mapped_column(default=0)
    downloads: Mapped[int] = mapped_column(default=0)
    visitors: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        UniqueConstraint(
            "grain", "family", "day", "key", name="uq_stats_slice_grain_family_day_key"
        ),
    )


class RolledDay(db.Model):
    """A day whose raw views have been rolled up. Indicators read roll-ups up to the last one."""

    __tablename__ = "stats_rolled_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    raw_views: Mapped[int] = mapped_column(default=0)
    rolled_at: Mapped[datetime] = mapped_column(default=utcnow)


class VisitorSalt(db.Model):
    """The random salt of the visitor hash for one day; older days' salts are deleted."""

    __tablename__ = "stats_salt"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))
