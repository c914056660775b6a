"""Socket.IO handlers. Every connection is authenticated by the Flask-Login session (the session
cookie of the handshake is read for each event), and every event checks membership on the server.

Socket.IO rooms: f"user:{id}" (every page of a user: notifications, unread totals),
f"room:{id}" (members of a chat room), "presence" (chat pages watching who is online).

Each client event answers through its acknowledgement: {"ok": true, ...} or
{"ok": false, "error": "<Thai message>", "code": "..."}.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import redis
from flask import current_app, request
from flask_login import current_user
from flask_socketio import SocketIO, disconnect, emit, join_room
from limits.errors import StorageError

from nitet_online.chat import live, presence, services
from nitet_online.chat.services import ChatError
from nitet_online.extensions import db

Ack = dict[str, Any]


def _refusal(message: str, code: str, **extra: Any) -> Ack:
    return {"ok": False, "error": message, "code": code, **extra}


def _room_id(data: Any) -> int:
    try:
        return int((data or {}).get("room_id"))
    except (TypeError, ValueError, AttributeError) as error:
        raise ChatError("ไม่พบห้องสนทนา", code="not_found") from error


def chat_event(handler: Callable[..., Ack | None]) -> Callable[..., Ack | None]:
    """Runs an event for a logged-in user; turns refusals into acknowledgements. A connection
    whose session is no longer valid (logged out, password changed, deactivated) is dropped; one
    whose user must set a new password first is refused, as every page is."""

    @wraps(handler)
    def wrapped(data: Any = None) -> Ack | None:
        if not current_user.is_authenticated:
            disconnect()
            return _refusal("กรุณาเข้าสู่ระบบอีกครั้ง", "unauthorized")
        if current_user.must_change_password:
            return _refusal("กรุณาตั้งรหัสผ่านใหม่ก่อนใช้งานต่อ", "password_change_required")
        try:
            return handler(current_user._get_current_object(), data)
        except ChatError as error:
            db.session.rollback()
            extra = {"retry_after": error.retry_after} if error.retry_after else {}
            return _refusal(error.message, error.code, **extra)
        except (redis.RedisError, StorageError):  # the rate limit's store is Redis too
            db.session.rollback()
            current_app.logger.warning("Redis unavailable during chat event %s", handler.__name__)
            return _refusal("ระบบสนทนาไม่พร้อมใช้งานชั่วคราว กรุณาลองใหม่ในอีกสักครู่", "unavailable")
        except Exception:
            db.session.rollback()
            current_app.logger.exception("chat event %s failed", handler.__name__)
            return _refusal("เกิดข้อผิดพลาด กรุณาลองใหม่อีกครั้ง", "error")

    return wrapped


def on_connect(auth: Any = None) -> None:
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("unauthorized")
    user = current_user._get_current_object()
    live.track_socket(user, request.sid)  # so that logging out closes this connection
    join_room(f"user:{user.id}")
    if services.sync_memberships(user):
        db.session.commit()
    for room_id in services.active_room_ids(user.id):
        join_room(f"room:{room_id}")
    try:
        became_online = presence.add(user.id, request.sid)
    except redis.RedisError:
        current_app.logger.warning("Redis unavailable: presence of user %s not recorded", user.id)
        became_online = False
    presence.start_heartbeat(current_app.extensions["socketio"], current_app._get_current_object())
    if became_online:
        emit("presence", {"user_id": user.id, "online": True}, to="presence")


def on_disconnect(reason: Any = None) -> None:
    live.forget_socket(request.sid)
    try:
        user_id, went_offline = presence.remove(request.sid)
    except redis.RedisError:
        return
    if user_id is not None and went_offline:
        emit("presence", {"user_id": user_id, "online": False}, to="presence")


@chat_event
def on_join(user, data) -> Ack:
    """Starts receiving a room's messages (after being added to it while connected)."""
    room_id = _room_id(data)
    services.require_member(user, room_id)
    join_room(f"room:{room_id}")
    return {"ok": True, "room_id": room_id}


@chat_event
def on_send(user, data) -> Ack:
    data = data if isinstance(data, dict) else {}
    room_id = _room_id(data)
    message = services.post_message(
        user,
        room_id,
        data.get("body"),
        reply_to_id=data.get("reply_to_id"),
        upload_id=data.get("upload_id"),
    )
    db.session.commit()  # stored before it is broadcast
    payload = services.message_payload(message)
    emit("chat:message", payload, to=f"room:{room_id}")
    return {"ok": True, "message": payload}


@chat_event
def on_edit(user, data) -> Ack:
    data = data if isinstance(data, dict) else {}
    message = services.edit_message(user, data.get("message_id"), data.get("body"))
    db.session.commit()
    payload = services.message_payload(message)
    emit("chat:message-updated", payload, to=f"room:{message.room_id}")
    return {"ok": True, "message": payload}


@chat_event
def on_delete(user, data) -> Ack:
    data = data if isinstance(data, dict) else {}
    message = services.delete_message(user, data.get("message_id"))
    db.session.commit()
    payload = services.message_payload(message)
    emit("chat:message-updated", payload, to=f"room:{message.room_id}")
    return {"ok": True, "message": payload}


@chat_event
def on_typing(user, data) -> Ack:
    room_id = _room_id(data)
    services.require_member(user, room_id)
    emit(
        "chat:typing",
        {"room_id": room_id, "user_id": user.id, "name": user.first_name},
        to=f"room:{room_id}",
        include_self=False,
    )
    return {"ok": True}


@chat_event
def on_read(user, data) -> Ack:
    data = data if isinstance(data, dict) else {}
    room_id = _room_id(data)
    member = services.require_member(user, room_id)
    try:
        message_id = int(data.get("message_id") or 0)
    except (TypeError, ValueError):
        message_id = 0
    services.mark_read(member, message_id)
    db.session.commit()
    counts = services.unread_counts(user.id)
    state = {"room_id": room_id, "unread": counts.get(room_id, 0), "total": sum(counts.values())}
    emit("chat:read", state, to=f"user:{user.id}")  # the user's other pages update too
    return {"ok": True, **state}


@chat_event
def on_watch_presence(user, data) -> Ack:
    """Chat pages follow who comes online; answers who is online among the given ids."""
    join_room("presence")
    wanted = (data or {}).get("user_ids") if isinstance(data, dict) else None
    ids = [int(i) for i in (wanted or []) if str(i).isdigit()][:500]
    return {"ok": True, "online": sorted(presence.online_among(ids))}


HANDLERS: dict[str, Callable[..., Any]] = {
    "connect": on_connect,
    "disconnect": on_disconnect,
    "chat:join": on_join,
    "chat:send": on_send,
    "chat:edit": on_edit,
    "chat:delete": on_delete,
    "chat:typing": on_typing,
    "chat:read": on_read,
    "chat:watch-presence": on_watch_presence,
}


def register_socket_handlers(socketio: SocketIO) -> None:
    """Binds the handlers to the Socket.IO server of the app being built (create_app makes a new
    server each time, so this runs for every app)."""
    for event, handler in HANDLERS.items():
        socketio.on_event(event, handler)
