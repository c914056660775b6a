"""Thai-aware text analysis for the search index.

Thai is written without spaces, so a default tokenizer sees a whole sentence as one word. Here a
text becomes index terms in three layers, and a query is analysed the same way:

- words: dictionary segmentation with PyThaiNLP's ``newmm`` (maximal matching on Thai character
  clusters) for Thai runs; Latin words lower-cased and Porter-stemmed; numbers as they are.
- parts: every dictionary word inside a word, at the word's position, so that nothing inside a
  compound can be missed: ผู้บริหาร inside ผู้บริหารสถานศึกษา, พัฒนา inside การพัฒนา, ครู inside
  ครูผู้สอน. Parts weigh less than the word itself: "solid" parts (the compound splits into
  common words, see subwords()) weigh PART_WEIGHT, coincidental ones (ตา inside ตาราง or ตาม)
  weigh TRACE_WEIGHT, so real matches rank first.
- pairs: two adjacent words (or a word and a part at the edge of its neighbour) as one term, so a
  phrase is a few term lookups instead of a position check over every document.

The "cannot miss" fallback for strings that are not dictionary words (a half-typed word, a name)
is a lookup of the index's own vocabulary: every indexed word containing the string letter for
letter (see engine.IndexStore.vocabulary_matches). Together: any dictionary word anywhere in a
text is found, and any string inside a word is found.

PyThaiNLP is used offline: the word list and the frequency list ship inside the package, and
PYTHAINLP_OFFLINE / PYTHAINLP_READ_ONLY are set before it is imported so that it never downloads
or writes anything.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

import itertools

from pythainlp.corpus import thai_words
from pythainlp.corpus.tnc import word_freqs
from pythainlp.tokenize.newmm import segment
from pythainlp.util import Trie
from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter import stem

# Thai letters, vowels and marks; ฯ (0E2F) and ๆ (0E46) are punctuation here, digits are digits.
_THAI = "\u0e01-\u0e2e\u0e30-\u0e45\u0e47-\u0e4e"
RUN = re.compile(rf"[{_THAI}]+|[^\W_\u0e00-\u0e7f]+")
THAI_RUN = re.compile(rf"[{_THAI}]+")
IS_THAI = re.compile(rf"^[{_THAI}]+$")
ASCII_WORD = re.compile(r"^[a-z]+$")
# A cell: one spacing character and the combining vowels and tone marks written above/below it.
CELL = re.compile(r".[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*", re.S)
COMBINING_MARK = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_THAI_DIGITS = {ord("๐") + n: str(n) for n in range(10)}
_DUPLICATE_MARKS = re.compile(r"([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\1+")

# Thai fonts made for systems without OpenType shaping keep their shifted and shortened glyphs at
# private-use code points, and a PDF writer that names a glyph by the font's own character map
# (Chromium with the TLWG fonts, old Word and PDF printers with Tahoma or TH Sarabun PSK) writes
# these code points into the text: "ไข\uf70aมุก". Each stands for one ordinary character.
# Sources: HarfBuzz's Thai shaper (src/hb-ot-shaper-thai.cc, its SD/SDL/SL/RD tables give the
# Windows code and the Mac code of each variant), checked against the glyph names in the
# character maps of Debian's fonts-thai-tlwg (Garuda, Loma, Norasi, Kinnari, Laksaman, ...:
# U+F70A is uni0E48.low and so on), which also give U+F71B-F71D (Laksaman, the TLWG version of
# TH Sarabun PSK: uni0E0E.alt1, uni0E0F.alt1, uni0E2C.alt1) and U+F71E-F720 (uni0E4D.high,
# uni0E47.high, uni0E4E.high).
_PUA_WINDOWS = (  # U+F700 onwards
    "\u0e10"  # F700 tho than without its tail
    "\u0e34\u0e35\u0e36\u0e37"  # F701-F704 upper vowels shifted left
    "\u0e48\u0e49\u0e4a\u0e4b\u0e4c"  # F705-F709 tone marks lowered and shifted left
    "\u0e48\u0e49\u0e4a\u0e4b\u0e4c"  # F70A-F70E tone marks lowered
    "\u0e0d"  # F70F yo ying without its tail
    "\u0e31\u0e4d\u0e47"  # F710-F712 mai han-akat, nikhahit, maitaikhu shifted left
    "\u0e48\u0e49\u0e4a\u0e4b\u0e4c"  # F713-F717 tone marks shifted left
    "\u0e38\u0e39\u0e3a"  # F718-F71A lower vowels lowered
    "\u0e0e\u0e0f\u0e2c"  # F71B-F71D do chada, to patak, lo chula without their tails
    "\u0e4d\u0e47\u0e4e"  # F71E-F720 nikhahit, maitaikhu, yamakkan raised
)
_PUA_MAC = (  # U+F884 onwards
    "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47"  # F884-F889 shifted left
    "\u0e48\u0e48\u0e48\u0e49\u0e49\u0e49\u0e4a\u0e4a\u0e4a"  # F88A-F892 left, down, down-left
    "\u0e4b\u0e4b\u0e4b\u0e4c\u0e4c\u0e4c"  # F893-F898 left, down, down-left
    "\u0e4d\u0e0d\u0e38\u0e39\u0e3a\u0e10"  # F899-F89E
)
THAI_PRESENTATION_FORMS = {
    **{0xF700 + n: character for n, character in enumerate(_PUA_WINDOWS)},
    **{0xF884 + n: character for n, character in enumerate(_PUA_MAC)},
}
# NUL and the other control characters a PDF's text can carry; line and page breaks become \n.
_CONTROLS = {
    **dict.fromkeys([*range(0x00, 0x09), 0x0E, *range(0x0F, 0x20), *range(0x7F, 0xA0)], None),
    0x0B: "\n",
    0x0C: "\n",
    0x0D: "\n",
}
_CLEANUP = {**_ZERO_WIDTH, **_CONTROLS, **THAI_PRESENTATION_FORMS}
# A tone mark typed (or extracted) before the upper vowel it sits on: ท่ี is ที่.
_TONE_BEFORE_VOWEL = re.compile(r"([\u0e48-\u0e4b])([\u0e31\u0e34-\u0e37\u0e47])")
# Sara am written as nikhahit + sara aa, also with the tone mark between them (น + ํ + ้ + า).
_SPLIT_SARA_AM = re.compile(r"\u0e4d([\u0e48-\u0e4b]?)\u0e32")
MAX_TEXT = 2_000_000  # characters analysed per field; beyond that a document is cut

DOMAIN_WORDS_FILE = Path(__file__).with_name("domain_words.txt")


@lru_cache(maxsize=1)
def dictionary() -> Trie:
    """PyThaiNLP's word list plus the education vocabulary in domain_words.txt."""
    words = set(thai_words())
    if DOMAIN_WORDS_FILE.exists():
        for line in DOMAIN_WORDS_FILE.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                words.add(word)
    return Trie(words)


