"""คลังความรู้: adding with files (text read, PDF preview), review by supervisors, who sees what,
counts, the list's filters, import from CSV and JSON Lines, and FAQ from a resolved question."""

from __future__ import annotations

import io
import json
import logging

import pytest
from sqlalchemy import select

from nitet_online.extensions import db
from nitet_online.knowledge.models import Kind, KnowledgeFile, KnowledgeItem, KnowledgeStatus
from tests.files import docx_bytes, xlsx_bytes


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


def thai_pdf(*paragraphs: str) -> bytes:
    from nitet_online.knowledge.demo import thai_pdf as make

    return make(list(paragraphs))


def form(**overrides) -> dict:
    data = {
        "kind": "document",
        "title": "คู่มือการวัดผลตามสภาพจริง",
        "description": "แนวทางสำหรับครูประถม",
        "body": "การประเมินด้วย **ชิ้นงาน** และแฟ้มสะสมงาน",
        "learning_area_id": "0",
        "tags": "วัดผล, รูบริก",
        "co_authors": "นางสาวกาญจนา ทองสุข",
        "links": "",
        "licence": "cc-by",
        "rights_note": "",
        "action": "publish",
    }
    data.update(overrides)
    return data


def item_titled(title: str) -> KnowledgeItem | None:
    return db.session.scalar(select(KnowledgeItem).where(KnowledgeItem.title == title))


def search_ids(query: str) -> list[int]:
    from nitet_online.search.services import search

    return [hit.id for hit in search(query, types=["knowledge"], per_page=50).hits]


@pytest.fixture
def indexed(app_context):
    from nitet_online.search.services import reindex

    reindex()
    return app_context


