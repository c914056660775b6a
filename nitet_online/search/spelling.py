"""คุณหมายถึง: a spelling suggestion from the index's own vocabulary, for a query that finds
nothing as typed.

Thai spelling slips are mostly between letters that sound alike: ศ/ส/ษ, ท/ธ/ฑ/ฒ, ต/ฏ, ด/ฎ,
พ/ภ, ข/ฃ, ค/ฅ/ฆ, น/ณ, ล/ฬ, ช/ฌ, the final consonants that all sound the same (ด ต ท ธ จ ช ซ ส
ศ ษ as "t", น ณ ร ล ญ as "n", บ ป พ ฟ ภ as "p", ก ข ค ฆ as "k"), ใ/ไ, short and long vowels,
a tone mark or a silent letter (ก์) left out or put wrong. So:

- candidates: every Thai word of the index is filed under its *skeleton*: its consonants only,
  letters that sound alike at the start of a syllable merged into one (ศ ษ ส as ส), and at its
  end (ด ต ท ... as "t"), vowels, tone marks and silent letters dropped (การนิเทศ → ก n น ท t).
  A typed string looks up its own skeleton: one bisection, so the work does not grow with the
  vocabulary; at most BUCKET_LIMIT words of a length near it are compared.
- cost: an edit distance over Thai letters where the slips above are cheap (a tone mark 0.2, a
  vowel confusion 0.25, ศ→ส 0.3 ...) and any other change of a consonant costs 1.
- a run of Thai (typed without spaces, so several words, one of them misspelt) is covered by the
  cheapest sequence of vocabulary words: dynamic programming over the places a word can start,
  each piece a word of the index as typed (cost 0) or a correction of it, fewer pieces better,
  a more frequent word better among equal ones. Bounded: runs of at most MAX_RUN characters,
  pieces of at most MAX_PIECE, at most DISTANCE_BUDGET distances computed for one query. A
  word's frequency (how many documents hold it) is asked only for the words a cover may use.

engine.IndexStore.search asks for a suggestion only when the query finds nothing as typed, and
shows it only when the suggestion itself finds something.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from nitet_online.search import analysis

BUCKET_LIMIT = 64  # words of one skeleton compared with a typed piece (of a length near it)
MAX_RUN = 60  # characters of one Thai run corrected (a longer run is left as typed)
MAX_CORRECTED = 120  # characters of Thai corrected in one query, all runs together
MAX_PIECE = 24  # characters of one word of a correction
DISTANCE_BUDGET = 500  # distances computed for one query, all runs together
PIECE_COST = 1.0  # each word of a cover: fewer, longer words are better
UNKNOWN_COST = 1.5  # a piece left as typed that is no word of the index, per consonant
FREQUENCY_WEIGHT = 0.05  # per power of ten of a word's document frequency

CONSONANTS = frozenset(chr(code) for code in range(0x0E01, 0x0E2F))
LEADING_VOWELS = frozenset("เแโใไ")
FOLLOWING_VOWELS = frozenset("ะาำๅ")
UPPER_LOWER_VOWELS = frozenset("ัิีึืฺุู็")
VOWELS = LEADING_VOWELS | FOLLOWING_VOWELS | UPPER_LOWER_VOWELS
TONE_MARKS = frozenset("่้๊๋")
OTHER_MARKS = frozenset("์ํ๎")

# A unit: a silent letter with its mark (ก์, ทร์ is two: ท then ร์; ติ์ in ศักดิ์), else a character.
UNIT = re.compile(r"[\u0e01-\u0e2e][\u0e34\u0e38]?\u0e4c|.", re.S)


def _classes(groups: Iterable[str], names: Iterable[str] | None = None) -> dict[str, str]:
    groups = list(groups)
    names = list(names) if names is not None else [group[0] for group in groups]
    return {letter: name for group, name in zip(groups, names, strict=True) for letter in group}


# Letters read alike at the start of a syllable, and at its end (named by their sound, so that a
# final and an initial letter never share a key by chance).
INITIAL_CLASS = _classes(["สศษ", "ทธฑฒ", "ถฐ", "ตฏ", "ดฎ", "พภ", "ขฃ", "คฅฆ", "นณ", "ลฬ", "ชฌ"])
FINAL_CLASS = _classes(["ดตทธจชซสศษฎฏฐฑฒถฌ", "นณรลฬญ", "บปพฟภ", "กขฃคฅฆ"], "tnpk")

# Vowels written one for another (short and long, ใ/ไ, เ/แ).
VOWEL_CONFUSIONS = {
    frozenset(pair): cost
    for pair, cost in [
        ("ใไ", 0.1),
        ("ิี", 0.25),
        ("ึื", 0.25),
        ("ุู", 0.25),
        ("ัะ", 0.25),
        ("ะา", 0.25),
        ("ัา", 0.3),
        ("เแ", 0.3),
        ("็ั", 0.3),
        ("็่", 0.3),
    ]
}


def units(text: str) -> list[str]:
    """The letters of `text` as the distance sees them: ำ as ั + ม (they sound alike: สำฤทธิ์
    for สัมฤทธิ์), a silent letter with its mark as one."""
    return UNIT.findall(text.replace("\u0e33", "\u0e31\u0e21"))


def _kind(unit: str) -> str:
    if len(unit) > 1:
        return "silent"
    if unit in CONSONANTS:
        return "consonant"
    if unit in TONE_MARKS:
        return "tone"
    if unit in VOWELS:
        return "vowel"
    if unit in OTHER_MARKS:
        return "mark"
    return "other"


def _roles(parts: list[str]) -> list[str]:
    """Each unit's kind, consonants as "initial" or "final" (a guess: a consonant after the
    syllable's vowel or after another consonant, with no vowel or tone mark of its own)."""
    kinds = [_kind(unit) for unit in parts]
    roles = []
    for index, kind in enumerate(kinds):
        if kind != "consonant":
            roles.append(kind)
            continue
        before = kinds[index - 1] if index else None
        after = kinds[index + 1] if index + 1 < len(kinds) else None
        leading = index and parts[index - 1] in LEADING_VOWELS
        own_vowel = after in ("vowel", "tone", "mark") and parts[index + 1] not in LEADING_VOWELS
        final = before is not None and not leading and not own_vowel
        roles.append("final" if final else "initial")
    return roles