# A compound is split only into words at least this frequent in the Thai National Corpus
# (shipped with PyThaiNLP): สาย+ตา and ผู้+บริหาร are compounds, ตา+ราง (ตาราง) is a coincidence.
COMMON_WORD_MIN_FREQUENCY = 1000


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    return frozenset(word for word, count in word_freqs() if count >= COMMON_WORD_MIN_FREQUENCY)


# Words of PyThaiNLP's stop-word list that people do search for on their own.
CONTENT_WORDS = frozenset({"ผล", "งาน", "ครู", "สอน", "เรียน", "คน", "ปี", "วัน"})


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords()) - CONTENT_WORDS


def is_stopword(word: str) -> bool:
    """Function words (ของ ที่ และ ไม่ …), left out only when a search is loosened."""
    return word in _stopwords()


def normalize(text: str | None) -> str:
    """One spelling for equal text, applied to what is indexed (typed text and the text taken
    from uploaded files) and to queries alike: Thai private-use glyph forms as the characters
    they stand for, no control or zero-width characters, NFC, the tone mark after the upper
    vowel, sara am composed (ํ + า → ำ, ํ + ้ + า → ้ำ), Thai digits as Arabic ones, repeated
    vowel/tone marks once."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text[:MAX_TEXT].translate(_CLEANUP))
    text = _TONE_BEFORE_VOWEL.sub(r"\2\1", text)
    text = _SPLIT_SARA_AM.sub("\\1\u0e33", text).translate(_THAI_DIGITS)
    return _DUPLICATE_MARKS.sub(r"\1", text)


def runs(text: str) -> list[str]:
    """Thai runs and Latin/number runs of normalised text, in order."""
    return RUN.findall(text)


def is_thai(run: str) -> bool:
    return bool(IS_THAI.match(run))


def _latin_term(run: str) -> str:
    lowered = run.lower()
    return stem(lowered) if ASCII_WORD.match(lowered) and len(lowered) > 2 else lowered


@lru_cache(maxsize=200_000)
def _segment_run(run: str) -> tuple[str, ...]:
    return tuple(word for word in segment(run, dictionary()) if word.strip())


def words_of_run(run: str) -> tuple[str, ...]:
    if is_thai(run):
        return _segment_run(run) if len(run) < 2000 else tuple(segment(run, dictionary()))
    return (_latin_term(run),)


def words(text: str) -> list[str]:
    """The index terms of a text in order (Thai segmented, Latin stemmed)."""
    result: list[str] = []
    for run in runs(normalize(text)):
        result.extend(words_of_run(run))
    return result


@lru_cache(maxsize=200_000)
def subwords(word: str) -> tuple[str, ...]:
    """The dictionary words a Thai compound is made of, found by splitting it into the fewest
    dictionary words (every split of that size counts) and splitting those parts again:
    ผู้บริหารสถานศึกษา → ผู้บริหาร + สถานศึกษา → ผู้ + บริหาร, สถาน + ศึกษา. A split counts only
    when each part is a common word, a long word, or a compound itself (see _is_solid_part):
    ตาราง is not ตา + ราง."""
    parts: set[str] = set()
    for split in solid_splits(word):
        for part in split:
            parts.add(part)
            parts.update(subwords(part))
    return tuple(sorted(part for part in parts if len(part) >= 2))


@lru_cache(maxsize=200_000)
def solid_splits(word: str) -> tuple[tuple[str, ...], ...]:
    """The splits of a compound into the fewest dictionary words that are all solid parts."""
    if len(word) < 4 or not is_thai(word):
        return ()
    return tuple(
        split for split in _fewest_word_splits(word) if all(_is_solid_part(p) for p in split)
    )


def _is_solid_part(part: str) -> bool:
    return part in common_words() or len(part) >= 6 or bool(subwords(part))


def _fewest_word_splits(word: str, limit: int = 4, extra: int = 0) -> list[tuple[str, ...]]:
    """Up to `limit` splits of `word` into at least two dictionary words, with the fewest
    words possible (or up to `extra` more), fewest first."""
    trie = dictionary()
    size = len(word)
    ends = [
        [i + len(p) for p in trie.prefixes(word[i:]) if (i, i + len(p)) != (0, size)]
        for i in range(size)
    ]
    impossible = size + 1
    fewest = [0] * (size + 1)  # fewest words for word[i:]; 0 at the end
    for i in range(size - 1, -1, -1):
        fewest[i] = min((fewest[j] + 1 for j in ends[i]), default=impossible)
    if fewest[0] >= impossible:
        return []
    splits: list[tuple[str, ...]] = []
    for allowed in range(fewest[0], fewest[0] + extra + 1):
        _walk_splits(word, ends, fewest, 0, allowed, (), splits, limit)
    return splits


def _walk_splits(
    word: str,
    ends: list[list[int]],
    fewest: list[int],
    i: int,
    budget: int,
    taken: tuple[str, ...],
    splits: list[tuple[str, ...]],
    limit: int,
) -> None:
    """Appends the splits of word[i:] into exactly `budget` words."""
    if len(splits) >= limit:
        return
    if i == len(word):
        if budget == 0 and taken not in splits:
            splits.append(taken)
        return
    for j in ends[i]:
        if 0 <= fewest[j] <= budget - 1:
            _walk_splits(word, ends, fewest, j, budget - 1, (*taken, word[i:j]), splits, limit)


def cells(run: str) -> list[str]:
    return CELL.findall(run)


@lru_cache(maxsize=200_000)
def inner_words(word: str) -> tuple[str, ...]:
    """Every dictionary word inside a Thai word, starting and ending between character cells
    (so ผล is inside ผลงาน but not inside ผลัด), the word itself excluded. Rare short words
    (see is_indexed_part) are left out; a query for one of them searches the vocabulary instead."""
    if len(word) < 3 or not is_thai(word):
        return ()
    trie = dictionary()
    starts = [match.start() for match in CELL.finditer(word)]
    boundaries = set(starts) | {len(word)}
    found = set()
    for start in starts:
        for prefix in trie.prefixes(word[start:]):
            end = start + len(prefix)
            if end in boundaries and prefix != word and is_indexed_part(prefix):
                found.add(prefix)
    return tuple(sorted(found))


def is_indexed_part(word: str) -> bool:
    """Whether this word is indexed wherever it occurs inside another word: common words and
    words of four letters or more (short rare dictionary entries such as กษ or ถา would only add
    coincidences to the index)."""
    return len(word) >= 4 or (len(word) >= 2 and word in common_words())


def needs_vocabulary_search(word: str) -> bool:
    """A query word that is not indexed inside longer words: look it up in the vocabulary."""
    return is_thai(word) and (word not in dictionary() or not is_indexed_part(word))


def contains_aligned(word: str, needle: str) -> bool:
    """needle occurs in word starting and ending between character cells."""
    start = word.find(needle)
    while start != -1:
        end = start + len(needle)
        if end == len(word) or not COMBINING_MARK.match(word[end]):
            return True
        start = word.find(needle, start + 1)
    return False


def segmentations(run: str, limit: int = 4) -> list[tuple[str, ...]]:
    """Ways to split a Thai run into dictionary words, fewest words first, newmm's first."""
    found = [words_of_run(run)]
    for split in _fewest_word_splits(run, limit=limit + 1, extra=1):
        if split not in found:
            found.append(split)
    return found[:limit]


