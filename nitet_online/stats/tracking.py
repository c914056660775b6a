"""Recording views without slowing pages.

A page view becomes a small dict in an in-process queue; a background thread writes the queue
in batches (one INSERT with many rows) every STATS_FLUSH_SECONDS, or sooner when
STATS_FLUSH_BATCH rows wait, and once more when the process exits. Past days are rolled up by
the "stats.rollup" background job (stats/jobs.py). With STATS_SYNC_WRITES (the default when
testing) the queue is written at the end of each request instead, so tests see their views at
once.

The visitor is a hash of address and user agent with the day's salt. The salt lives in the
database (so every server process of the office counts the same visitor once) and in memory;
when a new day's salt is made, older salts are deleted and yesterday's hashes can no longer be
recomputed by anyone.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import secrets
import threading
from collections import deque
from datetime import date, datetime

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from nitet_online.extensions import db
from nitet_online.services.thai import to_bangkok, utcnow
from nitet_online.stats.classify import device_class, is_bot, referrer_class
from nitet_online.stats.models import PageView, VisitorSalt

log = logging.getLogger(__name__)

VIEW = "view"
DOWNLOAD = "download"
# Keep at most this many unwritten views in memory if the database stays unreachable.
MAX_PENDING = 200_000


# Salts and the visitor hash ---------------------------------------------------------------
_salt_lock = threading.Lock()
_salt_cache: dict[str, tuple[date, str]] = {}  # database URL → (day, salt)


def local_day(moment: datetime) -> date:
    return to_bangkok(moment).date()


def salt_for(day: date) -> str:
    """The salt of `day`, made on first use; older salts are deleted at that moment."""
    key = current_app.config["SQLALCHEMY_DATABASE_URI"]
    cached = _salt_cache.get(key)
    if cached and cached[0] == day:
        return cached[1]
    with _salt_lock:
        cached = _salt_cache.get(key)
        if cached and cached[0] == day:
            return cached[1]
        salt = _load_or_create_salt(day)
        _salt_cache[key] = (day, salt)
        return salt


def _load_or_create_salt(day: date) -> str:
    with db.engine.begin() as connection:
        table = VisitorSalt.__table__
        salt = connection.scalar(select(table.c.salt).where(table.c.day == day))
        if salt is None:
            try:
                with connection.begin_nested():
                    salt = secrets.token_hex(32)
                    connection.execute(insert(table).values(day=day, salt=salt))
            except IntegrityError:  # another process made it first
                salt = connection.scalar(select(table.c.salt).where(table.c.day == day))
        connection.execute(delete(table).where(table.c.day < day))
    return salt


def forget_cached_salts() -> None:
    _salt_cache.clear()


def visitor_hash(address: str, user_agent: str, day: date) -> str:
    digest = hashlib.sha256(f"{salt_for(day)}|{address}|{user_agent}".encode())
    return digest.hexdigest()[:32]


def current_visitor_hash(at: datetime | None = None) -> str:
    """The visitor hash of the current request (surveys use it to refuse a second answer)."""
    moment = at or utcnow()
    return visitor_hash(
        request.remote_addr or "", request.headers.get("User-Agent", ""), local_day(moment)
    )


# Building a row ---------------------------------------------------------------------------
def should_count_request() -> bool:
    if not current_app.config["STATS_TRACKING_ENABLED"]:
        return False
    if request.path == "/healthz" or request.method not in ("GET", "HEAD", "POST"):
        return False
    return not is_bot(request.headers.get("User-Agent", ""))


def build_row(
    kind: str,
    content_type: str,
    content_id: int | None,
    owner_id: int | None,
    at: datetime | None = None,
) -> dict:
    """The row of one view by the current request's visitor."""
    moment = at or utcnow()
    agent = request.headers.get("User-Agent", "")
    day = local_day(moment)
    user = current_user
    logged_in = user.is_authenticated
    return {
        "viewed_at": moment,
        "day": day,
        "kind": kind,
        "content_type": content_type,
        "content_id": content_id,
        "owner_id": owner_id,
        "endpoint": (request.endpoint or "")[:80],
        "visitor": visitor_hash(request.remote_addr or "", agent, day),
        "role": user.role.value if logged_in else "",
        "school_id": user.school_id if logged_in else None,
        "referrer": referrer_class(request.referrer or "", request.host, agent),
        "device": device_class(agent),
    }


