"""Limits on live connections before anyone is known.

In threading mode every open WebSocket holds about four threads of the worker, and nothing stopped
one anonymous client from opening hundreds (200 took a worker from 11 to 804 threads and held them
45 s; about 1,000 would stall the site). So, at the engine.io level under Flask-SocketIO (its
engine.io handlers are wrapped here; the Socket.IO events in events.py are untouched):

- Per address: a client address holds at most SOCKETS_PER_ADDRESS open sessions
  (NITET_SOCKETS_PER_ADDRESS; 0 = no limit); the next handshake is refused (401). With REDIS_URL
  the count is shared by every server process: a sorted set per address in Redis, each session
  scored by its process's heartbeat, so the sessions of a process that died age out. Without
  Redis, this process counts.
- Log in or leave: a session that has not connected the Socket.IO namespace within
  SOCKET_AUTH_SECONDS (NITET_SOCKET_AUTH_SECONDS) is closed. events.on_connect accepts only a
  logged-in person, so connected means authenticated.
- A refused Socket.IO connect (or a disconnect that leaves no namespace) closes the transport
  too, right after the refusal is queued, instead of leaving an idle engine.io session open.

When a WebSocket session ends for any reason, its TCP connection is shut down a moment later
(after the goodbye frames): a client that never answers the closing handshake would otherwise keep
two of the worker's threads waiting on it for good.

bench/bench_anonymous_sockets.py measures what an anonymous client holds.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import redis
from flask import Flask

from nitet_online.services.redis_store import redis_client

log = logging.getLogger(__name__)

KEY_PREFIX = "nitet:sockets:address:"
TICK_SECONDS = 0.5
HEARTBEAT_SECONDS = 30
SLOT_TTL_SECONDS = 75  # a session not refreshed for this long belongs to a process that is gone
SHUTDOWN_GRACE_SECONDS = 2.0
SOCKET_IO_PATH = "/socket.io/"
CONNECT, DISCONNECT = "0", "1"  # first character of an encoded Socket.IO packet

# Takes a slot for ARGV[3] at address KEYS[1] unless ARGV[1] are taken; stale ones dropped first.
_ADMIT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('EXPIRE', KEYS[1], math.ceil(ttl * 2))
return 1
"""
# The heartbeat: this process's sessions at address KEYS[1] (ARGV[2..]) are still open.
_REFRESH = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], now, ARGV[i])
end
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[1]) * 2))
return 1
"""


def _raw_socket(environ: dict) -> socket.socket | None:
    """The TCP connection of a WebSocket request (gunicorn's, or Werkzeug's dev server)."""
    if (environ.get("HTTP_UPGRADE") or "").lower() != "websocket":
        return None
    raw = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
    return raw if isinstance(raw, socket.socket) else None


def _shut_down(raw: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the client or the server
        raw.shutdown(socket.SHUT_RDWR)


class ConnectionGuard:
    """The limits for one Socket.IO server (one per app)."""

    def __init__(self, server: Any, app: Flask) -> None:
        self.sio = server
        self.eio = server.eio
        self.auth_seconds = float(app.config["SOCKET_AUTH_SECONDS"])
        self.per_address = int(app.config["SOCKETS_PER_ADDRESS"])
        self.redis_url = app.config.get("REDIS_URL")
        self._lock = threading.Lock()
        self._slots: dict[str, str] = {}  # engine.io session id → client address
        self._counts: Counter[str] = Counter()  # address → sessions of this process
        self._in_redis: set[str] = set()  # sessions whose slot is in Redis
        self._pending: dict[str, float] = {}  # not logged in yet: session id → deadline
        self._raw: dict[str, socket.socket] = {}  # session id → its WebSocket's TCP socket
        self._shutdowns: list[tuple[float, socket.socket]] = []
        self._running = False
        self._next: dict[str, Callable[..., Any]] = {}

    # Installing ---------------------------------------------------------------------------------
    def install(self) -> None:
        """Wraps the engine.io handlers that python-socketio registered."""
        handlers = self.eio.handlers
        self._next = {name: handlers[name] for name in ("connect", "message", "disconnect")}
        self.eio.on("connect", self._on_connect)
        self.eio.on("message", self._on_message)
        self.eio.on("disconnect", self._on_disconnect)

    def wsgi(self, wsgi_app: Callable) -> Callable:
        """Notes the TCP connection of a WebSocket that upgrades a polling session (a direct
        WebSocket handshake is noted in _on_connect)."""

        def middleware(environ: dict, start_response: Callable):
            if environ.get("PATH_INFO", "").startswith(SOCKET_IO_PATH):
                raw = _raw_socket(environ)
                sid = parse_qs(environ.get("QUERY_STRING", "")).get("sid", [None])[0]
                if raw is not None and sid:
                    with self._lock:
                        if sid in self._slots:
                            self._raw[sid] = raw
            return wsgi_app(environ, start_response)

        return middleware

    # engine.io events ----------------------------------------------------------------------------
    def _on_connect(self, sid: str, environ: dict) -> Any:
        address = environ.get("REMOTE_ADDR") or "unknown"
        if not self._take_slot(sid, address):
            log.info("live connection refused: %s has %s open", address, self.per_address)
            return False
        raw = _raw_socket(environ)
        with self._lock:
            self._pending[sid] = time.monotonic() + self.auth_seconds
            if raw is not None:
                self._raw[sid] = raw
        self._ensure_loop()
        try:
            result = self._next["connect"](sid, environ)
        except Exception:
            self._release(sid, shut_down=False)
            raise
        if result is not None and result is not True:
            self._release(sid, shut_down=False)  # engine.io answers the refusal itself
        return result

    def _on_message(self, sid: str, data: Any) -> Any:
        try:
            return self._next["message"](sid, data)
        finally:
            if isinstance(data, str) and data[:1] in (CONNECT, DISCONNECT):
                if self._logged_in(sid):
                    with self._lock:
                        self._pending.pop(sid, None)
                else:
                    # Refused (anonymous, or a session no longer valid), or left: the refusal
                    # is already queued, the close follows it.
                    self.close(sid)

    def _on_disconnect(self, sid: str, reason: Any = None) -> Any:
        try:
            return self._next["disconnect"](sid, reason)
        finally:
            self._release(sid, shut_down=True)

    # What the guard does -------------------------------------------------------------------------
    def _logged_in(self, sid: str) -> bool:
        manager = self.sio.manager
        namespace_sid = manager.sid_from_eio_sid(sid, "/")
        return namespace_sid is not None and manager.is_connected(namespace_sid, "/")

    def close(self, sid: str) -> None:
        """Closes the session (its disconnect event releases the slot)."""
        session = self.eio.sockets.get(sid)
        if session is not None and not session.closed:
            session.close(wait=False, abort=False, reason=self.eio.reason.SERVER_DISCONNECT)
        else:
            self._release(sid, shut_down=True)

    def _take_slot(self, sid: str, address: str) -> bool:
        client = redis_client(self.redis_url) if self.redis_url and self.per_address else None
        if client is not None:
            try:
                key = KEY_PREFIX + address
                if not client.eval(_ADMIT, 1, key, self.per_address, SLOT_TTL_SECONDS, sid):
                    return False
                with self._lock:
                    self._slots[sid] = address
                    self._counts[address] += 1
                    self._in_redis.add(sid)
                return True
            except redis.RedisError:
                log.warning("Redis unavailable: live connections of %s counted here only", address)
        with self._lock:
            if self.per_address and self._counts[address] >= self.per_address:
                return False
            self._slots[sid] = address
            self._counts[address] += 1
        return True

    def _release(self, sid: str, shut_down: bool) -> None:
        with self._lock:
            address = self._slots.pop(sid, None)
            if address is not None:
                self._counts[address] -= 1
                if self._counts[address] <= 0:
                    del self._counts[address]
            in_redis = sid in self._in_redis
            self._in_redis.discard(sid)
            self._pending.pop(sid, None)
            raw = self._raw.pop(sid, None)
            if raw is not None and shut_down:
                self._shutdowns.append((time.monotonic() + SHUTDOWN_GRACE_SECONDS, raw))
        if address is not None and in_redis:
            with contextlib.suppress(redis.RedisError):  # else it ages out without heartbeats
                redis_client(self.redis_url).zrem(KEY_PREFIX + address, sid)
        if raw is not None and shut_down:
            self._ensure_loop()

    # The background task: deadlines, shutdowns, heartbeat ----------------------------------------
    def _ensure_loop(self) -> None:
        with self._lock:
            if self._running:
                return
            self._running = True
        self.sio.start_background_task(self._loop)

    def _loop(self) -> None:
        """Runs while this process holds sessions or has work queued, then stops."""
        last_beat = time.monotonic()
        while True:
            self.sio.sleep(TICK_SECONDS)
            try:
                last_beat = self._tick(last_beat)
            except Exception:
                log.exception("live connection guard")
            with self._lock:
                if not (self._slots or self._pending or self._shutdowns):
                    self._running = False
                    return

    def _tick(self, last_beat: float) -> float:
        now = time.monotonic()
        with self._lock:
            expired = [sid for sid, deadline in self._pending.items() if deadline <= now]
            due = [raw for when, raw in self._shutdowns if when <= now]
            self._shutdowns = [(when, raw) for when, raw in self._shutdowns if when > now]
            held = list(self._slots)
        for sid in expired:
            log.info("live connection %s closed: not logged in within %ss", sid, self.auth_seconds)
            self.close(sid)
        for raw in due:
            _shut_down(raw)
        for sid in held:  # a session engine.io dropped without telling
            if sid not in self.eio.sockets:
                self._release(sid, shut_down=True)
        if self.redis_url and now - last_beat >= HEARTBEAT_SECONDS:
            self._heartbeat()
            return now
        return last_beat

    def _heartbeat(self) -> None:
        with self._lock:
            by_address: dict[str, list[str]] = {}
            for sid in self._in_redis:
                by_address.setdefault(self._slots[sid], []).append(sid)
        if not by_address:
            return
        try:
            pipe = redis_client(self.redis_url).pipeline(transaction=False)
            for address, sids in by_address.items():
                pipe.eval(_REFRESH, 1, KEY_PREFIX + address, SLOT_TTL_SECONDS, *sids)
            pipe.execute()
        except redis.RedisError:
            log.warning("Redis unavailable for the live connection heartbeat")

    # For tests -----------------------------------------------------------------------------------
    def open_sessions(self, address: str | None = None) -> int:
        with self._lock:
            return self._counts[address] if address else len(self._slots)


def install_guard(socketio: Any, app: Flask) -> ConnectionGuard:
    """Puts the limits on the app's Socket.IO server (create_app makes a new one each time)."""
    guard = ConnectionGuard(socketio.server, app)
    guard.install()
    app.wsgi_app = guard.wsgi(app.wsgi_app)
    app.extensions["nitet_connection_guard"] = guard
    return guard
