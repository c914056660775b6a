"""Thai words inside uploaded documents are found, whichever program made the file and whichever
Thai font it used (issue 14, finding 2).

The PDFs of tests/fixtures/thai_documents were made by LibreOffice (from a Word file) and by
Chromium (print to PDF) with Sarabun and with two TLWG fonts (make.py there makes them again);
fpdf2's are made here. Taken out with pypdf as they are, their text carries private-use glyph
forms ("ไข\\uf70aมุก": Chromium with the TLWG fonts), NULs in place of letters ("ฝ\\x00กอ่าน":
Chromium with Sarabun), letters swapped between glyphs ("ขูอม้ล": LibreOffice with Loma), raw
glyph codes (fpdf2) and spaces inside words after shifted marks ("ปั้ น": all three).
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from sqlalchemy import select

from nitet_online.extensions import db
from nitet_online.knowledge.models import KnowledgeFile, KnowledgeItem
from nitet_online.search import analysis
from nitet_online.search.engine import Document, IndexStore
from tests.fixtures.thai_documents.make import TEXT, WORDS
from tests.test_knowledge import _user_of_each_request, form  # noqa: F401  (autouse fixture)

FIXTURES = Path(__file__).parent / "fixtures" / "thai_documents"
SARABUN = Path(__file__).parents[1] / "static" / "fonts" / "sarabun" / "Sarabun-Regular.ttf"
TLWG = Path("/usr/share/fonts/truetype/tlwg")
# Each word of TEXT as Chromium writes it with a TLWG font (tone marks lowered, ญ without its
# tail, at their private-use code points), for the Word, Excel and PowerPoint files.
PRESENTATION_FORMS = {"\u0e48": "\uf70a", "\u0e49": "\uf70b", "\u0e4a": "\uf70c", "ญ": "\uf70f"}


def legacy_spelling(text: str) -> str:
    """Text as a Word file typed with an old Thai font keeps it: private-use glyph forms."""
    return "".join(PRESENTATION_FORMS.get(character, character) for character in text)


def fpdf2_pdf(font_path: Path) -> bytes:
    """A PDF as fpdf2 makes it with HarfBuzz shaping on (no help from this application)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("Thai", "", str(font_path))
    pdf.set_font("Thai", "", 16)
    pdf.set_text_shaping(True)
    pdf.multi_cell(0, 9, TEXT)
    return bytes(pdf.output())


def docx_file(text: str) -> bytes:
    from docx import Document as WordDocument

    document = WordDocument()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_file(text: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for word in text.split():
        workbook.active.append([word])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pptx_file(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/ppt/presentation.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>',
        )
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
        archive.writestr(
            "ppt/slides/slide1.xml",
            f'<p:sld xmlns:a="a" xmlns:p="p"><a:t>{text}</a:t></p:sld>',
        )
    return buffer.getvalue()


def documents() -> dict[str, bytes]:
    """Every file to upload, by file name."""
    files = {path.name: path.read_bytes() for path in sorted(FIXTURES.glob("*.pdf"))}
    files["fpdf2-Sarabun.pdf"] = fpdf2_pdf(SARABUN)
    files["fpdf2-Loma.pdf"] = fpdf2_pdf(TLWG / "Loma.ttf")
    files["word-legacy-font.docx"] = docx_file(legacy_spelling(TEXT))
    files["excel-legacy-font.xlsx"] = xlsx_file(legacy_spelling(TEXT))
    files["powerpoint-legacy-font.pptx"] = pptx_file(legacy_spelling(TEXT))
    return files


def test_the_fixtures_have_the_faults_they_are_kept_for():
    """Read with plain pypdf, each committed PDF loses words; otherwise the test below would
    prove nothing."""
    assert len(list(FIXTURES.glob("*.pdf"))) == 6
    for path in FIXTURES.glob("*.pdf"):
        text = "".join(page.extract_text() for page in PdfReader(path).pages).replace("\n", "")
        lost = [word for word in WORDS if word not in text]
        assert lost, path.name
    sarabun = "".join(p.extract_text() for p in PdfReader(FIXTURES / "chromium-Sarabun.pdf").pages)
    assert "\x00" in sarabun
    loma = "".join(p.extract_text() for p in PdfReader(FIXTURES / "chromium-Loma.pdf").pages)
    assert "ไข\uf70aมุก" in loma


def test_every_word_of_every_document_is_found(app_context, login_as):
    from nitet_online.search.services import reindex, search

    reindex()
    client = login_as("supervisor1")
    items = {}
    for name, data in documents().items():
        title = f"เอกสารทดสอบการค้นหา {name}"
        response = client.post(
            "/knowledge/new",
            data=form(
                title=title,
                description="",
                body="",
                tags="",
                co_authors="",
                files=(io.BytesIO(data), name),
            ),
            content_type="multipart/form-data",
        )
        assert response.status_code == 302, (name, response.get_data(as_text=True)[:500])
        item = db.session.scalar(select(KnowledgeItem).where(KnowledgeItem.title == title))
        assert item.files[0].text_status == "ok", name
        items[name] = item.id
    not_found = []
    for word in WORDS:
        hits = {hit.id for hit in search(word, types=["knowledge"], per_page=100).hits}
        not_found += [(name, word) for name, item_id in items.items() if item_id not in hits]
    assert not not_found


def test_extracted_text_is_stored_in_the_analysers_spelling(app_context, login_as):
    """No private-use forms, NULs or raw glyph codes are kept, and the text is NFC."""
    client = login_as("supervisor1")
    for name in ("chromium-Loma.pdf", "chromium-Sarabun.pdf", "libreoffice-Loma.pdf"):
        title = f"เอกสารเก็บข้อความ {name}"
        data = (FIXTURES / name).read_bytes()
        client.post(
            "/knowledge/new",
            data=form(title=title, files=(io.BytesIO(data), name)),
            content_type="multipart/form-data",
        )
        stored = db.session.scalar(
            select(KnowledgeFile.text).join(KnowledgeItem).where(KnowledgeItem.title == title)
        )
        assert stored == analysis.normalize(stored)
        assert not [c for c in stored if (c < " " and c != "\n") or "\ue000" <= c <= "\uf8ff"]
        for word in ("ไข่มุก", "ฝึกอ่าน", "ฐานข้อมูล", "กตัญญู", "ปั้นน้ำ"):
            assert word in stored, (name, word)


def test_queries_and_texts_are_spelled_alike(tmp_path):
    """Typed with an old font or copied out of such a PDF, a query finds the ordinary text,
    and the other way round."""
    store = IndexStore(tmp_path / "index")
    store.rebuild(
        [
            Document(type="knowledge", id=1, title="หนึ่ง", url="/1", text="ไข่มุกและน้ำใจ"),
            Document(type="knowledge", id=2, title="สอง", url="/2", text="ผ\uf70bูใหญ\uf70aใจดี"),
        ]
    )
    assert [hit.id for hit in store.search("ไข\uf70aมุก").hits] == [1]
    assert [hit.id for hit in store.search("นํ้าใจ").hits] == [1]
    assert [hit.id for hit in store.search("ผู้ใหญ่").hits] == [2]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("ไข\uf70aมุก", "ไข่มุก"),  # Windows code of a lowered mai ek (HarfBuzz's SD table)
        ("ป\uf713า", "ป่า"),  # mai ek shifted left
        ("ป\uf705า", "ป่า"),  # mai ek lowered and shifted left
        ("กตัญ\uf70fู", "กตัญญู"),  # yo ying without its tail
        ("ฐ\uf718", "ฐุ"),  # sara u lowered
        ("\uf700\u0e32\u0e19", "ฐาน"),
        ("ป\uf88cา", "ป่า"),  # the Mac code of the same glyph
        ("ฝ\x00กอ่าน\x1a", "ฝกอ่าน"),  # NUL and raw glyph codes removed
        ("สํานักงาน", "สำนักงาน"),  # nikhahit + sara aa
        ("นํ้า", "น้ำ"),  # nikhahit, mai tho, sara aa
        ("ผ\u0e49\u0e39", "ผู้"),  # NFC orders the marks
        ("ท\u0e48\u0e35", "ที่"),  # tone mark before the upper vowel
        ("บรรทัด\x0cหน้าใหม่", "บรรทัด\nหน้าใหม่"),
    ],
)
def test_normalize(written, read):
    assert analysis.normalize(written) == read


