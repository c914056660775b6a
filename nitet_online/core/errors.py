"""Thai error pages (and JSON errors under /api/). No stack trace ever reaches a user."""

from __future__ import annotations

import contextlib
import errno
import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from limits.errors import StorageError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

ERROR_TEXT: dict[int, tuple[str, str]] = {
    400: ("คำขอไม่ถูกต้อง", "ข้อมูลที่ส่งมาไม่ถูกต้อง กรุณาลองใหม่อีกครั้ง"),
    403: ("ไม่มีสิทธิ์เข้าถึง", "บัญชีของท่านไม่มีสิทธิ์ใช้งานหน้านี้ หากคิดว่าเป็นความผิดพลาด โปรดติดต่อผู้ดูแลระบบ"),
    404: ("ไม่พบหน้าที่ต้องการ", "หน้านี้อาจถูกย้าย ลบ หรือพิมพ์ที่อยู่ผิด ลองค้นหาหรือกลับไปหน้าแรก"),
    405: ("ไม่รองรับวิธีการนี้", "หน้านี้ไม่รองรับการส่งข้อมูลแบบนี้"),
    413: ("ไฟล์มีขนาดใหญ่เกินกำหนด", "ไฟล์ที่ส่งมีขนาดใหญ่เกินที่ระบบรับได้ กรุณาย่อขนาดไฟล์แล้วลองใหม่"),
    429: ("ส่งคำขอถี่เกินไป", "ท่านทำรายการถี่เกินไป กรุณารอสักครู่แล้วลองใหม่"),
    500: ("ระบบขัดข้อง", "เกิดข้อผิดพลาดภายในระบบ เจ้าหน้าที่ได้รับแจ้งแล้ว กรุณาลองใหม่ภายหลัง"),
    503: ("ระบบไม่พร้อมให้บริการชั่วคราว", "กรุณาลองใหม่อีกครั้งในอีกสักครู่"),
    507: ("พื้นที่จัดเก็บไฟล์เต็ม", "พื้นที่จัดเก็บของระบบเต็ม กรุณาแจ้งผู้ดูแลระบบ แล้วลองใหม่ภายหลัง"),
}
# Disk full, quota exceeded, or the file size limit of the process (RLIMIT_FSIZE).
NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
CSRF_TEXT = "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วส่งอีกครั้ง"
SERVICE_DOWN_TEXT = (
    "ระบบสนับสนุน (Redis) ไม่ตอบสนองชั่วคราว ท่านยังอ่านเนื้อหาได้ตามปกติ "
    "แต่รายการนี้ทำไม่ได้ในขณะนี้ กรุณาลองใหม่ในอีกสักครู่"
)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def error_response(status: int, message: str | None = None):
    title, default_message = ERROR_TEXT.get(status, ERROR_TEXT[500])
    message = message or default_message
    if status == 413:
        limit_mb = (request.max_content_length or 0) // (1024 * 1024)
        if limit_mb:
            message = f"{message} (ขนาดสูงสุด {limit_mb} MB)"
    if _wants_json():
        return jsonify({"error": title, "message": message, "status": status}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_response(400, CSRF_TEXT)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if status < 400:
            return error
        # A view may abort with a Thai description meant for the user.
        custom = error.description if _is_thai(error.description) else None
        return error_response(status, custom)

    @app.errorhandler(StorageError)
    @app.errorhandler(RedisConnectionError)
    @app.errorhandler(RedisTimeoutError)
    def service_down(error: Exception):
        # Scale-out mode: Redis (rate limits, message queue) went away. Reading still works; what
        # needs Redis says so in Thai, and works again as soon as Redis answers.
        log.warning("Redis unavailable on %s %s: %s", request.method, request.path, error)
        response, status = error_response(503, SERVICE_DOWN_TEXT)
        response = make_response(response, status)
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(OSError)
    def storage_error(error: OSError):
        # The disk filled up outside the upload service (Werkzeug spools a large upload to a
        # temporary file while it reads the request): a Thai 507, not a crash.
        if error.errno not in NO_SPACE_ERRNOS:
            return unexpected_error(error)
        log.error("storage full on %s %s: %s", request.method, request.path, error)
        from nitet_online.extensions import db

        db.session.rollback()
        _discard_unread_body()
        return error_response(507)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500)


def _discard_unread_body() -> None:
    """Reads (into nothing) what the client is still sending: a server that answers and closes
    before that makes the browser show "connection reset" instead of the Thai page."""
    with contextlib.suppress(Exception):
        while request.stream.read(64 * 1024):
            pass


def _is_thai(text: str | None) -> bool:
    return bool(text) and any("\u0e00" <= ch <= "\u0e7f" for ch in text)
