"""Account logic shared by the views and the admin pages: authentication (slowed down per
account and address, see throttle.py), registration, approval."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from nitet_online.accounts import throttle
from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.audit.services import record
from nitet_online.extensions import db
from nitet_online.services.thai import utcnow

WRONG_CREDENTIALS = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"


def must_wait_message(seconds: int) -> str:
    return (
        "มีการใส่รหัสผ่านผิดหลายครั้งจากเครื่องนี้ "
        f"กรุณารอ {throttle.describe_wait(seconds)} แล้วลองใหม่ "
        "หากลืมรหัสผ่านโปรดติดต่อผู้ดูแลระบบ"
    )


@dataclass
class LoginResult:
    user: User | None
    error: str | None = None
    retry_after: int = 0  # seconds this address must still wait: the attempt was not tried


def authenticate(login: str, password: str, remote_address: str | None) -> LoginResult:
    """Checks the credentials, slowing down guesses from one address at one account. An unknown
    name is treated exactly like a known one with a wrong password: same answers, same delays,
    a password check of the same cost."""
    user = User.find_by_login(login)
    attempt = throttle.attempt_for(user, login, remote_address)
    wait = throttle.wait_before(attempt)
    if wait:
        # Refused without looking at the password: guesses made while waiting teach nothing.
        return LoginResult(None, must_wait_message(wait), retry_after=wait)
    if user is None:
        _dummy_check(password)
        matches = False
    else:
        matches = user.check_password(password)
    if not matches:
        failures, wait = throttle.record_failure(attempt)
        if user is not None and failures == current_app.config["LOGIN_FREE_FAILURES"]:
            record(
                "account.login_throttled",
                user,
                f"ชะลอการเข้าสู่ระบบของ {user.username} จากที่อยู่ {attempt.address} "
                f"หลังใส่รหัสผ่านผิด {failures} ครั้ง",
                actor_id=user.id,
            )
            db.session.commit()
        return LoginResult(
            None, WRONG_CREDENTIALS + (f" {must_wait_message(wait)}" if wait else "")
        )
    throttle.forget(attempt)
    if user.status == AccountStatus.PENDING:
        return LoginResult(None, "บัญชีของท่านอยู่ระหว่างรอผู้ดูแลระบบอนุมัติ")
    if user.status in (AccountStatus.DEACTIVATED, AccountStatus.REJECTED):
        return LoginResult(None, "บัญชีนี้ถูกระงับการใช้งาน โปรดติดต่อผู้ดูแลระบบ")
    user.record_successful_login()
    db.session.commit()
    return LoginResult(user)


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_check(password: str) -> None:
    """A password check against a hash made the way real ones are (PASSWORD_HASH_METHOD), so an
    unknown name costs the same time as a known one."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(8), method=method)
    check_password_hash(_DUMMY_HASHES[method], password)


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
