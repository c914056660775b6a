"""Search over text written to be slow (issue 12, finding 3): a question whose body is 'กา' * 10000
made one search take 8.6 s, the snippet's window was chosen in time quadratic in the matches.

The work is counted, not timed: `operation_budget` counts the function calls (Python and C) made
in this thread and fails as soon as there are more than allowed, so quadratic code fails at once
instead of running for minutes. bench/bench_search_adversarial.py has the timings."""

from __future__ import annotations

import html
import re

import pytest

from nitet_online.search.engine import Document, IndexStore, add_snippets
from nitet_online.search.query import parse
from nitet_online.search.snippets import highlight, snippet
from tests.adversarial_search import adversarial_texts, operation_budget
from tests.conftest import build_app


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return adversarial_texts()


MARKED = re.compile(r"<mark>(.*?)</mark>", re.S)


def visible(snippet_html: str) -> tuple[str, list[tuple[int, int]]]:
    """The text a reader sees (without the … at either end) and the spans shown marked."""
    text = str(snippet_html)
    text = text.removeprefix("… ").removesuffix(" …")
    plain, spans, position = [], [], 0
    for piece in re.split(r"(<mark>.*?</mark>)", text, flags=re.S):
        inner = MARKED.fullmatch(piece)
        shown = html.unescape(inner.group(1) if inner else piece)
        if inner:
            spans.append((position, position + len(shown)))
        plain.append(shown)
        position += len(shown)
    return "".join(plain), spans


def assert_every_occurrence_marked(snippet_html: str, needles: list[str]) -> None:
    shown, spans = visible(snippet_html)
    for needle in needles:
        start = shown.find(needle)
        while start != -1:
            end = start + len(needle)
            assert any(s <= start and end <= e for s, e in spans), (needle, start, shown)
            start = shown.find(needle, start + 1)


# The snippet on its own ------------------------------------------------------------------------
SNIPPET_BUDGET = 30_000  # calls; the quadratic version needed ~10^8 for 'กา' * 10000


@pytest.mark.parametrize(
    "kind, query",
    [
        ("one syllable 10,000 times", "ZQXDOS กา"),
        ("one syllable 10,000 times", "กา"),
        ("20,000 digits", "1"),
        ("a common query word 5,000 times", "ครู ครู ครู"),
        ("10,000 lone letters", "ก ข ค ง จ ฉ ช ซ"),
        ("5,000 distinct Latin words", "abcd efgh ijkl mnop qrst uvwx"),
        ("one Latin word of 100,000 characters", "xxxx"),
        ("one Thai word of 100,000 characters", "กา"),
        ("one letter with 20,000 marks", "กิ่"),
    ],
)
def test_a_snippet_of_an_adversarial_text_takes_bounded_work(texts, kind, query):
    text = texts[kind][:20_000]  # what the index stores for snippets
    parsed = parse(query)
    strings, stems = parsed.highlight_terms()
    with operation_budget(SNIPPET_BUDGET):
        html_snippet = snippet(text, strings, stems, 220, fallback=parsed.highlight_words())
    shown, _ = visible(html_snippet)
    assert 0 < len(shown) <= 220
    assert_every_occurrence_marked(html_snippet, strings)


def test_snippet_work_does_not_grow_with_the_number_of_matches():
    strings, stems = parse("ZQXDOS กา").highlight_terms()
    with operation_budget(10**7) as short_count:
        snippet("กา" * 1_000, strings, stems)
    short = short_count()
    with operation_budget(2 * short + 1_000) as long_count:
        snippet("กา" * 10_000, strings, stems)
    assert long_count() <= 2 * short + 1_000


def test_latin_words_are_still_marked_by_their_stem_among_thousands(texts):
    words = texts["5,000 distinct Latin words"].split()
    text = " ".join(words[:3000]) + " she teaches by teaching " + " ".join(words[3000:3100])
    strings, stems = parse("teach").highlight_terms()
    with operation_budget(SNIPPET_BUDGET):
        html_snippet = str(snippet(text, strings, stems, 220))
    assert "<mark>teaches</mark>" in html_snippet and "<mark>teaching</mark>" in html_snippet


def test_the_best_window_is_still_the_one_with_most_query_words():
    filler = "ข้อความทั่วไปที่ไม่เกี่ยวข้อง " * 40
    text = (
        filler + "การนิเทศ " + filler + "การนิเทศภายในช่วยให้ครูพัฒนาการจัดการเรียนรู้ " + filler + "การนิเทศ"
    )
    strings, stems = parse("การนิเทศ ครู การจัดการเรียนรู้").highlight_terms()
    html_snippet = str(snippet(text, strings, stems, 120))
    for needle in ("การนิเทศ", "ครู", "การจัดการเรียนรู้"):
        assert f"<mark>{needle}</mark>" in html_snippet


