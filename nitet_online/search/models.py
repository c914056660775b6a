"""The search outbox: one row per content item whose index entry must be refreshed.

Rows are written by SQLAlchemy events in the same transaction as the change itself, so a change
that is committed always has its row; the indexer deletes a row only after the index has taken
the change. A process that dies between the commit and the index write loses nothing: the next
drain (after the next commit, at start-up, every minute, or `flask search drain`) picks it up.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from nitet_online.extensions import db
from nitet_online.services.thai import utcnow


class SearchOutbox(db.Model):
    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    doc_id: Mapped[int]
    # A change that only becomes public later (news scheduled for tomorrow) waits until then.
    not_before: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (db.Index("ix_search_outbox_doc", "doc_type", "doc_id"),)