# Whoosh tokenizers ------------------------------------------------------------------------------
SECTION = "\u001e"  # separates the title from the text in a field value
PAIR_JOINER = "_"  # never inside a word (RUN excludes it)
TITLE_WEIGHT = 3.0
PART_WEIGHT = 0.5
TRACE_WEIGHT = 0.2
SECTION_GAP = 100  # positions between title and text: no phrase across them


def _sections(text: str) -> list[tuple[float, list[str]]]:
    pieces = text.split(SECTION, 1)
    if len(pieces) == 1:
        return [(1.0, words(pieces[0]))]
    return [(TITLE_WEIGHT, words(pieces[0])), (1.0, words(pieces[1]))]


def weighted_terms(word: str) -> list[tuple[str, float]]:
    """The word, its solid parts and the other dictionary words inside it, with weights."""
    solid = set(subwords(word))
    terms = [(word, 1.0)]
    terms += [(part, PART_WEIGHT) for part in sorted(solid)]
    terms += [(part, TRACE_WEIGHT) for part in inner_words(word) if part not in solid]
    return terms


def pair(left: str, right: str) -> str:
    return f"{left}{PAIR_JOINER}{right}"


def _edge_parts(word: str, at_end: bool) -> list[str]:
    """Dictionary words inside `word` that end it (at_end) or start it."""
    parts = inner_words(word)
    return [p for p in parts if (word.endswith(p) if at_end else word.startswith(p))]