def test_a_title_full_of_matches_is_marked_with_bounded_work():
    title = "กา" * 5_000
    strings, stems = parse("กา").highlight_terms()
    with operation_budget(SNIPPET_BUDGET):
        marked = str(highlight(title, strings, stems))
    assert marked.startswith("<mark>กา</mark><mark>กา</mark>")
    assert marked.replace("<mark>", "").replace("</mark>", "") == title


# Through the index ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def adversarial_store(tmp_path_factory, texts):
    store = IndexStore(tmp_path_factory.mktemp("adversarial") / "index")
    ordinary = [
        "การนิเทศภายในช่วยให้ครูพัฒนาการจัดการเรียนรู้เชิงรุก",
        "ผู้บริหารสถานศึกษาควรให้ข้อมูลย้อนกลับแก่ครูหลังการสังเกตการสอน",
        "นักเรียนชั้นประถมศึกษาปีที่ 1 ฝึกอ่านออกเขียนได้ทุกเช้า",
    ]
    documents = [
        Document("question", number, f"คำถามที่ {number}", f"/q/{number}", text)
        for number, text in enumerate(ordinary, start=1)
    ]
    documents += [
        Document("question", 100 + number, kind, f"/q/{100 + number}", text)
        for number, (kind, text) in enumerate(texts.items())
    ]
    with store.writing():
        store.rebuild(documents)
    return store


@pytest.mark.parametrize("query", ["ZQXDOS กา", "กา", "ครู", "1", "กิ่"])
def test_snippets_of_adversarial_hits_take_bounded_work(adversarial_store, query):
    results = adversarial_store.search(query, per_page=20)
    assert results.hits
    with operation_budget(SNIPPET_BUDGET * len(results.hits)):
        add_snippets(results)
    strings, _ = results.parsed.highlight_terms()
    for hit in results.hits:
        shown, _ = visible(hit.snippet)
        assert len(shown) <= 220
        assert_every_occurrence_marked(hit.snippet, strings)


def test_a_query_of_many_letters_reads_a_bounded_number_of_terms(adversarial_store, monkeypatch):
    """Each letter not indexed inside words is looked up in the vocabulary (every word holding
    it); the whole query shares one budget of such words, so twelve letters cost what one does."""
    from nitet_online.search import fastsearch

    read = []
    original = fastsearch.Evaluator._term

    def counting(self, query):
        read.append(query.text)
        return original(self, query)

    monkeypatch.setattr(fastsearch.Evaluator, "_term", counting)
    adversarial_store.search("ก")
    one_letter = len(read)
    read.clear()
    adversarial_store.search("ก ข ค ง จ ฉ ช ซ ฌ ญ ฎ ฏ")
    assert len(read) <= max(one_letter, 1000) + 50


def test_a_very_long_query_is_cut_before_it_is_analysed(monkeypatch):
    from nitet_online.search import analysis, query

    seen = []
    original = analysis.normalize

    def recording(text):
        seen.append(len(text or ""))
        return original(text)

    monkeypatch.setattr(analysis, "normalize", recording)
    parsed = query.parse("การนิเทศ " * 200_000)
    assert max(seen) <= 4 * query.MAX_QUERY_LENGTH
    assert parsed.chunks and len(parsed.chunks) <= query.MAX_CHUNKS


# Similar questions: no snippets, and a rate limit ------------------------------------------------
def test_similar_questions_make_no_snippets(app_context, monkeypatch):
    from nitet_online.search import snippets

    def refuse(*args, **kwargs):
        raise AssertionError("similar questions show no snippet")

    monkeypatch.setattr(snippets, "snippet", refuse)
    monkeypatch.setattr(snippets, "highlight", refuse)
    results = app_context.test_client().get("/questions/similar?q=สอนเศษส่วนอย่างไรให้เข้าใจ")
    assert results.status_code == 200 and results.json["results"]


def test_similar_questions_are_rate_limited_in_thai(databases, tmp_path):
    from nitet_online.extensions import db

    app = build_app(
        tmp_path,
        databases.fresh(with_demo=True),
        RATELIMIT_ENABLED=True,
        RATELIMIT_SIMILAR="3/minute",
    )
    client = app.test_client()
    url = "/questions/similar?q=สอนเศษส่วนอย่างไรให้เข้าใจ"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url, headers={"Accept": "application/json"})
    assert refused.status_code == 429
    assert "ถี่เกินไป" in refused.get_json()["error"]
    page = client.get(url)
    assert page.status_code == 429 and "ถี่เกินไป" in page.get_data(as_text=True)
    # A signed-in person has a count of their own: a staff room shares one address.
    teacher = app.test_client()
    teacher.post("/auth/login", data={"login": "teacher1", "password": "nitet-demo"})
    assert teacher.get(url).status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_a_word_typed_many_times_is_one_suggestion_term():
    from whoosh import query as q

    from nitet_online.search.query import title_query

    def terms(query) -> list:
        if isinstance(query, q.Term):
            return [query]
        return [t for sub in getattr(query, "subqueries", []) for t in terms(sub)]

    assert len(terms(title_query("ครู " * 30 + "กา" * 50))) <= 3
