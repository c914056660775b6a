"""Slowing down password guessing without locking anyone out.

Failures are counted per (account, client address), in a store of the `limits` library made from
the rate limits' own settings (services.rate_limits.limits_storage: RATELIMIT_STORAGE_URI, memory
on one machine, Redis when REDIS_URL is set, so every process counts together). It works even
where rate limits are switched off (the testing configuration): slowing down guesses is not a rate limit one may turn off. After
LOGIN_FREE_FAILURES failures from an address, each further try for that account from that address
must wait LOGIN_DELAY_SECONDS after the last failure, doubled for every further failure, up to
LOGIN_MAX_DELAY_SECONDS. The owner at their own address is not slowed by guesses made elsewhere, and
a login that succeeds clears the count of its address. A name that matches no account is counted
the same way, so the answers never tell an existing account from an unknown one.

Counts are forgotten FAILURE_MEMORY_SECONDS after the first failure. IPv6 addresses count per /64
(one subscriber's network), as one machine may use any address in it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from flask import current_app

from nitet_online.accounts.models import User
from nitet_online.services.rate_limits import limits_storage

FAILURE_MEMORY_SECONDS = 24 * 3600
KEY_PREFIX = "nitet-login"

clock = time.time  # replaced by tests that move time


@dataclass(frozen=True)
class Attempt:
    """Whose password is being tried, and from where."""

    subject: str
    address: str

    @property
    def _base(self) -> str:
        return f"{KEY_PREFIX}/{self.subject}/{self.address}"

    @property
    def failures_key(self) -> str:
        return f"{self._base}/failures"

    def failure_time_key(self, number: int) -> str:
        return f"{self._base}/failure/{number}"


def attempt_for(user: User | None, typed_login: str, remote_address: str | None) -> Attempt:
    if user is not None:
        subject = f"user-{user.id}"
    else:
        cleaned = (typed_login or "").strip().lower().encode()
        subject = "name-" + hashlib.sha256(cleaned).hexdigest()[:32]
    return Attempt(subject, client_network(remote_address))


def client_network(remote_address: str | None) -> str:
    try:
        address = ipaddress.ip_address(remote_address or "")
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def delay_after(failures: int) -> int:
    """Seconds to wait after the given number of failures (0 while they are free)."""
    config = current_app.config
    beyond = failures - config["LOGIN_FREE_FAILURES"]
    if beyond < 0:
        return 0
    base, ceiling = config["LOGIN_DELAY_SECONDS"], config["LOGIN_MAX_DELAY_SECONDS"]
    return min(ceiling, base * 2 ** min(beyond, 32))


def wait_before(attempt: Attempt) -> int:
    """Seconds this attempt must still wait (0: it may go ahead)."""
    storage = limits_storage()
    failures = storage.get(attempt.failures_key)
    delay = delay_after(failures)
    if not delay:
        return 0
    # The time of that failure is written just after its count; a try in between waits in full.
    last = storage.get(attempt.failure_time_key(failures)) or clock()
    return max(0, int(last + delay - clock() + 0.999))


def record_failure(attempt: Attempt) -> tuple[int, int]:
    """Counts a wrong password: (failures so far, seconds the next try must wait)."""
    storage = limits_storage()
    failures = storage.incr(attempt.failures_key, FAILURE_MEMORY_SECONDS)
    # The storage keeps counters only: the time is a counter set once (cleared first, as one from
    # an earlier round of counting may still be there).
    time_key = attempt.failure_time_key(failures)
    storage.clear(time_key)
    storage.incr(time_key, FAILURE_MEMORY_SECONDS, amount=int(clock()))
    return failures, delay_after(failures)


def forget(attempt: Attempt) -> None:
    """A successful login from this address: its count starts again."""
    limits_storage().clear(attempt.failures_key)


def describe_wait(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} วินาที"
    minutes = -(-seconds // 60)
    if minutes < 60:
        return f"{minutes} นาที"
    hours, rest = divmod(minutes, 60)
    return f"{hours} ชั่วโมง" + (f" {rest} นาที" if rest else "")
