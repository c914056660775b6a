"""A token bucket per user for chat messages: CHAT_RATE_BURST messages at once, refilled at
CHAT_RATE_PER_SECOND. In Redis when REDIS_URL is set (one bucket shared by every process, updated
atomically by a Lua script using Redis's own clock), else in this process's memory."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from flask import current_app

from nitet_online.services.redis_store import redis_client

KEY_PREFIX = "nitet:chat:bucket:"

_TAKE_SCRIPT = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local data = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(data[1]) or capacity
local ts = tonumber(data[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 5)
return {allowed, tostring(tokens)}
"""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float  # seconds until the next token, when refused


_lock = threading.Lock()
_buckets: dict[str, tuple[float, float]] = {}  # key → (tokens, monotonic time)


def _limits() -> tuple[float, float]:
    config = current_app.config
    return float(config["CHAT_RATE_BURST"]), float(config["CHAT_RATE_PER_SECOND"])


def take(user_id: int, action: str = "message") -> Decision:
    """Takes one token from the user's bucket for this action."""
    capacity, rate = _limits()
    key = f"{KEY_PREFIX}{action}:{user_id}"
    client = redis_client()
    if client is not None:
        allowed, tokens = client.eval(_TAKE_SCRIPT, 1, key, capacity, rate)
        return _decision(bool(allowed), float(tokens), rate)
    now = time.monotonic()
    with _lock:
        tokens, stamp = _buckets.get(key, (capacity, now))
        tokens = min(capacity, tokens + (now - stamp) * rate)
        allowed = tokens >= 1
        if allowed:
            tokens -= 1
        _buckets[key] = (tokens, now)
    return _decision(allowed, tokens, rate)


def _decision(allowed: bool, tokens: float, rate: float) -> Decision:
    if allowed:
        return Decision(True, 0.0)
    return Decision(False, math.ceil(max(0.0, 1 - tokens) / rate * 10) / 10)


def reset_local() -> None:
    with _lock:
        _buckets.clear()