@pytest.mark.parametrize("font", ["Garuda", "Loma", "Norasi", "Kinnari", "Laksaman", "Waree"])
def test_private_use_table_agrees_with_the_tlwg_fonts(font):
    """Every Thai glyph a TLWG font keeps at a private-use code point is named after the
    character it stands for (uni0E48.low at U+F70A): the table reads each as that character."""
    cmap = TTFont(TLWG / f"{font}.ttf").getBestCmap()
    checked = 0
    for code, glyph in cmap.items():
        base = glyph.split(".")[0]
        if 0xF700 <= code <= 0xF720 and base.startswith("uni0E") and "." in glyph:
            assert analysis.THAI_PRESENTATION_FORMS[code] == chr(int(base[3:7], 16)), glyph
            checked += 1
    assert checked >= 30


def test_reindex_reads_the_stored_files_again(app_context, login_as):
    """Items added before this fix keep the text read then: `flask search reindex` reads every
    stored file again."""
    client = login_as("supervisor1")
    title = "เอกสารก่อนการแก้ไข"
    data = (FIXTURES / "chromium-Sarabun.pdf").read_bytes()
    client.post(
        "/knowledge/new",
        data=form(title=title, files=(io.BytesIO(data), "เก่า.pdf")),
        content_type="multipart/form-data",
    )
    item = db.session.scalar(select(KnowledgeItem).where(KnowledgeItem.title == title))
    # As it was read before (its NUL left out: PostgreSQL refuses NUL in text, as it would have
    # refused the whole item).
    item.files[0].text = "ฝกอ่าน ไข\uf70aมุก"
    db.session.commit()
    result = app_context.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    text = db.session.get(KnowledgeItem, item.id).files[0].text
    assert "ฝึกอ่าน" in text and "ไข่มุก" in text and "\uf70a" not in text
    from nitet_online.search.services import search

    assert item.id in {hit.id for hit in search("ฝึกอ่าน", types=["knowledge"]).hits}


def test_libreoffice_of_this_machine_gives_text_that_is_read_whole(tmp_path):
    """The fixtures were made once; LibreOffice as installed here (libreoffice-writer-nogui)
    exports a Word file in Loma, the font whose glyphs it maps to the wrong letters, and every
    word is read from the PDF."""
    import shutil
    import subprocess

    from nitet_online.knowledge.filework import text_of

    if not shutil.which("soffice"):
        pytest.fail("LibreOffice is missing: run scripts/ensure-system-packages.sh")
    from tests.fixtures.thai_documents.make import word_file

    source = word_file(tmp_path / "loma.docx", "Loma")
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    text = analysis.normalize(text_of(str(tmp_path / "loma.pdf"), "pdf")["text"])
    assert [word for word in WORDS if word not in text] == []
