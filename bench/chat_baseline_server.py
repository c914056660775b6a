"""The baseline of bench/bench_chat.py: a bare python-socketio broadcast server (no Flask, no
login, no database), served by gunicorn exactly like the application (same worker class, same
threads). A client joins a room, sends a message, the server broadcasts it to the room and
acknowledges — the least work a chat server can do per message.

    gunicorn -k gthread --threads 1100 bench.chat_baseline_server:app
"""

from __future__ import annotations

import socketio


def _async_mode() -> str:
    try:
        from gevent import monkey
    except ImportError:
        return "threading"
    return "gevent" if monkey.is_module_patched("socket") else "threading"


sio = socketio.Server(async_mode=_async_mode(), cors_allowed_origins=None)
app = socketio.WSGIApp(sio)
_next_id = [0]


@sio.on("join")
def join(sid: str, data: dict) -> dict:
    sio.enter_room(sid, f"room:{data['room_id']}")
    return {"ok": True}


@sio.on("send")
def send(sid: str, data: dict) -> dict:
    _next_id[0] += 1
    message = {"id": _next_id[0], "room_id": data["room_id"], "body": data["body"]}
    sio.emit("message", message, to=f"room:{data['room_id']}")
    return {"ok": True, "message": message}
