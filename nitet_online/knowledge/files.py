"""Text and previews of uploaded files. The work runs in a child process (filework.py) with a
time limit and a memory limit (DOCUMENT_WORKER_MEMORY_MB, set by the child on itself as RLIMIT_AS)
and checks ZIP-based files against the archive limits (ARCHIVE_*) before reading them; a failure
or a refusal is logged and leaves the item as it is (the file is kept, simply not searchable
inside, or without a preview)."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from flask import current_app

from nitet_online.knowledge.models import KnowledgeFile, TextStatus
from nitet_online.search.analysis import normalize
from nitet_online.services.archives import ZipLimits
from nitet_online.uploads.models import Upload
from nitet_online.uploads.services import file_path

log = logging.getLogger(__name__)
WORKER = Path(__file__).with_name("filework.py")
PREVIEW_NAME = "preview-page1.png"


def _run(arguments: list[str], timeout: int) -> subprocess.CompletedProcess:
    config = current_app.config
    limits = ZipLimits.from_config(config)
    environment = {
        **os.environ,
        "PYTHONIOENCODING": "utf-8",
        # The child limits its own memory (a preexec_fn would run Python between fork and exec
        # in a server full of threads, which can deadlock).
        "NITET_FILEWORK_MEMORY_MB": str(config["DOCUMENT_WORKER_MEMORY_MB"]),
        "NITET_FILEWORK_ARCHIVE_LIMITS": json.dumps(dataclasses.asdict(limits)),
    }
    return subprocess.run(
        [sys.executable, str(WORKER), *arguments],
        capture_output=True,
        timeout=timeout,
        check=True,
        env=environment,
    )


def extract_text(upload: Upload) -> tuple[str, str]:
    """(status, text) of a document; images and old binary formats have no text here."""
    if upload.is_image:
        return TextStatus.UNSUPPORTED.value, ""
    name = f"upload {upload.id}" if upload.id else f"upload {upload.original_name!r}"
    return extract_file_text(file_path(upload), upload.extension, name)


def extract_file_text(path: Path, extension: str, name: str | None = None) -> tuple[str, str]:
    """(status, text) of the file at `path`, read by the child process; "failed" (logged, with
    the reason) when it takes too long, needs too much memory, or is refused as a zip bomb."""
    name = name or path.name
    timeout = current_app.config["KNOWLEDGE_TEXT_TIMEOUT"]
    try:
        finished = _run(["text", str(path), extension], timeout)
        result = json.loads(finished.stdout.decode("utf-8"))
        if result.get("reason"):
            log.warning("text extraction of %s refused: %s", name, result["reason"])
        return _normalized(result["status"], result["text"])
    except subprocess.TimeoutExpired:
        log.warning("text extraction of %s took too long; skipped", name)
    except subprocess.CalledProcessError as error:
        log.warning(
            "text extraction of %s failed (exit %s): %s",
            name,
            error.returncode,
            error.stderr.decode("utf-8", "replace")[-500:],
        )
    except (ValueError, KeyError, OSError):
        log.exception("text extraction of %s gave no usable answer", name)
    return TextStatus.FAILED.value, ""


def _normalized(status: str, text: str) -> tuple[str, str]:
    """The text in the search analyser's spelling (search.analysis.normalize): Thai private-use
    glyph forms as ordinary characters, no NULs or other control characters, NFC, ..."""
    text = normalize(text).strip()
    return (TextStatus.EMPTY.value if status == TextStatus.OK.value and not text else status), text


def fill_text(knowledge_file: KnowledgeFile) -> None:
    knowledge_file.text_status, knowledge_file.text = extract_text(knowledge_file.upload)


def read_again(batch: int = 50) -> tuple[int, int]:
    """Reads the text of every stored document again (`flask search reindex`): the reader and
    the normalisation improve, and items added before keep the text read then. A file that
    cannot be read now keeps its text. Returns (files read, texts changed)."""
    from sqlalchemy import select

    from nitet_online.extensions import db

    ids = db.session.scalars(select(KnowledgeFile.id).order_by(KnowledgeFile.id)).all()
    read = changed = 0
    for start in range(0, len(ids), batch):
        for knowledge_file in db.session.scalars(
            select(KnowledgeFile).where(KnowledgeFile.id.in_(ids[start : start + batch]))
        ):
            if knowledge_file.upload is None or knowledge_file.upload.is_image:
                continue
            status, text = extract_text(knowledge_file.upload)
            read += 1
            if status == TextStatus.FAILED.value:
                continue
            if (status, text) != (knowledge_file.text_status, knowledge_file.text):
                knowledge_file.text_status, knowledge_file.text = status, text
                changed += 1
        db.session.commit()
    return read, changed


def preview_path(knowledge_file: KnowledgeFile) -> Path:
    """Where the first page of a PDF is kept as an image: next to the uploaded file."""
    return file_path(knowledge_file.upload).parent / PREVIEW_NAME


def ensure_preview(knowledge_file: KnowledgeFile) -> Path | None:
    """The preview image of a PDF, rendered on first need; None when it cannot be made."""
    if not knowledge_file.is_pdf:
        return None
    target = preview_path(knowledge_file)
    if target.exists():
        return target
    source = file_path(knowledge_file.upload)
    if not source.exists():
        return None
    partial = target.with_name(f".{PREVIEW_NAME}.{os.getpid()}.part")
    try:
        _run(
            ["preview", str(source), str(partial)], current_app.config["KNOWLEDGE_PREVIEW_TIMEOUT"]
        )
        os.replace(partial, target)
        return target
    except (subprocess.SubprocessError, OSError) as error:
        log.warning("no preview for upload %s: %s", knowledge_file.upload_id, error)
        partial.unlink(missing_ok=True)
        return None
