"""How a knowledge item reads in the search index: its text, its files' text, its people."""

from __future__ import annotations

from nitet_online.knowledge.models import KnowledgeFile, KnowledgeItem, KnowledgeLink
from nitet_online.search.engine import Document
from nitet_online.search.registry import ContentType
from nitet_online.services.markdown import markdown_to_text


def document(item: KnowledgeItem) -> Document:
    files = [f"{f.name}\n{f.text}" for f in item.files]
    people = [item.author.full_name if item.author else "", *item.co_author_names]
    return Document(
        type="knowledge",
        id=item.id,
        title=item.title,
        url=item.url,
        text="\n".join(filter(None, [item.description, markdown_to_text(item.body)])),
        extra="\n".join(
            [
                item.kind.label,
                " ".join(filter(None, people)),
                " ".join(level.name for level in item.grade_levels),
                " ".join(link.label for link in item.links),
                *files,
            ]
        ),
        date=item.published_at or item.created_at,
        learning_areas=[item.learning_area.code] if item.learning_area else [],
        tags=[tag.name for tag in item.tags],
    )


def declare(plug) -> None:
    """The knowledge feature's search type, the files and links that refresh it and the
    re-reading of its files' text (called from the feature's setup)."""
    plug.search_type(
        ContentType(
            "knowledge", "คลังความรู้", KnowledgeItem, document, icon="journal-bookmark", order=50
        )
    )
    plug.search_dependent(KnowledgeFile, lambda f: [("knowledge", f.item_id)])
    plug.search_dependent(KnowledgeLink, lambda link: [("knowledge", link.item_id)])
    plug.search_refresher("knowledge files", refresh_texts)


def refresh_texts() -> str:
    from nitet_online.knowledge.files import read_again

    read, changed = read_again()
    return f"{read} stored files read again, {changed} texts changed"
