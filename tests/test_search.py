"""Thai full-text search: the analyzer and query rules on a real Whoosh index, then the index kept
in step with the database (outbox, reindex, crash, concurrency), permissions, the page, the
suggestions and the JSON API."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from nitet_online.search.engine import Document, IndexStore
from tests.conftest import build_app

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _user_of_each_request():
    """With the app context of `app_context` kept open, Flask shares `g` between requests, and
    Flask-Login would keep the first request's user; forget it so each request has its own."""
    from flask import g, request_started

    def forget(sender, **extra) -> None:
        g.pop("_login_user", None)

    request_started.connect(forget)
    yield
    request_started.disconnect(forget)


# The engine on its own -------------------------------------------------------------------------
@pytest.fixture
def store(tmp_path):
    return IndexStore(tmp_path / "index")


def index_texts(store: IndexStore, texts: dict[int, str], titles: dict[int, str] | None = None):
    titles = titles or {}
    with store.writing():
        store.rebuild(
            Document("knowledge", n, titles.get(n, ""), f"/k/{n}", text)
            for n, text in texts.items()
        )


def found(store: IndexStore, query: str) -> list[int]:
    return [hit.id for hit in store.search(query, per_page=50).hits]


def test_a_word_in_the_middle_of_a_thai_sentence_is_found(store):
    index_texts(
        store,
        {
            1: "นักเรียนชั้นประถมศึกษาปีที่หนึ่งฝึกแจกลูกสะกดคำทุกเช้าก่อนเข้าเรียน",
            2: "โรงเรียนจัดกิจกรรมวันภาษาไทยแห่งชาติ",
        },
    )
    assert found(store, "สะกดคำ") == [1]
    assert found(store, "ทุกเช้า") == [1]
    assert found(store, "ภาษาไทย") == [2]


def test_a_part_of_a_dictionary_compound_is_found(store):
    # ผู้บริหารสถานศึกษา, ครูผู้สอน and การพัฒนา may each be one word of the dictionary.
    index_texts(
        store,
        {
            1: "ผู้บริหารสถานศึกษาต้องเยี่ยมชั้นเรียนอย่างสม่ำเสมอ",
            2: "ครูผู้สอนจัดทำแผนการจัดการเรียนรู้",
            3: "การพัฒนาผู้เรียนเป็นเป้าหมายหลัก",
        },
    )
    assert found(store, "ผู้บริหาร") == [1]
    assert found(store, "สถานศึกษา") == [1]
    assert found(store, "ผู้สอน") == [2]
    assert found(store, "พัฒนา") == [3]


def test_short_words_are_searchable(store):
    index_texts(
        store,
        {
            1: "ครูประจำชั้นสอนเสริมหลังเลิกเรียน",
            2: "ผลงานของนักเรียนจัดแสดงในงานวันวิชาการ",
            3: "ผู้ปกครองมารับบุตรหลาน",
        },
    )
    assert found(store, "ครู") == [1]
    assert found(store, "สอน") == [1]
    assert set(found(store, "งาน")) == {2}
    assert found(store, "ผล") == [2]


def test_a_coincidental_substring_ranks_below_real_words(store):
    index_texts(
        store,
        {
            1: "ครูจัดตารางสอนใหม่ทุกภาคเรียน",  # ตา only inside ตาราง
            2: "การตรวจสายตานักเรียนประจำปี",  # ตา as part of สายตา
            3: "นักเรียนปวดตาเมื่อใช้โทรศัพท์นาน",  # ตา as a word
        },
    )
    results = found(store, "ตา")
    assert set(results[:2]) == {2, 3}
    assert results[-1] == 1  # still found: nothing that contains the letters is missed


