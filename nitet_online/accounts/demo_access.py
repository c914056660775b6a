"""Demo accounts on a network.

`make run` loads demo accounts whose password (nitet-demo) is printed in the README. That is
right for a try-out on one's own computer (the embedded default listens on 127.0.0.1), and wrong
for a server others can reach: anyone could log in as the administrator. So, unless the operator
sets NITET_DEMO_PUBLIC=1 (a public demonstration site):

- a login with the demo password is refused when the site can be reached from elsewhere: the
  server listens beyond loopback (HOST is not 127.0.0.1, ::1 or localhost), or the request came
  from another address or through a proxy (nginx in front of a server on 127.0.0.1);
- every page says that the site holds demo data while demo accounts keep their public password
  and the site can be reached from elsewhere (also with NITET_DEMO_PUBLIC=1: visitors should
  know that what they read is made up).

The login view calls `demo_login_refusal(password)` before checking the credentials; the banner
is `templates/partials/demo_banner.html`, switched on by `register_demo_banner(app)`.
"""

from __future__ import annotations

import ipaddress
import threading
import time

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import select
from werkzeug.security import check_password_hash

# The demo accounts named in the README and architecture.md (nitet_online/demo.py creates them).
DEMO_USERNAMES = (
    "admin",
    "officedirector1",
    "director1",
    "supervisor1",
    "supervisor2",
    "schooldirector1",
    "teacher1",
    "teacher2",
    "staff1",
)
PRESENCE_CACHE_SECONDS = 30
FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-Ip")

DEMO_LOGIN_REFUSED = (
    "บัญชีทดลองของข้อมูลตัวอย่างใช้รหัสผ่านที่เปิดเผยต่อสาธารณะ จึงเข้าสู่ระบบได้เฉพาะบนเครื่องที่ติดตั้งระบบเท่านั้น "
    "หากต้องการเปิดให้ทดลองใช้ผ่านเครือข่าย ผู้ดูแลระบบต้องตั้งค่า NITET_DEMO_PUBLIC=1 "
    "หรือเปลี่ยนรหัสผ่านของบัญชีเหล่านี้ก่อน"
)


def _is_loopback(host: str) -> bool:
    host = (host or "").strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name, "0.0.0.0", "::" or empty: reachable from elsewhere


def listens_beyond_loopback() -> bool:
    """The server's address (HOST, which gunicorn.conf.py binds) is not a loopback address."""
    return not _is_loopback(current_app.config.get("LISTEN_HOST") or "127.0.0.1")


def request_is_local() -> bool:
    """The request came from this machine: a loopback client address. Behind trusted proxies
    (NITET_TRUSTED_PROXIES) that is the address the proxy names; without them, a forwarding header
    means a proxy on this machine relays someone else's request (or the header is forged)."""
    if not has_request_context():
        return False
    trusted = int(current_app.config.get("TRUSTED_PROXIES") or 0)
    if not trusted and any(name in request.headers for name in FORWARDING_HEADERS):
        return False
    return _is_loopback(request.remote_addr or "")


def reachable_from_elsewhere() -> bool:
    return listens_beyond_loopback() or not request_is_local()


def demo_logins_allowed() -> bool:
    return bool(current_app.config.get("DEMO_PUBLIC")) or not reachable_from_elsewhere()


def demo_login_refusal(password: str | None) -> str | None:
    """The Thai message refusing this login, or None. A login with the demo accounts' public
    password is refused when the site can be reached from elsewhere, unless NITET_DEMO_PUBLIC=1
    (whatever the account: a password printed in the README protects nothing)."""
    from nitet_online.demo import DEMO_PASSWORD

    if password != DEMO_PASSWORD or demo_logins_allowed():
        return None
    return DEMO_LOGIN_REFUSED


# Are demo accounts here? -----------------------------------------------------------------------
_lock = threading.Lock()
_presence: dict[str, tuple[float, bool]] = {}  # database URL → (checked at, present)
_verified: dict[str, bool] = {}  # password hash → whether it is the demo password's


def _has_demo_password(password_hash: str) -> bool:
    """Each distinct hash is checked once (scrypt costs tens of milliseconds)."""
    from nitet_online.demo import DEMO_PASSWORD

    with _lock:
        known = _verified.get(password_hash)
    if known is None:
        known = check_password_hash(password_hash, DEMO_PASSWORD)
        with _lock:
            _verified[password_hash] = known
    return known


def demo_accounts_present() -> bool:
    """Whether one of the named demo accounts is active with the demo password (looked up at most
    every PRESENCE_CACHE_SECONDS per process)."""
    from nitet_online.accounts.models import AccountStatus, User
    from nitet_online.extensions import db

    key = current_app.config["SQLALCHEMY_DATABASE_URI"]
    now = time.monotonic()
    with _lock:
        cached = _presence.get(key)
    if cached and now - cached[0] < PRESENCE_CACHE_SECONDS:
        return cached[1]
    hashes = db.session.scalars(
        select(User.password_hash).where(
            User.username.in_(DEMO_USERNAMES), User.status == AccountStatus.ACTIVE
        )
    ).all()
    present = any(_has_demo_password(password_hash) for password_hash in hashes if password_hash)
    with _lock:
        _presence[key] = (now, present)
    return present


def forget_presence() -> None:
    """For tests, and after the demo accounts' passwords change in this process."""
    with _lock:
        _presence.clear()


def show_demo_banner() -> bool:
    return has_request_context() and reachable_from_elsewhere() and demo_accounts_present()


def register_demo_banner(app: Flask) -> None:
    @app.context_processor
    def demo_banner() -> dict:
        return {"show_demo_banner": show_demo_banner}
