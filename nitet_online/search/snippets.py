"""Highlighted snippets: the part of a text with the most query terms, HTML-escaped, the
matches wrapped in <mark>. Matches are found in the stored plain text itself (Thai strings as
substrings, Latin words by their stem), so whatever field matched, the reader sees where.

Anyone can write the text, so the work is bounded whatever it holds ('กา' * 10000 matches every
other character; issue 12): matches are looked for from the start of the text until MAX_MATCHES
are found (one regular expression, in C), and Latin words are stemmed only when they could have a
query word's stem, at most MAX_STEMMED of them. Where the search stopped, the text examined ends:
the window is chosen in it with one pass over the matches (a sliding window), and inside it every
match is marked.

When the text does not hold what was typed, the query's words are marked instead, only where the
segmented text has them as words or solid parts of words (สมา of a misspelt สมาทิ is not marked
in สมาธิ), and a fragment (นิ, เท of a misspelt การนิเทส, see spelling.is_fragment) only as a
whole word, never inside a longer one (ศึกษานิเทศก์)."""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from functools import lru_cache

from markupsafe import Markup, escape
from pythainlp.tokenize.newmm import segment

from nitet_online.search import analysis

LATIN_WORD = re.compile(r"[^\W_\u0e00-\u0e7f]+")
COMBINING = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
MAX_MATCHES = 500  # matches looked at for one text; a window of 220 characters shows fewer
MAX_NEEDLES = 24  # query strings looked for (the longest)
MAX_STEMMED = 1000  # Latin words stemmed for one text
# Porter stemming takes at most 20 letters off a word (ization+al+ness...): a longer word than
# that beyond the longest stem cannot be one of the query's words.
STEM_SLACK = 24
_LATIN_LETTER = r"[^\W_\u0e00-\u0e7f]"

Span = tuple[int, int]


@lru_cache(maxsize=256)
def _needle_pattern(needles: tuple[str, ...]) -> re.Pattern:
    """Every position where a needle starts (overlapping ones too), the longest needle first."""
    alternatives = "|".join(re.escape(needle) for needle in needles)
    return re.compile(f"(?=({alternatives}))", re.IGNORECASE)


@lru_cache(maxsize=256)
def _candidate_pattern(first_letters: str) -> re.Pattern:
    """Latin words starting with one of these letters (stemming never changes a first letter)."""
    return re.compile(
        f"(?<!{_LATIN_LETTER})[{re.escape(first_letters)}]{_LATIN_LETTER}*", re.IGNORECASE
    )


@lru_cache(maxsize=20_000)
def _short_stem(word: str) -> str:
    return analysis.words_of_run(word)[0]


def _stem_of(word: str) -> str:
    return _short_stem(word) if len(word) <= 40 else analysis.words_of_run(word)[0]


def scan(text: str, strings: list[str], stems: set[str]) -> tuple[list[Span], int]:
    """The query's matches in text[:examined], sorted and merged, and `examined`: every match
    that starts before it is in the list. Bounded work: the search stops after MAX_MATCHES
    matches of the strings and MAX_STEMMED Latin words that could match a stem."""
    examined = len(text)
    spans: list[Span] = []
    needles = tuple(sorted({s for s in strings if s}, key=len, reverse=True)[:MAX_NEEDLES])
    if needles:
        found = _needle_pattern(needles).finditer(text)
        last_end: dict[str, int] = {}  # each string's matches do not overlap (as str.find's)
        for count, match in enumerate(itertools.islice(found, MAX_MATCHES + 1)):
            if count == MAX_MATCHES:
                examined = match.start()
                break
            needle, start = match.group(1).lower(), match.start()
            if start >= last_end.get(needle, 0):
                last_end[needle] = start + len(needle)
                spans.append((start, start + len(needle)))
    stems = {stem for stem in stems if stem}
    if stems:
        longest = max(len(stem) for stem in stems) + STEM_SLACK
        letters = "".join(sorted({stem[0] for stem in stems}))
        words = _candidate_pattern(letters).finditer(text)
        for count, match in enumerate(itertools.islice(words, MAX_STEMMED + 1)):
            if match.start() >= examined:
                break
            if count == MAX_STEMMED:
                examined = match.start()
                break
            word = match.group()
            if len(word) <= longest and _stem_of(word) in stems:
                spans.append(match.span())
    return _merge(span for span in spans if span[0] < examined), examined


def _merge(spans) -> list[Span]:
    """Sorted, overlapping spans joined (the longest first where two start together)."""
    merged: list[Span] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            continue
        merged.append((start, end))
    return merged


def find_matches(text: str, strings: list[str], stems: set[str]) -> list[Span]:
    """Non-overlapping (start, end) spans of the query terms in text, longest first (the first
    MAX_MATCHES or so: see scan())."""
    return scan(text, strings, stems)[0]


def mark(text: str, spans: list[Span], offset: int = 0) -> Markup:
    parts: list[str] = []
    position = 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if end <= 0 or start >= len(text):
            continue
        start, end = max(start, 0), min(end, len(text))
        parts.append(str(escape(text[position:start])))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(str(escape(text[position:])))
    return Markup("".join(parts))


