"""Text and previews of uploaded files. The work runs in a child process (filework.py) with a
time limit; a failure is logged and leaves the item as it is (the file is simply not searchable
inside, or has no preview)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from flask import current_app

from nitet_online.knowledge.models import KnowledgeFile, TextStatus
from nitet_online.uploads.models import Upload
from nitet_online.uploads.services import file_path

log = logging.getLogger(__name__)
WORKER = Path(__file__).with_name("filework.py")
TEXT_TIMEOUT = 60
PREVIEW_TIMEOUT = 30
PREVIEW_NAME = "preview-page1.png"


def _run(arguments: list[str], timeout: int) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8"}
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
    path = file_path(upload)
    timeout = current_app.config.get("KNOWLEDGE_TEXT_TIMEOUT", TEXT_TIMEOUT)
    try:
        finished = _run(["text", str(path), upload.extension], timeout)
        result = json.loads(finished.stdout.decode("utf-8"))
        return result["status"], result["text"]
    except subprocess.TimeoutExpired:
        log.warning("text extraction of upload %s took too long; skipped", upload.id)
    except subprocess.CalledProcessError as error:
        log.warning(
            "text extraction of upload %s failed: %s",
            upload.id,
            error.stderr.decode("utf-8", "replace")[-500:],
        )
    except (ValueError, KeyError, OSError):
        log.exception("text extraction of upload %s gave no usable answer", upload.id)
    return TextStatus.FAILED.value, ""


def fill_text(knowledge_file: KnowledgeFile) -> None:
    knowledge_file.text_status, knowledge_file.text = extract_text(knowledge_file.upload)


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
        _run(["preview", str(source), str(partial)], PREVIEW_TIMEOUT)
        os.replace(partial, target)
        return target
    except (subprocess.SubprocessError, OSError) as error:
        log.warning("no preview for upload %s: %s", knowledge_file.upload_id, error)
        partial.unlink(missing_ok=True)
        return None