def test_a_typed_phrase_must_appear_in_that_order(store):
    index_texts(
        store,
        {
            1: "การจัดการเรียนรู้เชิงรุกช่วยให้นักเรียนลงมือทำ",
            2: "นักเรียนเรียนรู้เชิงลึกและครูจัดการชั้นเรียนได้ดี",
        },
    )
    # Written without spaces, จัดการเรียนรู้ means those words together (the text splits them as
    # การ|จัด|การเรียนรู้, the query as จัดการ|เรียนรู้).
    assert found(store, "จัดการเรียนรู้") == [1]
    assert found(store, "การจัดการเรียนรู้เชิงรุก") == [1]
    # Separated by a space: both words, anywhere.
    assert set(found(store, "จัดการ เรียนรู้")) == {1, 2}
    assert found(store, "เรียนรู้ -เชิงรุก") == [2]


def test_the_same_text_written_with_a_space_inside_is_found(store):
    index_texts(store, {1: "การประชุมผู้บริหาร สถานศึกษา ประจำเดือน"})
    assert found(store, "ผู้บริหารสถานศึกษา") == [1]


def test_half_typed_words_and_names_are_found_through_the_vocabulary(store):
    index_texts(store, {1: "ศึกษานิเทศก์วิไลวรรณออกนิเทศโรงเรียนบ้านควนขนุน"})
    assert found(store, "วิไลวรรณ") == [1]
    assert found(store, "นิเทศก์") == [1]
    assert found(store, "ควนขนุ") == [1]


def test_searching_does_not_wait_for_a_writer(store):
    """A writer (the outbox drain) may hold the write lock while it waits for a database
    connection that searching requests hold: searches must not need that lock, or a busy server
    deadlocks until the pool times out."""
    index_texts(store, {1: "ศึกษานิเทศก์วิไลวรรณออกนิเทศโรงเรียนบ้านควนขนุน"})
    writing, release = threading.Event(), threading.Event()

    def writer() -> None:
        with store.writing():
            writing.set()
            release.wait(60)

    holder = threading.Thread(target=writer)
    holder.start()
    assert writing.wait(30)
    results: list[list[int]] = []
    searcher = threading.Thread(target=lambda: results.append(found(store, "ควนขนุ")))
    searcher.start()
    searcher.join(30)  # a deadlock shows as a search still waiting
    finished = not searcher.is_alive()
    release.set()
    holder.join()
    searcher.join()
    assert finished, "the search waited for the writer's lock"
    assert results == [[1]]


def test_latin_words_are_lower_cased_and_stemmed(store):
    index_texts(store, {1: "Teachers practise Speaking in the PLC meeting", 2: "ครูภาษาไทย"})
    assert found(store, "speaks") == [1]
    assert found(store, "plc") == [1]
    both = store.search("PLC ไทย")
    assert [hit.id for hit in both.hits] == [] or both.relaxed
    # No text has both words: the page says so and shows those with either of them.
    assert both.relaxed and {hit.id for hit in both.hits} == {1, 2}


def test_title_matches_rank_first(store):
    index_texts(
        store,
        {1: "เนื้อหาเรื่องอื่นที่กล่าวถึงสะเต็มศึกษาเพียงครั้งเดียว", 2: "กิจกรรมในห้องเรียน"},
        titles={1: "การประชุมประจำเดือน", 2: "สะเต็มศึกษาในโรงเรียนขนาดเล็ก"},
    )
    assert found(store, "สะเต็มศึกษา") == [2, 1]


def test_snippets_mark_thai_words_and_escape_html(store):
    from nitet_online.search.engine import add_snippets

    index_texts(store, {1: "<script>alert(1)</script> ผู้บริหารสถานศึกษาควรให้ข้อมูลย้อนกลับแก่ครู"})
    hit = add_snippets(store.search("ผู้บริหาร")).hits[0]
    assert "<mark>ผู้บริหาร</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet


def test_nothing_typed_finds_nothing(store):
    index_texts(store, {1: "ครู"})
    assert store.search("   ").total == 0
    assert store.search("!!!").total == 0


