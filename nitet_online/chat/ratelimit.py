"""How often one user may send chat messages: CHAT_RATE_BURST messages at once, and on average no
more than CHAT_RATE_PER_SECOND, as a moving window of CHAT_RATE_BURST messages per
CHAT_RATE_BURST / CHAT_RATE_PER_SECOND seconds. Counted by the `limits` library in the rate limits'
own store (services.rate_limits: memory in this process, whose entries expire, or Redis when
REDIS_URL is set, shared by every process)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItemPerSecond
from limits.strategies import MovingWindowRateLimiter

from nitet_online.services.rate_limits import limits_storage, reset_memory_storage

NAMESPACE = "nitet-chat"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float  # seconds until the next message may go, when refused


def _limit() -> RateLimitItemPerSecond:
    config = current_app.config
    burst = max(1, int(config["CHAT_RATE_BURST"]))
    window = max(1, math.ceil(burst / float(config["CHAT_RATE_PER_SECOND"])))
    return RateLimitItemPerSecond(burst, window, namespace=NAMESPACE)


def take(user_id: int, action: str = "message") -> Decision:
    """Counts one message of this user for this action, if the limit allows it."""
    limit = _limit()
    limiter = MovingWindowRateLimiter(limits_storage())
    if limiter.hit(limit, action, str(user_id)):
        return Decision(True, 0.0)
    reset_at = limiter.get_window_stats(limit, action, str(user_id)).reset_time
    return Decision(False, max(0.1, math.ceil((reset_at - time.time()) * 10) / 10))


def reset_local() -> None:
    """Forgets the counts held in this process's memory (tests)."""
    reset_memory_storage()
