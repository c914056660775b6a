"""Logins held on the server.

Each successful login is a row of `login_session`; the session cookie and the remember cookie only
carry "user id:account token:login token" (Flask-Login's alternative id, User.get_id()). So:

- logging out deletes that row: every copy of that device's cookies stops working, other devices
  stay logged in;
- a password change, an administrator's reset, deactivation and "ออกจากระบบทุกอุปกรณ์" change the
  account token (User.rotate_session_token), which ends every login of the account;
- a remembered login ends REMEMBER_DAYS after it was made, whatever the browser keeps; a login
  without "remember me" ends after LOGIN_IDLE_HOURS without use.

Only a SHA-256 of the login token is stored, so the table (or a backup of it) logs nobody in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_login import login_user
from sqlalchemy import delete, func, select, update

from nitet_online.accounts.models import AccountStatus, LoginSession, User, logins_ended
from nitet_online.extensions import db
from nitet_online.services.thai import utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def remember_lifetime() -> timedelta:
    return timedelta(days=current_app.config["REMEMBER_DAYS"])


def idle_lifetime() -> timedelta:
    return timedelta(hours=current_app.config["LOGIN_IDLE_HOURS"])


def open_login(user: User, *, remember: bool) -> str:
    """Records a new login of the user (in the current transaction); returns the identity that
    Flask-Login keeps in the session and the remember cookie."""
    now = utcnow()
    token = secrets.token_urlsafe(32)
    login = LoginSession(
        user_id=user.id,
        token_hash=_digest(token),
        remember=remember,
        created_at=now,
        expires_at=now + (remember_lifetime() if remember else idle_lifetime()),
    )
    db.session.add(login)
    db.session.execute(delete(LoginSession).where(LoginSession.expires_at <= now))
    db.session.flush()
    user.attach_login(login, token)
    return user.get_id()


def start(user: User, *, remember: bool) -> None:
    """Logs the user in on this device: a new login record, then Flask-Login's session (and the
    remember cookie, lasting as long as the record). The caller commits."""
    open_login(user, remember=remember)
    login_user(user, remember=remember, duration=remember_lifetime(), fresh=True)


def user_for(identity: str) -> User | None:
    """Flask-Login's user loader: the active user whose login this identity names, if that login
    has not ended."""
    raw_id, account_token, login_token = [*identity.split(":"), "", ""][:3]
    if not raw_id.isdigit() or not account_token or not login_token:
        return None
    row = db.session.execute(
        select(User, LoginSession).where(
            User.id == int(raw_id),
            LoginSession.user_id == User.id,
            LoginSession.token_hash == _digest(login_token),
        )
    ).first()
    if row is None:
        return None
    user, login = row
    now = utcnow()
    if (
        not hmac.compare_digest(user.session_token, account_token)
        or user.status != AccountStatus.ACTIVE
        or login.expires_at <= now
    ):
        return None
    if not login.remember and login.expires_at - now < idle_lifetime() / 2:
        _extend(login, now + idle_lifetime())
    user.attach_login(login, login_token)
    return user


def _extend(login: LoginSession, until: datetime) -> None:
    """Moves a login's end forward, at most once in half its idle lifetime. Written over its own
    connection: the request's transaction may roll back, and may not have begun yet."""
    table = LoginSession.__table__
    with db.engine.begin() as connection:
        connection.execute(update(table).where(table.c.id == login.id).values(expires_at=until))
    db.session.expire(login, ["expires_at"])


def end(user: User) -> None:
    """Ends the login of this device (the caller logs out of Flask-Login and commits)."""
    login = user.current_login
    if login is None or login.id is None:
        return
    db.session.execute(delete(LoginSession).where(LoginSession.id == login.id))
    logins_ended.send(user, login_id=login.id)


def end_all(user: User) -> None:
    """Ends every login of the account, this one included."""
    user.rotate_session_token()


def active_count(user: User) -> int:
    """How many devices the account is logged in on now."""
    return db.session.scalar(
        select(func.count())
        .select_from(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.expires_at > utcnow())
    )