def test_pythainlp_runs_offline_and_writes_nothing(tmp_path):
    """Segmentation needs no network and writes no data folder (checked in a fresh process
    whose sockets refuse to connect)."""
    script = textwrap.dedent(
        """
        import socket
        def refuse(*args, **kwargs):
            raise RuntimeError("network used")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        from nitet_online.search import analysis
        assert analysis.words("ผู้บริหารสถานศึกษาส่งเสริมการอ่าน")[:2] == ["ผู้บริหาร", "สถานศึกษา"]
        print("ok")
        """
    )
    home = tmp_path / "home"
    home.mkdir()
    environment = {**os.environ, "HOME": str(home), "PYTHONPATH": str(PROJECT_ROOT)}
    environment.pop("PYTHAINLP_DATA", None)
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert list(home.iterdir()) == []  # no ~/pythainlp-data


# The index and the database ---------------------------------------------------------------------
def make_item(title: str, body: str, published: bool = True, **fields):
    from nitet_online.extensions import db
    from nitet_online.knowledge.models import Kind, KnowledgeItem, KnowledgeStatus
    from nitet_online.services.thai import utcnow

    item = KnowledgeItem(
        kind=fields.pop("kind", Kind.DOCUMENT),
        title=title,
        body=body,
        status=KnowledgeStatus.PUBLISHED if published else KnowledgeStatus.DRAFT,
        published_at=utcnow() if published else None,
        **fields,
    )
    db.session.add(item)
    db.session.commit()
    return item


def search_ids(query: str, **options) -> list[tuple[str, int]]:
    from nitet_online.search.services import search

    return [(hit.type, hit.id) for hit in search(query, per_page=50, **options).hits]


def test_demo_content_of_every_type_is_indexed(app_context):
    from nitet_online.search.services import reindex

    reindex()
    from nitet_online.search.services import search

    types = {hit.type for hit in search("ครู", per_page=100).hits}
    assert {"knowledge", "news", "question", "best_practice", "honour"} <= types
    assert search("ศึกษานิเทศก์", types=["supervisor"]).total >= 1


def test_drafts_are_found_by_nobody(app_context, login_as):
    from nitet_online.search.services import reindex

    reindex()
    draft = make_item("ร่างคู่มือการเขียนแผนแบบย้อนกลับ", "เนื้อหาเฉพาะคำว่าพิกุลทองคำ", published=False)
    for query in ("พิกุลทองคำ", "ร่างคู่มือการเขียนแผนแบบย้อนกลับ", "แบบย้อนกลับ"):
        assert ("knowledge", draft.id) not in search_ids(query)
        client = app_context.test_client()
        body = client.get(f"/api/v1/search?q={query}&type=knowledge").get_json()
        assert draft.id not in [result["id"] for result in body["results"]]
        assert f"/knowledge/{draft.id}" not in client.get(f"/search?q={query}").get_data(
            as_text=True
        )
        admin = login_as("admin")  # not even for those who may edit it
        assert f"/knowledge/{draft.id}" not in admin.get(f"/search?q={query}").get_data(
            as_text=True
        )
        assert f"/knowledge/{draft.id}" not in admin.get(f"/search/suggest?q={query}").get_data(
            as_text=True
        )


def test_publish_unpublish_edit_and_delete_follow_the_database(app_context):
    from nitet_online.extensions import db
    from nitet_online.knowledge.models import KnowledgeStatus
    from nitet_online.search.services import reindex

    reindex()
    item = make_item("การสอนว่ายน้ำเพื่อเอาชีวิตรอด", "ทักษะชีวิตของเด็กริมทะเลสาบ", published=False)
    key = ("knowledge", item.id)
    assert key not in search_ids("ว่ายน้ำ")
    item.status = KnowledgeStatus.PUBLISHED
    db.session.commit()
    assert key in search_ids("ว่ายน้ำ")
    item.body = "ทักษะชีวิตของเด็กริมคลองและทะเล ลอยตัวในน้ำ"
    db.session.commit()
    assert key in search_ids("ลอยตัว") and key not in search_ids("ทะเลสาบ")
    item.status = KnowledgeStatus.DRAFT
    db.session.commit()
    assert key not in search_ids("ว่ายน้ำ")
    item.status = KnowledgeStatus.PUBLISHED
    db.session.commit()
    db.session.delete(item)
    db.session.commit()
    assert key not in search_ids("ว่ายน้ำ")


