"""The Whoosh index on disk: its schema, one writer at a time across threads and processes,
atomic rebuilds, and searching. Independent of Flask, so bench/ measures exactly this code.

Layout of SEARCH_INDEX_DIR:

    writer.lock        flock()ed by whoever writes (drain, rebuild), in any process
    current -> gen-…   symlink to the live index; a rebuild fills a new gen-… folder and then
                       swaps the link atomically, so searchers never see a half-built index
"""

from __future__ import annotations

import bisect
import fcntl
import itertools
import logging
import os
import queue
import secrets
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from markupsafe import Markup
from whoosh import index as whoosh_index
from whoosh import query as q
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.searching import Searcher

from nitet_online.search import analysis, snippets
from nitet_online.search.fastsearch import EMPTY, Evaluator, Matches, SegmentCache, top
from nitet_online.search.query import (
    Chunk,
    ParsedQuery,
    budgeted,
    nearby_query,
    parse,
    relaxed_queries,
    strict_query,
    title_query,
)
from nitet_online.search.spelling import SpellingIndex

log = logging.getLogger(__name__)

STORED_TEXT_LIMIT = 20_000  # characters kept for snippets; the whole text is indexed
# A query that finds fewer texts than this as typed also shows those that hold it nearly.
NEARBY_BELOW = 5
SEARCHER_POOL_SIZE = 8


class IndexUnavailable(RuntimeError):
    """The index is missing or cannot be read; rebuild it from the database."""


def build_schema() -> Schema:
    terms = analysis.TermTokenizer()
    return Schema(
        key=ID(unique=True, stored=True),
        type=ID(stored=True),
        id=STORED,
        title=STORED,
        url=STORED,
        text=STORED,
        date=DATETIME(stored=True, sortable=True),
        year=ID(stored=True),
        learning_area=KEYWORD(stored=True, commas=True),
        tags=KEYWORD(stored=True, commas=True, lowercase=True),
        terms=TEXT(analyzer=terms, phrase=False),
        pairs=TEXT(analyzer=analysis.PairTokenizer(), phrase=False),
        title_terms=TEXT(analyzer=terms, phrase=False),
    )


@dataclass
class Document:
    """What a content type hands to the index for one public item."""

    type: str
    id: int
    title: str
    url: str
    text: str = ""  # main text, plain (Markdown already rendered to text)
    extra: str = ""  # searched but not shown: answers' authors, file contents, ...
    date: datetime | None = None
    learning_areas: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    year: str = ""

    @property
    def key(self) -> str:
        return document_key(self.type, self.id)

    def fields(self) -> dict:
        title = analysis.normalize(self.title)
        text = analysis.normalize(self.text)
        body = "\n".join([text, analysis.normalize(self.extra), " ".join(self.tags)])
        searchable = f"{title}{analysis.SECTION}{body}"
        values = {
            "key": self.key,
            "type": self.type,
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "text": text[:STORED_TEXT_LIMIT],
            "learning_area": ",".join(self.learning_areas),
            "tags": ",".join(tag.replace(",", " ") for tag in self.tags),
            "terms": searchable,
            "pairs": searchable,
            "title_terms": title,
        }
        if self.date:
            values["date"] = self.date
        if self.year:
            values["year"] = str(self.year)
        return values


def document_key(doc_type: str, doc_id: int) -> str:
    return f"{doc_type}:{doc_id}"


@dataclass
class Hit:
    type: str
    id: int
    title: str
    url: str
    snippet: Markup
    title_html: Markup
    score: float
    date: datetime | None
    learning_areas: list[str]
    year: str
    text: str = field(default="", repr=False)  # stored plain text, for the snippet
    nearby: bool = False  # holds the query nearly (query.nearby_query), not as typed

    def as_json(self) -> dict:
        return {
            "type": self.type,
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "snippet": str(self.snippet),
        }


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    page: int = 1
    per_page: int = 10
    relaxed: bool = False
    type_counts: dict[str, int] = field(default_factory=dict)
    parsed: ParsedQuery | None = None
    exact: int = 0  # matches before the nearby ones (hit.nearby)
    suggestion: str | None = None  # คุณหมายถึง: the query spelt with the index's words

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass
class Filters:
    types: list[str] | None = None
    learning_area: str | None = None
    year: str | None = None
    tag: str | None = None

    def query(self) -> q.Query | None:
        parts: list[q.Query] = []
        if self.types:
            parts.append(q.Or([q.Term("type", t) for t in self.types]))
        if self.learning_area:
            parts.append(q.Term("learning_area", self.learning_area))
        if self.year:
            parts.append(q.Term("year", str(self.year)))
        if self.tag:
            parts.append(q.Term("tags", self.tag.lower()))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else q.And(parts)