# Adding, files and search -----------------------------------------------------------------------
def test_text_inside_an_uploaded_pdf_is_found(indexed, login_as):
    client = login_as("supervisor1")
    pdf = thai_pdf("รายงานการนิเทศ", "นักเรียนปลูกต้นกล้าไม้ยางนาในแปลงเกษตรของโรงเรียน")
    response = client.post(
        "/knowledge/new",
        data=form(title="รายงานโครงการสวนป่าในโรงเรียน", files=(io.BytesIO(pdf), "รายงาน.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    item = item_titled("รายงานโครงการสวนป่าในโรงเรียน")
    assert item.status == KnowledgeStatus.PUBLISHED
    assert item.files[0].text_status == "ok" and "ต้นกล้า" in item.files[0].text
    assert item.id in search_ids("ต้นกล้าไม้ยางนา")  # only in the PDF
    assert item.id in search_ids("ยางนา")
    # The detail page offers a preview of the first page, rendered to PNG next to the file.
    page = client.get(item.url).get_data(as_text=True)
    assert f"/knowledge/{item.id}/files/{item.files[0].id}/preview.png" in page
    preview = client.get(f"/knowledge/{item.id}/files/{item.files[0].id}/preview.png")
    assert preview.status_code == 200 and preview.data.startswith(b"\x89PNG")


def test_word_excel_and_images_are_accepted_and_read(indexed, login_as):
    client = login_as("staff1")
    from tests.files import jpeg_with_exif

    response = client.post(
        "/knowledge/new",
        data=form(
            title="ชุดสื่อการสอนคละไฟล์",
            files=[
                (io.BytesIO(docx_bytes("แผนการสอนเรื่องมาตราตัวสะกดแม่กบ")), "แผน.docx"),
                (io.BytesIO(xlsx_bytes()), "คะแนน.xlsx"),
                (io.BytesIO(jpeg_with_exif(800, 600)), "ภาพกิจกรรม.jpg"),
            ],
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    item = item_titled("ชุดสื่อการสอนคละไฟล์")
    by_name = {f.upload.original_name: f for f in item.files}
    assert by_name["แผน.docx"].text_status == "ok"
    assert by_name["คะแนน.xlsx"].text_status == "ok" and "คะแนน" in by_name["คะแนน.xlsx"].text
    assert by_name["ภาพกิจกรรม.jpg"].upload.is_image
    assert item.id in search_ids("มาตราตัวสะกด")
    page = client.get(item.url).get_data(as_text=True)
    assert by_name["ภาพกิจกรรม.jpg"].upload.url("medium") in page  # images inline


def test_a_broken_file_is_logged_and_the_item_still_saves(indexed, login_as, caplog, monkeypatch):
    # Alembic's logging set-up (migrations/env.py) disables the loggers that exist when the test
    # databases are migrated; this test needs the one of knowledge.files back.
    monkeypatch.setattr(logging.getLogger("nitet_online.knowledge.files"), "disabled", False)
    client = login_as("supervisor1")
    broken = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF"
    response = client.post(
        "/knowledge/new",
        data=form(title="ไฟล์เสียแต่รายการยังอยู่", files=(io.BytesIO(broken), "เสีย.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    item = item_titled("ไฟล์เสียแต่รายการยังอยู่")
    assert item.files[0].text_status == "failed"
    assert "text extraction of upload" in caplog.text
    assert item.id in search_ids("ไฟล์เสีย")


def test_bad_input_keeps_what_was_typed(indexed, login_as):
    client = login_as("supervisor1")
    page = client.post("/knowledge/new", data=form(title="", links="ftp://example.com ไฟล์"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "กรุณาใส่ชื่อเรื่อง" in html
    assert "ลิงก์บรรทัดที่ 1 ต้องขึ้นต้นด้วย http:// หรือ https://" in html
    assert "แนวทางสำหรับครูประถม" in html  # the description typed is still there
    executable = client.post(
        "/knowledge/new",
        data=form(title="แนบไฟล์โปรแกรม", files=(io.BytesIO(b"MZ\x90\x00"), "setup.pdf")),
        content_type="multipart/form-data",
    )
    assert executable.status_code == 200
    assert "ไม่อนุญาตให้อัปโหลดไฟล์โปรแกรม" in executable.get_data(as_text=True)
    assert item_titled("แนบไฟล์โปรแกรม") is None


def test_editing_keeps_tags_links_files_and_reindexes(indexed, login_as):
    client = login_as("supervisor1")
    client.post(
        "/knowledge/new",
        data=form(
            title="คู่มือเดิม",
            tags="PLC, การอ่าน",
            links="https://youtu.be/aqz-KE-bpKQ คลิป",
            files=(io.BytesIO(thai_pdf("ไฟล์แนบเดิม", "ข้อความพิเศษคำว่ามะม่วงหิมพานต์")), "เดิม.pdf"),
        ),
        content_type="multipart/form-data",
    )
    item = item_titled("คู่มือเดิม")
    page = client.get(f"/knowledge/{item.id}/edit").get_data(as_text=True)
    assert 'value="คู่มือเดิม"' in page and "PLC, การอ่าน" in page and "youtu.be/aqz-KE-bpKQ" in page
    assert "เดิม.pdf" in page  # the attached file, with a box to remove it
    response = client.post(
        f"/knowledge/{item.id}/edit",
        data=form(
            title="คู่มือฉบับแก้ไข",
            tags="PLC",
            links="",
            action="keep",
            remove_file=str(item.files[0].id),
        ),
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.title == "คู่มือฉบับแก้ไข" and [t.name for t in item.tags] == ["PLC"]
    assert item.links == [] and item.files == [] and item.status == KnowledgeStatus.PUBLISHED
    assert item.id in search_ids("ฉบับแก้ไข")
    assert item.id not in search_ids("มะม่วงหิมพานต์")  # the removed file's text is gone too


def test_youtube_links_are_embedded_without_cookies(indexed, login_as):
    client = login_as("supervisor2")
    client.post(
        "/knowledge/new",
        data=form(
            kind="video",
            title="คลิปการสอนแบบเปิด",
            links="https://youtu.be/aqz-KE-bpKQ ตัวอย่างคลิป\nhttps://www.obec.go.th เว็บไซต์ สพฐ.",
        ),
    )
    item = item_titled("คลิปการสอนแบบเปิด")
    page = client.get(item.url)
    html = page.get_data(as_text=True)
    assert 'src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"' in html
    assert "https://www.obec.go.th" in html
    assert "youtube-nocookie.com" in page.headers["Content-Security-Policy"]


# Review and visibility ----------------------------------------------------------------------------
def test_teachers_send_for_review_and_supervisors_publish(indexed, login_as):
    teacher = login_as("teacher1")
    response = teacher.post("/knowledge/new", data=form(title="เกมบันไดงูเศษส่วน", action="publish"))
    assert "ส่งให้ศึกษานิเทศก์ตรวจ" in teacher.get("/knowledge/new").get_data(as_text=True)
    item = item_titled("เกมบันไดงูเศษส่วน")
    assert response.status_code == 200 and item is None  # a teacher cannot publish
    teacher.post("/knowledge/new", data=form(title="เกมบันไดงูเศษส่วน", action="submit"))
    item = item_titled("เกมบันไดงูเศษส่วน")
    assert item.status == KnowledgeStatus.PENDING
    assert item.id not in search_ids("บันไดงู")
    anonymous = indexed.test_client()
    assert anonymous.get(item.url).status_code == 404
    assert login_as("teacher2").get(item.url).status_code == 404

    supervisor = login_as("supervisor1")
    assert "เกมบันไดงูเศษส่วน" in supervisor.get("/knowledge/pending").get_data(as_text=True)
    supervisor.post(f"/knowledge/{item.id}/return", data={"note": "เพิ่มวิธีเล่นและกติกา"})
    db.session.refresh(item)
    assert item.status == KnowledgeStatus.DRAFT and item.review_note == "เพิ่มวิธีเล่นและกติกา"
    teacher = login_as("teacher1")
    teacher.post(f"/knowledge/{item.id}/status", data={"action": "submit"})
    supervisor = login_as("supervisor1")
    supervisor.post(f"/knowledge/{item.id}/status", data={"action": "publish"})
    db.session.refresh(item)
    assert item.status == KnowledgeStatus.PUBLISHED and item.published_at is not None
    assert item.id in search_ids("บันไดงู")
    assert anonymous.get(item.url).status_code == 200
    # Published, it is the editors' to change: the teacher can no longer edit it.
    assert login_as("teacher1").get(f"/knowledge/{item.id}/edit").status_code == 403


def test_anonymous_people_cannot_add_edit_or_delete(indexed):
    client = indexed.test_client()
    item = db.session.scalar(
        select(KnowledgeItem).where(KnowledgeItem.status == KnowledgeStatus.PUBLISHED)
    )
    assert client.get("/knowledge/new").status_code == 302
    assert client.post(f"/knowledge/{item.id}/delete").status_code == 302
    assert client.post(f"/knowledge/{item.id}/status", data={"action": "draft"}).status_code == 302
    db.session.refresh(item)
    assert item.status == KnowledgeStatus.PUBLISHED


def test_deleting_removes_the_item_its_files_and_its_index_entry(indexed, login_as):
    client = login_as("supervisor1")
    client.post(
        "/knowledge/new",
        data=form(
            title="เอกสารที่จะลบ",
            files=(io.BytesIO(thai_pdf("ลบทิ้ง", "ข้อความเฉพาะคำว่าลำดวน")), "a.pdf"),
        ),
        content_type="multipart/form-data",
    )
    item = item_titled("เอกสารที่จะลบ")
    from nitet_online.uploads.services import file_path

    path = file_path(item.files[0].upload)
    assert path.exists() and item.id in search_ids("ลำดวน")
    assert login_as("teacher2").post(f"/knowledge/{item.id}/delete").status_code == 403
    client = login_as("supervisor1")
    assert client.post(f"/knowledge/{item.id}/delete").status_code == 302
    assert item_titled("เอกสารที่จะลบ") is None
    assert not path.exists()
    assert search_ids("ลำดวน") == []


# Counts and the list --------------------------------------------------------------------------------
def test_views_and_downloads_are_counted(indexed, login_as):
    client = login_as("supervisor1")
    client.post(
        "/knowledge/new",
        data=form(title="แบบบันทึกการนิเทศ", files=(io.BytesIO(thai_pdf("แบบบันทึก")), "บันทึก.pdf")),
        content_type="multipart/form-data",
    )
    item = item_titled("แบบบันทึกการนิเทศ")
    reader = indexed.test_client()
    headers = {"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0"}
    assert reader.get(item.url, headers=headers).status_code == 200
    download = reader.get(f"/knowledge/{item.id}/files/{item.files[0].id}", headers=headers)
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert "attachment" in download.headers["Content-Disposition"]
    assert "filename*=UTF-8''" in download.headers["Content-Disposition"]
    db.session.refresh(item)
    db.session.refresh(item.files[0])
    assert item.view_count == 1 and item.download_count == 1 and item.files[0].download_count == 1
    bot = reader.get(item.url, headers={"User-Agent": "Googlebot/2.1"})
    assert bot.status_code == 200
    db.session.refresh(item)
    assert item.view_count == 1  # the statistics feature does not count bots
    from nitet_online.stats.services import download_count, view_count

    assert view_count("knowledge", item.id) == 1 and download_count("knowledge", item.id) == 1


def test_list_filters_by_kind_area_grade_and_tag(indexed):
    client = indexed.test_client()
    everything = client.get("/knowledge/").get_data(as_text=True)
    assert "แบบฝึกแจกลูกสะกดคำ" in everything
    assert "ร่าง: แผนการจัดการเรียนรู้ภาษาไทย" not in everything  # the demo draft
    research = client.get("/knowledge/?kind=research").get_data(as_text=True)
    assert "ผลการใช้แบบฝึกทักษะการอ่านจับใจความ" in research and "แบบฝึกแจกลูก" not in research
    thai = client.get("/knowledge/?area=thai&grade=ป.1").get_data(as_text=True)
    assert "แบบฝึกแจกลูกสะกดคำ" in thai and "สะเต็มศึกษา" not in thai
    tagged = client.get("/knowledge/?tag=PLC").get_data(as_text=True)
    assert "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)" in tagged and "แบบฝึกแจกลูก" not in tagged
    assert client.get("/knowledge/?sort=downloads").status_code == 200
    assert client.get("/knowledge/?q=PLC").headers["Location"].startswith("/search?q=PLC")


# Import ------------------------------------------------------------------------------------------
CSV = (
    "title,body,description,learning_area,tags,kind\n"
    "การสอนคำควบกล้ำ,ใช้เพลงช่วยจำคำควบกล้ำ กร กล กว,สื่อเพลง,ภาษาไทย,การอ่าน,สื่อ\n"
    ",ไม่มีชื่อเรื่อง,,,,\n"
    'กิจกรรมค่ายคณิตศาสตร์,ฐานเกมคณิตคิดเร็วและปริศนาตัวเลข,,math,"ค่าย, คณิตศาสตร์",\n'
    "ประเภทแปลก,เนื้อหา,,,,ภาพยนตร์\n"
    "กลุ่มสาระไม่มีจริง,เนื้อหา,,ดาราศาสตร์,,\n"
)


def test_cli_import_of_csv_reports_bad_rows_by_line(indexed, tmp_path):
    path = tmp_path / "items.csv"
    path.write_text(CSV, encoding="utf-8")
    result = indexed.test_cli_runner().invoke(args=["knowledge", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "imported 2 items (3 rows rejected)" in result.output
    assert "line 3: ไม่มีชื่อเรื่อง (title)" in result.output
    assert "line 5: ไม่รู้จักประเภท 'ภาพยนตร์'" in result.output
    assert "line 6: ไม่พบกลุ่มสาระการเรียนรู้ 'ดาราศาสตร์'" in result.output
    song = item_titled("การสอนคำควบกล้ำ")
    assert song.kind == Kind.MEDIA and song.learning_area.code == "thai" and song.is_public
    assert item_titled("กิจกรรมค่ายคณิตศาสตร์").learning_area.code == "math"
    assert song.id in search_ids("ควบกล้ำ")  # indexed at once


def test_cli_import_of_jsonl_reports_bad_rows_by_line(indexed, tmp_path):
    lines = [
        json.dumps(
            {"title": "PLC ข้ามโรงเรียน", "body": "รวมกลุ่มครูสามโรงเรียน", "tags": ["PLC"]},
            ensure_ascii=False,
        ),
        "{ไม่ใช่ json",
        json.dumps({"title": "ไม่มีเนื้อหา"}, ensure_ascii=False),
        "",
        json.dumps(["รายการ", "ไม่ใช่ออบเจกต์"], ensure_ascii=False),
        json.dumps(
            {"title": "FAQ การวัดผล", "body": "ถามตอบเรื่องเกณฑ์", "kind": "faq"}, ensure_ascii=False
        ),
    ]
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = indexed.test_cli_runner().invoke(
        args=["knowledge", "import", str(path), "--author", "supervisor2"]
    )
    assert result.exit_code == 0, result.output
    assert "imported 2 items (3 rows rejected)" in result.output
    assert "line 2: ไม่ใช่ JSON ที่ถูกต้อง" in result.output
    assert "line 3: ไม่มีเนื้อหา (body)" in result.output
    assert "line 5:" in result.output
    plc = item_titled("PLC ข้ามโรงเรียน")
    assert plc.author.username == "supervisor2" and [t.name for t in plc.tags] == ["PLC"]
    assert item_titled("FAQ การวัดผล").kind == Kind.FAQ


def test_import_of_an_unreadable_file_is_refused_in_thai(indexed, tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("name,text\nก,ข\n", encoding="utf-8")
    result = indexed.test_cli_runner().invoke(args=["knowledge", "import", str(path)])
    assert result.exit_code != 0 and "ไม่พบคอลัมน์ที่จำเป็น: title, body" in result.output


def test_import_page_for_editors(indexed, login_as):
    assert login_as("teacher1").get("/knowledge/import").status_code == 403
    client = login_as("staff1")
    response = client.post(
        "/knowledge/import",
        data={"file": (io.BytesIO(CSV.encode("utf-8")), "items.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert "นำเข้าแล้ว 2 รายการ" in html and "ไม่ได้นำเข้า 3 แถว" in html
    assert "ไม่มีชื่อเรื่อง (title)" in html


# FAQ from a resolved question -------------------------------------------------------------------
def test_a_resolved_question_becomes_a_draft_faq_without_the_askers_name(indexed, login_as):
    from nitet_online.accounts.models import User
    from nitet_online.questions.models import Answer, Question, QuestionStatus
    from nitet_online.services.thai import utcnow

    teacher = db.session.scalar(select(User).where(User.username == "teacher2"))
    supervisor = db.session.scalar(select(User).where(User.username == "supervisor2"))
    question = Question(
        title="ควรให้การบ้านคณิตศาสตร์วันละกี่ข้อ",
        body="นักเรียน ป.4 บ่นว่าการบ้านเยอะ",
        author_id=teacher.id,
        is_anonymous=True,
        status=QuestionStatus.RESOLVED,
    )
    db.session.add(question)
    db.session.flush()
    db.session.add(
        Answer(
            question=question,
            author_id=supervisor.id,
            body="ห้าถึงแปดข้อพอ เน้นคุณภาพ",
            accepted_at=utcnow(),
        )
    )
    db.session.commit()
    client = login_as("supervisor2")
    page = client.get(question.url).get_data(as_text=True)
    assert "ทำเป็น FAQ ในคลังความรู้" in page
    response = client.post(f"/knowledge/from-question/{question.id}")
    assert response.status_code == 302
    faq = db.session.scalar(
        select(KnowledgeItem).where(KnowledgeItem.source_question_id == question.id)
    )
    assert faq.kind == Kind.FAQ and faq.status == KnowledgeStatus.DRAFT
    assert "ห้าถึงแปดข้อ" in faq.body and supervisor.full_name in faq.co_authors
    assert teacher.first_name not in faq.body + faq.co_authors + faq.description
    assert "ดู FAQ ในคลังความรู้" in client.get(question.url).get_data(as_text=True)
    assert login_as("teacher1").post(f"/knowledge/from-question/{question.id}").status_code == 403


def test_manual_sections_explain_searching_and_adding(indexed):
    client = indexed.test_client()
    assert "ค้นหา" in client.get("/manual/public").get_data(as_text=True)
    assert "นำเข้า" in client.get("/manual/supervisor").get_data(as_text=True)


def test_knowledge_files_are_registered_with_their_item(indexed):
    item = db.session.scalar(select(KnowledgeItem).join(KnowledgeFile))
    assert item is not None and item.documents  # the demo manual with its PDF


def test_statistics_name_knowledge_items(indexed):
    from nitet_online.stats.registry import describe_items

    published = db.session.scalar(
        select(KnowledgeItem).where(KnowledgeItem.status == KnowledgeStatus.PUBLISHED)
    )
    draft = db.session.scalar(
        select(KnowledgeItem).where(KnowledgeItem.status == KnowledgeStatus.DRAFT)
    )
    named = describe_items("knowledge", [published.id, draft.id])
    assert named[published.id] == (published.title, published.url)
    assert named[draft.id] == (draft.title, None)  # no link to what the public cannot open


def test_a_preview_that_does_not_fit_on_the_disk_fails_instead_of_being_cut_off(tmp_path):
    """The preview worker under a file size limit (a full disk): it must fail, so that no cut-off
    PNG is kept and served as the preview from then on."""
    import resource
    import subprocess
    import sys

    from nitet_online.knowledge.files import WORKER
    from tests.files import pdf_bytes

    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(pdf_bytes("Nitet Online preview"))
    png = tmp_path / "preview.png"

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2_000, 2_000))

    worker = [sys.executable, str(WORKER), "preview", str(pdf), str(png)]
    refused = subprocess.run(worker, capture_output=True, preexec_fn=small_disk, timeout=60)
    assert refused.returncode != 0
    assert not png.exists() or png.stat().st_size <= 2_000  # nothing beyond the limit pretended

    made = subprocess.run(worker, capture_output=True, timeout=60)
    assert made.returncode == 0 and png.read_bytes().startswith(b"\x89PNG")
    assert png.stat().st_size > 2_000  # the real preview is larger than the limit above
