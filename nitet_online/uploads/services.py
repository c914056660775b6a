"""The upload service every feature uses: checks a file by its content (not its name), processes
images with Pillow (EXIF orientation applied, metadata stripped, resized variants, decompression
bombs refused), stores files under the data folder with unguessable names.

    upload = save_upload(request.files["photo"], owner_id=current_user.id, accept={IMAGE})
    attach("news", news.id, upload)

Errors raise UploadError with a Thai message meant for the user (StorageFullError, a kind of
UploadError, when the disk is full: forms show it and keep what was typed).

Crash safety: a file is written and flushed to disk in a staging folder of the process
(UPLOAD_DIR/.incoming/<process>/<token>/) before its row can commit, and the folder is renamed to
its place (UPLOAD_DIR/<xx>/<token>/) once the row has committed; a rollback removes it. A server
killed at any moment leaves no half-written file where files are served from: a row always finds
its complete files (in place, or still staged, from where file_path() serves them). Each process
holds an flock on `.incoming/<process>.lock` for its life (the kernel drops it when the process
dies, however it dies), so the first request of a later process can tell a dead writer's staging
folder from a live one's: it moves the committed uploads in it into place and removes the rest.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import logging
import os
import secrets
import shutil
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.datastructures import FileStorage

from nitet_online.core.errors import NO_SPACE_ERRNOS
from nitet_online.extensions import db
from nitet_online.services.archives import (
    ArchiveError,
    DamagedArchiveError,
    ZipLimits,
    open_zip,
)
from nitet_online.uploads.models import DOCUMENT, IMAGE, Attachment, Upload

# Image variants: name → longest side in pixels.
IMAGE_VARIANTS = {"thumb": 320, "medium": 960, "large": 1920}
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp"}

DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
EXECUTABLE_MAGICS = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")

STAGING_FOLDER = ".incoming"
PENDING_KEY = "nitet_staged_uploads"
STORAGE_FULL_MESSAGE = (
    "พื้นที่จัดเก็บไฟล์ของระบบเต็ม จึงบันทึกไฟล์นี้ไม่ได้ในขณะนี้ กรุณาแจ้งผู้ดูแลระบบ แล้วลองใหม่อีกครั้งภายหลัง"
)

log = logging.getLogger(__name__)


class UploadError(ValueError):
    """The file was refused; the message says why, in Thai."""


class StorageFullError(UploadError):
    """The disk that holds the uploads is full: nothing of the file was kept."""


@dataclass
class CheckedFile:
    kind: str
    extension: str
    content_type: str


def _limit_bytes(kind: str) -> int:
    config = current_app.config
    megabytes = config["UPLOAD_MAX_IMAGE_MB"] if kind == IMAGE else config["UPLOAD_MAX_DOCUMENT_MB"]
    return int(megabytes * 1024 * 1024)


def _extension_of(filename: str) -> str:
    return Path(filename or "").suffix.lower().lstrip(".")


def safe_display_name(filename: str) -> str:
    """The name shown to people: no folders, no control characters, at most 200 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return name[:200] or "ไฟล์"


