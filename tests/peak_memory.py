"""Peak memory of a reader of uploaded files, measured in a fresh process (a process's peak only
grows, so a test process that ran anything before could hide a spike):

    python -m tests.peak_memory READER FILE [FILE ...]

READER is one of
  upload     uploads.services.detect(), the content check every upload goes through
  import     services.tabular.read_table(), the CSV/Excel import of users and schools
  knowledge  the text extraction child of the knowledge base, run as extract_file_text() runs it
             (with its time and memory limits); the peak reported is the child's own

One JSON line per file, in the order given: {"file", "outcome", "seconds", "peak_kb"}, where peak_kb
is the high-water mark of resident memory after that file (for knowledge, of the child that read
it). Give an ordinary file first and the bombs after it: each bomb's figure minus the ordinary
one is what the bomb cost at most.
Used by tests/test_archive_bombs.py and bench/bench_archive_bombs.py.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _app():
    from config import TestingConfig
    from nitet_online import create_app

    folder = Path(tempfile.mkdtemp(prefix="nitet-peak-"))
    os.environ["NITET_DATA_DIR"] = str(folder)
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'peak.db'}"
    config.UPLOAD_DIR = str(folder / "uploads")
    return create_app(config)


def _own_peak_kb() -> int:
    """This process's peak resident memory (VmHWM): ru_maxrss would include the memory of the
    process that started this one (a spawned child keeps its parent's high-water mark)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reader(name: str):
    """A function of a path giving (outcome, peak memory in KB after reading it)."""
    if name == "upload":
        from nitet_online.uploads.models import DOCUMENT, IMAGE
        from nitet_online.uploads.services import detect

        def read(path: Path) -> tuple[str, int]:
            detect(path.read_bytes(), path.name, {DOCUMENT, IMAGE})
            return "accepted", _own_peak_kb()

        return read
    if name == "import":
        from nitet_online.services.tabular import read_table

        def read(path: Path) -> tuple[str, int]:
            with open(path, "rb") as stream:
                rows = read_table(stream, path.name, required=())
            return f"{len(rows)} rows", _own_peak_kb()

        return read
    if name == "knowledge":
        from nitet_online.knowledge.files import _run

        def read(path: Path) -> tuple[str, int]:
            # What extract_file_text() runs, with the child's own peak taken from its answer
            # (or, when it failed, from what it wrote on the way out).
            try:
                finished = _run(["text", str(path), path.suffix.lstrip(".")], 120)
            except subprocess.CalledProcessError as error:
                stderr = error.stderr.decode("utf-8", "replace")
                peak = re.search(r"peak resident (\d+) MB", stderr)
                return f"exit {error.returncode}", int(peak.group(1)) * 1024 if peak else 0
            result = json.loads(finished.stdout)
            outcome = (
                result.get("reason") or f"{result['status']}, {len(result['text'])} characters"
            )
            return outcome, result["peak_kb"]

        return read
    raise SystemExit(f"unknown reader {name!r}")


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    app = _app()
    with app.app_context():
        read = _reader(argv[1])
        for file in argv[2:]:
            path = Path(file)
            started = time.perf_counter()
            try:
                outcome, peak = read(path)
            except Exception as error:  # the refusal is the outcome reported
                outcome, peak = f"{type(error).__name__}: {error}", _own_peak_kb()
            seconds = time.perf_counter() - started
            line = {"file": path.name, "outcome": outcome, "seconds": seconds, "peak_kb": peak}
            print(json.dumps(line, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
