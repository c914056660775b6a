"""From what a person typed to a Whoosh query, and the strings to highlight.

- Text inside double quotes is one phrase; otherwise each space-separated chunk is a phrase
  (Thai is typed without spaces, so การจัดการเรียนรู้เชิงรุก means those words in that order).
  Every chunk must match (AND); a chunk starting with ``-`` must not.
- A one-word chunk is one lookup in ``terms`` (the word, or the word inside longer words); a
  word that is not indexed inside other words (not in the dictionary, or short and rare) also
  matches every vocabulary entry that contains it letter for letter.
- A longer chunk is its adjacent word pairs, for each way the dictionary splits it (the text may
  have been split differently: การ|จัด|การเรียนรู้ against จัดการ|เรียนรู้).
- When the strict query finds nothing, ``relaxed_queries`` ask for every word anywhere, then most.
  When it finds only a few, the texts that hold its phrases nearly (``nearby_query``: up to one
  word in three inside a phrase left out) follow them.
  In looser readings fragments (นิ, เท, ส: what is left of a misspelt word once it is segmented,
  see spelling.is_fragment) weigh little: they mostly match inside other words.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh import query as q

from nitet_online.search import analysis
from nitet_online.search.spelling import is_fragment

MAX_CHUNKS = 12
MAX_QUERY_LENGTH = 200
# What is read of the typed text before it is normalised (normalising can only shorten it a
# little: zero-width characters, doubled marks), so a megabyte in ?q= costs nothing.
MAX_QUERY_INPUT = 4 * MAX_QUERY_LENGTH
# Vocabulary entries one query may add as terms, all its lookups together: one letter typed
# alone is found in a thousand words, twelve of them would make 12,000 terms to read.
VOCABULARY_BUDGET = 1000
MAX_SPLITS = 6
VOCABULARY_BOOST = 0.3
_QUOTED = re.compile(r'(-?)"([^"]*)"|(\S+)')

# text → vocabulary entries containing it (given by the engine, which knows the index)
VocabularyLookup = Callable[[str], list[str]]


@dataclass
class Chunk:
    text: str  # normalised, as typed
    words: list[str]
    negated: bool = False
    _splits: list[list[str]] | None = field(default=None, repr=False, compare=False)

    def splits(self) -> list[list[str]]:
        """The words of the chunk, and other dictionary splits of its Thai runs."""
        if self._splits is None:
            self._splits = self._find_splits()
        return self._splits

    def _find_splits(self) -> list[list[str]]:
        options_per_run = []
        for run in analysis.runs(self.text):
            if analysis.is_thai(run):
                options_per_run.append([list(s) for s in analysis.segmentations(run)])
            else:
                options_per_run.append([list(analysis.words_of_run(run))])
        splits = [self.words]
        for combination in itertools.product(*options_per_run):
            flat = [word for part in combination for word in part]
            if flat not in splits:
                splits.append(flat)
            if len(splits) >= MAX_SPLITS:
                break
        return splits


@dataclass
class ParsedQuery:
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def positive(self) -> list[Chunk]:
        return [chunk for chunk in self.chunks if not chunk.negated]

    @property
    def is_empty(self) -> bool:
        return not self.positive

    def highlight_terms(self) -> tuple[list[str], set[str]]:
        """Thai/number strings to mark as substrings, and stems of Latin words to mark."""
        strings: list[str] = []
        stems: set[str] = set()
        for chunk in self.positive:
            for run in analysis.runs(chunk.text):
                if analysis.is_thai(run) or run.isdigit():
                    strings.append(run)
                else:
                    stems.add(analysis.words_of_run(run)[0])
        unique = sorted({s for s in strings if s}, key=len, reverse=True)
        return unique, stems

    def highlight_words(self) -> list[str]:
        """The Thai words of the query, to mark when a text does not hold a chunk as typed (it
        matched through its words, or a looser reading)."""
        words = {
            word
            for chunk in self.positive
            for word in chunk.words
            if analysis.is_thai(word) and len(word) > 1 and not analysis.is_stopword(word)
        }
        return sorted(words, key=len, reverse=True)

    def fragments(self) -> set[str]:
        """Words of one read consonant that segmenting a longer chunk left (นิ, เท, ส of การนิเทส,
        see spelling.is_fragment); a chunk typed alone is never one."""
        typed_alone = {chunk.words[0] for chunk in self.positive if len(chunk.words) == 1}
        return {
            word
            for chunk in self.positive
            if len(chunk.words) > 1
            for word in chunk.words
            if word not in typed_alone and is_fragment(word)
        }


def parse(text: str) -> ParsedQuery:
    text = analysis.normalize((text or "")[:MAX_QUERY_INPUT])[:MAX_QUERY_LENGTH]
    parsed = ParsedQuery()
    for match in _QUOTED.finditer(text):
        negated = bool(match.group(1))
        raw = match.group(2) if match.group(2) is not None else match.group(3)
        if match.group(3) and raw.startswith("-") and len(raw) > 1:
            negated, raw = True, raw[1:]
        words = analysis.words(raw)
        if not words:
            continue
        parsed.chunks.append(Chunk(raw.strip(), words, negated))
        if len(parsed.chunks) >= MAX_CHUNKS:
            break
    return parsed


def vocabulary_needles(parsed: ParsedQuery) -> list[str]:
    """The strings strict_query and relaxed_queries look up in the vocabulary, each once."""
    asked: list[str] = []

    def record(needle: str) -> list[str]:
        asked.append(needle)
        return []

    strict_query(parsed, record)
    relaxed_queries(parsed, record)  # nearby_query looks up the same needles
    return list(dict.fromkeys(asked))


def budgeted(parsed: ParsedQuery, lookup: Callable[[str, int], list[str]]) -> VocabularyLookup:
    """`lookup(needle, limit)` made into the VocabularyLookup of one query: each needle is looked
    up once, and the query's needles share VOCABULARY_BUDGET entries evenly."""
    needles = vocabulary_needles(parsed)
    share = VOCABULARY_BUDGET // max(1, len(needles))
    found: dict[str, list[str]] = {}

    def vocabulary(needle: str) -> list[str]:
        if needle not in found:
            found[needle] = lookup(needle, share) if share else []
        return found[needle]

    return vocabulary


