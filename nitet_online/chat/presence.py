"""Who is online now.

Every process keeps the Socket.IO session ids of its own connected users in memory. With
REDIS_URL set, each process also writes them to Redis (one sorted set per user, scored by the last
heartbeat), so every process answers `is_online()` the same way and can find the sessions a user
holds in other processes (to disconnect a deactivated account). A process that dies stops
refreshing its entries and they age out after PRESENCE_TTL seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

import redis
from flask import current_app

from nitet_online.services.redis_store import redis_client

KEY_PREFIX = "nitet:chat:presence:"
HEARTBEAT_SECONDS = 30
PRESENCE_TTL = 75  # an entry not refreshed for this long is stale (process gone)

_lock = threading.Lock()
_local: dict[int, set[str]] = {}
_sid_users: dict[str, int] = {}
_heartbeat_started = False


def _key(user_id: int) -> str:
    return f"{KEY_PREFIX}{user_id}"


def add(user_id: int, sid: str) -> bool:
    """Records a new connection; True when the user was offline everywhere before it."""
    with _lock:
        sids = _local.setdefault(user_id, set())
        was_local = bool(sids)
        sids.add(sid)
        _sid_users[sid] = user_id
    client = redis_client()
    if client is None:
        return not was_local
    now = time.time()
    pipe = client.pipeline()
    pipe.zcount(_key(user_id), now - PRESENCE_TTL, "+inf")
    pipe.zadd(_key(user_id), {sid: now})
    pipe.expire(_key(user_id), PRESENCE_TTL * 2)
    before, _, _ = pipe.execute()
    return not before


def user_of(sid: str) -> int | None:
    """The user a connection of this process belongs to."""
    with _lock:
        return _sid_users.get(sid)


def remove(sid: str) -> tuple[int | None, bool]:
    """Forgets a connection of this process: (its user, whether that user has no connection
    left anywhere)."""
    with _lock:
        user_id = _sid_users.pop(sid, None)
    if user_id is None:
        return None, False
    return user_id, _remove(user_id, sid)


def _remove(user_id: int, sid: str) -> bool:
    with _lock:
        sids = _local.get(user_id, set())
        sids.discard(sid)
        if not sids:
            _local.pop(user_id, None)
        local_left = bool(sids)
    client = redis_client()
    if client is None:
        return not local_left
    pipe = client.pipeline()
    pipe.zrem(_key(user_id), sid)
    pipe.zcount(_key(user_id), time.time() - PRESENCE_TTL, "+inf")
    _, remaining = pipe.execute()
    return not remaining


def is_online(user_id: int | None) -> bool:
    """The Jinja global of the same name: has this user an open page right now?"""
    if not user_id:
        return False
    return user_id in online_among([user_id])


def online_among(user_ids: Iterable[int]) -> set[int]:
    """The ids of those users who are online (one Redis round trip for all of them)."""
    wanted = [int(user_id) for user_id in user_ids if user_id]
    client = redis_client()
    if client is None:
        with _lock:
            return {user_id for user_id in wanted if _local.get(user_id)}
    if not wanted:
        return set()
    try:
        pipe = client.pipeline()
        floor = time.time() - PRESENCE_TTL
        for user_id in wanted:
            pipe.zcount(_key(user_id), floor, "+inf")
        counts = pipe.execute()
    except redis.RedisError:
        # Presence is a courtesy: while Redis is away, this process's own knowledge answers.
        current_app.logger.warning("Redis unavailable for presence; using this process only")
        with _lock:
            return {user_id for user_id in wanted if _local.get(user_id)}
    return {user_id for user_id, count in zip(wanted, counts, strict=True) if count}


def sessions_of(user_id: int) -> set[str]:
    """Every Socket.IO session id of the user, in this process and (with Redis) in the others."""
    with _lock:
        sids = set(_local.get(user_id, set()))
    client = redis_client()
    if client is not None:
        sids |= {sid.decode() for sid in client.zrange(_key(user_id), 0, -1)}
    return sids


def local_user_ids() -> list[int]:
    with _lock:
        return list(_local)


def refresh_local() -> None:
    """Heartbeat: renews this process's entries in Redis and drops stale ones."""
    client = redis_client()
    if client is None:
        return
    with _lock:
        snapshot = {user_id: set(sids) for user_id, sids in _local.items()}
    now = time.time()
    pipe = client.pipeline()
    for user_id, sids in snapshot.items():
        if sids:
            pipe.zadd(_key(user_id), dict.fromkeys(sids, now))
            pipe.zremrangebyscore(_key(user_id), "-inf", now - PRESENCE_TTL)
            pipe.expire(_key(user_id), PRESENCE_TTL * 2)
    pipe.execute()


def start_heartbeat(socketio, app) -> None:
    """Starts the heartbeat task of this process once (only needed with Redis)."""
    global _heartbeat_started
    with _lock:
        if _heartbeat_started or not app.config.get("REDIS_URL"):
            return
        _heartbeat_started = True

    def beat() -> None:
        while True:
            socketio.sleep(HEARTBEAT_SECONDS)
            with app.app_context():
                try:
                    refresh_local()
                except redis.RedisError:
                    app.logger.warning("Redis unavailable for the presence heartbeat")

    socketio.start_background_task(beat)


def reset_local() -> None:
    """For tests that use several apps in one process."""
    with _lock:
        _local.clear()
        _sid_users.clear()
