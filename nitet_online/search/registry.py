"""Which content the search index holds, and how each item becomes an index document.

A feature declares its model in its setup (nitet_online/plugins.py):

    plug.search_type(ContentType("news", "ข่าวสาร", News, build=news_document))

`build(item)` returns a `Document` for a public item. The index holds public items only: an item
whose `is_public` is false (draft, hidden, unapproved, scheduled for later) is removed from it.
A change to a dependent model (an answer, a file) refreshes its parent through
`plug.search_dependent(Answer, lambda answer: [("question", answer.question_id)])`; what
`flask search reindex` makes again first through `plug.search_refresher(name, refresh)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from nitet_online.search.engine import Document

Key = tuple[str, int]


@dataclass
class ContentType:
    name: str  # the "type" of results and of ?type=
    label: str  # Thai, shown on the search page
    model: type
    build: Callable[[Any], Document | None]
    # Items to index on a rebuild; the builder still checks each one. Default: every row.
    candidates: Callable[[], Select] | None = None
    # When an item that is not public yet will become public by itself (a scheduled publication).
    publish_at: Callable[[Any], datetime | None] | None = None
    icon: str = "file-earmark-text"
    order: int = 50

    def query(self) -> Select:
        return self.candidates() if self.candidates else select(self.model)


def _registry():
    from nitet_online.plugins import plugins

    return plugins()


def refreshers() -> dict[str, Callable[[], str]]:
    """What `flask search reindex` makes again before it rebuilds the index: data the documents
    are built from that is itself derived from stored files (the text read out of uploaded
    documents). Each returns what it did, in a line for the console."""
    return dict(_registry().search_refreshers)


def content_types() -> list[ContentType]:
    return sorted(
        _registry().search_types.values(),
        key=lambda content_type: (content_type.order, content_type.name),
    )


def get(name: str) -> ContentType | None:
    return _registry().search_types.get(name)


def labels() -> dict[str, str]:
    return {content_type.name: content_type.label for content_type in content_types()}


def keys_for(item: Any) -> set[Key]:
    """Index documents a changed row touches (its own, its parents')."""
    registry = _registry()
    keys: set[Key] = set()
    for content_type in registry.search_types.values():
        if isinstance(item, content_type.model) and getattr(item, "id", None) is not None:
            keys.add((content_type.name, item.id))
    for model, callbacks in registry.search_dependents.items():
        if isinstance(item, model):
            for callback in callbacks:
                keys.update((name, ident) for name, ident in callback(item) if ident is not None)
    return keys


def scheduled_for(item: Any) -> list[tuple[Key, datetime]]:
    """(key, moment) for a registered item that will become public later by itself."""
    result = []
    for content_type in _registry().search_types.values():
        if content_type.publish_at and isinstance(item, content_type.model):
            moment = content_type.publish_at(item)
            if moment is not None and getattr(item, "id", None) is not None:
                result.append(((content_type.name, item.id), moment))
    return result
