"""Reading uploaded files, run as a separate process with a time limit by knowledge.files:

    python filework.py text PATH EXTENSION     → JSON {"status": ..., "text": ...} on stdout
    python filework.py preview PDF PNG         → the first page of PDF as PNG

A crafted or huge file can therefore neither hang nor crash a web server thread. Only the
standard library and the reading libraries are imported here (not the application).
"""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile

MAX_PAGES = 300
MAX_CHARACTERS = 1_000_000
PREVIEW_WIDTH = 900
_XML_TEXT = re.compile(r"<a:t>([^<]*)</a:t>")
# A PDF line that ends inside Thai text continues on the next line: Thai puts no space between
# words, so the line break is no word boundary to keep.
THAI_LINE_BREAK = re.compile(r"(?<=[\u0e01-\u0e4e])[ \t]*\n[ \t]*(?=[\u0e01-\u0e4e])")


def pdf_text(path: str) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")
    parts, size = [], 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > MAX_CHARACTERS:
            break
    return THAI_LINE_BREAK.sub("", "\n".join(parts))


def docx_text(path: str) -> str:
    from docx import Document

    document = Document(path)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def xlsx_text(path: str) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    parts, size = [], 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            line = " ".join(str(value) for value in row if isinstance(value, str))
            if line:
                parts.append(line)
                size += len(line)
            if size > MAX_CHARACTERS:
                return "\n".join(parts)
    return "\n".join(parts)


def pptx_text(path: str) -> str:
    import html

    parts = []
    with zipfile.ZipFile(path) as archive:
        slides = sorted(n for n in archive.namelist() if re.match(r"ppt/slides/slide\d+\.xml$", n))
        for name in slides:
            xml = archive.read(name).decode("utf-8", "replace")
            parts.append(" ".join(html.unescape(t) for t in _XML_TEXT.findall(xml)))
    return "\n".join(parts)


READERS = {"pdf": pdf_text, "docx": docx_text, "xlsx": xlsx_text, "pptx": pptx_text}


def text_of(path: str, extension: str) -> dict:
    reader = READERS.get(extension)
    if reader is None:
        return {"status": "unsupported", "text": ""}
    text = reader(path)[:MAX_CHARACTERS].strip()
    return {"status": "ok" if text else "empty", "text": text}


def render_preview(pdf_path: str, png_path: str) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_path)
    try:
        page = document[0]
        width = page.get_width() or PREVIEW_WIDTH
        image = page.render(scale=min(3.0, PREVIEW_WIDTH / width)).to_pil()
        # Encoded in memory and written by Python, as the upload service does: some Pillow
        # encoders writing straight to a file ignore a short write (a full disk would leave a
        # cut-off preview, cached for good); Python's write raises.
        encoded = io.BytesIO()
        image.convert("RGB").save(encoded, "PNG", optimize=True)
        with open(png_path, "wb") as handle:
            handle.write(encoded.getvalue())
    finally:
        document.close()


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[1] == "text":
        print(json.dumps(text_of(argv[2], argv[3]), ensure_ascii=False))
        return 0
    if len(argv) == 4 and argv[1] == "preview":
        render_preview(argv[2], argv[3])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