# skeleton() in a few passes of C (regular expressions and str.translate), no Python per letter:
# the words of a whole index are filed at once.
_SILENT = re.compile(r"[\u0e01-\u0e2e][\u0e34\u0e38]?\u0e4c")
# a consonant after something that is not a leading vowel, without a vowel or mark of its own
_FINAL = re.compile(
    r"(?<=[^\u0e40-\u0e44\n])([\u0e01-\u0e2e])(?![\u0e30-\u0e3a\u0e45\u0e47-\u0e4e])"
)
_VOWEL_PART = re.compile("(?<=\u0e35)\x01\u0e22|\x01\u0e2d|(?<=\u0e31)\x01\u0e27")
_FINAL_GROUPS = [
    (re.compile("\x01[" + "".join(k for k, v in FINAL_CLASS.items() if v == name) + "]"), name)
    for name in "tnpk"
]
_KEPT = {chr(code) for code in range(0x0E01, 0x0E2F)} | set("tnpk\n")
# initials to their class, vowels, marks and the markers of finals dropped: one pass
_LETTERS = str.maketrans(
    {
        **{chr(code): None for code in [*range(0x0E00, 0x0E80), 1] if chr(code) not in _KEPT},
        **INITIAL_CLASS,
    }
)


def skeleton(text: str) -> str:
    """The consonants of `text` that are read, letters that sound alike as one: a consonant
    with no vowel or mark of its own after another letter of its syllable is a final (the
    guess of _roles: ด ต ท ... as "t"), others are initials (ศ ษ as ส ...); a silent letter,
    the ย of เ-ีย, the อ of เ-ือ or -อ and the ว of -ัว are not read."""
    text = _SILENT.sub("", text.replace("\u0e33", "\u0e31\u0e21"))
    text = _VOWEL_PART.sub("", _FINAL.sub("\x01\\1", text))
    for pattern, name in _FINAL_GROUPS:
        text = pattern.sub(name, text)
    return text.translate(_LETTERS)


