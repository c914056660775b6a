"""Texts written to make search slow (issue 12, finding 3): what any signed-in person can post as
a question, an answer or a knowledge item. Shared by tests/test_search_adversarial.py,
tests/test_security_fuzz.py and bench/bench_search_adversarial.py; deterministic (seeded)."""

from __future__ import annotations

import random
import string
import sys
from contextlib import contextmanager

THAI_CONSONANTS = [chr(code) for code in range(0x0E01, 0x0E2F)]
THAI_VOWELS = ["ะ", "า", "ิ", "ี", "ุ", "ู", "เ", "แ", "โ", "ไ", "ำ"]


def _dictionary_words(count: int, rng: random.Random) -> list[str]:
    from nitet_online.search import analysis

    words = sorted(w for w in analysis.dictionary() if analysis.is_thai(w) and 2 <= len(w) <= 8)
    return rng.sample(words, count)


def adversarial_texts() -> dict[str, str]:
    """Name → text. Each kind stresses one part: matches at every other character, one endless
    word (Thai and Latin), thousands of distinct words (vocabulary lookups, Latin stems), a
    common query word over and over, digits, lone letters, and a letter carrying endless marks."""
    rng = random.Random(2569)
    syllables = (rng.choice(THAI_CONSONANTS) + rng.choice(THAI_VOWELS) for _ in range(50_000))
    latin_words = {
        "".join(rng.choice(string.ascii_lowercase) for _ in range(4)) for _ in range(6000)
    }
    return {
        "one syllable 10,000 times": "กา" * 10_000,
        "one Thai word of 100,000 characters": "".join(syllables),
        "one Latin word of 100,000 characters": "x" * 100_000,
        "5,000 distinct Latin words": " ".join(sorted(latin_words)[:5000]),
        "5,000 distinct Thai words": " ".join(_dictionary_words(5000, rng)),
        "a common query word 5,000 times": "ครู " * 5_000,
        "20,000 digits": "1" * 20_000,
        "10,000 lone letters": " ".join(rng.choice(THAI_CONSONANTS) for _ in range(10_000)),
        "one letter with 20,000 marks": "ก" + "\u0e34\u0e48" * 10_000,
    }


# Queries that hit the texts above where it hurts most (and one that finds nothing at all).
ADVERSARIAL_QUERIES = [
    "ZQXDOS กา",
    "กา",
    "กากากากา",
    "ครู",
    "ครู ครู ครู ครู ครู ครู",
    "1",
    "111",
    "ก",
    "ก ข ค ง จ ฉ ช ซ ฌ ญ ฎ ฏ",
    "xxxx",
    "abcd efgh ijkl mnop",
    "กิ่",
    "กา" * 100,
    "ครู" * 60 + " " + "xyz " * 30,
]


class TooMuchWork(AssertionError):
    pass


@contextmanager
def operation_budget(limit: int):
    """Fails with TooMuchWork once more than `limit` function calls happen inside the block."""
    count = 0

    def profile(frame, event, arg) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1
            if count > limit:
                sys.setprofile(None)
                raise TooMuchWork(f"more than {limit} function calls")

    sys.setprofile(profile)
    try:
        yield lambda: count
    finally:
        sys.setprofile(None)
