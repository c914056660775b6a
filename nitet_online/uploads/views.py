"""Serving stored files, and the upload endpoint the Markdown editor uses for inline images."""

from __future__ import annotations

import errno
import logging
import os
import threading
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, abort, current_app, jsonify, request, send_file
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from nitet_online.extensions import db, limiter
from nitet_online.services.permissions import login_required
from nitet_online.uploads.models import DOCUMENT, FILES_URL_PREFIX, IMAGE, Upload
from nitet_online.uploads.services import (
    StorageFullError,
    UploadError,
    file_path,
    finish_staged_uploads,
    save_upload,
)

bp = Blueprint("uploads", __name__, url_prefix=FILES_URL_PREFIX)
log = logging.getLogger(__name__)

ONE_YEAR = 60 * 60 * 24 * 365
INSUFFICIENT_STORAGE = 507


def storage_has_room() -> None:
    """Health check: raises when the disk that holds the uploads has no room left for one more
    upload of the largest size allowed (UPLOAD_MIN_FREE_BYTES, config.py)."""
    config = current_app.config
    folder = Path(config["UPLOAD_DIR"])
    stats = os.statvfs(folder if folder.is_dir() else folder.parent)
    free = stats.f_bavail * stats.f_frsize
    if free < config["UPLOAD_MIN_FREE_BYTES"]:
        raise OSError(errno.ENOSPC, f"{free} bytes free for uploads", str(folder))


_finishing = threading.Lock()


@bp.before_app_request
def _finish_staged_uploads_once() -> None:
    """The first request a process serves finishes what killed processes left in staging; other
    requests arriving meanwhile wait for it. Later requests: one dict lookup."""
    state = current_app.extensions.setdefault("uploads", {})
    if state.get("finished_staging") == os.getpid():
        return
    with _finishing:
        if state.get("finished_staging") == os.getpid():
            return
        try:
            finish_staged_uploads()
        except (OSError, SQLAlchemyError):
            db.session.rollback()
            log.exception("could not finish the staged uploads; the next process tries again")
        state["finished_staging"] = os.getpid()


@bp.app_errorhandler(StorageFullError)
def _storage_full(error: StorageFullError):
    """A view that does not catch UploadError itself still answers in Thai, with 507."""
    from nitet_online.core.errors import error_response

    db.session.rollback()
    return error_response(INSUFFICIENT_STORAGE, str(error))


@bp.get("/<token>")
@bp.get("/<token>/<variant>")
def serve(token: str, variant: str | None = None):
    upload = db.session.scalar(select(Upload).where(Upload.token == token))
    if upload is None:
        abort(404)
    path = file_path(upload, variant)
    if not path.exists():
        abort(404)
    response = send_file(
        path,
        mimetype=upload.content_type,
        max_age=ONE_YEAR,
        conditional=True,
    )
    disposition = "inline" if upload.is_image or upload.extension == "pdf" else "attachment"
    # RFC 6266 / 5987: Thai file names survive in every browser through filename*.
    ascii_name = f"file-{upload.id}.{upload.extension}"
    response.headers["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(upload.original_name)}"
    )
    # Even a crafted file cannot run script in our origin.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _upload_rate_limit() -> str:
    return current_app.config["RATELIMIT_UPLOAD"]


@bp.post("/upload")
@login_required
@limiter.limit(_upload_rate_limit)
def upload_for_editor():
    """Stores one image or document and answers with the Markdown that shows or links it."""
    accept = {IMAGE} if request.args.get("kind") == "image" else {IMAGE, DOCUMENT}
    try:
        upload = save_upload(request.files.get("file"), current_user.id, accept)
    except StorageFullError as error:
        return jsonify({"error": str(error)}), INSUFFICIENT_STORAGE
    except UploadError as error:
        return jsonify({"error": str(error)}), 400
    db.session.commit()
    if upload.is_image:
        markdown = f"![{upload.original_name}]({upload.url('large')})"
    else:
        markdown = f"[{upload.original_name}]({upload.url()})"
    return jsonify({"id": upload.id, "url": upload.url(), "markdown": markdown})
