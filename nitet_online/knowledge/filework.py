"""Reading uploaded files, run as a separate process with a time limit by knowledge.files:

    python filework.py text PATH EXTENSION     → JSON {"status", "text", "peak_kb"} on stdout
    python filework.py preview PDF PNG         → the first page of PDF as PNG

A crafted or huge file can therefore neither hang nor crash a web server thread: the child gets
a time limit from its parent and sets its own memory limit first thing (RLIMIT_AS, from
NITET_FILEWORK_MEMORY_MB), so that a file needing more fails here with a MemoryError. Word, Excel
and PowerPoint files are ZIP archives: each is checked with services/archives.py (limits from
NITET_FILEWORK_ARCHIVE_LIMITS) before it is read; a zip bomb gets {"status": "failed", "reason"}.
Only the standard library, that file and the reading libraries are imported here (not the
application).
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import resource
import sys
import traceback
from pathlib import Path

MAX_PAGES = 300
MAX_CHARACTERS = 1_000_000
PREVIEW_WIDTH = 900
_XML_TEXT = re.compile(r"<a:t>([^<]*)</a:t>")
# A PDF line that ends inside Thai text continues on the next line: Thai puts no space between
# words, so the line break is no word boundary to keep.
THAI_LINE_BREAK = re.compile(r"(?<=[\u0e01-\u0e4e])[ \t]*\n[ \t]*(?=[\u0e01-\u0e4e])")
DEFAULT_MEMORY_MB = 768  # when run without NITET_FILEWORK_MEMORY_MB (config.py sets it)


def _load_archives():
    """services/archives.py, loaded from its file: importing it as nitet_online.services.archives
    would run the application package's __init__ (Flask, SQLAlchemy, the extensions)."""
    name = "nitet_filework_archives"
    if name not in sys.modules:
        path = Path(__file__).resolve().parent.parent / "services" / "archives.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules[name]


archives = _load_archives()


def _zip_limits():
    given = os.environ.get("NITET_FILEWORK_ARCHIVE_LIMITS")
    return archives.ZipLimits(**json.loads(given)) if given else archives.ZipLimits()


def peak_memory_kb() -> int:
    """This process's peak resident memory in KB. From /proc (Linux): ru_maxrss would count the
    parent's memory too, as a spawned child keeps its parent's high-water mark across exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def limit_memory() -> int:
    """Caps this process's address space (RLIMIT_AS); returns the limit in bytes."""
    megabytes = int(os.environ.get("NITET_FILEWORK_MEMORY_MB") or DEFAULT_MEMORY_MB)
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return limit


def pdf_text(path: str) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt("")
    try:  # run as a script: the module beside this file
        from pdf_text_repair import repair
    except ImportError:
        from nitet_online.knowledge.pdf_text_repair import repair
    repair(reader, MAX_PAGES)  # ActualText and gaps after Thai marks (see that module)
    parts, size = [], 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > MAX_CHARACTERS:
            break
    return THAI_LINE_BREAK.sub("", "\n".join(parts))


def docx_text(path: str) -> str:
    archives.check_zip(path, _zip_limits())  # python-docx opens the archive itself
    from docx import Document

    document = Document(path)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def xlsx_text(path: str) -> str:
    archives.check_zip(path, _zip_limits())  # openpyxl opens the archive itself
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
    with archives.open_zip(path, _zip_limits()) as archive:
        slides = sorted(n for n in archive.names() if re.match(r"ppt/slides/slide\d+\.xml$", n))
        for name in slides:
            xml = archive.read(name).decode("utf-8", "replace")  # bounded by the entry limit
            parts.append(" ".join(html.unescape(t) for t in _XML_TEXT.findall(xml)))
    return "\n".join(parts)


READERS = {"pdf": pdf_text, "docx": docx_text, "xlsx": xlsx_text, "pptx": pptx_text}


def text_of(path: str, extension: str) -> dict:
    reader = READERS.get(extension)
    if reader is None:
        return {"status": "unsupported", "text": ""}
    try:
        text = reader(path)[:MAX_CHARACTERS].strip()
    except archives.ArchiveError as error:  # a zip bomb, or a broken archive: said in Thai
        return {"status": "failed", "text": "", "reason": str(error)}
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
    limit = limit_memory()
    try:
        if len(argv) == 4 and argv[1] == "text":
            result = text_of(argv[2], argv[3]) | {"peak_kb": peak_memory_kb()}
            print(json.dumps(result, ensure_ascii=False))
            return 0
        if len(argv) == 4 and argv[1] == "preview":
            render_preview(argv[2], argv[3])
            return 0
    except MemoryError:
        print(
            f"MemoryError: the file needs more than the {limit >> 20} MB memory limit",
            file=sys.stderr,
        )
        return 3
    except Exception:
        # Libraries written in C may report a failed allocation as something else (lxml: "unknown
        # error"): the limit and the peak go with the traceback so that the log tells.
        traceback.print_exc()
        peak = peak_memory_kb() >> 10
        print(f"(memory limit {limit >> 20} MB, peak resident {peak} MB)", file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
