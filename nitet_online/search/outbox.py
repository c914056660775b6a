"""Keeping the index in step with the database.

1. `after_flush` (every SQLAlchemy session): for each new, changed or deleted row of a
   registered model or dependent, a `search_outbox` row is inserted through the same connection,
   so it commits or rolls back together with the change.
2. `after_commit`: the process's indexer is woken (or, with SEARCH_SYNC_INDEXING, as in tests,
   the outbox is drained at once in a fresh application context).
3. The indexer thread drains the outbox: takes the writer lock, loads the current state of each
   item, writes the index, commits it, and only then deletes the rows it handled. It also wakes
   every SEARCH_DRAIN_INTERVAL seconds (scheduled publications, rows left by a crash) and once
   when the process starts serving.
"""

from __future__ import annotations

import logging
import os
import threading
from itertools import chain

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from nitet_online.search import registry
from nitet_online.search.models import SearchOutbox
from nitet_online.services.thai import utcnow

log = logging.getLogger(__name__)
PENDING = "search_outbox_pending"


def _after_flush(session: Session, flush_context) -> None:
    keys: set[registry.Key] = set()
    scheduled = []
    for item in chain(session.new, session.dirty, session.deleted):
        if isinstance(item, SearchOutbox):
            continue
        keys |= registry.keys_for(item)
        if item not in session.deleted:
            scheduled += registry.scheduled_for(item)
    if not keys and not scheduled:
        return
    now = utcnow()
    rows = [{"doc_type": t, "doc_id": i, "not_before": None, "created_at": now} for t, i in keys]
    rows += [
        {"doc_type": t, "doc_id": i, "not_before": moment, "created_at": now}
        for (t, i), moment in scheduled
        if moment > now
    ]
    session.connection().execute(insert(SearchOutbox.__table__), rows)
    session.info[PENDING] = True


def _after_commit(session: Session) -> None:
    if not session.info.pop(PENDING, False) or not has_app_context():
        return
    app = current_app._get_current_object()
    if not app.config.get("SEARCH_AUTO_DRAIN", True):
        return
    if app.config.get("SEARCH_SYNC_INDEXING"):
        from nitet_online.search.services import drain_quietly

        # Right after the commit, in a session of its own (this one is between transactions).
        # A process without an index yet leaves the rows for whoever builds it (a search, the
        # health check, the indexer) instead of rebuilding everything after each commit.
        drain_quietly(rebuild_if_missing=False)
    else:
        indexer_for(app).wake()


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


_installed = False


def install_listeners() -> None:
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    _installed = True


class Indexer:
    """One background thread per process and application that drains the outbox."""

    def __init__(self, app: Flask):
        self.app = app
        self._event = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._stopped = False

    def start(self) -> None:
        """Starts the thread in this process if it is not running (it drains at once)."""
        if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
            return
        self._ensure_running()

    def wake(self) -> None:
        """Asks a running thread to drain now; a process that serves no requests (the CLI)
        starts none, and its changes wait in the outbox for the server."""
        if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
            self._event.set()

    def stop(self, timeout: float = 10) -> None:
        """Ends the thread after its current drain (tests; the server just exits)."""
        self._stopped = True
        self._event.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _ensure_running(self) -> None:
        with self._lock:
            alive = self._thread is not None and self._thread.is_alive()
            if alive and self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        from nitet_online.search.services import drain_quietly, ensure_index

        interval = self.app.config.get("SEARCH_DRAIN_INTERVAL", 60)
        first = True
        while not self._stopped:
            if not first:
                self._event.wait(interval)
                if self._stopped:
                    return
            self._event.clear()
            try:
                with self.app.app_context():
                    if first:
                        ensure_index()
                    drain_quietly()
            except Exception:  # keep the thread alive; the rows wait in the outbox
                log.exception("search indexer failed; retrying later")
            first = False


def indexer_for(app: Flask) -> Indexer:
    state = app.extensions.setdefault("search", {})
    if "indexer" not in state:
        state["indexer"] = Indexer(app)
    return state["indexer"]
