"""Account logic shared by the views and the admin pages: authentication with lockout,
registration, approval."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.audit.services import record
from nitet_online.extensions import db
from nitet_online.services.thai import thai_time, utcnow

WRONG_CREDENTIALS = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


@dataclass
class LoginResult:
    user: User | None
    error: str | None = None


def authenticate(login: str, password: str) -> LoginResult:
    """Checks the credentials and applies the lockout; commits the failure counters."""
    config = current_app.config
    user = User.find_by_login(login)
    if user is None:
        # Spend the time a real check would so the response time does not reveal the account.
        _dummy_check(password)
        return LoginResult(None, WRONG_CREDENTIALS)
    if user.is_locked():
        return LoginResult(
            None,
            "บัญชีนี้ถูกล็อกชั่วคราวเพราะใส่รหัสผ่านผิดหลายครั้ง "
            f"กรุณาลองใหม่หลังเวลา {thai_time(user.locked_until)}",
        )
    if not user.check_password(password):
        user.record_failed_login(config["LOGIN_MAX_FAILURES"], config["LOGIN_LOCKOUT_MINUTES"])
        if user.locked_until:
            record(
                "account.locked", user, f"ล็อกบัญชี {user.username} หลังใส่รหัสผ่านผิด", actor_id=user.id
            )
        db.session.commit()
        return LoginResult(None, WRONG_CREDENTIALS)
    if user.status == AccountStatus.PENDING:
        return LoginResult(None, "บัญชีของท่านอยู่ระหว่างรอผู้ดูแลระบบอนุมัติ")
    if user.status in (AccountStatus.DEACTIVATED, AccountStatus.REJECTED):
        return LoginResult(None, "บัญชีนี้ถูกระงับการใช้งาน โปรดติดต่อผู้ดูแลระบบ")
    user.record_successful_login()
    db.session.commit()
    return LoginResult(user)


_DUMMY_HASH: str | None = None


def _dummy_check(password: str) -> None:
    global _DUMMY_HASH
    from werkzeug.security import check_password_hash, generate_password_hash

    if _DUMMY_HASH is None:
        _DUMMY_HASH = generate_password_hash(secrets.token_hex(8))
    check_password_hash(_DUMMY_HASH, password)


def safe_next_url(target: str | None) -> str | None:
    """Only a path on this site may be a redirect target after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def register_user(
    *,
    username: str,
    email: str,
    password: str,
    title: str,
    first_name: str,
    last_name: str,
    role: Role,
    school_id: int | None,
    position: str = "",
    phone: str = "",
) -> User:
    """A self-registered account, pending an administrator's approval."""
    user = User(
        username=username.strip(),
        email=email.strip().lower(),
        title=title,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        school_id=school_id,
        position=position.strip(),
        phone=phone.strip(),
        status=AccountStatus.PENDING,
    )
    user.set_password(password)
    db.session.add(user)
    return user


def approve_user(user: User, approver: User) -> None:
    user.status = AccountStatus.ACTIVE
    user.approved_at = utcnow()
    user.approved_by_id = approver.id
    record("user.approve", user, f"อนุมัติบัญชี {user.username}")


def generate_temporary_password(length: int = 12) -> str:
    """Letters and digits without look-alikes (0/O, 1/l/I), readable over the phone."""
    alphabet = "".join(ch for ch in string.ascii_letters + string.digits if ch not in "0O1lI")
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(ch.isdigit() for ch in password) and any(ch.isalpha() for ch in password):
            return password