def _substitution(a: str, role_a: str, b: str, role_b: str) -> float:
    if a == b:
        return 0.0
    kinds = {role_a if role_a in ("tone", "vowel", "mark", "silent") else "consonant"}
    kinds.add(role_b if role_b in ("tone", "vowel", "mark", "silent") else "consonant")
    if kinds == {"tone"} or kinds == {"silent"} or kinds == {"mark"}:
        return 0.2
    if kinds == {"vowel"} or kinds <= {"vowel", "tone"}:
        return VOWEL_CONFUSIONS.get(frozenset((a, b)), 0.5)
    if kinds == {"consonant"}:
        if INITIAL_CLASS.get(a, a) == INITIAL_CLASS.get(b, b):
            return 0.3
        if "final" in (role_a, role_b) and FINAL_CLASS.get(a, a) == FINAL_CLASS.get(b, b):
            return 0.3
        if {a, b} == {"ซ", "ส"}:
            return 0.4
    return 1.0


def _insertion(unit: str, role: str) -> float:
    if role in ("tone", "mark"):
        return 0.2
    if role == "silent":
        return 0.25
    if role == "vowel":
        return 0.25 if unit == "็" else 0.4
    if unit in "อวยห":
        return 0.6
    return 1.0


def is_fragment(word: str) -> bool:
    """A Thai word of one read consonant (นิ, เท, ส, ผู่): what segmenting a misspelt or unknown
    word leaves (การนิเทส → การ|นิ|เท|ส). It says little on its own and is found inside a great
    many longer words, so looser readings weigh it little (query.relaxed_queries) and it is
    marked only as a whole word (snippets)."""
    return analysis.is_thai(word) and len(skeleton(word)) <= 1