class _Base(Tokenizer):
    """Positions and weights are all the index needs; highlighting finds matches in the stored
    text itself."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def terms(self, text: str) -> Iterator[tuple[int, str, float]]:
        raise NotImplementedError

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, term, weight in self.terms(value):
            token.text = term
            token.boost = weight
            token.stopped = False
            if keeporiginal:
                token.original = term
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = token.endchar = start_char
            yield token


class TermTokenizer(_Base):
    """Words with their parts at the same position; title words weigh TITLE_WEIGHT times more."""

    def terms(self, text: str) -> Iterator[tuple[int, str, float]]:
        offset = 0
        for weight, section in _sections(text):
            for position, word in enumerate(section):
                for term, term_weight in weighted_terms(word):
                    yield offset + position, term, weight * term_weight
            offset += len(section) + SECTION_GAP


class PairTokenizer(_Base):
    """Adjacent words as one term, plus a part ending the left word or starting the right one
    (พัฒนา_ผู้เรียน from การพัฒนา ผู้เรียน) and adjacent parts inside a compound, for phrase
    lookups without positions."""

    def terms(self, text: str) -> Iterator[tuple[int, str, float]]:
        for weight, section in _sections(text):
            for word in section:  # inside a compound: แจกลูกสะกดคำ gives สะกด_คำ
                for split in solid_splits(word):
                    for left, right in itertools.pairwise(split):
                        yield 0, pair(left, right), weight * PART_WEIGHT
            for left, right in itertools.pairwise(section):
                yield 0, pair(left, right), weight
                for part in _edge_parts(left, at_end=True):
                    yield 0, pair(part, right), weight * PART_WEIGHT
                for part in _edge_parts(right, at_end=False):
                    yield 0, pair(left, part), weight * PART_WEIGHT
