"""Pushing things to open pages from outside a Socket.IO event: new notifications (toast and bell
count), changes of room membership, and disconnecting an account that was deactivated.

All of it goes through `socketio.emit` / the Socket.IO server, which publishes on the Redis
message queue when REDIS_URL is set, so it reaches connections held by any server process.
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from flask import Flask
from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import NoInspectionAvailable
from sqlalchemy.orm import Session

from nitet_online.chat import presence
from nitet_online.extensions import socketio

log = logging.getLogger(__name__)
PENDING_DISCONNECTS = "nitet_chat_disconnect"
_subscribed = {"notifications": False, "status": False, "session": False}


# Notifications (issue 4's store) ---------------------------------------------------------------
def push_notification(sender: Any = None, notification: Any = None, **extra: Any) -> None:
    """Receiver of notifications.signals.notification_created (sent after the commit)."""
    if notification is None:
        return
    fields = _notification_fields(notification)
    if fields is None:
        return
    created = fields.get("created_at")
    payload = {
        "id": fields["id"],
        "kind": fields.get("kind") or "",
        "text": fields.get("text") or "",
        "url": fields.get("url") or "",
        "created_at": created.isoformat() + "Z" if created else None,
    }
    try:
        socketio.emit("notification", payload, to=f"user:{fields['user_id']}")
    except redis.RedisError:
        log.warning("Redis unavailable: notification %s not pushed live", payload["id"])


NOTIFICATION_FIELDS = ("id", "user_id", "kind", "text", "url", "created_at")


def _notification_fields(notification: Any) -> dict | None:
    """The notification's columns without touching its session: the signal comes from an
    after_commit hook, where the row is expired and its session may not run SQL. Missing values
    are read over a separate connection (the row is committed, so it is visible there)."""
    try:
        state = sa_inspect(notification)
    except NoInspectionAvailable:
        return {name: getattr(notification, name, None) for name in NOTIFICATION_FIELDS}
    loaded = state.dict
    if all(name in loaded for name in NOTIFICATION_FIELDS):
        return {name: loaded[name] for name in NOTIFICATION_FIELDS}
    if not state.identity:
        return None
    table = type(notification).__table__
    from nitet_online.extensions import db

    with db.engine.connect() as connection:
        row = (
            connection.execute(table.select().where(table.c.id == state.identity[0]))
            .mappings()
            .first()
        )
    return {name: row[name] for name in NOTIFICATION_FIELDS} if row else None


def subscribe_notifications() -> bool:
    """Connects to the notification signal when the notifications package is installed; returns
    whether it is. Called at every app start, so the push switches on once the package lands."""
    if _subscribed["notifications"]:
        return True
    try:
        from nitet_online.notifications.signals import notification_created
    except ImportError:
        log.debug("notifications package not installed: live notifications are off")
        return False
    notification_created.connect(push_notification, weak=False)
    _subscribed["notifications"] = True
    return True


# Room membership ------------------------------------------------------------------------------
def _each_session(user_id: int, action) -> None:
    server = socketio.server
    if server is None:
        return
    try:
        sids = presence.sessions_of(user_id)
    except redis.RedisError:
        log.warning("Redis unavailable: live sessions of user %s unknown", user_id)
        return
    for sid in sids:
        try:
            action(server, sid)
        except (KeyError, ValueError):
            continue  # the connection went away meanwhile


def enter_room(user_id: int, room_id: int) -> None:
    """Puts the user's open connections (any process) in the room and tells their pages."""
    _each_session(user_id, lambda server, sid: server.enter_room(sid, f"room:{room_id}"))
    socketio.emit("chat:rooms-changed", {"room_id": room_id, "joined": True}, to=f"user:{user_id}")


def leave_room(user_id: int, room_id: int) -> None:
    """Takes the user's open connections out of the room: they stop receiving its messages."""
    _each_session(user_id, lambda server, sid: server.leave_room(sid, f"room:{room_id}"))
    socketio.emit("chat:rooms-changed", {"room_id": room_id, "joined": False}, to=f"user:{user_id}")


# Deactivated accounts -------------------------------------------------------------------------
def disconnect_user(user_id: int) -> None:
    """Tells the user's pages why, then closes every connection of theirs on the server side.
    Their session token was rotated, so a reconnect is refused as anonymous."""
    socketio.emit(
        "account:disabled",
        {"message": "บัญชีของท่านถูกระงับการใช้งาน กรุณาติดต่อผู้ดูแลระบบ"},
        to=f"user:{user_id}",
    )
    _each_session(user_id, lambda server, sid: server.disconnect(sid, namespace="/"))


def _on_status_changed(user: Any, status: Any = None, **extra: Any) -> None:
    from nitet_online.accounts.models import AccountStatus
    from nitet_online.extensions import db

    if status is not None and status != AccountStatus.ACTIVE and user.id is not None:
        db.session().info.setdefault(PENDING_DISCONNECTS, set()).add(user.id)


def _after_commit(session: Session) -> None:
    for user_id in session.info.pop(PENDING_DISCONNECTS, ()):
        try:
            disconnect_user(user_id)
        except redis.RedisError:
            log.warning("Redis unavailable: could not disconnect user %s", user_id)


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING_DISCONNECTS, None)


def subscribe_account_status() -> None:
    """Deactivation (admin.services.set_status) disconnects the account's live sockets once the
    change is committed (before the commit a reconnect would still be accepted)."""
    if not _subscribed["session"]:
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        _subscribed["session"] = True
    if _subscribed["status"]:
        return
    try:
        from nitet_online.admin.services import account_status_changed
    except ImportError:
        log.warning("admin.services has no account_status_changed signal")
        return
    account_status_changed.connect(_on_status_changed, weak=False)
    _subscribed["status"] = True


def init_live(app: Flask) -> None:
    subscribe_notifications()
    subscribe_account_status()