def word_query(
    word: str, vocabulary: VocabularyLookup | None, field_name: str = "terms"
) -> q.Query:
    """Documents with the word, or with it inside a longer word."""
    term = q.Term(field_name, word)
    if vocabulary is None or not analysis.needs_vocabulary_search(word):
        return term
    matches = [t for t in vocabulary(word) if t != word]
    if not matches:
        return term
    return q.Or([term] + [q.Term(field_name, t, boost=VOCABULARY_BOOST) for t in matches])


APPROXIMATE_BOOST = 0.5


def _pairs_query(words: list[str]) -> q.Query:
    """Two words: their pair, which is exact. More: every adjacent pair, which all but proves
    the phrase; it weighs less, so that exact matches rank first."""
    pairs = [q.Term("pairs", analysis.pair(a, b)) for a, b in itertools.pairwise(words)]
    return pairs[0] if len(pairs) == 1 else q.And(pairs, boost=APPROXIMATE_BOOST)


def chunk_query(chunk: Chunk, vocabulary: VocabularyLookup | None) -> q.Query:
    options: list[q.Query] = []
    for words in chunk.splits():
        if len(words) == 1:
            options.append(word_query(words[0], vocabulary))
        else:
            options.append(_pairs_query(words))
    if vocabulary is not None and len(chunk.words) > 1 and analysis.is_thai(chunk.text):
        # the phrase may sit inside one long word of a text (สะกดคำ in แจกลูกสะกดคำ)
        options += [
            q.Term("terms", word, boost=VOCABULARY_BOOST)
            for word in vocabulary(chunk.text)
            if word != chunk.text
        ]
    return options[0] if len(options) == 1 else q.Or(options)


def strict_query(parsed: ParsedQuery, vocabulary: VocabularyLookup | None = None) -> q.Query:
    required = [chunk_query(chunk, vocabulary) for chunk in parsed.positive]
    query: q.Query = required[0] if len(required) == 1 else q.And(required)
    excluded = [chunk_query(chunk, vocabulary) for chunk in parsed.chunks if chunk.negated]
    if excluded:
        query = q.AndNot(query, q.Or(excluded))
    return query


NEARBY_SHARE = 2 / 3  # of a phrase's words a nearby text holds, in order
MAX_NEARBY_PHRASES = 48
MAX_NEARBY_WORDS = 9  # a longer chunk is a sentence: the looser readings serve it
MAX_NEARBY_TRIED = 400  # ways of leaving words out looked at, all splits together


def _meaningful(word: str) -> bool:
    return not analysis.is_stopword(word) and not is_fragment(word)


