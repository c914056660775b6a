"""ZIP bombs (issue 12, finding 1): Office and OpenDocument files are ZIP archives, and a file of a
few hundred kilobytes can inflate to gigabytes. Every reader (the upload check, the knowledge text
extraction child, the CSV/Excel import) refuses them in Thai with its memory bounded; the child
that reads documents runs under a memory limit; images are bounded by their pixel count."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from nitet_online.extensions import db
from nitet_online.uploads.models import DOCUMENT, IMAGE
from nitet_online.uploads.services import UploadError, save_upload
from tests import zipbombs
from tests.conftest import PROJECT_ROOT, login
from tests.files import docx_bytes, jpeg_with_exif, pptx_bytes, xlsx_bytes

BOMB_WORDS = "zip bomb"  # every refusal of a bomb names what it looks like
# What reading one bomb may cost above reading an ordinary file of the same kind. Unprotected,
# each of these bombs costs hundreds of megabytes (the 1 GB odt mimetype cost 2 GB).
MEMORY_BOUND_KB = 64 * 1024
KNOWLEDGE_FORM = {
    "kind": "document",
    "description": "",
    "body": "เนื้อหาประกอบไฟล์แนบ",
    "learning_area_id": "0",
    "tags": "",
    "co_authors": "",
    "links": "",
    "licence": "cc-by",
    "rights_note": "",
    "action": "publish",
}


@pytest.fixture(scope="module")
def bomb_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    files = {}
    for name, (maker, filename) in zipbombs.BOMBS.items():
        path = folder / name / filename
        path.parent.mkdir()
        path.write_bytes(maker())
        files[name] = path
    return files


def _file(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


# The upload check -----------------------------------------------------------------------------
@pytest.mark.parametrize("bomb", list(zipbombs.BOMBS))
def test_every_zip_bomb_is_refused_at_upload_with_the_reason_in_thai(app_context, bomb_files, bomb):
    path = bomb_files[bomb]
    with pytest.raises(UploadError) as refused:
        save_upload(_file(path.read_bytes(), path.name), None, {DOCUMENT, IMAGE})
    message = str(refused.value)
    assert BOMB_WORDS in message and "ไม่รับไฟล์นี้" in message, message
    assert "Traceback" not in message


def test_the_upload_refusal_names_what_inflates_and_the_limit(app_context, bomb_files):
    path = bomb_files["odt-mimetype"]
    with pytest.raises(UploadError) as refused:
        save_upload(_file(path.read_bytes(), path.name), None, {DOCUMENT})
    assert "mimetype" in str(refused.value) and "1,024 MB" in str(refused.value)
    assert "50 MB" in str(refused.value)  # ARCHIVE_MAX_ENTRY_MB
    many = bomb_files["xlsx-100000-entries"]
    with pytest.raises(UploadError, match=r"100,009 ไฟล์ เกินที่รับได้ \(5,000 ไฟล์\)"):
        save_upload(_file(many.read_bytes(), many.name), None, {DOCUMENT})


def test_office_documents_within_the_limits_are_still_accepted(app_context):
    for data, name in (
        (docx_bytes(), "a.docx"),
        (xlsx_bytes(), "b.xlsx"),
        (pptx_bytes(), "c.pptx"),
    ):
        assert save_upload(_file(data, name), None, {DOCUMENT}).kind == DOCUMENT
    odt = zipbombs.archive(
        [
            zipbombs.entry("mimetype", zipbombs.ODT_MIMETYPE),
            zipbombs.entry("content.xml", b"<office:document-content/>"),
        ]
    )
    assert save_upload(_file(odt, "บันทึก.odt"), None, {DOCUMENT}).extension == "odt"


def test_a_bomb_posted_to_the_knowledge_form_is_refused_and_what_was_typed_is_kept(
    app_context, login_as, bomb_files
):
    client = login_as("supervisor1")
    bomb = bomb_files["docx-document"]
    response = client.post(
        "/knowledge/new",
        data={
            **KNOWLEDGE_FORM,
            "title": "แผนการสอนที่แนบไฟล์อันตราย",
            "files": (io.BytesIO(bomb.read_bytes()), bomb.name),
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert BOMB_WORDS in page and "word/document.xml" in page
    assert "แผนการสอนที่แนบไฟล์อันตราย" in page  # the form comes back filled in


# Peak memory, measured in fresh processes -----------------------------------------------------
def _peaks(reader: str, files: list[Path]) -> list[dict]:
    """tests/peak_memory.py: the reader run on each file in a fresh process, peak after each."""
    finished = subprocess.run(
        [sys.executable, "-m", "tests.peak_memory", reader, *map(str, files)],
        capture_output=True,
        cwd=PROJECT_ROOT,
        timeout=300,
        check=True,
    )
    return [json.loads(line) for line in finished.stdout.decode().splitlines()]


def _assert_bounded(results: list[dict]) -> None:
    ordinary, *bombs = results
    for bomb in bombs:
        assert BOMB_WORDS in bomb["outcome"], bomb
        grew = bomb["peak_kb"] - ordinary["peak_kb"]
        assert grew < MEMORY_BOUND_KB, f"{bomb['file']} grew the peak by {grew // 1024} MB"


def test_the_upload_check_stays_within_its_memory_bound(bomb_files, tmp_path):
    ordinary = tmp_path / "ordinary.docx"
    ordinary.write_bytes(docx_bytes("แผนการสอน"))
    results = _peaks("upload", [ordinary, *bomb_files.values()])
    assert results[0]["outcome"] == "accepted"
    _assert_bounded(results)


def test_the_excel_import_stays_within_its_memory_bound(bomb_files, tmp_path):
    ordinary = tmp_path / "ordinary.xlsx"
    ordinary.write_bytes(xlsx_bytes())
    bombs = [bomb_files["xlsx-sheet"], bomb_files["xlsx-100000-entries"]]
    results = _peaks("import", [ordinary, *bombs])
    assert results[0]["outcome"] == "0 rows"  # the header row only
    for result in results[1:]:
        assert result["outcome"].startswith("TableFileError: อ่านไฟล์ Excel นี้ไม่ได้")
    _assert_bounded(results)


def test_the_text_extraction_child_stays_within_its_memory_bound(bomb_files, tmp_path):
    ordinary = tmp_path / "ordinary.docx"
    ordinary.write_bytes(docx_bytes("แผนการสอน"))
    names = ["docx-document", "docx-lying-document", "xlsx-sheet", "pptx-slide"]
    results = _peaks("knowledge", [ordinary, *(bomb_files[name] for name in names)])
    assert results[0]["outcome"].startswith("ok")
    _assert_bounded(results)  # each the child's own peak, against the child's for the ordinary


# The import of users and schools --------------------------------------------------------------
@pytest.mark.parametrize("bomb", ["xlsx-sheet", "xlsx-100000-entries"])
def test_an_excel_bomb_given_to_the_import_is_reported_unreadable(demo_app, bomb_files, bomb):
    client = demo_app.test_client()
    login(client, "admin")
    path = bomb_files[bomb]
    response = client.post(
        "/admin/import/users",
        data={"file": (io.BytesIO(path.read_bytes()), "users.xlsx")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "นำเข้าไม่สำเร็จ: อ่านไฟล์ Excel นี้ไม่ได้" in page and BOMB_WORDS in page


# The knowledge text extraction child ----------------------------------------------------------
def test_the_child_refuses_a_bomb_it_is_given_and_says_why_in_the_log(
    app_context, bomb_files, caplog, monkeypatch
):
    """A file that reached the store (stored before the upload check, or within its limits but
    not the child's) is refused by the child itself: no text, the reason logged."""
    from nitet_online.knowledge.files import extract_file_text

    monkeypatch.setattr(logging.getLogger("nitet_online.knowledge.files"), "disabled", False)
    caplog.set_level(logging.WARNING, "nitet_online.knowledge.files")
    assert extract_file_text(bomb_files["pptx-slide"], "pptx") == ("failed", "")
    assert "ppt/slides/slide1.xml" in caplog.text and BOMB_WORDS in caplog.text


def _wordy_docx(megabytes: int) -> bytes:
    """A genuine Word file whose document.xml is `megabytes` of varied paragraphs: within the
    archive limits (compressed about 1:60), but python-docx needs several times that in memory."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes("เริ่ม"))) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    paragraph = "<w:p><w:r><w:t>ครูจัดกิจกรรมการเรียนรู้แบบโครงงาน ครั้งที่ {}</w:t></w:r></w:p>"
    body = "".join(paragraph.format(n) for n in range(megabytes * 1024 * 1024 // 140))
    xml = parts["word/document.xml"].decode()
    parts["word/document.xml"] = xml.replace("</w:body>", body + "</w:body>").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return buffer.getvalue()


def test_the_child_runs_under_a_memory_limit_and_the_item_keeps_its_file(
    app_context, login_as, caplog, monkeypatch
):
    """The same Word file is read under the default limit and fails cleanly under a small one
    (RLIMIT_AS set in the child): the item is saved with its file, without text, and logged."""
    from nitet_online.knowledge.files import extract_file_text
    from nitet_online.knowledge.models import KnowledgeItem

    monkeypatch.setattr(logging.getLogger("nitet_online.knowledge.files"), "disabled", False)
    wordy = _wordy_docx(12)
    path = app_context.config["DATA_DIR"] + "/wordy.docx"
    Path(path).write_bytes(wordy)
    status, text = extract_file_text(Path(path), "docx")
    assert status == "ok" and "ครั้งที่ 1000" in text

    app_context.config["DOCUMENT_WORKER_MEMORY_MB"] = 96
    client = login_as("supervisor1")
    response = client.post(
        "/knowledge/new",
        data={
            **KNOWLEDGE_FORM,
            "title": "เอกสารยาวมาก",
            "files": (io.BytesIO(wordy), "ยาวมาก.docx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    item = db.session.scalar(select(KnowledgeItem).where(KnowledgeItem.title == "เอกสารยาวมาก"))
    assert [f.upload.original_name for f in item.files] == ["ยาวมาก.docx"]
    assert item.files[0].text_status == "failed" and item.files[0].text == ""
    assert "text extraction of upload 'ยาวมาก.docx' failed" in caplog.text
    assert "memory limit 96 MB" in caplog.text


# Large images ---------------------------------------------------------------------------------
def test_an_image_with_too_many_pixels_is_refused_with_its_size_and_the_limit(app_context):
    """6000×6600 pixels of one colour: a 130 KB PNG that took seconds of processor time."""
    buffer = io.BytesIO()
    Image.new("RGB", (6000, 6600), (31, 78, 140)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 1024 * 1024
    limit = app_context.config["UPLOAD_MAX_IMAGE_PIXELS"]
    with pytest.raises(UploadError) as refused:
        save_upload(_file(buffer.getvalue(), "ภาพใหญ่.png"), None, {IMAGE})
    message = str(refused.value)
    assert "ความละเอียดสูงเกินไป" in message and "6,000 × 6,600 พิกเซล" in message
    assert f"ไม่เกิน {limit / 1_000_000:g} ล้านพิกเซล" in message


def test_a_twelve_megapixel_phone_photo_is_still_accepted(app_context):
    upload = save_upload(_file(jpeg_with_exif(4000, 3000), "IMG_0001.JPG"), None, {IMAGE})
    assert upload.kind == IMAGE and (upload.width, upload.height) == (3200, 2400)
    assert upload.variants == ["thumb", "medium", "large"]