def test_reindex_restores_a_deleted_index(app_context):
    import shutil

    from nitet_online.search.services import reindex, store

    reindex()
    item = make_item("ธนาคารความดีของโรงเรียน", "บันทึกความดีของนักเรียนทุกวัน")
    shutil.rmtree(store().root)
    runner = app_context.test_cli_runner()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "search index rebuilt" in result.output
    assert ("knowledge", item.id) in search_ids("ธนาคารความดี")


def test_a_corrupt_index_is_rebuilt_on_the_next_search(app_context):
    from nitet_online.search.services import reindex, store

    reindex()
    folder = store().current.resolve()
    for path in folder.glob("*.toc"):
        path.write_bytes(b"garbage")
    store().drop_searchers()
    assert search_ids("ศึกษานิเทศก์")  # rebuilt from the database, then answered


def test_health_check_answers_only_with_a_working_index(app_context):
    import shutil

    from nitet_online.search.services import store

    client = app_context.test_client()
    response = client.get("/healthz")  # no index yet: built, then answered
    assert response.status_code == 200
    assert response.get_json()["checks"]["search"] == "ok"
    shutil.rmtree(store().root)
    assert client.get("/healthz").get_json()["checks"]["search"] == "ok"
    assert store().exists()


def test_an_update_survives_a_crash_between_commit_and_index_write(demo_app, tmp_path):
    """Commit, then the process "dies" before the index is written (no drain at all); a new
    process on the same database and data folder finds the change waiting and applies it."""
    from nitet_online.extensions import db
    from nitet_online.search.models import SearchOutbox
    from nitet_online.search.services import drain, reindex

    with demo_app.app_context():
        reindex()
    demo_app.config["SEARCH_AUTO_DRAIN"] = False  # the crash: nothing runs after the commit
    with demo_app.app_context():
        item = make_item("โรงเรียนปลอดขยะพลาสติก", "คัดแยกขยะและลดการใช้ถุงพลาสติก")
        item_id = item.id
        assert db.session.scalar(
            select(func.count()).select_from(SearchOutbox).where(SearchOutbox.doc_id == item_id)
        )
        assert ("knowledge", item_id) not in search_ids("ขยะพลาสติก")
        database_url = str(db.engine.url.render_as_string(hide_password=False))
    restarted = build_app(Path(demo_app.config["DATA_DIR"]), database_url)
    with restarted.app_context():
        assert drain() >= 1
        assert ("knowledge", item_id) in search_ids("ขยะพลาสติก")
        waiting = select(func.count()).select_from(SearchOutbox)
        assert not db.session.scalar(waiting.where(SearchOutbox.doc_id == item_id))
        db.session.remove()
        db.engine.dispose()


def test_a_rolled_back_change_leaves_nothing_in_the_outbox(app_context):
    from nitet_online.extensions import db
    from nitet_online.knowledge.models import Kind, KnowledgeItem, KnowledgeStatus
    from nitet_online.search.models import SearchOutbox

    before = db.session.scalar(select(func.count()).select_from(SearchOutbox))
    db.session.add(
        KnowledgeItem(kind=Kind.DOCUMENT, title="ไม่บันทึก", status=KnowledgeStatus.PUBLISHED)
    )
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == before