# The recorder -----------------------------------------------------------------------------
class ViewRecorder:
    """The queue of unwritten views of one app, and the thread that writes them."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.pending: deque[dict] = deque(maxlen=MAX_PENDING)
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self.thread_pid = 0
        self.flush_lock = threading.Lock()
        self.exit_hook_registered = False

    @property
    def sync(self) -> bool:
        return bool(self.app.config.get("STATS_SYNC_WRITES"))

    def add(self, row: dict) -> None:
        self.pending.append(row)
        if self.sync:
            return  # written at the end of the request
        self._ensure_thread()
        if len(self.pending) >= self.app.config["STATS_FLUSH_BATCH"]:
            self.wake.set()

    def _ensure_thread(self) -> None:
        # After a fork (a server starting workers) the parent's thread does not exist here.
        if self.thread is not None and self.thread_pid == os.getpid() and self.thread.is_alive():
            return
        with self.flush_lock:
            if self.thread is None or self.thread_pid != os.getpid() or not self.thread.is_alive():
                self.thread_pid = os.getpid()
                if not self.exit_hook_registered:
                    atexit.register(self.close)  # write what is left when the process ends
                    self.exit_hook_registered = True
                self.thread = threading.Thread(target=self._run, name="stats-recorder", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        interval = float(self.app.config["STATS_FLUSH_SECONDS"])
        while not self.stopping.is_set():
            self.wake.wait(interval)
            self.wake.clear()
            self.flush()

    def flush(self) -> int:
        """Writes every waiting view; returns how many. Safe to call from any thread."""
        with self.flush_lock:
            rows = []
            while self.pending:
                rows.append(self.pending.popleft())
            if not rows:
                return 0
            try:
                with self.app.app_context(), db.engine.begin() as connection:
                    connection.execute(insert(PageView.__table__), rows)
            except Exception:
                log.exception("could not write %d page views; they are dropped", len(rows))
                return 0
            return len(rows)

    def close(self) -> None:
        self.stopping.set()
        self.wake.set()
        self.flush()


def recorder() -> ViewRecorder:
    return current_app.extensions["stats_recorder"]


def record(
    kind: str,
    content_type: str,
    content_id: int | None = None,
    owner_id: int | None = None,
) -> bool:
    """Queues a view by the current request's visitor; False when it is not counted (bots,
    health checks, tracking switched off, no request)."""
    if not has_request_context() or not should_count_request():
        return False
    try:
        row = build_row(kind, content_type, content_id, owner_id)
    except Exception:  # statistics must never break a page
        log.exception("could not build a page view row")
        return False
    recorder().add(row)
    if kind == VIEW:
        g.stats_view_recorded = True
    return True


# Automatic page views ---------------------------------------------------------------------
# Pages that are not counted as visits: administration, dashboards, machine endpoints.
UNTRACKED_BLUEPRINTS = {"admin"}
UNTRACKED_ENDPOINTS = {
    "static",
    "core.healthz",
    "stats.index",
    "stats.report",
    "stats.mine",
    "stats.export",
    "stats.summary_api",
}


def track_page_after_request(response):
    """Counts a successful HTML GET page as a visit unless its view recorded a view itself."""
    if (
        request.method != "GET"
        or response.status_code != 200
        or response.mimetype != "text/html"
        or g.get("stats_view_recorded")
    ):
        return response
    endpoint = request.endpoint or ""
    if (
        not endpoint
        or endpoint in UNTRACKED_ENDPOINTS
        or endpoint.split(".", 1)[0] in UNTRACKED_BLUEPRINTS
        or request.path.startswith("/api/")
    ):
        return response
    record(VIEW, "page")
    return response


def flush_after_request(_error: BaseException | None = None) -> None:
    """Synchronous mode (tests): write this request's views once the request is done, in the
    request's own session, so nothing the caller still holds is detached."""
    if not current_app.config.get("STATS_SYNC_WRITES"):
        return
    rec = current_app.extensions.get("stats_recorder")
    if rec is None or not rec.pending:
        return
    rows = []
    while rec.pending:
        rows.append(rec.pending.popleft())
    try:
        db.session.execute(insert(PageView.__table__), rows)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("could not write %d page views", len(rows))
