"""Evaluating the engine's queries over Whoosh's posting lists with numpy.

The query builder (query.py) only ever produces terms combined by AND, OR (optionally "at least
n of"), AND NOT, AND MAYBE and boosts: no positions, no wildcards. Whoosh evaluates those one posting at a
time in Python, which at 100,000 documents costs ~100 ms for a word found in most of them (ครู).
Here each term's postings are read block by block into numpy arrays, combined with set
operations, and scored with BM25 in a few vector operations, so the cost is that of reading the
postings. Whoosh stays the index: its files, its writer and locks, its stored fields.

This reads Whoosh 2.7's on-disk blocks (W3 codec) directly; Whoosh is pinned in
requirements.txt and tests/test_search.py compares the results with Whoosh's own search.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np
from whoosh import query as q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

K1 = 1.2
B = 0.75
_LENGTH_OF_BYTE = np.array([byte_to_length(code) for code in range(256)], dtype=np.float64)
_NO_IDS = np.zeros(0, dtype=np.int64)
_NO_SCORES = np.zeros(0, dtype=np.float64)


class Unsupported(ValueError):
    """A query this evaluator does not handle (the caller lets Whoosh run it)."""


@dataclass
class Matches:
    ids: np.ndarray  # sorted, unique, global document numbers
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


EMPTY = Matches(_NO_IDS, _NO_SCORES)


class SegmentCache:
    """Per-segment arrays that never change for a segment (document lengths, sort columns) and
    its deleted documents; shared by the searchers of one index."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._arrays: dict[tuple, np.ndarray] = {}
        self._names: dict[tuple, list[str]] = {}

    def _get(self, key: tuple, make) -> np.ndarray:
        with self._lock:
            found = self._arrays.get(key)
        if found is None:
            found = make()
            with self._lock:
                if len(self._arrays) > 200:
                    self._arrays.clear()
                self._arrays[key] = found
        return found

    def lengths(self, reader, field: str) -> np.ndarray | None:
        def make() -> np.ndarray:
            column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
            if column is None:
                return np.zeros(0, dtype=np.float64)
            codes = np.frombuffer(bytes(column.load()), dtype=np.uint8)
            return _LENGTH_OF_BYTE[codes]

        lengths = self._get(("len", reader.segment().segment_id(), field), make)
        return lengths if len(lengths) else None

    def deleted(self, reader) -> np.ndarray | None:
        segment = reader.segment()
        if not segment.has_deletions():
            return None
        key = ("del", segment.segment_id(), segment.deleted_count())
        return self._get(
            key, lambda: np.array(sorted(reader._perdoc.deleted_docs()), dtype=np.int64)
        )

    def values(self, reader, field: str) -> tuple[np.ndarray, list[str]]:
        """For a one-value field (the content type): each document's value as a code, and the
        names of the codes (-1: none)."""

        def make() -> np.ndarray:
            codes = np.full(reader.doc_count_all(), -1, dtype=np.int32)
            names = []
            fieldobj = reader.schema[field]
            for number, term in enumerate(reader.lexicon(field)):
                matcher = reader._terms.matcher(field, term, fieldobj.format)
                ids, _ = _postings(matcher)
                codes[ids] = number
                names.append(term.decode("utf-8") if isinstance(term, bytes) else term)
            self._names[(reader.segment().segment_id(), field)] = names
            return codes

        codes = self._get(("val", reader.segment().segment_id(), field), make)
        return codes, self._names.get((reader.segment().segment_id(), field), [])

    def column(self, reader, field: str) -> np.ndarray:
        """A sortable column (dates as integers) as an array indexed by document number."""

        def make() -> np.ndarray:
            if not reader.has_column(field):
                return np.zeros(reader.doc_count_all(), dtype=np.int64)
            values = reader.column_reader(field, translate=False)
            return np.array([value or 0 for value in values], dtype=np.int64)

        return self._get(("col", reader.segment().segment_id(), field), make)


