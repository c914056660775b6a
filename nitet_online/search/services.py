"""Search for the rest of the application.

    from nitet_online.search.services import search
    results = search("การอ่านออกเขียนได้", types=["question"], per_page=5)
    results.total, [(hit.type, hit.id, hit.title, hit.url, hit.snippet, hit.score) for hit in results.hits]

Only public content is in the index (see registry); `user` is accepted so that callers say who
is asking, and hits are checked once more against the database when a change is still waiting in
the outbox, so an item unpublished a moment ago never shows. Maintenance: `drain()`,
`reindex()`, `ensure_index()`, `health_check()`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from functools import wraps

from flask import current_app
from sqlalchemy import delete, func, or_, select, tuple_

from nitet_online.extensions import db
from nitet_online.search import registry
from nitet_online.search.engine import (
    Document,
    Filters,
    IndexStore,
    IndexUnavailable,
    SearchResults,
    add_snippets,
    document_key,
)
from nitet_online.search.models import SearchOutbox
from nitet_online.services.thai import be_year, to_bangkok, utcnow

log = logging.getLogger(__name__)
DRAIN_BATCH = 200
REBUILD_PAGE = 500


def store() -> IndexStore:
    state = current_app.extensions.setdefault("search", {})
    path = current_app.config["SEARCH_INDEX_DIR"]
    if state.get("store") is None or str(state["store"].root) != str(path):
        state["store"] = IndexStore(path)
    return state["store"]


# Searching ------------------------------------------------------------------------------------
def search(
    query: str,
    *,
    types: list[str] | None = None,
    user=None,
    page: int = 1,
    per_page: int = 10,
    learning_area: str | None = None,
    year: str | None = None,
    tag: str | None = None,
    sort: str = "relevance",
    with_type_counts: bool = False,
    with_snippets: bool = True,
    with_suggestion: bool = False,
) -> SearchResults:
    """`with_snippets=False` leaves hit.snippet and hit.title_html empty, for callers that show
    titles only (similar questions). `with_suggestion=True`: when nothing matches the query as
    typed, `results.suggestion` is the query spelt with the index's words (คุณหมายถึง), if
    that finds something. Hits with `hit.nearby` hold the query nearly (a word of a phrase left
    out, see query.nearby_query), not as typed; they follow the others."""
    known = set(registry.labels())
    types = [t for t in types if t in known] if types else None
    filters = Filters(types or None, learning_area or None, year or None, tag or None)
    results = _with_index(
        lambda index: index.search(
            query, filters, page, per_page, sort, with_type_counts, with_suggestion
        )
    )
    _drop_unpublished(results)
    return add_snippets(results) if with_snippets else results


def suggest(text: str, limit: int = 8) -> list[dict]:
    return _with_index(lambda index: index.suggest(text, limit))


def _with_index(action):
    index = store()
    try:
        return action(index)
    except IndexUnavailable:
        log.warning("search index unavailable; rebuilding it from the database")
    except Exception:
        log.exception("search index failed; rebuilding it from the database")
    reindex(forget_outbox=False)  # a page view writes no row: the next drain takes them
    return action(index)


def _drop_unpublished(results: SearchResults) -> None:
    """A hit whose change has not reached the index yet is checked against the database."""
    if not results.hits:
        return
    keys = [(hit.type, hit.id) for hit in results.hits]
    waiting = set(
        db.session.execute(
            select(SearchOutbox.doc_type, SearchOutbox.doc_id).where(
                tuple_(SearchOutbox.doc_type, SearchOutbox.doc_id).in_(keys)
            )
        ).all()
    )
    if not waiting:
        return
    kept = [
        hit
        for hit in results.hits
        if (hit.type, hit.id) not in waiting or build_document(hit.type, hit.id) is not None
    ]
    results.total -= len(results.hits) - len(kept)
    results.exact -= sum(1 for hit in results.hits if not hit.nearby) - sum(
        1 for hit in kept if not hit.nearby
    )
    results.hits = kept


# Documents ------------------------------------------------------------------------------------
def build_document(doc_type: str, doc_id: int) -> Document | None:
    """The index document of a public item; None when it is gone or not public."""
    content_type = registry.get(doc_type)
    if content_type is None:
        return None
    item = db.session.get(content_type.model, doc_id)
    return document_of(content_type, item)


def document_of(content_type: registry.ContentType, item) -> Document | None:
    if item is None or not getattr(item, "is_public", False):
        return None
    try:
        document = content_type.build(item)
    except Exception:
        log.exception("could not build the search document of %s %s", content_type.name, item.id)
        return None
    if document is not None and document.date and not document.year:
        document.year = str(year_of(document.date))
    return document


def year_of(moment: datetime) -> int:
    """The Buddhist-era year of a moment, in Thailand's time."""
    return be_year(to_bangkok(moment).year)


