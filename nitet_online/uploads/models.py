"""Uploaded files (images and documents) and their attachment to any content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.services.thai import utcnow

FILES_URL_PREFIX = "/files"
IMAGE = "image"
DOCUMENT = "document"


class Upload(db.Model):
    """A stored file. Files live under UPLOAD_DIR/<token>/ and are addressed by the token, which
    is long and random so that a file's address cannot be guessed."""

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    original_name: Mapped[str] = mapped_column(String(255))
    extension: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    width: Mapped[int | None]
    height: Mapped[int | None]
    variants: Mapped[list | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    @property
    def is_image(self) -> bool:
        return self.kind == IMAGE

    def url(self, variant: str | None = None) -> str:
        """Address of the file (served by uploads.serve); images also have thumb, medium and large
        variants. Built without url_for so it works outside requests (indexing, CLI, demo data)."""
        if variant and self.is_image and variant in (self.variants or []):
            return f"{FILES_URL_PREFIX}/{self.token}/{variant}"
        return f"{FILES_URL_PREFIX}/{self.token}"

    @property
    def human_size(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / (1024 * 1024):.1f} MB"
        return f"{max(1, round(self.size / 1024))} KB"

    @property
    def icon(self) -> str:
        return {
            "pdf": "file-earmark-pdf",
            "doc": "file-earmark-word",
            "docx": "file-earmark-word",
            "xls": "file-earmark-excel",
            "xlsx": "file-earmark-excel",
            "ppt": "file-earmark-ppt",
            "pptx": "file-earmark-ppt",
        }.get(self.extension, "file-earmark-image" if self.is_image else "file-earmark")


class Attachment(db.Model):
    """Links an upload to any content (news, question, answer, page, ...) by type and id, so every
    feature attaches files the same way."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int]
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    caption: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    upload: Mapped[Upload] = relationship(lazy="joined")

    __table_args__ = (db.Index("ix_attachment_target", "target_type", "target_id"),)


def attachments_of(target_type: str, target_id: int) -> list[Attachment]:
    return list(
        db.session.scalars(
            select(Attachment)
            .where(Attachment.target_type == target_type, Attachment.target_id == target_id)
            .order_by(Attachment.position, Attachment.id)
        )
    )
