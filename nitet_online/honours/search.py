"""How an honour reads in the search index."""

from __future__ import annotations

from nitet_online.honours.models import Honour
from nitet_online.search.documents import as_datetime, plain_text
from nitet_online.search.engine import Document
from nitet_online.search.registry import ContentType


def document(honour: Honour) -> Document:
    moment = as_datetime(honour.awarded_on) or honour.reviewed_at or honour.created_at
    return Document(
        type="honour",
        id=honour.id,
        title=honour.title,
        url=honour.url,
        text=plain_text(honour.description),
        extra=" ".join(
            [
                honour.issuing_body,
                honour.level.label,
                honour.school.name if honour.school else "",
            ]
        ),
        date=moment,
        year=str(honour.year) if honour.year and honour.year > 2400 else "",
    )


def declare(plug) -> None:
    """Its search types and what refreshes them (called from the feature's setup)."""
    plug.search_type(
        ContentType("honour", "ทำเนียบเกียรติยศ", Honour, document, icon="award", order=40)
    )
