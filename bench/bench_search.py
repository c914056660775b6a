"""Thai search: quality against baselines, indexing throughput and query latency.

    .venv/bin/python bench/bench_search.py                 # quality + 10,000 and 100,000 documents
    .venv/bin/python bench/bench_search.py --sizes 10000   # quicker

Quality uses the Thai test collection in bench/data/ (thai_passages.tsv: one passage per line,
"id<TAB>text"; thai_queries.jsonl: each query with the passages it should find, "kind": "phrase"
for phrases typed with a word more than the texts have; thai_misspellings.jsonl: misspelt queries
with the spelling meant, judged with the passages of that spelling), all written for this
project. For every query the top 10 results are judged (for ours: what the page shows, the
nearby results below the exact ones included):

- recall@10    = relevant passages in the top 10 / min(10, number of relevant passages)
- precision@10 = relevant passages in the top 10 / number of results shown (up to 10);
                 a query that returns nothing scores 0

Every engine sees the same passages and the same query text:
- ours: nitet_online.search (newmm words + compound parts + Thai character n-grams)
- Whoosh StandardAnalyzer with Whoosh's QueryParser (AND of the typed terms)
- SQLite FTS5 with the unicode61 and the trigram tokenizers (each space-separated chunk a phrase,
  chunks joined by AND, ranked by bm25)

Misspellings: every engine is judged on the query as typed; ours also on whether it offers the
spelling meant (คุณหมายถึง) and on the results of that spelling (one click).

The scale part builds documents by cutting the passages at random places and recombining the
pieces (so the texts do not repeat whole), indexes them, and times each query of the collection
as the search page runs it (top 10, total, highlighted snippets), against SQLite FTS5 trigram on
the same documents as the baseline.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from whoosh import index as whoosh_index  # noqa: E402
from whoosh.analysis import StandardAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.qparser import QueryParser  # noqa: E402

from nitet_online.search import analysis  # noqa: E402
from nitet_online.search.engine import Document, IndexStore, add_snippets  # noqa: E402

DATA = ROOT / "bench" / "data"


def load_misspellings(queries: list[dict]) -> list[dict]:
    """Each misspelt query with the passages its meant spelling should find."""
    relevant = {row["query"]: row["relevant"] for row in queries}
    rows = [
        json.loads(line)
        for line in (DATA / "thai_misspellings.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [{**row, "relevant": relevant[row["meant"]]} for row in rows]


def load_collection() -> tuple[list[tuple[str, str]], list[dict]]:
    passages = []
    for line in (DATA / "thai_passages.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            passage_id, text = line.split("\t", 1)
            passages.append((passage_id, text))
    queries = [
        json.loads(line)
        for line in (DATA / "thai_queries.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return passages, queries


# Engines -------------------------------------------------------------------------------------
class Ours:
    name = "ours (words, parts, pairs)"

    def __init__(self, passages: list[tuple[str, str]], folder: Path):
        self.ids = [passage_id for passage_id, _ in passages]
        self.store = IndexStore(folder)
        with self.store.writing():
            self.store.rebuild(
                Document("passage", n, "", f"/p/{n}", text) for n, (_, text) in enumerate(passages)
            )

    def top10(self, text: str) -> list[str]:
        results = self.store.search(text, per_page=10)
        return [self.ids[hit.id] for hit in results.hits]

    def suggestion(self, text: str) -> str | None:
        return self.store.search(text, per_page=10, with_suggestion=True).suggestion


class WhooshStandard:
    name = "Whoosh StandardAnalyzer"

    def __init__(self, passages: list[tuple[str, str]], folder: Path):
        schema = Schema(pid=ID(stored=True), text=TEXT(analyzer=StandardAnalyzer()))
        folder.mkdir(parents=True, exist_ok=True)
        self.ix = whoosh_index.create_in(str(folder), schema)
        writer = self.ix.writer()
        for passage_id, text in passages:
            writer.add_document(pid=passage_id, text=text)
        writer.commit()
        self.parser = QueryParser("text", schema)

    def top10(self, text: str) -> list[str]:
        with self.ix.searcher() as searcher:
            found = searcher.search(self.parser.parse(text), limit=10)
            return [hit["pid"] for hit in found]


def fts_query(text: str) -> str:
    chunks = [chunk.replace('"', '""') for chunk in text.split()]
    return " AND ".join(f'"{chunk}"' for chunk in chunks)


class Fts5:
    def __init__(self, passages: list[tuple[str, str]], tokenizer: str):
        self.name = f"SQLite FTS5 {tokenizer}"
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            f"CREATE VIRTUAL TABLE passage USING fts5(pid UNINDEXED, text, tokenize='{tokenizer}')"
        )
        self.db.executemany("INSERT INTO passage(pid, text) VALUES (?, ?)", passages)

    def top10(self, text: str) -> list[str]:
        try:
            rows = self.db.execute(
                "SELECT pid FROM passage WHERE passage MATCH ? ORDER BY rank LIMIT 10",
                (fts_query(text),),
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [row[0] for row in rows]


def judge(engine, queries: list[dict]) -> tuple[float, float, list[str]]:
    recalls, precisions, misses = [], [], []
    for row in queries:
        relevant = set(row["relevant"])
        top = engine.top10(row["query"])
        found = sum(1 for passage_id in top if passage_id in relevant)
        recall = found / min(10, len(relevant))
        precision = found / len(top) if top else 0.0
        recalls.append(recall)
        precisions.append(precision)
        if recall < 1 or precision < 1:
            misses.append(f"{row['query']} (R {recall:.2f}, P {precision:.2f})")
    return statistics.mean(recalls), statistics.mean(precisions), misses


def quality(work: Path) -> None:
    passages, queries = load_collection()
    misspelt = load_misspellings(queries)
    phrases = [row for row in queries if row.get("kind") == "phrase"]
    others = [row for row in queries if row.get("kind") != "phrase"]
    print(
        f"Thai test collection: {len(passages)} passages, {len(queries)} queries "
        f"({len(phrases)} phrases with a word more), {len(misspelt)} misspelt queries"
    )
    print(
        f"{'engine':34} {'recall@10':>10} {'precision@10':>13}"
        f"   {'without the phrases':>20}   {'the phrases':>13}   {'misspelt, as typed':>18}"
    )
    engines = [
        Ours(passages, work / "ours"),
        WhooshStandard(passages, work / "standard"),
        Fts5(passages, "unicode61"),
        Fts5(passages, "trigram"),
    ]
    for engine in engines:
        recall, precision, misses = judge(engine, queries)
        figures = [judge(engine, rows)[:2] for rows in (others, phrases, misspelt)]
        print(
            f"{engine.name:34} {recall:10.3f} {precision:13.3f}   "
            + "   ".join(
                f"{r:.3f} / {p:.3f}".rjust(w)
                for (r, p), w in zip(figures, (20, 13, 18), strict=True)
            )
        )
        if isinstance(engine, Ours) and misses:
            print("    below 1.0 for ours: " + "; ".join(misses))
    ours = engines[0]
    offered = [(row, ours.suggestion(row["query"])) for row in misspelt]
    right = [row for row, suggestion in offered if suggestion == row["meant"]]
    wrong = [f"{row['query']} → {s}" for row, s in offered if s not in (None, row["meant"])]
    followed = [{**row, "query": suggestion} for row, suggestion in offered if suggestion]
    recall, precision, _ = judge(ours, followed) if followed else (0.0, 0.0, [])
    print(
        f"คุณหมายถึง: the spelling meant offered for {len(right)} of {len(misspelt)} misspelt "
        f"queries ({len(wrong)} other suggestions{': ' + '; '.join(wrong) if wrong else ''}); "
        f"its results, one click away: recall@10 {recall:.3f}, precision@10 {precision:.3f}"
    )
    needless = [row["query"] for row in queries if ours.suggestion(row["query"])]
    print(
        f"            offered for {len(needless)} of the {len(queries)} queries typed right"
        + (f": {', '.join(needless)}" if needless else "")
    )
    print()


# Scale ---------------------------------------------------------------------------------------
def generate(passages: list[tuple[str, str]], count: int, seed: int = 2569) -> list[Document]:
    """Documents of 4–8 pieces cut at random places from random passages."""
    rng = random.Random(seed)
    texts = [text for _, text in passages]
    documents = []
    for number in range(count):
        pieces = []
        for _ in range(rng.randint(4, 8)):
            text = rng.choice(texts)
            start = rng.randrange(0, max(1, len(text) // 2))
            end = min(len(text), start + rng.randint(40, 160))
            pieces.append(text[start:end])
        body = " ".join(pieces)
        title = rng.choice(texts)[: rng.randint(20, 60)]
        documents.append(Document("knowledge", number, title, f"/k/{number}", body))
    return documents


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_queries(run, queries: list[str], rounds: int) -> list[float]:
    for text in queries:  # warm-up: caches, page cache
        run(text)
    timings = []
    for _ in range(rounds):
        for text in queries:
            started = time.perf_counter()
            run(text)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def scale(work: Path, size: int, rounds: int) -> None:
    passages, queries = load_collection()
    query_texts = [row["query"] for row in queries]
    documents = generate(passages, size)
    characters = sum(len(d.title) + len(d.text) for d in documents)
    print(f"{size:,} documents ({characters / size:.0f} characters each on average)")

    analysis._segment_run.cache_clear()
    analysis.subwords.cache_clear()
    store = IndexStore(work / f"scale-{size}")
    started = time.perf_counter()
    with store.writing():
        store.rebuild(iter(documents), memory_mb=256)
    ours_index = time.perf_counter() - started
    index_mb = sum(f.stat().st_size for f in store.current.resolve().iterdir()) / 1e6

    database = sqlite3.connect(str(work / f"fts-{size}.db"))
    database.execute("CREATE VIRTUAL TABLE doc USING fts5(title, text, tokenize='trigram')")
    started = time.perf_counter()
    database.executemany(
        "INSERT INTO doc(rowid, title, text) VALUES (?, ?, ?)",
        ((d.id, d.title, d.text) for d in documents),
    )
    database.commit()
    fts_index = time.perf_counter() - started

    def ours(text: str) -> None:
        add_snippets(store.search(text, per_page=10))

    def ours_page(text: str) -> None:
        add_snippets(store.search(text, per_page=10, with_type_counts=True))

    def fts(text: str) -> None:
        match = fts_query(text)
        try:
            database.execute(
                "SELECT rowid, snippet(doc, 1, '<mark>', '</mark>', '…', 20) FROM doc "
                "WHERE doc MATCH ? ORDER BY rank LIMIT 10",
                (match,),
            ).fetchall()
            database.execute("SELECT count(*) FROM doc WHERE doc MATCH ?", (match,)).fetchone()
        except sqlite3.OperationalError:
            pass

    print(
        f"  indexing   ours {size / ours_index:8.0f} docs/s ({ours_index:.1f} s, index {index_mb:.0f} MB)"
        f"   baseline FTS5 trigram {size / fts_index:8.0f} docs/s ({fts_index:.1f} s)"
    )
    for label, run in (("ours", ours), ("ours + type counts", ours_page), ("FTS5 trigram", fts)):
        timings = time_queries(run, query_texts, rounds)
        print(
            f"  query      {label:20} median {statistics.median(timings):7.1f} ms"
            f"   p95 {percentile(timings, 0.95):7.1f} ms   max {max(timings):7.1f} ms"
            f"   ({len(timings)} queries)"
        )

    # คุณหมายถึง: the misspelt queries as the search page runs them, with the suggestion and
    # without (same queries, same index); the skeleton index is built once per index version.
    misspelt = [row["query"] for row in load_misspellings(queries)]
    with store.searcher() as searcher:
        vocabulary = store.vocabulary(searcher)
        started = time.perf_counter()
        spelling = vocabulary.spelling()
        built = (time.perf_counter() - started) * 1000
    print(
        f"  คุณหมายถึง  skeleton index of {len(spelling):,} words built in {built:.0f} ms "
        f"(once per index version, at the first query that finds nothing as typed)"
    )

    def page_with(text: str) -> None:
        add_snippets(store.search(text, per_page=10, with_type_counts=True, with_suggestion=True))

    for label, run in (("misspelt, suggestion", page_with), ("misspelt, without", ours_page)):
        timings = time_queries(run, misspelt, rounds)
        print(
            f"  query      {label:20} median {statistics.median(timings):7.1f} ms"
            f"   p95 {percentile(timings, 0.95):7.1f} ms   max {max(timings):7.1f} ms"
            f"   ({len(timings)} queries)"
        )
    database.close()
    shutil.rmtree(store.root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-quality", action="store_true")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nitet-bench-search-"))
    try:
        if not arguments.skip_quality:
            quality(work)
        for size in [int(s) for s in arguments.sizes.split(",") if s]:
            scale(work, size, arguments.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
