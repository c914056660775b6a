"""The certificate of recognition (เกียรติบัตร): a real PDF with the Sarabun font embedded, Thai text
extractable by pypdf, and a page that poppler renders (test-artifacts/honour-certificate-*.png, to
look at: the vowels and tone marks must sit on their consonants)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
import sqlalchemy as sa
from PIL import Image
from pypdf import PdfReader

from nitet_online.extensions import db
from nitet_online.honours.certificate import CertificatePDF, build_certificate, thai_issue_date
from nitet_online.honours.models import Honour
from tests.conftest import ARTIFACTS

TEACHER_AWARD = "ครูดีเด่น กลุ่มสาระการเรียนรู้ภาษาไทย"
STUDENT_AWARD = "เหรียญทอง การแข่งขันคัดลายมือสื่อภาษาไทย ป.4–ป.6 งานศิลปหัตถกรรมนักเรียน ครั้งที่ 72"


def _squeeze(text: str) -> str:
    """Text without white space: PDF extraction may put a space where a glyph run was split (for
    instance between a tone mark and the next consonant); the characters themselves must all be
    there, in order."""
    return "".join(text.split())


def _certificate(app, award: str) -> tuple[bytes, Honour]:
    with app.app_context():
        honour = db.session.scalar(sa.select(Honour).where(Honour.award_title == award))
        return build_certificate(honour), honour


def _render(pdf: bytes, name: str) -> Image.Image:
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm (poppler-utils) is missing: run scripts/ensure-system-packages.sh")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-singlefile",
            str(ARTIFACTS / f"{name}.pdf"),
            str(ARTIFACTS / name),
        ],
        check=True,
    )
    return Image.open(ARTIFACTS / f"{name}.png")


def test_teacher_certificate_has_extractable_thai_text(demo_app):
    pdf, _ = _certificate(demo_app, TEACHER_AWARD)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = _squeeze(reader.pages[0].extract_text())
    for expected in (
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาพัทลุง เขต 2",
        "เกียรติบัตร",
        "ขอมอบเกียรติบัตรฉบับนี้ไว้เพื่อแสดงว่า",
        "นางสาวสมใจ ใจดี",
        "โรงเรียนบ้านควนขนุน",
        f"ได้รับรางวัล {TEACHER_AWARD}",
        "ระดับเขตพื้นที่การศึกษา ประจำปี พ.ศ. 2568",
        "(นายสุเมธ รัตนพันธ์)",
        "ผู้อำนวยการกลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
    ):
        assert _squeeze(expected) in text, expected
    assert "ให้ไว้ ณ วันที่" in reader.pages[0].extract_text()
    assert "พ.ศ. 2568" in reader.pages[0].extract_text()
    assert reader.metadata.title == f"เกียรติบัตร {TEACHER_AWARD}"


def test_certificate_embeds_sarabun(demo_app):
    pdf, _ = _certificate(demo_app, TEACHER_AWARD)
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert fonts and all("Sarabun" in name for name in fonts), fonts


def _glyph_stream(text: str, shaping: bool) -> bytes:
    pdf = CertificatePDF()
    pdf.set_text_shaping(shaping)
    pdf.compress = False
    pdf.add_page()
    pdf.set_font("Sarabun", "", 20)
    pdf.cell(0, 10, text)
    return PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0].get_contents().get_data()


def test_thai_is_shaped_by_harfbuzz():
    """Tone marks over tall consonants and above upper vowels, and descender-less ญ/ฐ before lower
    vowels, are placed by the font's OpenType rules only when shaping is on."""
    text = "ผู้ใหญ่ ปั้น ป่า ฐิติ น้ำ"
    assert _glyph_stream(text, shaping=True) != _glyph_stream(text, shaping=False)


def test_words_with_sara_am_extract_without_stray_characters(demo_app):
    """Shaping splits ำ into two glyphs; the second must not leak a raw code into the text."""
    pdf, _ = _certificate(demo_app, TEACHER_AWARD)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาพัทลุง เขต 2" in text
    assert "ผู้อำนวยการกลุ่มนิเทศ" in text
    assert "ประจำปี พ.ศ. 2568" in text
    assert not [ch for ch in text if ord(ch) < 32 and ch not in "\n\t"]


