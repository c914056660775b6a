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
    return map_every_glyph_to_text(pdf, bytes(pdf.output()))


def _unmapped_codes(pdf: FPDF) -> dict[str, list[int]]:
    """Codes of glyphs fpdf2 leaves out of the ToUnicode map, by font resource name (/F1, ...).
    Shaping splits some characters into several glyphs (SARA AM ำ becomes NIKHAHIT + SARA AA);
    fpdf2 maps the first glyph of such a cluster to the character and leaves the others unmapped,
    so a text extractor would print their raw codes (control characters) in the middle of words."""
    unmapped = {}
    for font in pdf.fonts.values():
        subset = getattr(font, "subset", None)
        if subset is None:
            continue
        codes = [
            code
            for glyph, code in subset.items()
            if glyph is not None and isinstance(glyph.unicode, tuple) and not glyph.unicode
        ]
        if codes:
            unmapped[f"/F{font.i}"] = codes
    return unmapped


def map_every_glyph_to_text(pdf: FPDF, data: bytes) -> bytes:
    """Adds the unmapped glyph codes to each font's ToUnicode map as "no text", so the Thai text
    extracts (copies, searches) exactly as it was written."""
    unmapped = _unmapped_codes(pdf)
    if not unmapped:
        return data
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        for name, reference in page["/Resources"]["/Font"].items():
            codes = unmapped.get(name)
            to_unicode = reference.get_object().get("/ToUnicode")
            if not codes or to_unicode is None:
                continue
            stream = to_unicode.get_object()
            cmap = stream.get_data().decode("latin-1")
            block = f"{len(codes)} beginbfchar\n"
            block += "".join(f"<{code:04X}> <>\n" for code in codes) + "endbfchar\n"
            stream.set_data(cmap.replace("endcmap", block + "endcmap", 1).encode("latin-1"))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


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
