"""What reading a Thai PDF costs with the repair of knowledge/pdf_text_repair.py (ActualText and
gaps after shifted marks, issue 14 finding 2), against plain pypdf in the same run.

Documents: PAGES pages of dense Thai text made by fpdf2 with HarfBuzz shaping (every line full of
positioned tone marks: the repair's worst case), and the Chromium PDF of the fixtures (ActualText
spans on every cluster) repeated. Prints the median of REPEAT readings of each, and the ratio.

    .venv/bin/python bench/bench_pdf_text.py
    .venv/bin/python bench/bench_pdf_text.py --pages 300 --repeat 3
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader, PdfWriter  # noqa: E402

from nitet_online.knowledge.pdf_text_repair import repair  # noqa: E402
from tests.fixtures.thai_documents.make import WORDS  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "thai_documents" / "chromium-Sarabun.pdf"


def fpdf2_document(pages: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("Sarabun", "", str(ROOT / "static" / "fonts" / "sarabun" / "Sarabun-Regular.ttf"))
    pdf.set_text_shaping(True)
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("Sarabun", "", 14)
        pdf.multi_cell(0, 8, " ".join(WORDS * 12))
    return bytes(pdf.output())


def chromium_document(pages: int) -> bytes:
    writer = PdfWriter()
    source = PdfReader(FIXTURE)
    for _ in range(pages):
        writer.add_page(source.pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def read(data: bytes, repaired: bool) -> float:
    started = time.perf_counter()
    reader = PdfReader(io.BytesIO(data))
    if repaired:
        repair(reader, len(reader.pages))
    for page in reader.pages:
        page.extract_text()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    for name, make in (("fpdf2, dense", fpdf2_document), ("chromium", chromium_document)):
        data = make(options.pages)
        plain = statistics.median(read(data, False) for _ in range(options.repeat))
        repaired = statistics.median(read(data, True) for _ in range(options.repeat))
        print(
            f"{name:14} {options.pages} pages: plain pypdf {plain:6.2f} s, with the repair "
            f"{repaired:6.2f} s ({repaired / plain:.2f}×, {1000 * (repaired - plain) / options.pages:.0f} ms a page)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
