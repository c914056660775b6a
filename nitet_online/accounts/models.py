"""Accounts: users, their roles and the responsibilities of supervisors."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from blinker import Namespace
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, delete, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from nitet_online.extensions import db
from nitet_online.org.models import LearningArea, Network, School
from nitet_online.services.columns import enum_column
from nitet_online.services.thai import display_name, utcnow

if TYPE_CHECKING:
    from nitet_online.uploads.models import Upload


class Role(enum.StrEnum):
    ADMIN = "admin"
    DIRECTOR = "director"
    SUPERVISOR = "supervisor"
    SCHOOL_DIRECTOR = "school_director"
    TEACHER = "teacher"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "ผู้ดูแลระบบ",
    Role.DIRECTOR: "ผู้อำนวยการ",
    Role.SUPERVISOR: "ศึกษานิเทศก์",
    Role.SCHOOL_DIRECTOR: "ผู้บริหารสถานศึกษา",
    Role.TEACHER: "ครู",
    Role.STAFF: "บุคลากรทางการศึกษา",
}

# Roles a person may choose when registering; the others are given by an administrator.
SELF_REGISTER_ROLES = (Role.TEACHER, Role.SCHOOL_DIRECTOR, Role.STAFF)
# Roles that belong to a school.
SCHOOL_ROLES = (Role.SCHOOL_DIRECTOR, Role.TEACHER, Role.STAFF)


def role_from_text(text: str) -> Role | None:
    """Accepts the code (teacher) or the Thai label (ครู) as admins type it in a spreadsheet."""
    cleaned = (text or "").strip()
    for role, label in ROLE_LABELS.items():
        if cleaned.lower() == role.value or cleaned == label:
            return role
    return None


class AccountStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {
            AccountStatus.PENDING: "รออนุมัติ",
            AccountStatus.ACTIVE: "ใช้งาน",
            AccountStatus.DEACTIVATED: "ระงับการใช้งาน",
            AccountStatus.REJECTED: "ไม่อนุมัติ",
        }[self]


supervisor_learning_areas = Table(
    "supervisor_learning_area",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "learning_area_id", ForeignKey("learning_area.id", ondelete="CASCADE"), primary_key=True
    ),
)
supervisor_schools = Table(
    "supervisor_school",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("school_id", ForeignKey("school.id", ondelete="CASCADE"), primary_key=True),
)
supervisor_networks = Table(
    "supervisor_network",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("network_id", ForeignKey("network.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(50), default="")
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(enum_column(Role), index=True)
    status: Mapped[AccountStatus] = mapped_column(
        enum_column(AccountStatus), default=AccountStatus.ACTIVE, index=True
    )
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))
    position: Mapped[str] = mapped_column(String(255), default="")
    academic_rank: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    line_id: Mapped[str] = mapped_column(String(100), default="")
    # The photo is an Upload (table created by the uploads migration, hence use_alter).
    avatar_upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("upload.id", ondelete="SET NULL", use_alter=True)
    )
    # Changing it logs the user out everywhere (password change, reset, deactivation, "log out
    # everywhere"); each login also has its own record (LoginSession), ended by logging out.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(16))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    last_login_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # PDPA consent at registration: when, and to which version of the privacy notice.
    consented_at: Mapped[datetime | None]
    consent_version: Mapped[str] = mapped_column(String(20), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school: Mapped[School | None] = relationship(foreign_keys=[school_id])
    avatar: Mapped[Upload | None] = relationship(foreign_keys=[avatar_upload_id])
    learning_areas: Mapped[list[LearningArea]] = relationship(
        secondary=supervisor_learning_areas, order_by=LearningArea.sort_order
    )
    responsible_schools: Mapped[list[School]] = relationship(
        secondary=supervisor_schools, order_by=School.name
    )
    responsible_networks: Mapped[list[Network]] = relationship(
        secondary=supervisor_networks, order_by=Network.name
    )

    # Flask-Login ---------------------------------------------------------------------------
    # The login this object was loaded for (accounts.sessions sets them; None outside a login).
    current_login = None  # LoginSession | None
    _login_token = ""

    def get_id(self) -> str:
        """What the session and the remember cookie hold: "id:account token:login token"."""
        return f"{self.id}:{self.session_token}:{self._login_token}"

    def attach_login(self, login: LoginSession, token: str) -> None:
        self.current_login = login
        self._login_token = token

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.status == AccountStatus.ACTIVE

    # Passwords -------------------------------------------------------------------------------
    def set_password(self, password: str) -> None:
        config = current_app.config if has_app_context() else {}
        method = config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)
        self.rotate_session_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def rotate_session_token(self) -> None:
        """Ends every login of the account, on every device (their sockets close after the
        commit: logins_ended is heard by chat.live)."""
        self.session_token = secrets.token_hex(16)
        if self.id is not None:
            db.session.execute(delete(LoginSession).where(LoginSession.user_id == self.id))
            logins_ended.send(self, login_id=None)

    def record_successful_login(self) -> None:
        self.last_login_at = utcnow()

    # Display and roles -----------------------------------------------------------------------
    @property
    def full_name(self) -> str:
        return display_name(self.title, self.first_name, self.last_name)

    def avatar_url(self, variant: str = "thumb") -> str | None:
        return self.avatar.url(variant) if self.avatar else None

    @property
    def initials(self) -> str:
        """For a placeholder avatar: the first letter of the first name."""
        return (self.first_name or "?")[:1]

    @property
    def role_label(self) -> str:
        return self.role.label

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    def __str__(self) -> str:
        return self.full_name

    @classmethod
    def find_by_login(cls, login: str) -> User | None:
        """The account named by a username or an e-mail address (case-insensitive)."""
        cleaned = (login or "").strip().lower()
        if not cleaned:
            return None
        return db.session.scalar(
            select(cls).where(
                or_(func.lower(cls.username) == cleaned, func.lower(cls.email) == cleaned)
            )
        )

    @classmethod
    def username_taken(cls, username: str, except_id: int | None = None) -> bool:
        query = select(cls.id).where(func.lower(cls.username) == username.strip().lower())
        if except_id:
            query = query.where(cls.id != except_id)
        return db.session.scalar(query) is not None

    @classmethod
    def email_taken(cls, email: str, except_id: int | None = None) -> bool:
        query = select(cls.id).where(func.lower(cls.email) == email.strip().lower())
        if except_id:
            query = query.where(cls.id != except_id)
        return db.session.scalar(query) is not None


# Sent with login_id=None when every login of a user ends (rotate_session_token), or with the id
# of the one login that ended (logging out); chat.live closes the matching live connections.
logins_ended = Namespace().signal("logins-ended")


class LoginSession(db.Model):
    """One login on one device, so that logging out can end it on the server: the session and the
    remember cookie only name it (by a random token, kept here as its SHA-256)."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Remembered: fixed at login + REMEMBER_DAYS. Otherwise moved forward while in use.
    expires_at: Mapped[datetime] = mapped_column(index=True)
