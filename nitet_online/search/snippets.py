"""Highlighted snippets: the part of a text with the most query terms, HTML-escaped, the
matches wrapped in <mark>. Matches are found in the stored plain text itself (Thai strings as
substrings, Latin words by their stem), so whatever field matched, the reader sees where."""

from __future__ import annotations

import re

from markupsafe import Markup, escape
from pythainlp.tokenize.newmm import segment

from nitet_online.search import analysis

LATIN_WORD = re.compile(r"[^\W_\u0e00-\u0e7f]+")
COMBINING = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def find_matches(text: str, strings: list[str], stems: set[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of the query terms in text, longest first."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for needle in strings:
        needle = needle.lower()
        start = lowered.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = lowered.find(needle, start + len(needle))
    if stems:
        for match in LATIN_WORD.finditer(text):
            if analysis.words_of_run(match.group())[0] in stems:
                spans.append(match.span())
    spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            continue
        merged.append((start, end))
    return merged


def mark(text: str, spans: list[tuple[int, int]], offset: int = 0) -> Markup:
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


def _best_window(spans: list[tuple[int, int]], length: int, size: int, text: str) -> int:
    """Start of the window of `size` characters covering the most distinct matched strings."""
    if not spans:
        return 0
    best_start, best_score = spans[0][0], -1
    for index, (start, _end) in enumerate(spans):
        covered = {text[s:e].lower() for s, e in spans[index:] if e <= start + size}
        score = len(covered) * 10 + sum(1 for s, e in spans[index:] if e <= start + size)
        if score > best_score:
            best_start, best_score = start, score
    # some context before the first match
    return max(0, min(best_start - size // 4, length - size))


def _snap(text: str, position: int, forward: bool) -> int:
    """Moves a cut to a nearby space, else to a boundary between Thai words (never inside a word
    or between a letter and its marks)."""
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
    while 0 < position < len(text) and COMBINING.match(text[position]):
        position += 1 if forward else -1
    return position


def snippet(
    text: str, strings: list[str], stems: set[str], size: int = 220, fallback: list[str] = ()
) -> Markup:
    """The best window of `text` with the query marked; when no typed chunk occurs as such, its
    words (`fallback`) are marked instead."""
    text = " ".join((text or "").split())
    if not text:
        return Markup("")
    spans = find_matches(text, strings, stems) or find_matches(text, list(fallback), set())
    if len(text) <= size:
        return mark(text, spans)
    start = _best_window(spans, len(text), size, text)
    if start > 0:
        start = _snap(text, start, forward=True)
    end = min(len(text), start + size)
    if end < len(text):
        end = _snap(text, end, forward=False)
    fragment = text[start:end]
    inside = [(s, e) for s, e in spans if s >= start and e <= end]
    html = mark(fragment, inside, offset=start)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return Markup(prefix) + html + Markup(suffix)


def highlight(text: str, strings: list[str], stems: set[str], fallback: list[str] = ()) -> Markup:
    """The whole (short) text with its matches marked, e.g. a title."""
    spans = find_matches(text or "", strings, stems) or find_matches(
        text or "", list(fallback), set()
    )
    return mark(text or "", spans)