def detect(data: bytes, filename: str, accept: Iterable[str]) -> CheckedFile:
    """What the bytes really are, checked against the name's extension and what is accepted."""
    accept = set(accept)
    extension = _extension_of(filename)
    if data.startswith(EXECUTABLE_MAGICS):
        raise UploadError("ไม่อนุญาตให้อัปโหลดไฟล์โปรแกรมหรือสคริปต์")
    if extension in DOCUMENT_TYPES:
        if DOCUMENT not in accept:
            raise UploadError("ช่องนี้รับเฉพาะรูปภาพ (JPG, PNG, GIF, WebP)")
        try:
            matches = _document_matches(data, extension)
        except DamagedArchiveError:
            matches = False
        except ArchiveError as error:
            raise UploadError(f"ไม่รับไฟล์นี้: {error}") from error
        if not matches:
            raise UploadError(f"เนื้อไฟล์ไม่ตรงกับชนิด .{extension} ไฟล์อาจเสียหายหรือถูกเปลี่ยนนามสกุล")
        return CheckedFile(DOCUMENT, extension, DOCUMENT_TYPES[extension])
    if extension in IMAGE_EXTENSIONS or (IMAGE in accept and DOCUMENT not in accept):
        if IMAGE not in accept:
            raise UploadError("ช่องนี้รับเฉพาะไฟล์เอกสาร (PDF, Word, Excel, PowerPoint)")
        image_format = _image_format(data)
        if image_format is None:
            raise UploadError("ไฟล์นี้ไม่ใช่รูปภาพที่รองรับ (รองรับ JPG, PNG, GIF, WebP)")
        return CheckedFile(IMAGE, IMAGE_FORMATS[image_format], Image.MIME[image_format])
    allowed = []
    if IMAGE in accept:
        allowed.append("รูปภาพ JPG PNG GIF WebP")
    if DOCUMENT in accept:
        allowed.append("เอกสาร PDF Word Excel PowerPoint")
    raise UploadError("ไม่รองรับไฟล์ชนิดนี้ (รองรับ: " + ", ".join(allowed) + ")")


