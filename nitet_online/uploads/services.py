"""The upload service every feature uses: checks a file by its content (not its name), processes
images with Pillow (EXIF orientation applied, metadata stripped, resized variants, decompression
bombs refused), stores files under the data folder with unguessable names.

    upload = save_upload(request.files["photo"], owner_id=current_user.id, accept={IMAGE})
    attach("news", news.id, upload)

Errors raise UploadError with a Thai message meant for the user.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event, select
from werkzeug.datastructures import FileStorage

from nitet_online.extensions import db
from nitet_online.uploads.models import DOCUMENT, IMAGE, Attachment, Upload

# Image variants: name → longest side in pixels.
IMAGE_VARIANTS = {"thumb": 320, "medium": 960, "large": 1920}
FULL_IMAGE_MAX_SIDE = 3200
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


class UploadError(ValueError):
    """The file was refused; the message says why, in Thai."""


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
        if not _document_matches(data, extension):
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
    if extension == "pdf":
        return data[:1024].lstrip().startswith(b"%PDF-")
    if extension in {"doc", "xls", "ppt"}:
        return data.startswith(OLE2_MAGIC)
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if extension in OOXML_FOLDERS:
                return "[Content_Types].xml" in names and any(
                    n.startswith(OOXML_FOLDERS[extension]) for n in names
                )
            return (
                "mimetype" in names
                and archive.read("mimetype").decode("ascii", "ignore") == DOCUMENT_TYPES[extension]
            )
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _open_checked_image(data: bytes) -> Image.Image:
    """Opens an image after checking its pixel count from the header, before decoding it."""
    max_pixels = current_app.config["UPLOAD_MAX_IMAGE_PIXELS"]
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as error:
        raise UploadError(_too_many_pixels(max_pixels)) from error
    if image.width * image.height > max_pixels:
        raise UploadError(_too_many_pixels(max_pixels))
    try:
        image.load()
    except (OSError, Image.DecompressionBombError, ValueError) as error:
        raise UploadError("ไฟล์รูปภาพเสียหาย เปิดอ่านไม่ได้") from error
    return image


def _too_many_pixels(max_pixels: int) -> str:
    return f"รูปภาพมีความละเอียดสูงเกินไป (ไม่เกิน {max_pixels // 1_000_000} ล้านพิกเซล) กรุณาย่อขนาดก่อน"


def _normalised(image: Image.Image) -> Image.Image:
    """Upright (EXIF orientation applied) and in a mode JPEG/PNG can store, without metadata."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    return image.convert("RGB")


def _save_image(image: Image.Image, path: Path, max_side: int) -> tuple[int, int]:
    copy = image.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if copy.mode == "RGBA":
        copy.save(path, "PNG", optimize=True)
    else:
        # A fresh save with no exif/icc arguments writes no metadata (GPS, camera, …).
        copy.save(path, "JPEG", quality=85, optimize=True, progressive=True)
    return copy.size


def _storage_dir(token: str) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / token[:2] / token


def file_path(upload: Upload, variant: str | None = None) -> Path:
    folder = _storage_dir(upload.token)
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
    commits). Raises UploadError with the Thai reason when the file is refused."""
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
    folder = _storage_dir(token)
    folder.mkdir(parents=True, exist_ok=False)
    name = safe_display_name(file.filename)
    try:
        upload = Upload(
            token=token,
            owner_id=owner_id,
            kind=checked.kind,
            original_name=name,
            content_type=checked.content_type,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
        )
        if checked.kind == IMAGE:
            _store_image(upload, data, folder)
        else:
            upload.extension = checked.extension
            _write_atomically(folder / f"original.{checked.extension}", data)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    db.session.add(upload)
    return upload


def _store_image(upload: Upload, data: bytes, folder: Path) -> None:
    image = _normalised(_open_checked_image(data))
    extension = "png" if image.mode == "RGBA" else "jpg"
    upload.extension = extension
    upload.content_type = "image/png" if extension == "png" else "image/jpeg"
    partial = folder / f".original.{extension}.part"
    upload.width, upload.height = _save_image(image, partial, FULL_IMAGE_MAX_SIDE)
    os.replace(partial, folder / f"original.{extension}")
    upload.size = (folder / f"original.{extension}").stat().st_size
    variants = []
    for variant, side in IMAGE_VARIANTS.items():
        partial = folder / f".{variant}.part"
        _save_image(image, partial, side)
        os.replace(partial, folder / f"{variant}.{extension}")
        variants.append(variant)
    upload.variants = variants


def _write_atomically(path: Path, data: bytes) -> None:
    """Written to a temporary name, flushed to disk, then renamed: a crash never leaves half a file
    under the real name."""
    partial = path.with_name(f".{path.name}.part")
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def delete_upload(upload: Upload) -> None:
    """Removes the record now and the files once the transaction commits."""
    folder = _storage_dir(upload.token)
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