def all_documents() -> Iterator[Document]:
    for content_type in registry.content_types():
        model = content_type.model
        last_id = 0
        while True:
            page = list(
                db.session.scalars(
                    content_type.query()
                    .where(model.id > last_id)
                    .order_by(model.id)
                    .limit(REBUILD_PAGE)
                )
            )
            if not page:
                break
            for item in page:
                document = document_of(content_type, item)
                if document is not None:
                    yield document
            last_id = page[-1].id
            db.session.expunge_all()


# Keeping the index up to date -------------------------------------------------------------------
def _due_rows():
    return select(SearchOutbox.id, SearchOutbox.doc_type, SearchOutbox.doc_id).where(
        or_(SearchOutbox.not_before.is_(None), SearchOutbox.not_before <= utcnow())
    )


def own_session(function):
    """Runs maintenance in an application context (and so a database session) of its own: the
    caller's session and the objects in it are left alone."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        with current_app.app_context():
            return function(*args, **kwargs)

    return wrapper


@own_session
def drain(batch: int = DRAIN_BATCH, rebuild_if_missing: bool = True) -> int:
    """Applies waiting changes to the index; returns how many items were refreshed. Without a
    usable index it rebuilds one (which takes every waiting change in), or, with
    `rebuild_if_missing=False`, leaves the changes waiting for whoever builds it."""
    index = store()
    done = 0
    if not rebuild_if_missing and not index.exists():
        return 0
    with index.writing():
        if not _usable(index):
            return _rebuild_locked(index) if rebuild_if_missing else 0
        while True:
            rows = db.session.execute(_due_rows().order_by(SearchOutbox.id).limit(batch)).all()
            if not rows:
                return done
            keys = list(dict.fromkeys((row.doc_type, row.doc_id) for row in rows))
            documents, deleted = [], []
            for doc_type, doc_id in keys:
                document = build_document(doc_type, doc_id)
                if document is None:
                    deleted.append(document_key(doc_type, doc_id))
                else:
                    documents.append(document)
            index.apply(documents, deleted)
            db.session.execute(
                delete(SearchOutbox).where(SearchOutbox.id.in_([row.id for row in rows]))
            )
            db.session.commit()
            db.session.expunge_all()
            done += len(keys)


def drain_quietly(rebuild_if_missing: bool = True) -> None:
    try:
        drain(rebuild_if_missing=rebuild_if_missing)
    except Exception:
        db.session.rollback()
        log.exception("search outbox drain failed; the changes wait for the next drain")


@own_session
def reindex(forget_outbox: bool = True) -> int:
    """Rebuilds the whole index from the database; returns the number of documents. The
    outbox rows it covered are deleted, unless `forget_outbox` is False (a rebuild during a page
    view, which must not write to the database: the next drain applies them once more)."""
    index = store()
    with index.writing():
        return _rebuild_locked(index, forget_outbox)


def _rebuild_locked(index: IndexStore, forget_outbox: bool = True) -> int:
    covered = db.session.execute(_due_rows().with_only_columns(func.max(SearchOutbox.id))).scalar()
    count = index.rebuild(all_documents())
    if covered and forget_outbox:
        db.session.execute(
            delete(SearchOutbox).where(
                SearchOutbox.id <= covered,
                or_(SearchOutbox.not_before.is_(None), SearchOutbox.not_before <= utcnow()),
            )
        )
    db.session.commit()
    log.info("search index rebuilt with %d documents", count)
    return count


def _usable(index: IndexStore) -> bool:
    try:
        index.doc_count()
        return True
    except Exception:
        return False


@own_session
def ensure_index(forget_outbox: bool = True) -> bool:
    """Rebuilds the index when it is missing or cannot be read; True when it had to."""
    index = store()
    if _usable(index):
        return False
    with index.writing():
        if _usable(index):  # another thread or process rebuilt it meanwhile
            return False
        _rebuild_locked(index, forget_outbox)
    return True


def health_check() -> None:
    """Raises unless the index answers; a missing or broken index is rebuilt first."""
    ensure_index(forget_outbox=False)
    store().doc_count()


def has_due_changes() -> bool:
    """Whether a change waits in the outbox (the "search.drain" job then runs at its next
    poll, not only every SEARCH_DRAIN_INTERVAL)."""
    found = db.session.execute(_due_rows().limit(1)).first() is not None
    db.session.rollback()
    return found


def pending_count() -> int:
    return db.session.scalar(select(func.count(SearchOutbox.id))) or 0
