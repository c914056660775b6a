"""The one Redis client per URL per process, shared by chat presence, chat limits and /healthz."""

from __future__ import annotations

import threading

import redis
from flask import current_app, has_app_context

_lock = threading.Lock()
_clients: dict[str, redis.Redis] = {}


def redis_client(url: str | None = None) -> redis.Redis | None:
    """The pooled client for `url` (default: the app's REDIS_URL); None when Redis is not used."""
    if url is None:
        url = current_app.config.get("REDIS_URL") if has_app_context() else None
    if not url:
        return None
    with _lock:
        if url not in _clients:
            _clients[url] = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        return _clients[url]


def redis_answers() -> None:
    """Health check: raises when REDIS_URL is set and Redis does not answer."""
    client = redis_client()
    if client is not None:
        client.ping()
