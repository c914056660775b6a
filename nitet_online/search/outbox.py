"""Keeping the index in step with the database.

1. `after_flush` (every SQLAlchemy session): for each new, changed or deleted row of a
   registered model or dependent, a `search_outbox` row is inserted through the same connection,
   so it commits or rolls back together with the change.
2. `after_commit`: the "search.drain" background job (search/jobs.py) is asked to run now in
   this process, if it runs jobs (or, with SEARCH_SYNC_INDEXING, as in tests, the outbox is
   drained at once in a fresh application context).
3. The job drains the outbox: takes the writer lock, loads the current state of each item, writes
   the index, commits it, and only then deletes the rows it handled. Every runner of jobs also
   polls it every JOBS_POLL_SECONDS (changes made in other processes, scheduled publications,
   rows left by a crash), and it runs every SEARCH_DRAIN_INTERVAL seconds in any case.
"""

from __future__ import annotations

import logging
from itertools import chain

from flask import current_app, has_app_context
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
    if not app.config["SEARCH_AUTO_DRAIN"]:
        return
    if app.config.get("SEARCH_SYNC_INDEXING"):
        from nitet_online.search.services import drain_quietly

        # Right after the commit, in a session of its own (this one is between transactions).
        # A process without an index yet leaves the rows for whoever builds it (a search, the
        # health check, the indexer) instead of rebuilding everything after each commit.
        drain_quietly(rebuild_if_missing=False)
    else:
        from nitet_online.jobs import run_soon

        run_soon("search.drain", app)


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
