"""Existing questions like the one being typed, shown while asking. Uses the search feature's
index when it is installed (`search(title, types=["question"])`), otherwise a LIKE query over the
words of the title (Thai segmented with PyThaiNLP, since Thai has no spaces)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import func, or_, select

from nitet_online.extensions import db
from nitet_online.questions.models import Question

log = logging.getLogger(__name__)

MIN_QUERY_LENGTH = 4
CANDIDATES = 200


@dataclass(frozen=True)
class Similar:
    id: int
    title: str
    url: str
    status: str
    status_label: str
    answer_count: int

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "status": self.status,
            "status_label": self.status_label,
            "answer_count": self.answer_count,
        }


def _similar(question: Question) -> Similar:
    return Similar(
        question.id,
        question.title,
        question.url,
        question.status.value,
        question.status.label,
        question.answer_count,
    )


def similar_questions(text: str, user=None, limit: int = 5) -> list[Similar]:
    """Public questions only (anonymous askers' names are never part of the answer)."""
    text = " ".join((text or "")[:1000].split())[:200]
    if len(text) < MIN_QUERY_LENGTH:
        return []
    found = _from_search_index(text, user, limit)
    return found if found is not None else _from_like(text, limit)


def _from_search_index(text: str, user, limit: int) -> list[Similar] | None:
    from nitet_online.search.services import search

    try:
        results = search(
            text, types=["question"], user=user, page=1, per_page=limit, with_snippets=False
        )
    except Exception:  # the index may be missing or rebuilding: the LIKE query still answers
        log.warning("search index unavailable for similar questions", exc_info=True)
        return None
    ids = [hit.id for hit in results.hits if getattr(hit, "type", "question") == "question"]
    questions = {
        q.id: q
        for q in db.session.scalars(
            select(Question).where(Question.id.in_(ids), Question.is_hidden.is_(False))
        )
    }
    return [_similar(questions[i]) for i in ids if i in questions]


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


def title_words(text: str) -> list[str]:
    """Meaningful words of a title: Thai segmented (newmm), stop words and 1-letter bits dropped."""
    from pythainlp.tokenize import word_tokenize

    words = []
    for word in word_tokenize(text.lower(), engine="newmm", keep_whitespace=False):
        word = word.strip(" \t?!.,:;()[]\"'“”")
        if len(word) >= 2 and word not in _stopwords() and word not in words:
            words.append(word)
    return words[:12]


def _from_like(text: str, limit: int) -> list[Similar]:
    words = title_words(text)
    if not words:
        return []
    title = func.lower(Question.title)
    candidates = db.session.scalars(
        select(Question)
        .where(Question.is_hidden.is_(False), or_(*(title.like(f"%{w}%") for w in words)))
        .order_by(Question.created_at.desc())
        .limit(CANDIDATES)
    ).all()

    titles = {q.id: q.title.lower() for q in candidates}
    # Rarer words weigh more: "นักเรียน" matches almost everything, "เศษส่วน" means something.
    weight = {w: 1 / max(1, sum(1 for t in titles.values() if w in t)) for w in words}

    def score(question: Question) -> tuple[float, int, int]:
        matched = sum(weight[w] for w in words if w in titles[question.id])
        return (matched, int(question.answer_count > 0), question.id)

    ranked = sorted(candidates, key=score, reverse=True)
    return [_similar(q) for q in ranked[:limit] if score(q)[0] > 0]
