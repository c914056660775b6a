"""How a best practice reads in the search index."""

from __future__ import annotations

from nitet_online.best_practices.models import BestPractice
from nitet_online.search.documents import names, plain_text
from nitet_online.search.engine import Document
from nitet_online.search.registry import ContentType


def document(practice: BestPractice) -> Document:
    return Document(
        type="best_practice",
        id=practice.id,
        title=practice.title,
        url=practice.url,
        text=plain_text(practice.body),
        extra=" ".join(
            [
                practice.school.name if practice.school else "",
                names(practice.people),
                " ".join(level.name for level in practice.grade_levels),
            ]
        ),
        date=practice.published_at or practice.created_at,
        learning_areas=[practice.learning_area.code] if practice.learning_area else [],
    )


def declare(plug) -> None:
    """Its search types and what refreshes them (called from the feature's setup)."""
    plug.search_type(
        ContentType("best_practice", "ผลงานดีเด่น", BestPractice, document, icon="trophy", order=30)
    )