def _postings(matcher) -> tuple[np.ndarray, np.ndarray]:
    """Every (document number, weight) of a term in one segment, block by block."""
    ids_parts, weight_parts = [], []
    while not matcher._atend:
        if matcher._data is None:
            matcher._read_data()
        deltas, weights = matcher._data[0], matcher._data[1]
        count = matcher._blocklength
        ids_parts.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if weights is None:
            weight_parts.append(np.ones(count, dtype=np.float64))
        elif isinstance(weights, float):
            weight_parts.append(np.full(count, weights, dtype=np.float64))
        else:
            weight_parts.append(np.asarray(weights, dtype=np.float64))
        if matcher._lastblock:
            break
        matcher._next_block()
    if not ids_parts:
        return _NO_IDS, _NO_SCORES
    return np.concatenate(ids_parts), np.concatenate(weight_parts)


class Evaluator:
    def __init__(self, searcher: Searcher, cache: SegmentCache):
        self.searcher = searcher
        self.schema = searcher.schema
        self.cache = cache
        self.leaves = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
        self.document_count = max(1, searcher.doc_count_all())
        # Each term is read once per search: the looser queries tried after the strict one
        # repeat its terms (up to VOCABULARY_BUDGET of them, see query.py).
        self._terms: dict[tuple[str, str, float], Matches] = {}

    def run(self, query: q.Query) -> Matches:
        if isinstance(query, q.Term):
            key = (query.fieldname, query.text, query.boost)
            if key not in self._terms:
                self._terms[key] = self._term(query)
            return self._terms[key]
        if isinstance(query, q.AndNot):
            return self._and_not(query)
        if isinstance(query, q.AndMaybe):  # the documents of a; b only adds to their scores
            return self._boost(self.add_scores(self.run(query.a), self.run(query.b)), query.boost)
        if isinstance(query, q.And):
            return self._boost(self._and(query.subqueries), query.boost)
        if isinstance(query, q.Or):
            return self._boost(self._or(query.subqueries, query.minmatch), query.boost)
        if isinstance(query, q.NullQuery.__class__):
            return EMPTY
        raise Unsupported(type(query).__name__)

    @staticmethod
    def _boost(matches: Matches, boost: float) -> Matches:
        return matches if boost == 1.0 else Matches(matches.ids, matches.scores * boost)

    def _term(self, query: q.Term) -> Matches:
        field = self.schema[query.fieldname]
        text = field.to_bytes(query.text)
        ids_parts, weight_parts, length_parts = [], [], []
        for reader, offset in self.leaves:
            if (query.fieldname, text) not in reader._terms:
                continue
            ids, weights = _postings(reader._terms.matcher(query.fieldname, text, field.format))
            deleted = self.cache.deleted(reader)
            if deleted is not None:
                keep = ~np.isin(ids, deleted, assume_unique=True)
                ids, weights = ids[keep], weights[keep]
            lengths = self.cache.lengths(reader, query.fieldname) if field.scorable else None
            length_parts.append(lengths[ids] if lengths is not None else np.ones(len(ids)))
            ids_parts.append(ids + offset)
            weight_parts.append(weights)
        if not ids_parts:
            return EMPTY
        ids = np.concatenate(ids_parts)
        if not field.scorable:
            return Matches(ids, np.zeros(len(ids), dtype=np.float64))
        weights = np.concatenate(weight_parts)
        lengths = np.concatenate(length_parts)
        frequency = len(ids)
        idf = math.log(1 + (self.document_count - frequency + 0.5) / (frequency + 0.5))
        average = self.searcher.avg_field_length(query.fieldname) or 1.0
        scores = (
            query.boost
            * idf
            * weights
            * (K1 + 1)
            / (weights + K1 * (1 - B + B * lengths / average))
        )
        return Matches(ids, scores)

    def _and(self, subqueries: list[q.Query]) -> Matches:
        result: Matches | None = None
        for subquery in subqueries:
            matches = self.run(subquery)
            if result is None:
                result = matches
            else:
                common, left, right = np.intersect1d(
                    result.ids, matches.ids, assume_unique=True, return_indices=True
                )
                result = Matches(common, result.scores[left] + matches.scores[right])
            if not len(result):
                return EMPTY
        return result or EMPTY

    def _or(self, subqueries: list[q.Query], minmatch: int = 0) -> Matches:
        return self._or_parts([self.run(subquery) for subquery in subqueries], minmatch)

    @staticmethod
    def _or_parts(parts: list[Matches], minmatch: int = 0) -> Matches:
        parts = [part for part in parts if len(part)]
        if not parts:
            return EMPTY
        if len(parts) == 1 and minmatch <= 1:
            return parts[0]
        ids = np.concatenate([part.ids for part in parts])
        scores = np.concatenate([part.scores for part in parts])
        unique, inverse = np.unique(ids, return_inverse=True)
        totals = np.bincount(inverse, weights=scores, minlength=len(unique))
        if minmatch > 1:
            keep = np.bincount(inverse, minlength=len(unique)) >= minmatch
            unique, totals = unique[keep], totals[keep]
        return Matches(unique, totals)

    def _and_not(self, query: q.AndNot) -> Matches:
        positive = self.run(query.a)
        negative = self.run(query.b)
        if not len(positive) or not len(negative):
            return positive
        keep = ~np.isin(positive.ids, negative.ids, assume_unique=True)
        return Matches(positive.ids[keep], positive.scores[keep])

    @staticmethod
    def exclude(matches: Matches, taken: Matches) -> Matches:
        """`matches` without the documents of `taken`."""
        if not len(matches) or not len(taken):
            return matches
        keep = ~np.isin(matches.ids, taken.ids, assume_unique=True)
        return Matches(matches.ids[keep], matches.scores[keep])

    def union(self, first: Matches, second: Matches) -> Matches:
        """The documents of either (scores added)."""
        if not len(second):
            return first
        return self._or_parts([first, second])

    @staticmethod
    def add_scores(matches: Matches, extra: Matches) -> Matches:
        """`matches` with the scores of the same documents in `extra` added."""
        if not len(matches) or not len(extra):
            return matches
        _, left, right = np.intersect1d(
            matches.ids, extra.ids, assume_unique=True, return_indices=True
        )
        scores = matches.scores.copy()
        scores[left] += extra.scores[right]
        return Matches(matches.ids, scores)

    def restrict(self, matches: Matches, allowed: Matches) -> Matches:
        common, left, _ = np.intersect1d(
            matches.ids, allowed.ids, assume_unique=True, return_indices=True
        )
        return Matches(common, matches.scores[left])

    def count_by(self, matches: Matches, field: str) -> dict[str, int]:
        """How many of `matches` have each value of a one-value field."""
        counts: dict[str, int] = {}
        bounds = [offset for _, offset in self.leaves] + [self.searcher.doc_count_all()]
        for (reader, offset), end in zip(self.leaves, bounds[1:], strict=False):
            start_index, end_index = np.searchsorted(matches.ids, [offset, end])
            local = matches.ids[start_index:end_index] - offset
            if not len(local):
                continue
            codes, names = self.cache.values(reader, field)
            found = codes[local]
            tally = np.bincount(found[found >= 0], minlength=len(names))
            for name, count in zip(names, tally.tolist(), strict=False):
                if count:
                    counts[name] = counts.get(name, 0) + count
        return counts

    def date_order(self, matches: Matches, field: str = "date") -> np.ndarray:
        """Positions of `matches` from the newest to the oldest."""
        columns, offsets = [], []
        for reader, offset in self.leaves:
            columns.append(self.cache.column(reader, field))
            offsets.append(offset)
        values = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
        dates = values[matches.ids] if len(values) else np.zeros(len(matches), dtype=np.int64)
        return np.lexsort((-matches.ids, -dates))


def top(matches: Matches, count: int) -> np.ndarray:
    """Positions of the `count` best scores, best first (newer documents first on ties)."""
    if not len(matches):
        return np.zeros(0, dtype=np.int64)
    if count < len(matches):
        candidates = np.argpartition(-matches.scores, count - 1)[:count]
        # every document scoring as high as the last one kept competes on the tie-break
        threshold = matches.scores[candidates].min()
        candidates = np.flatnonzero(matches.scores >= threshold)
    else:
        candidates = np.arange(len(matches))
    order = np.lexsort((-matches.ids[candidates], -matches.scores[candidates]))
    return candidates[order][:count]
