"""Storing and reading notifications.

    notify([supervisor.id], "question_assigned", "มีคำถามใหม่: ...", question.url, actor_id=None)
    db.session.commit()   # the rows are stored, then notification_created is sent for each

The caller commits; nothing is announced if the transaction rolls back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import current_app, has_app_context
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from nitet_online.extensions import db
from nitet_online.notifications.models import Notification
from nitet_online.notifications.signals import notification_created
from nitet_online.services.thai import utcnow

log = logging.getLogger(__name__)

PENDING_KEY = "nitet_pending_notifications"
TEXT_LIMIT = 500
URL_LIMIT = 500
MENU_SIZE = 8


def notify(
    user_ids: Iterable[int | None],
    kind: str,
    text: str,
    url: str,
    actor_id: int | None = None,
) -> list[Notification]:
    """Adds one notification per distinct user (None ids and the actor's own id are skipped: people
    are not told about what they did themselves). Returns the new rows, flushed (they have ids)."""
    recipients = list(dict.fromkeys(uid for uid in user_ids if uid is not None and uid != actor_id))
    if not recipients:
        return []
    rows = [
        Notification(
            user_id=user_id,
            kind=kind,
            text=_shorten(text, TEXT_LIMIT),
            url=(url or "")[:URL_LIMIT],
            actor_id=actor_id,
        )
        for user_id in recipients
    ]
    session = db.session()
    session.add_all(rows)
    session.flush()
    session.info.setdefault(PENDING_KEY, []).extend(_snapshot(row) for row in rows)
    return rows


SNAPSHOT_FIELDS = ("id", "user_id", "kind", "text", "url", "actor_id", "created_at", "read_at")


def _snapshot(row: Notification) -> Notification:
    """A detached copy with every column loaded, for the signal: after the commit the session's
    rows are expired, and receivers should not need the database to read them."""
    return Notification(**{name: getattr(row, name) for name in SNAPSHOT_FIELDS})


def _shorten(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@event.listens_for(Session, "after_commit")
def _announce_committed(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    if not pending:
        return
    sender = current_app._get_current_object() if has_app_context() else None
    for notification in pending:
        try:
            notification_created.send(sender, notification=notification)
        except Exception:  # a receiver's failure must not undo or break the committed request
            log.exception("a notification_created receiver failed for %r", notification)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


# Reading ----------------------------------------------------------------------------------------
def unread_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    )


def latest(user_id: int, limit: int = MENU_SIZE) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def list_query(user_id: int, unread_only: bool = False):
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def get_own(notification_id: int, user_id: int) -> Notification | None:
    """The notification if it belongs to this user (anyone else's is treated as not found)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user_id:
        return None
    return notification


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()


def mark_all_read(user_id: int) -> int:
    """Marks every unread notification of the user as read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0


def safe_target(url: str | None) -> str | None:
    """Only addresses inside this site are followed (no open redirect through a notification)."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    return url
