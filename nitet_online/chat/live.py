"""Pushing things to open pages from outside a Socket.IO event: new notifications (toast and bell
count), changes of room membership, and disconnecting an account that was deactivated or logged
out (one login, or all of them).

All of it goes through `socketio.emit` / the Socket.IO server, which publishes on the Redis
message queue when REDIS_URL is set, so it reaches connections held by any server process.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

import redis
from flask import Flask
from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import NoInspectionAvailable
from sqlalchemy.orm import Session

from nitet_online.chat import presence
from nitet_online.extensions import socketio
from nitet_online.services.redis_store import redis_client

log = logging.getLogger(__name__)
PENDING_DISCONNECTS = "nitet_chat_disconnect"
PENDING_LOGOUTS = "nitet_chat_logout"  # users all of whose logins ended
PENDING_LOGIN_ENDS = "nitet_chat_login_end"  # ids of single logins that ended
_subscribed = {"notifications": False, "status": False, "session": False, "logins": False}


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
    """Connects to the notification signal (once per process, at every app start)."""
    if _subscribed["notifications"]:
        return True
    from nitet_online.notifications.signals import notification_created

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


# Deactivated accounts and ended logins --------------------------------------------------------
DISABLED = ("account:disabled", "บัญชีของท่านถูกระงับการใช้งาน กรุณาติดต่อผู้ดูแลระบบ")
LOGGED_OUT = ("account:logged-out", "ท่านออกจากระบบแล้ว กรุณาเข้าสู่ระบบอีกครั้ง")


def disconnect_user(user_id: int, why: tuple[str, str] = DISABLED) -> None:
    """Tells the user's pages why, then closes every connection of theirs on the server side.
    Their session token was rotated, so a reconnect is refused as anonymous."""
    event_name, message = why
    socketio.emit(event_name, {"message": message}, to=f"user:{user_id}")
    _each_session(user_id, lambda server, sid: server.disconnect(sid, namespace="/"))


# Which login each connection was opened under: this process's own in memory, and with Redis one
# set per login that every process reads, so a logout on any process closes that login's sockets.
LOGIN_SOCKETS_PREFIX = "nitet:chat:login-sockets:"
LOGIN_SOCKETS_TTL = 40 * 24 * 3600  # beyond the longest remembered login; refreshed per connect
_login_lock = threading.Lock()
_login_sids: dict[int, set[str]] = {}
_sid_login: dict[str, int] = {}


def track_socket(user: Any, sid: str) -> None:
    """Called on connect: remembers the login this connection belongs to."""
    login = getattr(user, "current_login", None)
    if login is None or login.id is None:
        return
    with _login_lock:
        _login_sids.setdefault(login.id, set()).add(sid)
        _sid_login[sid] = login.id
    client = redis_client()
    if client is None:
        return
    try:
        key = f"{LOGIN_SOCKETS_PREFIX}{login.id}"
        client.pipeline().sadd(key, sid).expire(key, LOGIN_SOCKETS_TTL).execute()
    except redis.RedisError:
        log.warning("Redis unavailable: the login of socket %s is known to this process only", sid)


def forget_socket(sid: str) -> None:
    """Called on disconnect."""
    with _login_lock:
        login_id = _sid_login.pop(sid, None)
        if login_id is None:
            return
        sids = _login_sids.get(login_id, set())
        sids.discard(sid)
        if not sids:
            _login_sids.pop(login_id, None)
    client = redis_client()
    if client is not None:
        with contextlib.suppress(redis.RedisError):  # else the set expires by itself
            client.srem(f"{LOGIN_SOCKETS_PREFIX}{login_id}", sid)


def disconnect_login(login_id: int) -> None:
    """Closes the connections opened under one login (a logout), in whichever process holds them;
    the account's other logins keep theirs."""
    with _login_lock:
        sids = set(_login_sids.get(login_id, set()))
    client = redis_client()
    if client is not None:
        key = f"{LOGIN_SOCKETS_PREFIX}{login_id}"
        sids |= {sid.decode() for sid in client.smembers(key)}
        client.delete(key)
    server = socketio.server
    if server is None:
        return
    event_name, message = LOGGED_OUT
    for sid in sids:
        try:
            server.emit(event_name, {"message": message}, to=sid, namespace="/")
            server.disconnect(sid, namespace="/")
        except (KeyError, ValueError):
            continue  # the connection went away meanwhile


def _on_logins_ended(user: Any, login_id: int | None = None, **extra: Any) -> None:
    """Receiver of accounts.models.logins_ended: the sockets close once the change is committed
    (before the commit a reconnect would still be accepted)."""
    from nitet_online.extensions import db

    if user.id is None:
        return
    info = db.session().info
    if login_id is None:
        info.setdefault(PENDING_LOGOUTS, set()).add(user.id)
    else:
        info.setdefault(PENDING_LOGIN_ENDS, set()).add(login_id)


def _on_status_changed(user: Any, status: Any = None, **extra: Any) -> None:
    from nitet_online.accounts.models import AccountStatus
    from nitet_online.extensions import db

    if status is not None and status != AccountStatus.ACTIVE and user.id is not None:
        db.session().info.setdefault(PENDING_DISCONNECTS, set()).add(user.id)


def _after_commit(session: Session) -> None:
    disabled = session.info.pop(PENDING_DISCONNECTS, set())
    logged_out = session.info.pop(PENDING_LOGOUTS, set()) - disabled
    for user_id in disabled:
        _safely(disconnect_user, user_id)
    for user_id in logged_out:
        _safely(disconnect_user, user_id, LOGGED_OUT)
    for login_id in session.info.pop(PENDING_LOGIN_ENDS, ()):
        _safely(disconnect_login, login_id)


def _safely(action, *args) -> None:
    try:
        action(*args)
    except redis.RedisError:
        log.warning("Redis unavailable: %s%s not done", action.__name__, args)


def _after_rollback(session: Session) -> None:
    for key in (PENDING_DISCONNECTS, PENDING_LOGOUTS, PENDING_LOGIN_ENDS):
        session.info.pop(key, None)


def subscribe_account_status() -> None:
    """Deactivation (admin.services.set_status) disconnects the account's live sockets once the
    change is committed (before the commit a reconnect would still be accepted)."""
    if not _subscribed["session"]:
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        _subscribed["session"] = True
    if not _subscribed["logins"]:
        from nitet_online.accounts.models import logins_ended

        logins_ended.connect(_on_logins_ended, weak=False)
        _subscribed["logins"] = True
    if _subscribed["status"]:
        return
    from nitet_online.admin.services import account_status_changed

    account_status_changed.connect(_on_status_changed, weak=False)
    _subscribed["status"] = True


def init_live(app: Flask) -> None:
    subscribe_notifications()
    subscribe_account_status()