def test_writers_in_other_processes_wait_for_the_lock(app_context):
    """Another process holding the writer lock makes a drain wait, not fail or corrupt."""
    from nitet_online.search.services import drain, reindex, store

    reindex()
    script = textwrap.dedent(
        f"""
        import time
        from nitet_online.search.engine import IndexStore
        with IndexStore({str(store().root)!r}).writing():
            print("locked", flush=True)
            sys.stdin.readline()  # holds the lock until the test says "release"
        """
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys\n" + script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        app_context.config["SEARCH_AUTO_DRAIN"] = False
        item = make_item("เครือข่ายครูคณิตศาสตร์", "แลกเปลี่ยนสื่อทำมือ")
        drained: list[int] = []
        app = app_context

        def drain_in_app() -> None:
            with app.app_context():
                drained.append(drain())

        drainer = threading.Thread(target=drain_in_app)
        drainer.start()
        drainer.join(timeout=0.5)
        assert drainer.is_alive() and not drained  # waiting for the other writer
        holder.stdin.write("release\n")
        holder.stdin.flush()
        drainer.join(timeout=30)
        assert drained and drained[0] >= 1
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert ("knowledge", item.id) in search_ids("สื่อทำมือ")


def test_concurrent_writers_keep_the_index_whole(app_context):
    from nitet_online.search.services import reindex, store

    reindex()
    app = app_context
    errors = []

    def writer(number: int) -> None:
        try:
            with app.app_context():
                for round_ in range(3):
                    make_item(f"บันทึกพร้อมกัน {number}-{round_}", f"ข้อความทดสอบพร้อมกันรหัส{number}")
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(search_ids("บันทึกพร้อมกัน")) == 12
    assert store().doc_count() >= 12


def test_a_scheduled_news_post_appears_when_it_is_due(app_context):
    from nitet_online.extensions import db
    from nitet_online.news.models import NewsCategory, NewsPost, NewsStatus
    from nitet_online.search.services import drain, reindex
    from nitet_online.services.thai import utcnow

    reindex()
    post = NewsPost(
        title="ประกาศรับสมัครครูแกนนำวิทยาการคำนวณ",
        summary="รับสมัครถึงสิ้นเดือน",
        body="รายละเอียดการรับสมัครครูแกนนำเทศกาลโคมลอย",
        category=NewsCategory.ANNOUNCEMENT,
        status=NewsStatus.PUBLISHED,
        publish_at=utcnow() + timedelta(seconds=0.5),
    )
    db.session.add(post)
    db.session.commit()
    assert ("news", post.id) not in search_ids("เทศกาลโคมลอย")
    while utcnow() <= post.publish_at:  # until the publication time has come
        time.sleep(0.02)
    drain()  # what the drain job does every minute
    assert ("news", post.id) in search_ids("เทศกาลโคมลอย")


def test_an_anonymous_askers_name_never_reaches_the_index(app_context):
    from nitet_online.accounts.models import User
    from nitet_online.extensions import db
    from nitet_online.questions.models import Question
    from nitet_online.search.services import reindex, search

    reindex()
    teacher = db.session.scalar(select(User).where(User.username == "teacher1"))
    question = Question(
        title="ทำอย่างไรเมื่อนักเรียนไม่ส่งการบ้านติดต่อกัน",
        body="ขอคำแนะนำค่ะ",
        author_id=teacher.id,
        is_anonymous=True,
    )
    db.session.add(question)
    db.session.commit()
    assert ("question", question.id) in search_ids("ไม่ส่งการบ้าน")
    for name in (teacher.first_name, teacher.last_name, teacher.full_name):
        results = search(name, types=["question"], per_page=100)
        assert question.id not in [hit.id for hit in results.hits]


def test_answers_are_searched_with_their_question(app_context):
    from nitet_online.accounts.models import User
    from nitet_online.extensions import db
    from nitet_online.questions.models import Answer, Question
    from nitet_online.search.services import reindex

    reindex()
    supervisor = db.session.scalar(select(User).where(User.username == "supervisor1"))
    question = Question(title="สอนอ่านเด็กที่ไม่รู้จักพยัญชนะ", body="เริ่มอย่างไรดี")
    db.session.add(question)
    db.session.commit()
    answer = Answer(question=question, author_id=supervisor.id, body="ใช้บัตรภาพพยัญชนะคู่กับเพลงกอไก่")
    db.session.add(answer)
    db.session.commit()
    assert ("question", question.id) in search_ids("เพลงกอไก่")
    answer.is_hidden = True
    db.session.commit()
    assert ("question", question.id) not in search_ids("เพลงกอไก่")


# The page, the suggestions and the API -----------------------------------------------------------
def test_search_page_groups_highlights_and_filters(app_context):
    from nitet_online.search.services import reindex

    reindex()
    client = app_context.test_client()
    page = client.get("/search?q=การอ่าน").get_data(as_text=True)
    assert "<mark>การอ่าน</mark>" in page
    assert "คลังความรู้" in page and "ถาม-ตอบ" in page  # type tabs with counts
    only = client.get("/search?q=การอ่าน&type=knowledge").get_data(as_text=True)
    assert "badge-type-question" not in only
    assert client.get("/search?q=การอ่าน&sort=date&page=2").status_code == 200
    area = client.get("/search?q=การอ่าน&area=thai").get_data(as_text=True)
    assert "badge-type-" in area
    from nitet_online.services.thai import be_year, today_bangkok

    this_year = client.get(f"/search?q=การอ่าน&year={be_year(today_bangkok().year)}")
    assert "badge-type-" in this_year.get_data(as_text=True)
    assert "ไม่พบผลการค้นหา" in client.get("/search?q=การอ่าน&year=2500").get_data(as_text=True)


def test_no_results_page_helps(app_context):
    page = app_context.test_client().get("/search?q=qqxxzzq ฮฮฮฮ").get_data(as_text=True)
    assert "ไม่พบผลการค้นหา" in page
    assert "ตรวจการสะกด" in page
    assert "ถามศึกษานิเทศก์" in page


def test_a_header_box_is_on_every_page_with_suggestions(app_context):
    from nitet_online.search.services import reindex

    reindex()
    client = app_context.test_client()
    home = client.get("/").get_data(as_text=True)
    assert 'action="/search"' in home and "data-search-suggest" in home and "js/search.js" in home
    suggestions = client.get("/search/suggest?q=ผู้บริ").get_json()["suggestions"]
    assert suggestions and all("<mark>" in s["html"] for s in suggestions)
    assert all({"type", "title", "url", "html", "label"} <= set(s) for s in suggestions)
    assert client.get("/search/suggest?q=ก").get_json() == {"suggestions": []}


def test_json_api_shape(app_context):
    from nitet_online.search.services import reindex

    reindex()
    client = app_context.test_client()
    body = client.get("/api/v1/search?q=การอ่าน&type=knowledge&page=1&per_page=3").get_json()
    assert set(body) == {"total", "results", "suggestion"}  # suggestion: คุณหมายถึง (or None)
    assert body["total"] >= 1 and 1 <= len(body["results"]) <= 3
    for result in body["results"]:
        assert set(result) == {"type", "id", "title", "url", "snippet"}
        assert result["type"] == "knowledge" and result["url"].startswith("/knowledge/")
    assert client.get("/api/v1/search?q=การอ่าน&per_page=500").status_code == 400
    assert "error" in client.get("/api/v1/search?q=x&type=secret").get_json()
    assert client.get("/api/v1/search").get_json() == {
        "total": 0,
        "results": [],
        "suggestion": None,
    }


def test_search_service_contract_for_other_features(app_context):
    from nitet_online.search.services import search

    results = search("อ่าน", types=["question"], per_page=5)
    assert results.total >= len(results.hits)
    for hit in results.hits:
        assert hit.type == "question"
        assert {hit.type, hit.id, hit.title, hit.url, hit.snippet, hit.score}


def test_the_fast_evaluator_finds_what_whoosh_finds(store):
    """fastsearch reads Whoosh's posting blocks directly; the documents it matches must be
    exactly those Whoosh's own searcher matches for the same query (incl. deletions)."""
    from nitet_online.search.fastsearch import Evaluator, SegmentCache
    from nitet_online.search.query import parse, relaxed_queries, strict_query

    texts = {
        n: text
        for n, text in enumerate(
            [
                "ครูผู้สอนจัดการเรียนรู้เชิงรุก",
                "ผู้บริหารสถานศึกษาเยี่ยมชั้นเรียน",
                "การจัดการเรียนรู้แบบโครงงาน PLC",
                "ตารางสอนภาคเรียนที่หนึ่ง",
                "นักเรียนปวดตาเพราะใช้โทรศัพท์",
                "ผลสัมฤทธิ์ทางการเรียนคณิตศาสตร์",
            ]
            * 40
        )
    }
    index_texts(store, texts)
    with store.writing():  # a second segment with deletions, as after incremental updates
        store.apply(
            [Document("knowledge", 1000, "ครูใหม่", "/k/1000", "ครูสอนอ่าน")],
            [f"knowledge:{n}" for n in range(0, 240, 7)],
        )
    queries = ["ครู", "จัดการเรียนรู้", "ผู้บริหาร -ครู", "PLC โครงงาน", "ตา", "คณิตศาสตร์ ครู"]
    with store.searcher() as searcher:
        evaluator = Evaluator(searcher, SegmentCache())
        for text in queries:
            parsed = parse(text)
            for whoosh_query in [strict_query(parsed), *relaxed_queries(parsed)]:
                ours = set(evaluator.run(whoosh_query).ids.tolist())
                theirs = set(searcher.search(whoosh_query, limit=None).docs())
                assert ours == theirs, text


def test_the_drain_job_applies_changes_right_after_the_commit(databases, tmp_path):
    """As in production: the server process runs the background jobs; the "search.drain" job
    builds the index at its first poll, and a commit wakes it (the next poll is a minute away),
    so the change is searchable moments later."""
    from nitet_online.extensions import db
    from nitet_online.jobs.models import JobSchedule
    from nitet_online.jobs.scheduler import start_embedded, stop_embedded

    url = databases.fresh(with_demo=True)
    app = build_app(
        tmp_path / "data",
        url,
        SEARCH_SYNC_INDEXING=False,
        SEARCH_DRAIN_INTERVAL=3600,
        JOBS_POLL_SECONDS=60,
        JOBS_MODE="embedded",
    )
    scheduler = start_embedded(app)
    try:
        assert "search.drain" in scheduler.names
        client = app.test_client()
        with app.app_context():
            first_run = select(JobSchedule.runs).where(JobSchedule.name == "search.drain")
            deadline = time.monotonic() + 60
            while not db.session.scalar(first_run) and time.monotonic() < deadline:
                db.session.rollback()
                time.sleep(0.1)  # waiting for the first poll to finish building the index
            assert db.session.scalar(first_run) == 1
            item = make_item("ห้องเรียนกลับด้านวิชาวิทยาศาสตร์", "นักเรียนดูคลิปที่บ้านเรื่องแรงลอยตัว")
            item_id = item.id
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            body = client.get("/api/v1/search?q=แรงลอยตัว").get_json()
            if item_id in [result["id"] for result in body["results"]]:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the drain job did not apply the change")
    finally:
        stop_embedded(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_long_snippet_is_cut_between_thai_words():
    from nitet_online.search.snippets import snippet

    text = (
        "การนิเทศภายในเป็นหัวใจของการพัฒนาคุณภาพการจัดการเรียนรู้ผู้บริหารสถานศึกษาและครูวิชาการ"
        "ร่วมกันดูแลให้ครูทุกคนได้รับคำแนะนำอย่างต่อเนื่องโดยศึกษานิเทศก์เป็นผู้เสริมพลังจากภายนอก"
    ) * 3
    html = str(snippet(text, ["ผู้บริหาร"], set(), 120))
    assert html.startswith("… คุณภาพ") and html.endswith(" …")
    assert "<mark>ผู้บริหาร</mark>" in html
