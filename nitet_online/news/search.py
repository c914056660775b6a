"""How a news post reads in the search index; scheduled posts enter it when due."""

from __future__ import annotations

from datetime import datetime

from nitet_online.news.models import NewsPost, NewsStatus
from nitet_online.search.documents import names, plain_text
from nitet_online.search.engine import Document
from nitet_online.search.registry import ContentType
from nitet_online.services.thai import utcnow


def document(post: NewsPost) -> Document:
    category = post.category.label
    return Document(
        type="news",
        id=post.id,
        title=post.title,
        url=post.url,
        text=plain_text(post.summary, post.body),
        extra=" ".join(filter(None, [category, post.event_place, names([post.author])])),
        date=post.publish_at,
        tags=[category],
    )


def publish_at(post: NewsPost) -> datetime | None:
    if post.status == NewsStatus.PUBLISHED and post.publish_at and post.publish_at > utcnow():
        return post.publish_at
    return None


def declare(plug) -> None:
    """Its search types and what refreshes them (called from the feature's setup)."""
    plug.search_type(
        ContentType(
            "news", "ข่าวสาร", NewsPost, document, publish_at=publish_at, icon="megaphone", order=10
        )
    )
