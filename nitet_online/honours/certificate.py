"""The office's certificate of recognition (เกียรติบัตร) as a PDF: A4 landscape, Sarabun with Thai
text shaped by HarfBuzz (fpdf2's text shaping) so vowels and tone marks sit where they belong, and
the text stays extractable (copy, search, screen readers)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    NameObject,
    TextStringObject,
)
from sqlalchemy import select

from config import PROJECT_ROOT
from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.extensions import db
from nitet_online.honours.models import Honour, RecipientType
from nitet_online.org.models import Office
from nitet_online.services.thai import MONTHS_LONG, be_year, to_bangkok, today_bangkok

FONT_DIR = PROJECT_ROOT / "static" / "fonts" / "sarabun"
DEFAULT_LOGO = PROJECT_ROOT / "static" / "img" / "logo.svg"
PAGE_WIDTH, PAGE_HEIGHT = 297, 210
NAVY = (31, 78, 140)
GOLD = (176, 133, 35)
INK = (33, 37, 41)


@dataclass(frozen=True)
class Signer:
    name: str
    position: str


def signer_for(office: Office | None) -> Signer:
    """The office director who signs: the first active director account."""
    director = db.session.scalar(
        select(User)
        .where(User.role == Role.DIRECTOR, User.status == AccountStatus.ACTIVE)
        .order_by(User.id)
        .limit(1)
    )
    office_name = office.name if office else ""
    if director is None:
        return Signer("", f"ผู้อำนวยการ{office_name}")
    return Signer(director.full_name, director.position or f"ผู้อำนวยการ{office_name}")


def issue_date(honour: Honour) -> date:
    if honour.awarded_on:
        return honour.awarded_on
    if honour.reviewed_at:
        return to_bangkok(honour.reviewed_at).date()
    return today_bangkok()


def thai_issue_date(day: date) -> str:
    return f"ให้ไว้ ณ วันที่ {day.day} เดือน{MONTHS_LONG[day.month - 1]} พ.ศ. {be_year(day.year)}"


def _logo_path(office: Office | None) -> Path:
    if office and office.logo_path:
        for candidate in (Path(office.logo_path), PROJECT_ROOT / "static" / office.logo_path):
            if candidate.is_file() and candidate.suffix.lower() in {
                ".png",
                ".jpg",
                ".jpeg",
                ".svg",
            }:
                return candidate
    return DEFAULT_LOGO


class CertificatePDF(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(20, 15, 20)
        self.add_font("Sarabun", "", str(FONT_DIR / "Sarabun-Regular.ttf"))
        self.add_font("Sarabun", "B", str(FONT_DIR / "Sarabun-Bold.ttf"))
        self.set_text_shaping(True)

    def centred(self, text: str, size: float, bold: bool = False, colour=INK, height=None) -> None:
        self.set_font("Sarabun", "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, height or size * 0.55, text, align="C", new_x="LMARGIN", new_y="NEXT")

    def frame(self) -> None:
        self.set_draw_color(*GOLD)
        self.set_line_width(1.6)
        self.rect(8, 8, PAGE_WIDTH - 16, PAGE_HEIGHT - 16)
        self.set_line_width(0.4)
        self.rect(12, 12, PAGE_WIDTH - 24, PAGE_HEIGHT - 24)
        self.set_draw_color(*NAVY)
        self.set_line_width(0.25)
        self.rect(14, 14, PAGE_WIDTH - 28, PAGE_HEIGHT - 28)


def _fitting_size(pdf: CertificatePDF, text: str, size: float, width: float, bold=True) -> float:
    """Shrinks a long name or title so it fits on two lines at most."""
    while size > 14:
        pdf.set_font("Sarabun", "B" if bold else "", size)
        if pdf.get_string_width(text) <= width * 2:
            return size
        size -= 2
    return size


def thai_join(names: list[str]) -> str:
    """ก ข และค: names as a Thai sentence lists them."""
    if len(names) < 2:
        return "".join(names)
    return " ".join(names[:-1]) + " และ" + names[-1]


def _recipient_lines(honour: Honour) -> tuple[str, str]:
    """The name printed large, and the line under it (the school, for people)."""
    if honour.recipient_type == RecipientType.SCHOOL:
        return honour.school.name, ""
    school = honour.school.name if honour.school else ""
    if honour.recipient_type == RecipientType.STUDENT:
        return thai_join(honour.student_names), f"นักเรียน{school}"
    position = ""
    if honour.recipient_user is not None:
        position = honour.recipient_user.position or honour.recipient_type.label
    return honour.recipient_display, f"{position} {school}".strip()


def build_certificate(honour: Honour) -> bytes:
    office = Office.current()
    signer = signer_for(office)
    pdf = CertificatePDF()
    pdf.set_title(f"เกียรติบัตร {honour.award_title}")
    pdf.set_author(office.name if office else "นิเทศ Online")
    pdf.set_creator("นิเทศ Online")
    pdf.set_lang("th")
    pdf.add_page()
    pdf.frame()

    number = f"ที่ {office.abbreviation if office else ''} {honour.id}/{honour.year}".strip()
    pdf.set_font("Sarabun", "", 11)
    pdf.set_text_color(*INK)
    pdf.set_xy(PAGE_WIDTH - 90, 17)
    pdf.cell(70, 6, number, align="R")

    logo_size = 24
    pdf.image(
        str(_logo_path(office)), x=(PAGE_WIDTH - logo_size) / 2, y=17, w=logo_size, h=logo_size
    )
    pdf.set_y(43)
    pdf.centred(office.name if office else "นิเทศ Online", 18, bold=True, colour=NAVY)
    pdf.ln(1)
    pdf.centred("เกียรติบัตร", 36, bold=True, colour=GOLD, height=17)
    pdf.centred("ขอมอบเกียรติบัตรฉบับนี้ไว้เพื่อแสดงว่า", 17)
    pdf.ln(2)

    name, under_name = _recipient_lines(honour)
    width = PAGE_WIDTH - 40
    pdf.centred(name, _fitting_size(pdf, name, 28, width), bold=True, colour=NAVY, height=13)
    if under_name:
        pdf.centred(under_name, 16)
    pdf.ln(1)
    award = f"ได้รับรางวัล {honour.award_title}"
    pdf.centred(award, _fitting_size(pdf, award, 20, width), bold=True)
    details = f"{honour.level.label} ประจำปี พ.ศ. {honour.year}"
    if honour.issuing_body:
        details += f" จาก{honour.issuing_body}"
    pdf.centred(details, 16)
    pdf.ln(1)
    pdf.centred("ขอให้มีความสุข ความเจริญ และรักษาคุณงามความดีนี้สืบไป", 16)
    pdf.centred(thai_issue_date(issue_date(honour)), 16)

    _signature(pdf, signer)
    return make_text_extractable(pdf, bytes(pdf.output()))


def _glyph_texts(pdf: FPDF) -> dict[str, dict[int, str]]:
    """The text of each glyph code, by font resource name (/F1, ...). Shaping splits some
    characters into several glyphs (SARA AM ำ becomes NIKHAHIT + SARA AA): fpdf2 gives the
    cluster's text to its first glyph and no text (an empty tuple) to the others."""
    texts: dict[str, dict[int, str]] = {}
    for font in pdf.fonts.values():
        subset = getattr(font, "subset", None)
        if subset is None:
            continue
        texts[f"/F{font.i}"] = {
            code: "".join(map(chr, glyph.unicode)) if isinstance(glyph.unicode, tuple) else ""
            for glyph, code in subset.items()
            if glyph is not None
        }
    return texts


