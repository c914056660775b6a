"""Search forgives what people get wrong (issue 14, finding 4): a misspelt query is offered the
spelling the index knows (คุณหมายถึง), a phrase with a word more or less still finds the texts
that nearly hold it (below the exact ones), and the pieces a misspelt word falls into are never
marked inside other words."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from nitet_online.search.engine import Document, IndexStore, add_snippets
from nitet_online.search.snippets import snippet
from nitet_online.search.spelling import distance, skeleton

TEXTS = {
    1: "คู่มือการนิเทศภายในสถานศึกษาสำหรับศึกษานิเทศก์และผู้บริหารสถานศึกษา",
    2: "ผู้บริหารโรงเรียนควรสังเกตการสอนของครูอย่างสม่ำเสมอ",
    3: "กิจกรรมวันภาษาไทยของนักเรียนชั้นอนุบาล",
    4: "นักเรียนฝึกสมาธิก่อนเรียนทุกเช้า ครูจัดตารางเรียนใหม่",
    5: "การพัฒนาผู้เรียนด้วยการจัดการเรียนรู้เชิงรุก",
    6: "แนวทางการประเมินคุณภาพผู้เรียนระดับประถมศึกษา",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = IndexStore(tmp_path_factory.mktemp("forgiving") / "index")
    with store.writing():
        store.rebuild(Document("knowledge", n, "", f"/k/{n}", t) for n, t in TEXTS.items())
    return store


# คุณหมายถึง ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed, meant",
    [
        ("การนิเทส", "การนิเทศ"),  # ส for ศ at the end of a word (the issue's own example)
        ("ผู่บริหาร", "ผู้บริหาร"),  # the wrong tone mark
        ("ภาสาไทย", "ภาษาไทย"),  # ส for ษ
        ("สมาทิ", "สมาธิ"),  # ท for ธ
        ("สังเกด", "สังเกต"),  # a final consonant: ด for ต
        ("อนุบาน", "อนุบาล"),  # a final consonant: น for ล
        ("ตารางเรียนไหม่", "ตารางเรียนใหม่"),  # ไ for ใ, inside a phrase
        ("การจัดการเรียนรู้เชิงรุค", "การจัดการเรียนรู้เชิงรุก"),  # the last word of a phrase
    ],
)
def test_a_misspelt_query_is_offered_the_spelling_of_the_index(store, typed, meant):
    results = store.search(typed, with_suggestion=True)
    assert results.suggestion == meant
    assert store.search(meant).total >= 1  # the suggestion finds something as typed


def test_no_suggestion_for_a_query_found_as_typed_or_with_nothing_close(store):
    assert store.search("การนิเทศ", with_suggestion=True).suggestion is None
    assert store.search("สมาธิ", with_suggestion=True).suggestion is None
    assert store.search("ฟหกดฟหกด", with_suggestion=True).suggestion is None
    # a suggestion that would itself find nothing is not offered (no text has both together)
    assert store.search("การประเมินนิเทส", with_suggestion=True).suggestion is None
    # only when asked (similar questions, related items do not pay for it)
    assert store.search("การนิเทส").suggestion is None


def test_the_suggestion_respects_the_filters(store):
    from nitet_online.search.engine import Filters

    assert store.search("การนิเทส", Filters(year="2500"), with_suggestion=True).suggestion is None


def test_a_suggestion_keeps_quotes_and_exclusions(store):
    results = store.search('"ผู่บริหาร โรงเรียน" -อนุบาน', with_suggestion=True)
    assert results.suggestion == '"ผู้บริหาร โรงเรียน" -อนุบาล'


def test_thai_slips_cost_little_and_share_a_skeleton():
    assert skeleton("การนิเทส") == skeleton("การนิเทศ")
    assert skeleton("นิเทศก์") == skeleton("นิเทศ")  # a silent letter is not read
    assert distance("ผู่", "ผู้") < distance("นิเทส", "นิเทศ") < distance("นิเทส", "นิเวศ")
    assert distance("ไหม่", "ใหม่") <= 0.1
    assert distance("อนุบาน", "อนุบาล") < 1  # a final น for ล
    assert distance("นาง", "ลาง") == 1  # but not at the start of a syllable


# Fragments: ranked below real words, never marked inside other words --------------------------
def test_real_words_rank_above_the_fragments_of_a_misspelt_word(store):
    # การประเมินนิเทส: การประเมิน | นิ | เท | ส. นิ and เท are inside นิเทศ (text 1) by letters
    # only; the text with the real word การประเมิน comes first, the fragments find nothing.
    results = add_snippets(store.search("การประเมินนิเทส"))
    assert [hit.id for hit in results.hits][:1] == [6]
    assert 1 not in [hit.id for hit in results.hits]
    assert "<mark>การประเมิน</mark>" in results.hits[0].snippet


def test_a_misspelt_word_of_fragments_only_is_suggested_and_nothing_is_marked(store):
    # การ | นิ | เท | ส: nothing but the fragments to look for, inside words (ศึกษานิเทศก์); the
    # texts found so are shown under the suggestion, with no letters marked inside their words
    results = add_snippets(store.search("การนิเทส", with_suggestion=True))
    assert results.suggestion == "การนิเทศ"
    assert results.relaxed and 1 in [hit.id for hit in results.hits]
    assert not any("<mark>" in hit.snippet + hit.title_html for hit in results.hits)


def test_fragments_are_marked_only_as_whole_words():
    text = "ศึกษานิเทศก์ออกนิเทศโรงเรียน ส่วนน้องนิ เป็นนักเรียนชั้น ป.2"
    marked = str(snippet(text, ["การนิเทส"], set(), fallback=["นิ", "เท"], fragments={"นิ", "เท"}))
    assert "<mark>เท</mark>" not in marked
    assert marked.count("<mark>นิ</mark>") == 1  # น้อง|นิ: a word of its own
    assert "ศึกษานิเทศก์ออกนิเทศ" in marked


def test_the_query_words_are_not_marked_inside_other_words(store):
    # สมาทิ is สมา|ทิ: สมา is no word of สมาธิ, so nothing in it is marked
    results = add_snippets(store.search("สมาทิ"))
    assert [hit.id for hit in results.hits] == [4]
    assert "<mark>" not in results.hits[0].snippet
    # but a word of the query that is a word (or a part of a compound) of the text is
    results = add_snippets(store.search("ผู่บริหาร"))
    assert all("<mark>บริหาร</mark>" in hit.snippet for hit in results.hits)


# Phrases found nearly ------------------------------------------------------------------------
PLC_TEXTS = {
    1: "บันทึกการแลกเปลี่ยนเรียนรู้ในชุมชนแห่งการเรียนรู้ทางวิชาการ ควรระบุประเด็นปัญหา",
    2: "ชุมชนการเรียนรู้ทางวิชาชีพหรือ PLC เป็นกระบวนการที่ครูรวมกลุ่มกันศึกษาปัญหา",
    3: "ศูนย์การเรียนรู้เศรษฐกิจพอเพียงเปิดให้ชุมชนเข้ามาศึกษาดูงาน",  # both words, apart
    4: "การจัดการเรียนรู้เชิงรุกให้นักเรียนลงมือทำ",
}


@pytest.fixture(scope="module")
def plc_store(tmp_path_factory):
    store = IndexStore(tmp_path_factory.mktemp("plc") / "index")
    with store.writing():
        store.rebuild(Document("knowledge", n, "", f"/k/{n}", t) for n, t in PLC_TEXTS.items())
    return store


def test_a_phrase_found_by_few_also_shows_the_texts_that_nearly_hold_it(plc_store):
    results = plc_store.search("ชุมชนแห่งการเรียนรู้")
    assert [(hit.id, hit.nearby) for hit in results.hits] == [(1, False), (2, True)]
    assert results.exact == 1 and results.total == 2
    # a text with the words far apart is not near
    assert 3 not in [hit.id for hit in results.hits]


def test_nearby_texts_follow_the_exact_ones_on_every_order_and_page(plc_store):
    by_date = plc_store.search("ชุมชนแห่งการเรียนรู้", sort="date")
    assert [hit.nearby for hit in by_date.hits] == [False, True]
    second = plc_store.search("ชุมชนแห่งการเรียนรู้", page=2, per_page=1)
    assert [(hit.id, hit.nearby) for hit in second.hits] == [(2, True)]


def test_no_nearby_texts_when_the_phrase_is_found_often_enough(tmp_path):
    store = IndexStore(tmp_path / "index")
    texts = {n: f"ครูกลุ่มที่ {n} ประชุมชุมชนแห่งการเรียนรู้ประจำเดือน" for n in range(1, 6)}
    texts[9] = PLC_TEXTS[2]
    with store.writing():
        store.rebuild(Document("knowledge", n, "", f"/k/{n}", t) for n, t in texts.items())
    results = store.search("ชุมชนแห่งการเรียนรู้")
    assert sorted(hit.id for hit in results.hits) == [1, 2, 3, 4, 5]
    assert not any(hit.nearby for hit in results.hits)


# The page and the API ------------------------------------------------------------------------
def test_the_api_answers_a_suggestion(app_context):
    from nitet_online.search.services import reindex

    reindex()
    client = app_context.test_client()
    body = client.get("/api/v1/search?q=การนิเทส").get_json()
    assert set(body) == {"total", "results", "suggestion"} and body["suggestion"] == "การนิเทศ"
    assert all("<mark>นิ</mark>" not in result["snippet"] for result in body["results"])
    found = client.get("/api/v1/search?q=การนิเทศ").get_json()
    assert set(found) == {"total", "results", "suggestion"}
    assert found["total"] >= 1 and found["suggestion"] is None


def test_the_page_says_did_you_mean_in_thai_and_links_it(app_context):
    from nitet_online.search.services import reindex

    reindex()
    client = app_context.test_client()
    page = client.get("/search?q=การนิเทส&type=knowledge").get_data(as_text=True)
    assert "คุณหมายถึง" in page
    assert "<mark>นิ</mark>" not in page and "<mark>เท</mark>" not in page  # ศึกษา[นิ][เท]ศก์
    link = re.search(r'คุณหมายถึง <a href="([^"]+)"[^>]*><strong>การนิเทศ</strong></a>', page)
    assert link, page
    asked = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)
    assert asked == {"q": ["การนิเทศ"], "type": ["knowledge"]}  # the filters are kept
    following = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "<mark>การนิเทศ</mark>" in following and "คุณหมายถึง" not in following


def test_the_page_shows_nearby_results_under_their_own_heading(app_context):
    from nitet_online.search.services import reindex
    from tests.test_search import make_item

    make_item("บันทึกชุมชนแห่งการเรียนรู้ทางวิชาการ", "ครูแลกเปลี่ยนเรียนรู้ทุกสัปดาห์")
    make_item("ชุมชนการเรียนรู้ทางวิชาชีพในโรงเรียนขนาดเล็ก", "วงจร PLC ของครู")
    reindex()
    page = (
        app_context.test_client()
        .get("/search?q=ชุมชนแห่งการเรียนรู้&type=knowledge")
        .get_data(as_text=True)
    )
    exact = page.index("บันทึก<mark>ชุมชนแห่งการเรียนรู้</mark>ทางวิชาการ")
    heading = page.index("ผลลัพธ์ที่ใกล้เคียง")
    near = page.index("การเรียนรู้ทางวิชาชีพในโรงเรียนขนาดเล็ก")
    assert exact < heading < near
    assert page.count("ผลลัพธ์ที่ใกล้เคียง") == 1


def test_suggestions_follow_the_changes_of_the_index(tmp_path):
    store = IndexStore(tmp_path / "index")
    with store.writing():
        store.rebuild([Document("knowledge", 1, "", "/k/1", TEXTS[3])])
    assert store.search("อนุบาน", with_suggestion=True).suggestion == "อนุบาล"
    assert store.search("สมาทิ", with_suggestion=True).suggestion is None
    with store.writing():
        store.apply([Document("knowledge", 2, "", "/k/2", TEXTS[4])], ["knowledge:1"])
    assert store.search("อนุบาน", with_suggestion=True).suggestion is None  # gone
    assert store.search("สมาทิ", with_suggestion=True).suggestion == "สมาธิ"  # new


def test_the_manual_explains_did_you_mean_and_nearby_results(app_context):
    page = app_context.test_client().get("/manual/public").get_data(as_text=True)
    assert "คุณหมายถึง" in page and "ผลลัพธ์ที่ใกล้เคียง" in page
