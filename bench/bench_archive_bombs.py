"""ZIP bombs and large images (issue 12, finding 1): what each reader of uploaded files costs.

Peak memory: each reader runs in a fresh process (tests/peak_memory.py) on an ordinary file of
the format first, then on each bomb; the peak resident memory after each file is printed with its
growth over the ordinary file's (the baseline of the same run). Readers:

  upload      the content check of every upload (uploads.services.detect)
  import      the CSV/Excel import of users and schools (services.tabular.read_table)
  knowledge   the text extraction child of the knowledge base (its own peak)

Bombs of the sizes in the issue: an .odt whose mimetype inflates to 1 GB (1 MB file), a .docx whose
word/document.xml inflates to 500 MB (about 500 KB), the same for an .xlsx sheet and a .pptx
slide, an .odt and a .docx whose headers state a few bytes while the data inflates to 1 GB and
300 MB, and an .xlsx of 100,000 entries.

Images (in this process, the upload service with the testing configuration): median time of
REPEAT calls to refuse a 6000×6600 PNG (over UPLOAD_MAX_IMAGE_PIXELS), against processing a 12 MP
phone photo, a photo at the limit, and that same 6000×6600 PNG with the limit lifted (what it
would cost to process).

    .venv/bin/python bench/bench_archive_bombs.py
    .venv/bin/python bench/bench_archive_bombs.py --repeat 3
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import zipbombs  # noqa: E402
from tests.files import docx_bytes, pptx_bytes, xlsx_bytes  # noqa: E402

MB = 1024 * 1024


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def make_files(folder: Path) -> dict[str, Path]:
    odt = zipbombs.archive(
        [
            zipbombs.entry("mimetype", zipbombs.ODT_MIMETYPE),
            zipbombs.entry("content.xml", b"<office:document-content/>"),
        ]
    )
    made = {
        "ordinary.docx": docx_bytes("แผนการจัดการเรียนรู้"),
        "ordinary.xlsx": xlsx_bytes(),
        "ordinary.pptx": pptx_bytes(),
        "ordinary.odt": odt,
        "bomb-odt-mimetype-1GB.odt": zipbombs.odt_mimetype_bomb(1024 * MB),
        "bomb-odt-lying-mimetype-1GB.odt": zipbombs.odt_lying_mimetype(1024 * MB),
        "bomb-docx-document-500MB.docx": zipbombs.docx_bomb(500 * MB),
        "bomb-docx-lying-document-300MB.docx": zipbombs.docx_bomb(300 * MB, stated=4096),
        "bomb-xlsx-sheet-500MB.xlsx": zipbombs.xlsx_bomb(500 * MB),
        "bomb-pptx-slide-500MB.pptx": zipbombs.pptx_bomb(500 * MB),
        "bomb-xlsx-100000-entries.xlsx": zipbombs.many_entries(100_000),
    }
    return {name: _write(folder, name, data) for name, data in made.items()}


def peaks(reader: str, files: list[Path]) -> list[dict]:
    finished = subprocess.run(
        [sys.executable, "-m", "tests.peak_memory", reader, *map(str, files)],
        capture_output=True,
        cwd=ROOT,
        check=True,
    )
    return [json.loads(line) for line in finished.stdout.decode().splitlines()]


def print_peaks(reader: str, results: list[dict], sizes: dict[str, int]) -> None:
    ordinary = results[0]["peak_kb"]
    print(f"\n{reader}")
    print(f"  {'file':38} {'size':>9} {'peak MB':>8} {'+MB':>6} {'ms':>7}  outcome")
    for result in results:
        outcome = result["outcome"]
        outcome = "refused: zip bomb" if "zip bomb" in outcome else outcome[:40]
        print(
            f"  {result['file']:38} {sizes[result['file']] / 1024:>7.0f}KB "
            f"{result['peak_kb'] / 1024:>8.1f} {(result['peak_kb'] - ordinary) / 1024:>+6.1f} "
            f"{result['seconds'] * 1000:>7.1f}  {outcome}"
        )


def bench_memory(folder: Path) -> None:
    files = make_files(folder)
    sizes = {path.name: path.stat().st_size for path in files.values()}
    bombs = [path for name, path in files.items() if name.startswith("bomb-")]
    ooxml_bombs = [path for path in bombs if path.suffix != ".odt"]
    excel_bombs = [path for path in bombs if path.suffix == ".xlsx"]
    print("Peak resident memory of each reader: an ordinary file first (baseline), then each bomb")
    print_peaks("upload check", peaks("upload", [files["ordinary.docx"], *bombs]), sizes)
    print_peaks("xlsx import", peaks("import", [files["ordinary.xlsx"], *excel_bombs]), sizes)
    print_peaks(
        "knowledge text child",
        peaks("knowledge", [files["ordinary.docx"], *ooxml_bombs]),
        sizes,
    )


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (31, 78, 140)).save(buffer, "PNG")
    return buffer.getvalue()


def _photo(width: int, height: int) -> bytes:
    """Photo-like: a gradient with grain, JPEG quality 90 (a noise image would be unrealistic)."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((width, height))
    grain = Image.effect_noise((width, height), 12)
    picture = Image.merge("RGB", (gradient, grain, gradient.transpose(Image.FLIP_LEFT_RIGHT)))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def bench_images(folder: Path, repeat: int) -> None:
    from werkzeug.datastructures import FileStorage

    from bench.common import scratch_app
    from nitet_online.extensions import db
    from nitet_online.uploads.models import IMAGE
    from nitet_online.uploads.services import UploadError, save_upload

    app = scratch_app(folder)
    limit = app.config["UPLOAD_MAX_IMAGE_PIXELS"]
    side = int((limit / 1.5) ** 0.5)
    cases = [
        ("12 MP phone photo 4000×3000 JPEG", _photo(4000, 3000), limit),
        (f"photo at the limit {int(side * 1.5)}×{side} JPEG", _photo(int(side * 1.5), side), limit),
        ("6000×6600 PNG, one colour: refused", _png(6000, 6600), limit),
        ("6000×6600 PNG, one colour: limit lifted", _png(6000, 6600), 10**9),
    ]
    print(f"\nImages (UPLOAD_MAX_IMAGE_PIXELS = {limit:,}; median of {repeat})")
    print(f"  {'image':42} {'file':>8} {'ms':>8}  outcome")
    results = {}
    with app.app_context():
        for name, data, pixels in cases:
            app.config["UPLOAD_MAX_IMAGE_PIXELS"] = pixels
            times, outcome = [], ""
            for _ in range(repeat):
                started = time.perf_counter()
                try:
                    upload = save_upload(FileStorage(io.BytesIO(data), "photo"), None, {IMAGE})
                    outcome = f"stored {upload.width}×{upload.height} + variants"
                except UploadError as error:
                    outcome = f"refused: {error}"
                times.append((time.perf_counter() - started) * 1000)
                db.session.rollback()  # the staged files go
            results[name] = statistics.median(times)
            print(f"  {name:42} {len(data) / 1024:>6.0f}KB {results[name]:>8.1f}  {outcome}")
        app.config["UPLOAD_MAX_IMAGE_PIXELS"] = limit
    refused, lifted = list(results.values())[2:]
    print(f"  refusing the 6000×6600 PNG: {lifted / refused:,.0f}× less time than processing it")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nitet-bombs-") as folder:
        bench_memory(Path(folder))
        images = Path(folder) / "images"
        images.mkdir()
        bench_images(images, arguments.repeat)


if __name__ == "__main__":
    main()