def distance(typed: str, word: str) -> float:
    """Weighted edit distance (substitutions, insertions, deletions, adjacent swaps) over Thai
    units, cheap for the slips people make."""
    a, b = units(typed), units(word)
    roles_a, roles_b = _roles(a), _roles(b)
    cost_a = [_insertion(u, r) for u, r in zip(a, roles_a, strict=True)]
    cost_b = [_insertion(u, r) for u, r in zip(b, roles_b, strict=True)]
    previous2: list[float] = []
    previous = [0.0]
    for j in range(len(b)):
        previous.append(previous[-1] + cost_b[j])
    for i in range(1, len(a) + 1):
        current = [previous[0] + cost_a[i - 1]]
        for j in range(1, len(b) + 1):
            best = min(
                previous[j] + cost_a[i - 1],
                current[j - 1] + cost_b[j - 1],
                previous[j - 1] + _substitution(a[i - 1], roles_a[i - 1], b[j - 1], roles_b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, previous2[j - 2] + 0.3)
            current.append(best)
        previous2, previous = previous, current
    return previous[-1]


def allowed_cost(typed: str) -> float:
    """How far a correction may be: more for longer words (a one-letter word has no room)."""
    return min(1.3, 0.25 + 0.25 * len(skeleton(typed)))


@dataclass
class Piece:
    text: str  # the word of the cover
    cost: float


class SpellingIndex:
    """The index's Thai words sorted by skeleton. Built from the words joined by newlines (the
    engine's Vocabulary keeps them so) in a few passes of C whatever their number: the
    skeletons of all of them at once (skeleton() reads a newline as the end of a word), then
    one sort of (skeleton, word) pairs, looked up by bisection."""

    def __init__(self, words: list[str], text: str | None = None):
        text = "\n".join(words) if text is None else text
        self.words = frozenset(words)
        pairs = list(zip(skeleton(text).split("\n"), words, strict=True))
        # ชาติ, เหตุ are read ชาด, เหด: also filed with the letter before the vowel as a final
        endings = _SILENT_FINAL_VOWEL.findall(text)
        if endings:
            heads = skeleton("\n".join(head for _, head, _ in endings)).split("\n")
            pairs += [
                (key + FINAL_CLASS[letter], word)
                for key, (word, _, letter) in zip(heads, endings, strict=True)
                if key and letter in FINAL_CLASS
            ]
        pairs.sort()
        self.pairs = pairs
        self.keys = [key for key, _ in pairs]

    def __len__(self) -> int:
        return len(self.words)

    def candidates(self, key: str) -> list[str]:
        start = bisect.bisect_left(self.keys, key)
        end = bisect.bisect_right(self.keys, key, start)
        return [word for _, word in self.pairs[start:end]]

    def suggest(self, text: str, frequency: Callable[[str], int] | None = None) -> str | None:
        """`text` (normalised) with each Thai run replaced by its cheapest cover; None when
        nothing changes. `frequency(word)`: in how many documents a word is (asked only of the
        words a cover may use)."""
        return _Correction(self, frequency or (lambda word: 0)).suggest(text)


class _Correction:
    """One query's corrections: its budgets, and the frequencies it has asked for."""

    def __init__(self, index: SpellingIndex, frequency: Callable[[str], int]):
        self.index = index
        self.frequency = frequency
        self.bonuses: dict[str, float] = {}
        self.budget = DISTANCE_BUDGET

    def bonus(self, word: str) -> float:
        if word not in self.bonuses:
            self.bonuses[word] = FREQUENCY_WEIGHT * math.log10(1 + self.frequency(word))
        return self.bonuses[word]

    def suggest(self, text: str) -> str | None:
        room = [MAX_CORRECTED]

        def correct(match: re.Match) -> str:
            run = match.group()
            room[0] -= len(run)
            return self.correct_run(run) if room[0] >= 0 else run

        corrected = analysis.THAI_RUN.sub(correct, text)
        return corrected if corrected != text else None

    def correct_run(self, run: str) -> str:
        """The cheapest cover of a Thai run by words of the index; the run as typed when it
        cannot be covered or is too long."""
        if len(run) > MAX_RUN or not analysis.is_thai(run):
            return run
        starts = _word_starts(run)
        best: dict[int, tuple[float, list[str]]] = {0: (0.0, [])}
        for position, start in enumerate(starts):
            if start not in best:
                continue
            so_far, pieces = best[start]
            for end in starts[position + 1 :]:
                if end - start > MAX_PIECE:
                    break
                piece = self.best_piece(run[start:end])
                if piece is None:
                    text = run[start:end]
                    cost = UNKNOWN_COST * max(1, len(skeleton(text)))
                else:
                    cost, text = piece.cost, piece.text
                total = so_far + PIECE_COST + cost
                if end not in best or total < best[end][0]:
                    best[end] = (total, [*pieces, text])
        found = best.get(len(run))
        return "".join(found[1]) if found else run

    def best_piece(self, typed: str) -> Piece | None:
        if typed in self.index.words:
            return Piece(typed, -self.bonus(typed))
        key = skeleton(typed)
        if not key:
            return None
        near = [w for w in self.index.candidates(key) if abs(len(w) - len(typed)) <= 4]
        limit = allowed_cost(typed)
        best: Piece | None = None
        for word in near[:BUCKET_LIMIT]:
            if self.budget <= 0:
                break
            self.budget -= 1
            cost = distance(typed, word)
            if cost > limit:
                continue
            cost -= self.bonus(word)
            if best is None or cost < best.cost:
                best = Piece(word, cost)
        return best


_SILENT_FINAL_VOWEL = re.compile(
    r"^(([^\n]*[^\n\u0e40-\u0e44])([\u0e01-\u0e2e])[\u0e34\u0e38])$", re.M
)


def _word_starts(run: str) -> list[int]:
    """Places a word may start or end: before a consonant or a leading vowel that does not
    follow a leading vowel, and the end of the run (never between a letter and its marks)."""
    places = [0]
    for index in range(1, len(run)):
        character, before = run[index], run[index - 1]
        if before in LEADING_VOWELS:
            continue
        if character in CONSONANTS or character in LEADING_VOWELS:
            places.append(index)
    places.append(len(run))
    return places