class Vocabulary:
    """The index's Thai words, searchable for any substring: the words are joined into one string
    so that str.find (in C) scans them all in about a millisecond."""

    LIMIT = 1000  # words returned at most (the most frequent substrings are dictionary words)
    SCAN = 20

    def __init__(self, words: list[str]):
        self.words = words
        self.text = "\n".join(words)
        self.starts = list(itertools.accumulate((len(w) + 1 for w in words[:-1]), initial=0))
        self._spelling: SpellingIndex | None = None

    def spelling(self) -> SpellingIndex:
        """The words by skeleton, for คุณหมายถึง (built at the first query of this version of the
        index that finds nothing: a few passes of C over self.text, 60,000 words in ~0.2 s)."""
        if self._spelling is None:
            self._spelling = SpellingIndex(self.words, self.text)
        return self._spelling

    def containing(self, needle: str, limit: int = LIMIT) -> list[str]:
        """Up to `limit` words holding `needle` between character cells; at most SCAN times as
        many places are looked at (most of a letter's places can be inside cells)."""
        limit = min(self.LIMIT, limit)
        found: list[str] = []
        position = self.text.find(needle)
        for _ in range(limit * self.SCAN):
            if position == -1 or len(found) >= limit:
                break
            index = bisect.bisect_right(self.starts, position) - 1
            word = self.words[index]
            if analysis.contains_aligned(word, needle):
                found.append(word)
            next_word = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
            position = self.text.find(needle, next_word)
        return found


