"""Search over content written to be slow (issue 12, finding 3): a question whose body was
'กา' * 10000 made /api/v1/search take 8.6 s and /questions/similar 18 s.

One scratch app (demo data plus QUESTIONS ordinary questions cut from the Thai test collection in
bench/data/), measured twice in the same run with the same queries:

  1. ordinary content only;
  2. the same plus adversarial questions, COPIES of each kind in tests/adversarial_search.py
     ('กา' * 10000, one Thai word and one Latin word of 100,000 characters, 5,000 distinct Latin
     and Thai words, ครู 5,000 times, 20,000 digits, 10,000 lone letters, a letter with 20,000
     marks).

Queries: the collection's queries (ordinary) and ADVERSARIAL_QUERIES plus words of the planted
texts (adversarial). For each endpoint, phase and group of queries: median, p95 and the slowest
request in ms (Flask test client, so the figures are the application's own cost), and the ratio
of p95 with the adversarial documents to p95 without.

    .venv/bin/python bench/bench_search_adversarial.py
    .venv/bin/python bench/bench_search_adversarial.py --questions 500 --rounds 1 --copies 1
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import percentile, scratch_app  # noqa: E402
from tests.adversarial_search import ADVERSARIAL_QUERIES, adversarial_texts  # noqa: E402

DATA = ROOT / "bench" / "data"
ENDPOINTS = {
    "/api/v1/search": "/api/v1/search?q={q}",
    "/api/v1/search 50/page": "/api/v1/search?q={q}&per_page=50",
    "/questions/similar": "/questions/similar?q={q}",
}


def collection() -> tuple[list[str], list[str]]:
    passages = [
        line.split("\t", 1)[1]
        for line in (DATA / "thai_passages.tsv").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    queries = [
        json.loads(line)["query"]
        for line in (DATA / "thai_queries.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return passages, queries


def adversarial_queries(texts: dict[str, str]) -> list[str]:
    """ADVERSARIAL_QUERIES and a few words of the texts with thousands of distinct words."""
    latin = texts["5,000 distinct Latin words"].split()
    thai = texts["5,000 distinct Thai words"].split()
    return [*ADVERSARIAL_QUERIES, " ".join(latin[100:106]), thai[7], " ".join(thai[10:16])]


def _add_questions(app, bodies: list[tuple[str, str]]) -> None:
    from sqlalchemy import select

    from nitet_online.accounts.models import Role, User
    from nitet_online.extensions import db
    from nitet_online.org.models import LearningArea
    from nitet_online.questions.models import Question

    rng = random.Random(len(bodies))
    with app.app_context():
        teachers = list(db.session.scalars(select(User).where(User.role == Role.TEACHER)))
        areas = list(db.session.scalars(select(LearningArea)))
        for title, body in bodies:
            asker = rng.choice(teachers)
            db.session.add(
                Question(
                    title=title[:200],
                    body=body,
                    author=asker,
                    learning_area=rng.choice(areas),
                    school_id=asker.school_id,
                )
            )
        db.session.commit()


def ordinary_questions(passages: list[str], count: int) -> list[tuple[str, str]]:
    """Titles and bodies of 3–6 pieces cut from random passages (as bench_search.py does)."""
    rng = random.Random(2569)
    questions = []
    for _ in range(count):
        pieces = []
        for _ in range(rng.randint(3, 6)):
            text = rng.choice(passages)
            start = rng.randrange(0, max(1, len(text) // 2))
            pieces.append(text[start : start + rng.randint(40, 160)])
        title = rng.choice(passages)[: rng.randint(20, 60)]
        questions.append((f"{title} ควรทำอย่างไร", " ".join(pieces)))
    return questions


def reindex(app) -> float:
    from nitet_online.search.services import reindex as rebuild

    started = time.perf_counter()
    with app.app_context():
        rebuild()
    return time.perf_counter() - started


SLOWEST: dict[tuple[str, str], float] = {}  # (endpoint, query) → slowest request, ms


def measure(client, queries: list[str], rounds: int) -> dict[str, list[float]]:
    """Per endpoint: the time of each request (ms), every query `rounds` times after a warm-up."""
    timings: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
    for name, pattern in ENDPOINTS.items():
        for round_number in range(rounds + 1):
            for text in queries:
                url = pattern.format(q=quote(text))
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (url, response.status_code)
                if round_number:  # round 0 warms the caches up
                    timings[name].append(elapsed)
                    key = (name, text)
                    SLOWEST[key] = max(SLOWEST.get(key, 0.0), elapsed)
    return timings


def summary(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    return percentile(ordered, 0.5), percentile(ordered, 0.95), ordered[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--copies", type=int, default=3, help="questions of each adversarial kind")
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    passages, ordinary_queries = collection()
    texts = adversarial_texts()
    groups = {
        "ordinary queries": ordinary_queries,
        "adversarial queries": adversarial_queries(texts),
    }

    with tempfile.TemporaryDirectory(prefix="nitet-bench-adversarial-") as folder:
        app = scratch_app(Path(folder))
        app.config["SEARCH_AUTO_DRAIN"] = False  # one rebuild after each phase's inserts
        from flask_migrate import upgrade

        from nitet_online.demo import seed_demo

        with app.app_context():
            upgrade()
            seed_demo()
        _add_questions(app, ordinary_questions(passages, arguments.questions))
        seconds = reindex(app)
        print(f"ordinary: demo data + {arguments.questions} questions, indexed in {seconds:.1f} s")
        client = app.test_client()
        results = {
            "ordinary only": {g: measure(client, q, arguments.rounds) for g, q in groups.items()}
        }

        planted = [
            (f"คำถามทดสอบ {kind} ชุดที่ {copy + 1}", text)
            for kind, text in texts.items()
            for copy in range(arguments.copies)
        ]
        _add_questions(app, planted)
        seconds = reindex(app)
        print(
            f"adversarial: + {len(planted)} questions ({len(texts)} kinds x {arguments.copies}),"
            f" indexed in {seconds:.1f} s"
        )
        results["with adversarial"] = {
            g: measure(client, q, arguments.rounds) for g, q in groups.items()
        }

    print()
    print(
        f"{'endpoint':24} {'queries':20} {'content':17} {'median ms':>10} {'p95 ms':>9}"
        f" {'max ms':>9} {'p95 ratio':>10}"
    )
    for name in ENDPOINTS:
        for group in groups:
            base_p95 = summary(results["ordinary only"][group][name])[1]
            for phase in results:
                median, p95, slowest = summary(results[phase][group][name])
                ratio = f"{p95 / base_p95:9.1f}x" if phase != "ordinary only" else ""
                print(
                    f"{name:24} {group:20} {phase:17} {median:10.1f} {p95:9.1f}"
                    f" {slowest:9.1f} {ratio:>10}"
                )
    print("\nslowest queries (either phase):")
    for (name, text), elapsed in sorted(SLOWEST.items(), key=lambda item: -item[1])[:8]:
        shown = text if len(text) <= 40 else f"{text[:37]}... ({len(text)} characters)"
        print(f"  {elapsed:9.1f} ms  {name:24} {shown}")
    count = sum(len(q) for q in groups.values())
    print(f"\n({count} queries, {arguments.rounds} rounds each after one warm-up round)")


if __name__ == "__main__":
    main()