def _lines_drawn(honour: Honour, app) -> list[str]:
    """Every line of text the certificate draws, as written."""
    from nitet_online.honours.certificate import (
        _recipient_lines,
        issue_date,
        signer_for,
    )
    from nitet_online.org.models import Office

    with app.app_context():
        honour = db.session.merge(honour)
        office = Office.current()
        signer = signer_for(office)
        name, under_name = _recipient_lines(honour)
        details = f"{honour.level.label} ประจำปี พ.ศ. {honour.year}"
        if honour.issuing_body:
            details += f" จาก{honour.issuing_body}"
        lines = [
            office.name,
            "เกียรติบัตร",
            "ขอมอบเกียรติบัตรฉบับนี้ไว้เพื่อแสดงว่า",
            name,
            under_name,
            f"ได้รับรางวัล {honour.award_title}",
            details,
            "ขอให้มีความสุข ความเจริญ และรักษาคุณงามความดีนี้สืบไป",
            thai_issue_date(issue_date(honour)),
            f"({signer.name})",
            signer.position,
        ]
    return [line for line in lines if line]


@pytest.mark.parametrize("award", [TEACHER_AWARD, STUDENT_AWARD])
def test_the_certificates_text_copies_exactly(demo_app, award, tmp_path):
    """Copied or extracted, every line reads exactly as written: no space inside ำ words
    ("สำ นักงาน", "ประจำ ปี", "ผู้อำ นวยการ") or after a shifted tone mark ("ปั้ น"), no tone mark
    on a line of its own ("ที่" read as "ทีก\n่"), checked with pypdf and with poppler's
    pdftotext (what PDF viewers on Linux copy)."""
    pdf, honour = _certificate(demo_app, award)
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    poppler = subprocess.run(
        ["pdftotext", str(tmp_path / "certificate.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pypdf_text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for extractor, text in (("pypdf", pypdf_text), ("pdftotext", poppler)):
        # A long line is wrapped at a space: the lines read one after the other.
        extracted = " ".join(line.strip() for line in text.splitlines() if line.strip())
        for line in _lines_drawn(honour, demo_app):
            assert line in extracted, (extractor, line, extracted)


def test_thai_shaped_by_harfbuzz_extracts_exactly():
    """The words hardest to shape (tone marks over upper vowels on tall consonants, ญ/ฐ before
    lower vowels, ำ after a tone mark) in bold and regular."""
    from nitet_online.honours.certificate import make_text_extractable

    text = "ปั้นน้ำ ฝั่งทะเล ปี่พาทย์ ที่ดิน ผู้ใหญ่ กตัญญู ฐิติ ปั๊มน้ำ ฟื้นฟู ผู้อำนวยการ ประจำปี"
    for style in ("", "B"):
        pdf = CertificatePDF()
        pdf.add_page()
        pdf.set_font("Sarabun", style, 20)
        pdf.cell(0, 10, text)
        data = make_text_extractable(pdf, bytes(pdf.output()))
        assert PdfReader(io.BytesIO(data)).pages[0].extract_text() == text
        poppler = subprocess.run(
            ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
        assert poppler.strip() == text


def test_student_group_certificate_renders_to_an_image(demo_app):
    pdf, _ = _certificate(demo_app, STUDENT_AWARD)
    text = _squeeze(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert _squeeze("เด็กหญิงกานดา ใจงาม และเด็กชายปิยะพงษ์ ทองดี") in text
    assert _squeeze("นักเรียนโรงเรียนบ้านควนขนุน") in text
    image = _render(pdf, "honour-certificate-students")
    assert image.size[0] > image.size[1]  # A4 landscape
    # Not a blank page: the gold frame and dark text are there.
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    dark = sum(count for count, (r, g, b) in colours if r + g + b < 200)
    assert dark > 2000


def test_teacher_certificate_renders_to_an_image(demo_app):
    pdf, _ = _certificate(demo_app, TEACHER_AWARD)
    image = _render(pdf, "honour-certificate-teacher")
    assert image.size == (935, 661) or image.size[0] > 900


def test_issue_date_is_in_the_buddhist_era():
    from datetime import date

    assert thai_issue_date(date(2026, 11, 22)) == "ให้ไว้ ณ วันที่ 22 เดือนพฤศจิกายน พ.ศ. 2569"


def test_certificate_route_serves_the_pdf_to_the_recipient_only(demo_app, demo_client, login_as):
    with demo_app.app_context():
        honour_id = db.session.scalar(
            sa.select(Honour.id).where(Honour.award_title == TEACHER_AWARD)
        )
    url = f"/honours/{honour_id}/certificate.pdf"
    response = login_as("teacher1").get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"%PDF-")
    assert login_as("staff1").get(url).status_code == 403
    assert login_as("t023").get(url).status_code == 403
    demo_client.post("/auth/logout")
    assert "/auth/login" in demo_client.get(url).headers["Location"]