def _best_window(spans: list[Span], length: int, size: int, text: str) -> int:
    """Start of the window of `size` characters covering the most distinct matched strings (then
    the most matches), found in one pass: the spans are sorted and do not overlap, so the window
    starting at a span covers a run of spans whose end only moves forward."""
    if not spans:
        return 0
    best_start, best_score = spans[0][0], -1
    strings = [text[s:e].lower() for s, e in spans]
    covered: Counter[str] = Counter()
    end_index = 0
    for index, (start, _end) in enumerate(spans):
        end_index = max(end_index, index)
        while end_index < len(spans) and spans[end_index][1] <= start + size:
            covered[strings[end_index]] += 1
            end_index += 1
        score = len(covered) * 10 + (end_index - index)
        if score > best_score:
            best_start, best_score = start, score
        if end_index > index:  # the span leaves the window before the next one starts it
            covered[strings[index]] -= 1
            if not covered[strings[index]]:
                del covered[strings[index]]
    # some context before the first match
    return max(0, min(best_start - size // 4, length - size))


def _snap(text: str, position: int, forward: bool) -> int:
    """Moves a cut to a nearby space, else to a boundary between Thai words (never inside a word
    or between a letter and its marks, unless no boundary is within reach)."""
    window = 20
    if forward:
        space = text.find(" ", position, position + window)
        if space != -1:
            return space + 1
    else:
        space = text.rfind(" ", max(0, position - window), position)
        if space != -1:
            return space
    start = max(0, position - window)
    boundary = previous = start
    for word in segment(text[start : position + window], analysis.dictionary()):
        if boundary >= position:
            return boundary if forward else previous
        previous = boundary
        boundary += len(word)
    moved = position
    while 0 < moved < len(text) and abs(moved - position) < window and COMBINING.match(text[moved]):
        moved += 1 if forward else -1
    return moved if not (0 < moved < len(text) and COMBINING.match(text[moved])) else position


MAX_SEGMENTED = 1000  # characters of a title segmented to find whole words


def word_boundaries(run: str) -> tuple[set[int], set[int]]:
    """Where the words of a Thai run start and end (as the index reads it: analysis.words_of_run,
    cached), and those places together with the places between the solid parts of each word
    (ผู้บริหาร|สถานศึกษา, ผู้|บริหาร: analysis.solid_splits)."""
    words, parts, position = {0}, set(), 0
    for word in analysis.words_of_run(run):
        _part_boundaries(word, position, parts, depth=3)
        position += len(word)
        words.add(position)
    return words, words | parts


def _part_boundaries(word: str, offset: int, found: set[int], depth: int) -> None:
    for split in analysis.solid_splits(word):
        position = offset
        for part in split:
            if depth > 1:
                _part_boundaries(part, position, found, depth - 1)
            position += len(part)
            found.add(position)


def _word_spans(text: str, words: list[str], fragments) -> list[Span]:
    """The query's words in a short text where they are words of it: starting and ending
    between the words of its Thai run or the solid parts of a word (การเรียนรู้ in
    การจัดการเรียนรู้, not สมา in สมาธิ); fragments (นิ, เท) only as whole words (not in
    ศึกษานิเทศก์). Only the runs that hold a match are segmented."""
    found = scan(text, words, set())[0] if words else []
    if not found:
        return []
    runs = [(match.start(), match.group()) for match in analysis.THAI_RUN.finditer(text)]
    starts = [start for start, _ in runs]
    boundaries: dict[int, tuple[set[int], set[int]]] = {}
    kept = []
    for start, end in found:
        index = bisect.bisect_right(starts, start) - 1
        if index < 0 or end > starts[index] + len(runs[index][1]):
            continue  # not inside one Thai run
        if index not in boundaries:
            boundaries[index] = word_boundaries(runs[index][1])
        whole, parts = boundaries[index]
        allowed = whole if text[start:end] in fragments else parts
        offset = starts[index]
        if start - offset in allowed and end - offset in allowed:
            kept.append((start, end))
    return kept


def snippet(
    text: str,
    strings: list[str],
    stems: set[str],
    size: int = 220,
    fallback: list[str] = (),
    fragments: set[str] | frozenset[str] = frozenset(),
) -> Markup:
    """The best window of `text` with the query marked; when no typed chunk occurs as such, its
    words (`fallback`) are marked instead, where they are words of the segmented window (see
    _word_spans; `fragments` only as whole words)."""
    text = " ".join((text or "").split())
    if not text:
        return Markup("")
    spans, examined = scan(text, strings, stems)
    words: list[str] = []
    if not spans and fallback:
        words = list(fallback)
        spans, examined = scan(text, words, set())
    if len(text) <= size:
        return mark(text, _word_spans(text, words, fragments) if words else spans)
    # The window lies in the examined part (at least MAX_MATCHES characters), where every match
    # is known.
    limit = max(examined, min(len(text), size))
    start = _best_window(spans, limit, size, text)
    if start > 0:
        start = _snap(text, start, forward=True)
    end = min(limit, start + size)
    if end < len(text):
        end = _snap(text, end, forward=False)
    if end <= start:  # no place to cut near the end (a letter with endless marks)
        end = min(len(text), start + size)
    fragment = text[start:end]
    if words:
        inside = [(s + start, e + start) for s, e in _word_spans(fragment, words, fragments)]
    else:
        inside = [(s, e) for s, e in spans if s >= start and e <= end]
    html = mark(fragment, inside, offset=start)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return Markup(prefix) + html + Markup(suffix)


def highlight(
    text: str,
    strings: list[str],
    stems: set[str],
    fallback: list[str] = (),
    fragments: set[str] | frozenset[str] = frozenset(),
) -> Markup:
    """The whole (short) text with its matches marked, e.g. a title (fallback and fragments as
    for snippet(), looked for in the first MAX_SEGMENTED characters)."""
    text = text or ""
    spans = find_matches(text, strings, stems)
    if not spans and fallback:
        spans = _word_spans(text[:MAX_SEGMENTED], list(fallback), fragments)
    return mark(text, spans)