class IndexStore:
    """One index folder. Writers hold an exclusive flock on writer.lock (plus a thread lock),
    so the outbox drain and rebuilds of every process take turns; readers never lock."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.current = self.root / "current"
        self.lock_path = self.root / "writer.lock"
        self._thread_lock = threading.RLock()
        self._pool: queue.LifoQueue[tuple[str, Searcher]] = queue.LifoQueue()
        self._vocabulary: tuple[tuple, Vocabulary] | None = None
        # Only guards the cache above. Never the writers' lock: a writer (the outbox drain) holds
        # that one while it waits for a database connection, and a search asks for the
        # vocabulary while its request holds one, so sharing it deadlocked a busy server until
        # the connection pool timed out (bench/load_test.py found it).
        self._vocabulary_lock = threading.Lock()
        self._segments = SegmentCache()

    # Writing ---------------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, open(self.lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def exists(self) -> bool:
        return self.current.is_symlink() and self.current.resolve().is_dir()

    def open(self) -> whoosh_index.Index:
        if not self.exists():
            raise IndexUnavailable("search index is missing")
        try:
            return whoosh_index.open_dir(str(self.current.resolve()))
        except Exception as error:  # corrupt TOC, missing segment, unpickling error, ...
            raise IndexUnavailable(f"search index cannot be opened: {error}") from error

    def rebuild(self, documents: Iterable[Document], memory_mb: int = 128) -> int:
        """A fresh index from `documents`, swapped in atomically. Call inside writing()."""
        self.root.mkdir(parents=True, exist_ok=True)
        folder = self.root / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(4)}"
        folder.mkdir()
        try:
            ix = whoosh_index.create_in(str(folder), build_schema())
            writer = ix.writer(limitmb=memory_mb)
            count = 0
            try:
                for document in documents:
                    writer.add_document(**document.fields())
                    count += 1
            except BaseException:
                writer.cancel()
                raise
            writer.commit(optimize=True)
            ix.close()
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        self._swap_to(folder)
        return count

    def _swap_to(self, folder: Path) -> None:
        link = self.root / f".current-{secrets.token_hex(4)}"
        os.symlink(folder.name, link)
        os.replace(link, self.current)  # atomic: readers see the old or the new index
        for old in self.root.glob("gen-*"):
            if old.name != folder.name:
                shutil.rmtree(old, ignore_errors=True)
        self.drop_searchers()

    def apply(self, documents: list[Document], deleted_keys: list[str]) -> None:
        """Adds or replaces `documents` and removes `deleted_keys`. Call inside writing()."""
        ix = self.open()
        writer = ix.writer(timeout=30)
        try:
            for key in deleted_keys:
                writer.delete_by_term("key", key)
            for document in documents:
                writer.update_document(**document.fields())
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        ix.close()

    def destroy(self) -> None:
        with self.writing():
            if self.current.is_symlink():
                self.current.unlink()
            for old in self.root.glob("gen-*"):
                shutil.rmtree(old, ignore_errors=True)
            self.drop_searchers()

    # Reading ---------------------------------------------------------------------------------
    def drop_searchers(self) -> None:
        while True:
            try:
                _, searcher = self._pool.get_nowait()
            except queue.Empty:
                return
            searcher.close()

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """A searcher of the live index, up to date, for this thread alone (Whoosh searchers
        read files through shared handles and are not safe to share between threads)."""
        target = os.readlink(self.current) if self.current.is_symlink() else ""
        searcher = None
        try:
            while searcher is None:
                pooled_target, pooled = self._pool.get_nowait()
                if pooled_target == target and pooled.up_to_date():
                    searcher = pooled
                elif pooled_target == target:
                    searcher = pooled.refresh()
                else:
                    pooled.close()
        except queue.Empty:
            pass
        except Exception:  # a file vanished under a pooled searcher: open afresh
            searcher = None
        if searcher is None:
            searcher = self.open().searcher()
        healthy = True
        try:
            yield searcher
        except BaseException:
            healthy = False
            raise
        finally:
            if healthy and self._pool.qsize() < SEARCHER_POOL_SIZE:
                self._pool.put((target, searcher))
            else:
                searcher.close()

    def doc_count(self) -> int:
        with self.searcher() as searcher:
            return searcher.doc_count()

    # Searching ---------------------------------------------------------------------------------
    def vocabulary(self, searcher: Searcher) -> Vocabulary:
        """The Thai words of the index (for substring lookups), cached per index version."""
        key = (os.readlink(self.current), searcher.reader().generation())
        with self._vocabulary_lock:
            cached = self._vocabulary
            if cached is not None and cached[0] == key:
                return cached[1]
        words = (
            term.decode("utf-8") if isinstance(term, bytes) else term
            for term in searcher.reader().lexicon("terms")
        )
        vocabulary = Vocabulary([word for word in words if analysis.is_thai(word)])
        with self._vocabulary_lock:
            self._vocabulary = (key, vocabulary)
        return vocabulary

    def search(
        self,
        text: str,
        filters: Filters | None = None,
        page: int = 1,
        per_page: int = 10,
        sort: str = "relevance",
        with_type_counts: bool = False,
        with_suggestion: bool = False,
    ) -> SearchResults:
        """The matches of the first reading of `text` that finds something (as typed, then
        looser: query.relaxed_queries); when that finds fewer than NEARBY_BELOW, the texts that
        hold its phrases nearly (query.nearby_query) follow them (hit.nearby). `with_suggestion`: when nothing matches as
        typed, results.suggestion is a spelling of the query from the index's words that does."""
        parsed = parse(text)
        page = max(1, page)
        per_page = max(1, min(per_page, 100))
        if parsed.is_empty:
            return SearchResults(0, [], page, per_page, parsed=parsed)
        filters = filters or Filters()
        with self.searcher() as searcher:
            lookup = self._lookup(searcher, parsed)
            candidates = [strict_query(parsed, lookup)]
            loose = not any(chunk.negated for chunk in parsed.chunks)
            if loose:
                candidates += relaxed_queries(parsed, lookup)
            evaluator = Evaluator(searcher, self._segments)
            others = Filters(None, filters.learning_area, filters.year, filters.tag).query()
            others_matches = evaluator.run(others) if others is not None else None
            typed = Filters(filters.types).query()
            typed_matches = evaluator.run(typed) if typed is not None else None

            def evaluate(whoosh_query: q.Query) -> tuple[Matches, Matches]:
                """The matches under the filters but the types (for the type tabs), and under
                all of them."""
                base = evaluator.run(whoosh_query)
                if others_matches is not None:
                    base = evaluator.restrict(base, others_matches)
                if typed_matches is None:
                    return base, base
                return base, evaluator.restrict(base, typed_matches)

            found_as_typed = False
            for attempt, whoosh_query in enumerate(candidates):
                base, matches = evaluate(whoosh_query)
                if attempt == 0:
                    found_as_typed = len(base) > 0
                if len(matches) or attempt == len(candidates) - 1:
                    break
            near_base, near = EMPTY, EMPTY
            few = loose and attempt <= 1 and 0 < len(matches) < NEARBY_BELOW
            nearby = nearby_query(parsed, lookup) if few else None
            if nearby is not None:
                found_base, found = evaluate(nearby)
                near_base = evaluator.exclude(found_base, base)
                near = evaluator.exclude(found, matches)
            results = self._page(searcher, evaluator, [matches, near], page, per_page, sort)
            results.relaxed = attempt > 0
            results.parsed = parsed
            if with_type_counts:
                results.type_counts = evaluator.count_by(evaluator.union(base, near_base), "type")
            if with_suggestion and not found_as_typed:
                results.suggestion = self._suggestion(searcher, evaluator, parsed, others_matches)
        return results

    def _lookup(self, searcher: Searcher, parsed: ParsedQuery):
        return budgeted(
            parsed, lambda needle, limit: self.vocabulary(searcher).containing(needle, limit)
        )

    def _suggestion(
        self,
        searcher: Searcher,
        evaluator: Evaluator,
        parsed: ParsedQuery,
        others_matches: Matches | None,
    ) -> str | None:
        """The query spelt with the index's words (spelling.py), when that finds something as
        typed under the same filters (the types aside: the tabs show the others)."""
        typed = " ".join(_as_typed(chunk) for chunk in parsed.chunks)
        reader = searcher.reader()
        suggestion = (
            self.vocabulary(searcher)
            .spelling()
            .suggest(typed, lambda word: reader.doc_frequency("terms", word))
        )
        if suggestion is None:
            return None
        corrected = parse(suggestion)
        if corrected.is_empty:
            return None
        found = evaluator.run(strict_query(corrected, self._lookup(searcher, corrected)))
        if others_matches is not None:
            found = evaluator.restrict(found, others_matches)
        return suggestion if len(found) else None

    def _page(
        self,
        searcher: Searcher,
        evaluator: Evaluator,
        tiers: list[Matches],
        page: int,
        per_page: int,
        sort: str,
    ) -> SearchResults:
        """One page of the matches, tier after tier (the exact ones, then the nearby ones),
        each in relevance or date order."""
        start = (page - 1) * per_page
        wanted = start + per_page
        picked: list[tuple[int, Matches, int]] = []  # (tier, its matches, position)
        for number, matches in enumerate(tiers):
            if len(picked) >= wanted:
                break
            if sort == "date":
                order = evaluator.date_order(matches)[: wanted - len(picked)]
            else:
                order = top(matches, wanted - len(picked))
            picked += [(number, matches, int(i)) for i in order]
        hits = []
        for number, matches, i in picked[start:]:
            hit = _hit(searcher.stored_fields(int(matches.ids[i])), float(matches.scores[i]))
            hit.nearby = number > 0
            hits.append(hit)
        total = sum(len(matches) for matches in tiers)
        return SearchResults(total, hits, page, per_page, exact=len(tiers[0]))

    def suggest(self, text: str, limit: int = 8) -> list[dict]:
        whoosh_query = title_query(text)
        if whoosh_query is None:
            return []
        strings, stems = parse(text).highlight_terms()
        with self.searcher() as searcher:
            found = searcher.search(whoosh_query, limit=limit)
            return [
                {
                    "type": hit["type"],
                    "title": hit["title"],
                    "url": hit["url"],
                    "html": str(snippets.highlight(hit["title"], strings, stems)),
                }
                for hit in found
            ]


def _as_typed(chunk: Chunk) -> str:
    """A chunk of a query written so that parse() reads it back the same."""
    text = f'"{chunk.text}"' if " " in chunk.text else chunk.text
    return f"-{text}" if chunk.negated else text


def _hit(fields: dict, score: float) -> Hit:
    return Hit(
        type=fields["type"],
        id=fields["id"],
        title=fields["title"],
        url=fields["url"],
        snippet=Markup(""),
        title_html=Markup(""),
        score=score,
        date=fields.get("date"),
        learning_areas=[a for a in fields.get("learning_area", "").split(",") if a],
        year=fields.get("year", ""),
        text=fields.get("text", ""),
    )


def add_snippets(results: SearchResults, size: int = 220) -> SearchResults:
    """Fills in each hit's highlighted snippet and title."""
    if results.parsed is None:
        return results
    strings, stems = results.parsed.highlight_terms()
    words = results.parsed.highlight_words()
    fragments = results.parsed.fragments()
    for hit in results.hits:
        hit.snippet = snippets.snippet(
            hit.text, strings, stems, size, fallback=words, fragments=fragments
        )
        hit.title_html = snippets.highlight(
            hit.title, strings, stems, fallback=words, fragments=fragments
        )
    return results
