"""Supervisors' personal sites: the profile page, its sub-pages, projects and followers."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.extensions import db
from nitet_online.services.thai import utcnow
from nitet_online.uploads.models import Upload

PAGE_TARGET = "supervisor_page"  # Attachment.target_type of sub-page files


class Visibility(enum.StrEnum):
    """Who sees one item of the contact card."""

    PUBLIC = "public"
    MEMBERS = "members"
    HIDDEN = "hidden"

    @property
    def label(self) -> str:
        return VISIBILITY_LABELS[self]


VISIBILITY_LABELS = {
    Visibility.PUBLIC: "ทุกคน (สาธารณะ)",
    Visibility.MEMBERS: "เฉพาะสมาชิกที่เข้าสู่ระบบ",
    Visibility.HIDDEN: "ไม่แสดง",
}


def _visibility_column(default: Visibility) -> Mapped[Visibility]:
    return mapped_column(
        db.Enum(
            Visibility,
            native_enum=False,
            length=20,
            values_callable=lambda members: [m.value for m in members],
        ),
        default=default,
    )


class SupervisorProfile(db.Model):
    """The personal site of one supervisor (เว็บไซต์บุคคล), at /supervisors/<slug>."""

    __tablename__ = "supervisor_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    headline: Mapped[str] = mapped_column(String(200), default="")
    introduction: Mapped[str] = mapped_column(Text, default="")
    photo_upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("upload.id", ondelete="SET NULL")
    )
    cover_upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("upload.id", ondelete="SET NULL")
    )
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    contact_email: Mapped[str] = mapped_column(String(255), default="")
    contact_line_id: Mapped[str] = mapped_column(String(100), default="")
    phone_visibility: Mapped[Visibility] = _visibility_column(Visibility.MEMBERS)
    email_visibility: Mapped[Visibility] = _visibility_column(Visibility.PUBLIC)
    line_visibility: Mapped[Visibility] = _visibility_column(Visibility.PUBLIC)
    # A plain visit counter, used only while the statistics feature is not installed.
    view_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
    photo: Mapped[Upload | None] = relationship(foreign_keys=[photo_upload_id])
    cover: Mapped[Upload | None] = relationship(foreign_keys=[cover_upload_id])
    pages: Mapped[list[SupervisorPage]] = relationship(
        back_populates="profile",
        order_by="SupervisorPage.position, SupervisorPage.id",
        cascade="all, delete-orphan",
    )
    projects: Mapped[list[SupervisorProject]] = relationship(
        back_populates="profile",
        order_by="SupervisorProject.position, SupervisorProject.id",
        cascade="all, delete-orphan",
    )

    @property
    def url(self) -> str:
        return f"/supervisors/{self.slug}"

    @property
    def is_public(self) -> bool:
        """Search contract: anyone may see the page of an active supervisor."""
        return self.user.role == Role.SUPERVISOR and self.user.status == AccountStatus.ACTIVE

    @property
    def title(self) -> str:
        return self.user.full_name

    @property
    def body(self) -> str:
        return self.introduction

    def photo_url(self, variant: str = "medium") -> str | None:
        if self.photo is not None:
            return self.photo.url(variant)
        avatar_url = getattr(self.user, "avatar_url", None)
        return avatar_url(variant) if callable(avatar_url) else None

    def cover_url(self, variant: str = "large") -> str | None:
        return self.cover.url(variant) if self.cover else None

    @property
    def visible_pages(self) -> list[SupervisorPage]:
        return [page for page in self.pages if not page.is_hidden]

    def contact_items(self, logged_in: bool, everything: bool = False) -> list[tuple[str, str]]:
        """(kind, value) of the contact card that this viewer may see; `everything` for the
        owner and admins, who see hidden items too (marked as such by the template)."""
        items = []
        for kind, value, visibility in (
            ("phone", self.contact_phone, self.phone_visibility),
            ("email", self.contact_email, self.email_visibility),
            ("line", self.contact_line_id, self.line_visibility),
        ):
            if not value:
                continue
            if (
                everything
                or visibility == Visibility.PUBLIC
                or (visibility == Visibility.MEMBERS and logged_in)
            ):
                items.append((kind, value))
        return items

    def visibility_of(self, kind: str) -> Visibility:
        return {
            "phone": self.phone_visibility,
            "email": self.email_visibility,
            "line": self.line_visibility,
        }[kind]


class SupervisorPage(db.Model):
    """A sub-page of a supervisor's site (ผลงาน, เอกสารดาวน์โหลด, ปฏิทินการนิเทศ, ...)."""

    __tablename__ = "supervisor_page"
    __table_args__ = (UniqueConstraint("profile_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(150))
    slug: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    is_hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    profile: Mapped[SupervisorProfile] = relationship(back_populates="pages")

    @property
    def url(self) -> str:
        return f"/supervisors/{self.profile.slug}/{self.slug}"

    @property
    def is_public(self) -> bool:
        return not self.is_hidden and self.profile.is_public


class SupervisorProject(db.Model):
    """A project the supervisor is responsible for (ผู้รับผิดชอบโครงการ)."""

    __tablename__ = "supervisor_project"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None]  # Buddhist-era year (ปีงบประมาณ/ปีการศึกษา as the supervisor writes it)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    profile: Mapped[SupervisorProfile] = relationship(back_populates="projects")


class SupervisorSlugRedirect(db.Model):
    """An address a site had before its owner chose another; it keeps leading to the site."""

    __tablename__ = "supervisor_slug_redirect"

    slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SupervisorFollow(db.Model):
    """A member following a supervisor: told when the supervisor publishes news."""

    __tablename__ = "supervisor_follow"

    follower_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