def _image_format(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.format if image.format in IMAGE_FORMATS else None
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        return None


def _document_matches(data: bytes, extension: str) -> bool:
    """Whether the bytes are a file of this type. Office and OpenDocument files are ZIP archives:
    refused (ArchiveError) when they hold more than the limits allow, declared or actually
    inflated, so that no one stores a zip bomb for another reader to open."""
    if extension == "pdf":
        return data[:1024].lstrip().startswith(b"%PDF-")
    if extension in {"doc", "xls", "ppt"}:
        return data.startswith(OLE2_MAGIC)
    if not data.startswith(b"PK"):
        return False
    with open_zip(data, ZipLimits.from_config(current_app.config)) as archive:
        names = archive.names()
        if extension in OOXML_FOLDERS:
            matches = "[Content_Types].xml" in names and any(
                n.startswith(OOXML_FOLDERS[extension]) for n in names
            )
        else:
            expected = DOCUMENT_TYPES[extension].encode("ascii")
            matches = (
                "mimetype" in archive
                and archive.getinfo("mimetype").file_size == len(expected)
                and archive.read("mimetype", max_bytes=len(expected)) == expected
            )
        if matches:
            archive.verify()  # every entry's real size and checksum, read 64 KB at a time
        return matches


def _open_checked_image(data: bytes) -> Image.Image:
    """Opens an image after checking its pixel count from the header, before decoding it: the
    time and memory an image costs grow with its pixels (UPLOAD_MAX_IMAGE_PIXELS bounds both)."""
    max_pixels = current_app.config["UPLOAD_MAX_IMAGE_PIXELS"]
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as error:
        raise UploadError(_too_many_pixels(max_pixels)) from error
    if image.width * image.height > max_pixels:
        raise UploadError(_too_many_pixels(max_pixels, image.size))
    if image.format == "JPEG":
        # Decoded straight at the scale nearest above the largest size kept (libjpeg scales
        # while decoding): a fraction of the time and memory for a large photo.
        longest, kept = max(image.size), current_app.config["UPLOAD_FULL_IMAGE_MAX_SIDE"]
        if longest > kept:
            scale = kept / longest
            image.draft(image.mode, (round(image.width * scale), round(image.height * scale)))
    try:
        image.load()
    except (OSError, Image.DecompressionBombError, ValueError) as error:
        raise UploadError("ไฟล์รูปภาพเสียหาย เปิดอ่านไม่ได้") from error
    return image


def _too_many_pixels(max_pixels: int, size: tuple[int, int] | None = None) -> str:
    limit = f"{max_pixels / 1_000_000:g} ล้านพิกเซล"
    if size is None:
        return f"รูปภาพมีความละเอียดสูงเกินไป ระบบรับรูปที่ไม่เกิน {limit} กรุณาย่อขนาดรูปก่อนอัปโหลด"
    width, height = size
    return (
        f"รูปภาพมีความละเอียดสูงเกินไป: {width:,} × {height:,} พิกเซล "
        f"({width * height / 1_000_000:.1f} ล้านพิกเซล) ระบบรับรูปที่ไม่เกิน {limit} "
        "กรุณาย่อขนาดรูปก่อนอัปโหลด"
    )


def _normalised(image: Image.Image) -> Image.Image:
    """Upright (EXIF orientation applied) and in a mode JPEG/PNG can store, without metadata."""
    ImageOps.exif_transpose(image, in_place=True)  # no copy of the whole image when upright
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        wanted = "RGBA"
    else:
        wanted = "RGB"
    return image if image.mode == wanted else image.convert(wanted)


def _shrunk(image: Image.Image, max_side: int) -> Image.Image:
    """The image fitted within max_side × max_side (a new image), or the image itself if it fits."""
    if max(image.size) <= max_side:
        return image
    scale = max_side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _save_image(image: Image.Image, path: Path) -> None:
    # Encoded in memory, then written by Python: Pillow writing to a file ignores a short write
    # (a full disk) and would leave a cut-off image without an error.
    encoded = io.BytesIO()
    if image.mode == "RGBA":
        image.save(encoded, "PNG", optimize=True)
    else:
        # A fresh save with no exif/icc arguments writes no metadata (GPS, camera, …).
        image.save(encoded, "JPEG", quality=85, optimize=True, progressive=True)
    _write_durably(path, encoded.getbuffer())


def _upload_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def _storage_dir(token: str) -> Path:
    return _upload_root() / token[:2] / token


class _Staging(NamedTuple):
    pid: int
    folder: Path
    lock: IO[bytes]  # kept open: the flock lives as long as this process


_staging_guard = threading.Lock()


def _own_staging_dir() -> Path:
    """This process's staging folder, made on first use. Its lock file is created under a hidden
    name, locked, then renamed: another process never sees it unlocked while this one lives."""
    state = current_app.extensions.setdefault("uploads", {})
    root = _upload_root() / STAGING_FOLDER
    staging = state.get("staging")
    if staging is not None and staging.pid == os.getpid() and staging.folder.parent == root:
        return staging.folder
    with _staging_guard:
        staging = state.get("staging")
        if staging is None or staging.pid != os.getpid() or staging.folder.parent != root:
            root.mkdir(parents=True, exist_ok=True)
            name = f"{os.getpid()}-{secrets.token_hex(6)}"
            hidden = root / f".{name}.lock"
            lock = open(hidden, "wb")  # noqa: SIM115 (held open for the life of the process)
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.rename(hidden, root / f"{name}.lock")
            staging = _Staging(os.getpid(), root / name, lock)
            state["staging"] = staging
    return staging.folder


def _staged_folder(token: str) -> Path | None:
    """The staging folder of an upload whose files have not been moved into place yet: before
    its row commits, or when its writer died between the commit and the move."""
    root = _upload_root() / STAGING_FOLDER
    if not root.is_dir():
        return None
    return next((path for path in root.glob(f"*/{token}") if path.is_dir()), None)


def _folder_of(upload: Upload) -> Path:
    """Where the upload's files are: in place, or still staged."""
    folder = _storage_dir(upload.token)
    if not folder.is_dir():
        return _staged_folder(upload.token) or folder
    return folder


def file_path(upload: Upload, variant: str | None = None) -> Path:
    folder = _folder_of(upload)
    if variant and upload.is_image and variant in (upload.variants or []):
        return folder / f"{variant}.{upload.extension}"
    return folder / f"original.{upload.extension}"


def _read_limited(stream: IO[bytes], limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(f"ไฟล์มีขนาดใหญ่เกินกำหนด (สูงสุด {limit // (1024 * 1024)} MB)")
    return data


def save_upload(
    file: FileStorage, owner_id: int | None, accept: Iterable[str] = (IMAGE, DOCUMENT)
) -> Upload:
    """Checks, processes and stores one uploaded file; adds the Upload to the session (the caller
    commits). Raises UploadError with the Thai reason when the file is refused, StorageFullError
    when the disk is full (nothing of the file is left behind)."""
    if file is None or not file.filename:
        raise UploadError("กรุณาเลือกไฟล์")
    accept = set(accept)
    limit = max(_limit_bytes(kind) for kind in accept)
    data = _read_limited(file.stream, limit)
    if not data:
        raise UploadError("ไฟล์ว่างเปล่า")
    checked = detect(data, file.filename, accept)
    if len(data) > _limit_bytes(checked.kind):
        raise UploadError(
            f"ไฟล์มีขนาดใหญ่เกินกำหนด (สูงสุด {_limit_bytes(checked.kind) // (1024 * 1024)} MB)"
        )
    token = secrets.token_urlsafe(24)
    upload = Upload(
        token=token,
        owner_id=owner_id,
        kind=checked.kind,
        original_name=safe_display_name(file.filename),
        content_type=checked.content_type,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    staging: Path | None = None
    try:
        staging = _own_staging_dir() / token
        _make_staging_dir(staging)
        if checked.kind == IMAGE:
            _store_image(upload, data, staging)
        else:
            upload.extension = checked.extension
            _write_durably(staging / f"original.{checked.extension}", data)
        _sync_folder(staging)
        _sync_folder(staging.parent)
    except BaseException as error:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError) and error.errno in NO_SPACE_ERRNOS:
            log.error("upload storage full (%s): %s refused", error, upload.original_name)
            raise StorageFullError(STORAGE_FULL_MESSAGE) from error
        raise
    db.session.add(upload)
    db.session.info.setdefault(PENDING_KEY, []).append((upload, staging, _storage_dir(token)))
    return upload


def _make_staging_dir(staging: Path) -> None:
    # Another request may remove the emptied process folder at the same moment (questions'
    # discard_uploads tidies parent folders): try again rather than fail the upload.
    for attempt in range(3):
        try:
            staging.mkdir(parents=True)
            return
        except FileNotFoundError:
            if attempt == 2:
                raise


def _store_image(upload: Upload, data: bytes, folder: Path) -> None:
    image = _normalised(_open_checked_image(data))
    extension = "png" if image.mode == "RGBA" else "jpg"
    upload.extension = extension
    upload.content_type = "image/png" if extension == "png" else "image/jpeg"
    original = folder / f"original.{extension}"
    image = _shrunk(image, current_app.config["UPLOAD_FULL_IMAGE_MAX_SIDE"])
    _save_image(image, original)
    upload.width, upload.height = image.size
    upload.size = original.stat().st_size
    # Each variant is made from the next larger one, not from the full image: the same result
    # for a fraction of the work.
    for variant, side in sorted(IMAGE_VARIANTS.items(), key=lambda item: -item[1]):
        image = _shrunk(image, side)
        _save_image(image, folder / f"{variant}.{extension}")
    upload.variants = list(IMAGE_VARIANTS)


def _write_durably(path: Path, data: bytes | memoryview) -> None:
    """Written whole and flushed to disk before the row that names it can commit; OSError (ENOSPC,
    EFBIG, ...) when the disk cannot take all of it."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        if os.fstat(handle.fileno()).st_size != len(data):
            raise OSError(errno.ENOSPC, "file written short", str(path))


def _sync_folder(folder: Path) -> None:
    """Makes the folder's entries (new files, a renamed folder) survive a power cut."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _move_into_place(staging: Path, target: Path) -> bool:
    """Moves a committed upload's folder from staging to its place (a rename on the same disk:
    the folder appears whole or not at all). False when it is not in staging any more."""
    try:
        for attempt in range(3):
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(staging, target)
                break
            except FileNotFoundError:
                # Moved already (another process finishing staging), or the two-letter folder
                # was just removed as empty by another request: then make it again.
                if attempt == 2 or not staging.is_dir():
                    return False
    except OSError as error:
        if error.errno in (errno.ENOTEMPTY, errno.EEXIST):
            # Already in place (a backup taken mid-move holds both copies): the staged one goes.
            shutil.rmtree(staging, ignore_errors=True)
            return False
        log.exception("upload folder %s stays in staging (still served from there)", staging)
        return False
    with contextlib.suppress(OSError):
        _sync_folder(target.parent)
    return True


@event.listens_for(Session, "after_commit")
def _place_committed_uploads(session: Session) -> None:
    for upload, staging, target in session.info.pop(PENDING_KEY, ()):
        if inspect(upload).persistent:
            _move_into_place(staging, target)
        else:  # taken out of the session before the commit: its row was never written
            shutil.rmtree(staging, ignore_errors=True)


@event.listens_for(Session, "after_transaction_end")
def _discard_uncommitted_uploads(session: Session, transaction: SessionTransaction) -> None:
    """Rolled back, or the session closed without a commit: the staged files go too."""
    if transaction.parent is not None:
        return
    for _, staging, _ in session.info.pop(PENDING_KEY, ()):
        shutil.rmtree(staging, ignore_errors=True)


def finish_staged_uploads() -> tuple[int, int]:
    """Finishes what dead processes left in staging (a server killed mid-upload): uploads whose
    rows committed are moved into place, the others removed. A process is dead when its lock
    can be taken; a live one's staging is left alone. Returns (moved, removed)."""
    root = _upload_root() / STAGING_FOLDER
    if not root.is_dir():
        return 0, 0
    state = current_app.extensions.get("uploads", {})
    own = state["staging"].folder.name if "staging" in state else None
    moved = removed = 0
    for lock_path in sorted(root.glob("*.lock")):
        name = lock_path.name.removesuffix(".lock")
        if name.startswith(".") or name == own:
            continue
        try:
            descriptor = os.open(lock_path, os.O_RDWR)  # no O_CREAT: gone means cleaned already
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: its process is alive (or the file system cannot tell)
            os.close(descriptor)
            continue
        try:
            folder_moved, folder_removed = _finish_folder(root / name)
            moved += folder_moved
            removed += folder_removed
            shutil.rmtree(root / name, ignore_errors=True)
            lock_path.unlink(missing_ok=True)
        finally:
            os.close(descriptor)
    if moved or removed:
        log.warning(
            "uploads left by an interrupted run: %d moved into place, %d removed", moved, removed
        )
    return moved, removed


def _finish_folder(folder: Path) -> tuple[int, int]:
    """One dead process's staging folder: committed uploads into place, the rest removed."""
    try:
        staged = {path.name: path for path in folder.iterdir() if path.is_dir()}
    except FileNotFoundError:
        return 0, 0
    names = sorted(staged)
    committed: set[str] = set()
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        committed |= set(db.session.scalars(select(Upload.token).where(Upload.token.in_(chunk))))
    moved = removed = 0
    for name, path in staged.items():
        if name in committed:
            moved += _move_into_place(path, _storage_dir(name))
        else:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return moved, removed


def delete_upload(upload: Upload) -> None:
    """Removes the record now and the files once the transaction commits."""
    folder = _folder_of(upload)
    db.session.delete(upload)

    def _remove_files(session) -> None:
        shutil.rmtree(folder, ignore_errors=True)

    event.listen(db.session(), "after_commit", _remove_files, once=True)


def attach(target_type: str, target_id: int, upload: Upload, caption: str = "") -> Attachment:
    """Links an upload to a piece of content, after the ones already attached."""
    position = len(
        db.session.scalars(
            select(Attachment.id).where(
                Attachment.target_type == target_type, Attachment.target_id == target_id
            )
        ).all()
    )
    attachment = Attachment(
        target_type=target_type,
        target_id=target_id,
        upload=upload,
        position=position,
        caption=caption[:255],
    )
    db.session.add(attachment)
    return attachment


def save_many(
    files: Iterable[FileStorage], owner_id: int | None, accept: Iterable[str]
) -> tuple[list[Upload], list[str]]:
    """Saves each non-empty file; returns the uploads and the Thai reasons of refused ones
    (prefixed with the file's name), so a form can keep the good files and explain the rest."""
    uploads, errors = [], []
    for file in files:
        if not file or not file.filename:
            continue
        try:
            uploads.append(save_upload(file, owner_id, accept))
        except UploadError as error:
            errors.append(f"{safe_display_name(file.filename)}: {error}")
    return uploads, errors
