"""How a question and its visible answers read in the search index."""

from __future__ import annotations

from nitet_online.questions.models import Answer, Question
from nitet_online.search.documents import plain_text
from nitet_online.search.engine import Document
from nitet_online.search.registry import ContentType


def document(question: Question) -> Document:
    answers = [answer.body for answer in question.answers if not answer.is_hidden]
    # The asker's name is never indexed: an anonymous question stays anonymous in snippets.
    return Document(
        type="question",
        id=question.id,
        title=question.title,
        url=question.url,
        text=plain_text(question.body),
        extra=plain_text(*answers),
        date=question.created_at,
        learning_areas=[question.learning_area.code] if question.learning_area else [],
        tags=[tag.name for tag in question.tags],
    )


def declare(plug) -> None:
    """Its search types and what refreshes them (called from the feature's setup)."""
    plug.search_type(
        ContentType("question", "ถาม-ตอบ", Question, document, icon="chat-square-text", order=20)
    )
    plug.search_dependent(Answer, lambda answer: [("question", answer.question_id)])