def make_text_extractable(pdf: FPDF, data: bytes) -> bytes:
    """The PDF fpdf2 made, written so that its Thai text copies and extracts exactly as it was
    written, with what PDF readers go by:

    - the ToUnicode map gives "no text" for the glyphs fpdf2 leaves out (the second half of ำ),
      which a text extractor would otherwise print as raw codes (control characters);
    - each word is a marked-content span with its /ActualText, which viewers and pdftotext
      read instead of guessing from the glyphs' places: a tone mark stacked over an upper vowel
      otherwise lands on a line of its own ("ทีก\n่"), and the zero-width half of ำ before a
      spacing glyph with no text makes a gap ("สำ นักงาน");
    - a zero-width mark the font positions on its own (Tm) ends, through character spacing,
      where the next letter starts, so that pypdf (which reads no ActualText) sees no word gap
      inside "ปั้น" (knowledge.pdf_text_repair; the page looks the same).
    """
    from nitet_online.knowledge.pdf_text_repair import _as_bytes, _Rewriter

    texts = _glyph_texts(pdf)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        resources = page["/Resources"].get_object()
        for name, reference in resources["/Font"].items():
            codes = [code for code, text in texts.get(name, {}).items() if not text]
            to_unicode = reference.get_object().get("/ToUnicode")
            if not codes or to_unicode is None:
                continue
            stream = to_unicode.get_object()
            cmap = stream.get_data().decode("latin-1")
            block = f"{len(codes)} beginbfchar\n"
            block += "".join(f"<{code:04X}> <>\n" for code in codes) + "endbfchar\n"
            stream.set_data(cmap.replace("endcmap", block + "endcmap", 1).encode("latin-1"))
        contents = page.get_contents()
        operations = [
            ([_as_bytes(operand) for operand in operands], operator)
            for operands, operator in contents.operations
        ]
        operations = _words_with_actual_text(operations, texts)
        operations, _ = _Rewriter(resources, NameObject("/FNone")).close_mark_gaps(operations)
        rewritten = ContentStream(None, writer)
        rewritten.operations = operations
        page.replace_contents(rewritten)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _words_with_actual_text(operations: list, texts: dict[str, dict[int, str]]) -> list:
    """Each run of glyphs between spaces inside a text object wrapped in a /Span with its
    /ActualText (the glyphs' texts joined; Tm moves of marks stay inside the span)."""
    result: list = []
    font: str | None = None
    saved: list[str | None] = []
    span: dict | None = None  # the open span: where its BDC goes, its text so far

    def close() -> None:
        nonlocal span
        if span is not None:
            properties = DictionaryObject(
                {NameObject("/ActualText"): TextStringObject(span["text"])}
            )
            result.insert(span["at"], ([NameObject("/Span"), properties], b"BDC"))
            result.append(([], b"EMC"))
            span = None

    for operands, operator in operations:
        if operator == b"q":
            saved.append(font)
        elif operator == b"Q" and saved:
            font = saved.pop()
        elif operator == b"Tf" and operands:
            font = str(operands[0])
        if operator == b"ET":
            close()
        if operator != b"Tj" or font not in texts or not isinstance(operands[0], bytes):
            result.append((operands, operator))
            continue
        data, codes = bytes(operands[0]), texts[font]
        run = b""
        for start in range(0, len(data), 2):
            glyph = data[start : start + 2]
            text = codes.get(int.from_bytes(glyph, "big"), "")
            if text.isspace():  # a space ends the word: outside any span
                if run:
                    result.append(([ByteStringObject(run)], b"Tj"))
                    run = b""
                close()
                result.append(([ByteStringObject(glyph)], b"Tj"))
                continue
            if span is None:
                if run:
                    result.append(([ByteStringObject(run)], b"Tj"))
                    run = b""
                span = {"at": len(result), "text": ""}
            span["text"] += text
            run += glyph
        if run:
            result.append(([ByteStringObject(run)], b"Tj"))
    close()
    return result


def _signature(pdf: CertificatePDF, signer: Signer) -> None:
    centre, width = PAGE_WIDTH / 2, 110
    line_y = min(max(pdf.get_y() + 16, 156), 168)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.set_dash_pattern(dash=0.8, gap=0.8)
    pdf.line(centre - 40, line_y, centre + 40, line_y)
    pdf.set_dash_pattern()
    pdf.set_xy(centre - width / 2, line_y + 1)
    pdf.set_font("Sarabun", "", 16)
    pdf.set_text_color(*INK)
    pdf.cell(
        width, 8, f"({signer.name})" if signer.name else "", align="C", new_x="LEFT", new_y="NEXT"
    )
    pdf.multi_cell(width, 7, signer.position, align="C")
