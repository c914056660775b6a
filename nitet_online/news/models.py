"""Academic news (ข่าวสาร): proactive supervision by publishing policy, projects, training."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.services.columns import enum_column
from nitet_online.services.slugs import slugify
from nitet_online.services.thai import utcnow
from nitet_online.uploads.models import Upload

NEWS_TARGET = "news"  # Attachment.target_type of news attachments


class NewsCategory(enum.StrEnum):
    ANNOUNCEMENT = "announcement"
    ACADEMIC = "academic"
    POLICY = "policy"
    TRAINING = "training"
    PROJECT = "project"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]

    @property
    def icon(self) -> str:
        return CATEGORY_ICONS[self]

    @property
    def has_event(self) -> bool:
        return self == NewsCategory.TRAINING


CATEGORY_LABELS = {
    NewsCategory.ANNOUNCEMENT: "ข่าวประชาสัมพันธ์",
    NewsCategory.ACADEMIC: "ข่าววิชาการ",
    NewsCategory.POLICY: "นโยบาย",
    NewsCategory.TRAINING: "อบรม/สัมมนา",
    NewsCategory.PROJECT: "โครงการ",
}
CATEGORY_ICONS = {
    NewsCategory.ANNOUNCEMENT: "megaphone",
    NewsCategory.ACADEMIC: "mortarboard",
    NewsCategory.POLICY: "bank",
    NewsCategory.TRAINING: "easel",
    NewsCategory.PROJECT: "kanban",
}


class NewsStatus(enum.StrEnum):
    """Stored status. A published post whose publish_at is still ahead is "scheduled"."""

    DRAFT = "draft"
    PUBLISHED = "published"


class NewsState(enum.StrEnum):
    """What a reader sees: the stored status and the publication time together."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return {
            NewsState.DRAFT: "ฉบับร่าง",
            NewsState.SCHEDULED: "ตั้งเวลาเผยแพร่",
            NewsState.PUBLISHED: "เผยแพร่แล้ว",
        }[self]


class NewsPost(db.Model):
    __tablename__ = "news_post"
    # The list reads pinned first, then newest: this index serves it without sorting the table.
    __table_args__ = (db.Index("ix_news_post_listing", "is_pinned", "publish_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[NewsCategory] = mapped_column(enum_column(NewsCategory), index=True)
    status: Mapped[NewsStatus] = mapped_column(enum_column(NewsStatus), default=NewsStatus.DRAFT)
    # When the post becomes (or became) visible; None for a draft never published.
    publish_at: Mapped[datetime | None] = mapped_column(index=True)
    is_pinned: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    cover_upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("upload.id", ondelete="SET NULL")
    )
    # Training and seminars (อบรม/สัมมนา)
    event_start: Mapped[datetime | None] = mapped_column(index=True)
    event_end: Mapped[datetime | None]
    event_place: Mapped[str] = mapped_column(String(255), default="")
    registration_url: Mapped[str] = mapped_column(String(500), default="")
    # Followers of the author were told (set once, when the post first became public).
    notified_at: Mapped[datetime | None] = mapped_column(index=True)
    # A plain view counter, used only while the statistics feature is not installed.
    view_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")
    cover: Mapped[Upload | None] = relationship(lazy="joined")

    @property
    def slug(self) -> str:
        return slugify(self.title) or "news"

    @property
    def url(self) -> str:
        """Search contract: the readable address /news/<id>-<slug>."""
        return f"/news/{self.id}-{self.slug}"

    def state(self, now: datetime | None = None) -> NewsState:
        if self.status == NewsStatus.DRAFT or self.publish_at is None:
            return NewsState.DRAFT
        if self.publish_at > (now or utcnow()):
            return NewsState.SCHEDULED
        return NewsState.PUBLISHED

    @property
    def is_public(self) -> bool:
        """Search contract: published and due; drafts and future posts stay hidden."""
        return self.state() == NewsState.PUBLISHED

    @property
    def has_event(self) -> bool:
        return self.category.has_event and self.event_start is not None

    def cover_url(self, variant: str = "medium") -> str | None:
        return self.cover.url(variant) if self.cover else None