def near_phrases(chunk: Chunk) -> list[tuple[str, ...]]:
    """A phrase of three words or more with words inside it left out (the first and the last
    stay), so that at least NEARBY_SHARE of its words remain in order, two of them and those
    inside neither stop words nor fragments: ชุมชน|แห่ง|การเรียนรู้ gives ชุมชน การเรียนรู้,
    which ชุมชนการเรียนรู้ทางวิชาชีพ holds. For each way of splitting the chunk (the text may
    split ชุมชนการเรียนรู้ as ชุมชน|การเรียน|รู้)."""
    if not 3 <= len(chunk.words) <= MAX_NEARBY_WORDS:
        return []
    found: list[tuple[str, ...]] = []
    tried = 0
    for words in chunk.splits():
        size = len(words)
        if size > MAX_NEARBY_WORDS:
            continue
        keep = math.ceil(size * NEARBY_SHARE - 1e-9)
        for dropped in range(1, size - max(keep, 2) + 1):
            for left_out in itertools.combinations(range(1, size - 1), dropped):
                tried += 1
                if tried > MAX_NEARBY_TRIED:
                    return found
                phrase = tuple(w for i, w in enumerate(words) if i not in left_out)
                meaningful = [_meaningful(w) for w in phrase]
                # its pairs are looked up, not positions: a stop word inside (แผน|การ|เรียนรู้)
                # would join pairs found in different places (แผนการ..., การเรียนรู้...)
                if sum(meaningful) >= 2 and all(meaningful[1:-1]) and phrase not in found:
                    found.append(phrase)
                if len(found) >= MAX_NEARBY_PHRASES:
                    return found
    return found


def nearby_query(parsed: ParsedQuery, vocabulary: VocabularyLookup | None = None) -> q.Query | None:
    """Texts that hold a typed phrase nearly: with up to one word in three inside it left out
    (near_phrases), the other chunks as typed. engine.IndexStore.search shows them below a
    query's few exact matches (ชุมชนแห่งการเรียนรู้ also finds ชุมชนการเรียนรู้ทางวิชาชีพ).
    None when no chunk has three words."""
    options: list[q.Query] = []
    for index, chunk in enumerate(parsed.positive):
        phrases = near_phrases(chunk)
        if not phrases:
            continue
        near = q.Or([_pairs_query(list(phrase)) for phrase in phrases])
        others = [
            chunk_query(other, vocabulary)
            for number, other in enumerate(parsed.positive)
            if number != index
        ]
        options.append(q.And([*others, near]) if others else near)
    if not options:
        return None
    return options[0] if len(options) == 1 else q.Or(options)


def _words_and_fragments(parsed: ParsedQuery) -> tuple[list[str], list[str]]:
    """The query's words that looser readings look for (no stop words unless there is nothing
    else), and those of them that are fragments."""
    words = [word for chunk in parsed.positive for word in chunk.words]
    words = [w for w in dict.fromkeys(words) if len(w) > 1 or not analysis.is_thai(w)]
    words = [w for w in words if not analysis.is_stopword(w)] or words
    fragments = parsed.fragments()
    return words, [w for w in words if w in fragments]


FRAGMENT_BOOST = 0.3


def relaxed_queries(
    parsed: ParsedQuery, vocabulary: VocabularyLookup | None = None
) -> list[q.Query]:
    """Looser readings, tried in order when the strict query finds nothing: every word of every
    chunk anywhere in the text; the words that are not fragments, the fragments adding to the
    score only; then most of the words (a sentence typed whole still finds the texts that share
    most of its words, not everything with ไม่ or มี). Fragments (นิ, เท of a misspelt word)
    weigh FRAGMENT_BOOST: a text ranks by the query's real words first. การประเมินนิเทส finds
    the texts with การประเมิน before those with only นิ and เท inside other words."""
    words, fragments = _words_and_fragments(parsed)
    if len(words) < 2:
        return []

    def weighed(word: str) -> q.Query:
        found = word_query(word, vocabulary)
        return q.Or([found], boost=FRAGMENT_BOOST) if word in fragments else found

    per_word = [weighed(word) for word in words]
    readings: list[q.Query] = [q.And(per_word)]
    real = [word_query(word, vocabulary) for word in words if word not in fragments]
    if fragments and real:
        required = real[0] if len(real) == 1 else q.And(real)
        readings.append(q.AndMaybe(required, q.Or([weighed(word) for word in fragments])))
    most = max(1, math.ceil(len(words) * 0.6)) if len(words) >= 3 else 1
    readings.append(q.Or(per_word, minmatch=most))
    return readings


def title_query(text: str) -> q.Query | None:
    """For suggestions while typing: titles with every word typed so far. The last run of
    letters may be unfinished (ผู้บริ…), so it also matches as the start of a title word."""
    parsed = parse(text)
    if parsed.is_empty:
        return None
    runs = [run for chunk in parsed.positive for run in analysis.runs(chunk.text)]
    if not runs:
        return None
    # each word once: กา typed fifty times is one term, not an AND of fifty
    words = dict.fromkeys(word for run in runs[:-1] for word in analysis.words_of_run(run))
    parts: list[q.Query] = [q.Term("title_terms", word) for word in words]
    last = runs[-1]
    last_words = list(dict.fromkeys(analysis.words_of_run(last)))
    as_typed = last if analysis.is_thai(last) else last_words[0]
    whole = [q.Term("title_terms", word) for word in last_words]
    parts.append(
        q.Or([q.Prefix("title_terms", as_typed), whole[0] if len(whole) == 1 else q.And(whole)])
    )
    return parts[0] if len(parts) == 1 else q.And(parts)
