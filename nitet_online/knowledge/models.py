"""คลังความรู้: documents, media, innovations, research, manuals, videos and FAQ answers, with
their files (text extracted for search, PDF previews) and links."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.org.models import GradeLevel, LearningArea
from nitet_online.services.columns import enum_column
from nitet_online.services.review import Actor, ReviewFlow, Step
from nitet_online.services.slugs import slugify
from nitet_online.services.thai import utcnow
from nitet_online.services.youtube import embed_url, youtube_id
from nitet_online.uploads.models import Upload


class Kind(enum.StrEnum):
    DOCUMENT = "document"
    MEDIA = "media"
    INNOVATION = "innovation"
    RESEARCH = "research"
    MANUAL = "manual"
    VIDEO = "video"
    FAQ = "faq"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def icon(self) -> str:
        return KIND_ICONS[self]


KIND_LABELS = {
    Kind.DOCUMENT: "เอกสาร/บทความ",
    Kind.MEDIA: "สื่อการสอน",
    Kind.INNOVATION: "นวัตกรรม",
    Kind.RESEARCH: "งานวิจัย",
    Kind.MANUAL: "คู่มือ",
    Kind.VIDEO: "วิดีโอ",
    Kind.FAQ: "คำถามที่พบบ่อย (FAQ)",
}
KIND_ICONS = {
    Kind.DOCUMENT: "file-earmark-text",
    Kind.MEDIA: "easel",
    Kind.INNOVATION: "lightbulb",
    Kind.RESEARCH: "clipboard-data",
    Kind.MANUAL: "book",
    Kind.VIDEO: "play-btn",
    Kind.FAQ: "question-circle",
}


def kind_from_text(text: str) -> Kind | None:
    """The code (research) or the Thai label (งานวิจัย, เอกสาร) as people type it in a file."""
    cleaned = (text or "").strip().lower()
    if not cleaned:
        return None
    for kind, label in KIND_LABELS.items():
        names = {kind.value, label.lower(), *label.lower().replace("(", "/").rstrip(")").split("/")}
        if cleaned in {name.strip() for name in names}:
            return kind
    return {"สื่อ": Kind.MEDIA, "บทความ": Kind.DOCUMENT, "faq": Kind.FAQ}.get(cleaned)


class KnowledgeStatus(enum.StrEnum):
    """Where a knowledge item is in its review (REVIEW)."""

    DRAFT = "draft"
    PENDING = "pending"  # sent by a teacher or school director, waiting for an editor
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return REVIEW.label(self)


# Editors (supervisors and staff) publish their own items directly; others send them for review.
REVIEW = ReviewFlow(
    labels={
        KnowledgeStatus.DRAFT: "ฉบับร่าง",
        KnowledgeStatus.PENDING: "รอตรวจ",
        KnowledgeStatus.PUBLISHED: "เผยแพร่แล้ว",
    },
    steps=(
        Step(
            "submit",
            {KnowledgeStatus.DRAFT, KnowledgeStatus.PENDING},
            KnowledgeStatus.PENDING,
            Actor.AUTHOR,
            "รายการนี้เผยแพร่แล้ว",
        ),
        Step(
            "publish",
            set(KnowledgeStatus),
            KnowledgeStatus.PUBLISHED,
            Actor.REVIEWER,
            "เฉพาะศึกษานิเทศก์และเจ้าหน้าที่จึงเผยแพร่ได้ กรุณากดส่งให้ตรวจ",
        ),
        Step(
            "return",
            {KnowledgeStatus.PENDING},
            KnowledgeStatus.DRAFT,
            Actor.REVIEWER,
            "ส่งกลับแก้ไขได้เฉพาะรายการที่รอตรวจ",
        ),
        Step(
            "unpublish",
            {KnowledgeStatus.PUBLISHED},
            KnowledgeStatus.DRAFT,
            Actor.REVIEWER,
            "รายการนี้ยังไม่เผยแพร่",
        ),
    ),
    editable={KnowledgeStatus.DRAFT, KnowledgeStatus.PENDING},
)


LICENCES = {
    "cc-by": "CC BY 4.0 — นำไปใช้และดัดแปลงได้ โดยอ้างอิงผู้สร้าง",
    "cc-by-sa": "CC BY-SA 4.0 — ใช้และดัดแปลงได้ อ้างอิงผู้สร้าง และเผยแพร่ต่อด้วยสัญญาอนุญาตเดียวกัน",
    "cc-by-nc": "CC BY-NC 4.0 — ใช้และดัดแปลงได้เพื่อการศึกษา ไม่ใช่เพื่อการค้า โดยอ้างอิงผู้สร้าง",
    "education": "ใช้เพื่อการศึกษาได้ โดยอ้างอิงแหล่งที่มา",
    "all-rights": "สงวนลิขสิทธิ์ — อ่านและดาวน์โหลดได้ ห้ามดัดแปลงหรือเผยแพร่ต่อโดยไม่ได้รับอนุญาต",
    "public": "เอกสารราชการ เผยแพร่ต่อได้",
}


knowledge_item_tags = Table(
    "knowledge_item_tag",
    db.metadata,
    Column("item_id", ForeignKey("knowledge_item.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("knowledge_tag.id", ondelete="CASCADE"), primary_key=True),
)
knowledge_item_grade_levels = Table(
    "knowledge_item_grade_level",
    db.metadata,
    Column("item_id", ForeignKey("knowledge_item.id", ondelete="CASCADE"), primary_key=True),
    Column("grade_level_id", ForeignKey("grade_level.id", ondelete="CASCADE"), primary_key=True),
)


class KnowledgeTag(db.Model):
    __tablename__ = "knowledge_tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)

    def __str__(self) -> str:
        return self.name


class KnowledgeItem(db.Model):
    __tablename__ = "knowledge_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Kind] = mapped_column(enum_column(Kind, "knowledge_kind"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(String(1000), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    learning_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_area.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    # People who are not (or need not be) accounts: one name per line.
    co_authors: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    licence: Mapped[str] = mapped_column(String(20), default="education")
    rights_note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[KnowledgeStatus] = mapped_column(
        enum_column(KnowledgeStatus, "knowledge_status"), default=KnowledgeStatus.DRAFT, index=True
    )
    review_note: Mapped[str] = mapped_column(String(500), default="")
    # The resolved question an FAQ item was made from (no foreign key: Q&A is another feature).
    source_question_id: Mapped[int | None] = mapped_column(index=True)
    view_count: Mapped[int] = mapped_column(default=0)
    download_count: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    learning_area: Mapped[LearningArea | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    grade_levels: Mapped[list[GradeLevel]] = relationship(
        secondary=knowledge_item_grade_levels, order_by=GradeLevel.sort_order
    )
    tags: Mapped[list[KnowledgeTag]] = relationship(
        secondary=knowledge_item_tags, order_by=KnowledgeTag.name
    )
    files: Mapped[list[KnowledgeFile]] = relationship(
        back_populates="item",
        order_by="KnowledgeFile.position, KnowledgeFile.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    links: Mapped[list[KnowledgeLink]] = relationship(
        back_populates="item",
        order_by="KnowledgeLink.position, KnowledgeLink.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    # Search contract ----------------------------------------------------------------------------
    @property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def url(self) -> str:
        return f"/knowledge/{self.id}-{self.slug}" if self.slug else f"/knowledge/{self.id}"

    @property
    def is_public(self) -> bool:
        return self.status == KnowledgeStatus.PUBLISHED

    # Display ------------------------------------------------------------------------------------
    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def licence_label(self) -> str:
        return LICENCES.get(self.licence, "")

    @property
    def co_author_names(self) -> list[str]:
        return [line.strip() for line in self.co_authors.splitlines() if line.strip()]

    @property
    def images(self) -> list[KnowledgeFile]:
        return [f for f in self.files if f.upload.is_image]

    @property
    def documents(self) -> list[KnowledgeFile]:
        return [f for f in self.files if not f.upload.is_image]

    @property
    def stage_names(self) -> list[str]:
        stages: list[str] = []
        for level in self.grade_levels:
            if level.stage not in stages:
                stages.append(level.stage)
        return stages

    def __str__(self) -> str:
        return self.title


class TextStatus(enum.StrEnum):
    OK = "ok"
    EMPTY = "empty"  # a scan without a text layer, an image
    FAILED = "failed"
    UNSUPPORTED = "unsupported"


class KnowledgeFile(db.Model):
    """A file of a knowledge item, with the text found in it (searched, never shown whole)."""

    __tablename__ = "knowledge_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_item.id", ondelete="CASCADE"), index=True
    )
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    caption: Mapped[str] = mapped_column(String(255), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    text_status: Mapped[str] = mapped_column(String(20), default=TextStatus.EMPTY.value)
    download_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[KnowledgeItem] = relationship(back_populates="files")
    upload: Mapped[Upload] = relationship(lazy="joined")

    @property
    def name(self) -> str:
        return self.caption or self.upload.original_name

    @property
    def is_pdf(self) -> bool:
        return self.upload.extension == "pdf"


class KnowledgeLink(db.Model):
    """A link to elsewhere: a video (YouTube is embedded), a website, a shared folder."""

    __tablename__ = "knowledge_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_item.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(255), default="")
    position: Mapped[int] = mapped_column(default=0)

    item: Mapped[KnowledgeItem] = relationship(back_populates="links")

    @property
    def youtube_id(self) -> str | None:
        return youtube_id(self.url)

    @property
    def embed_url(self) -> str | None:
        video = self.youtube_id
        return embed_url(video) if video else None

    @property
    def label(self) -> str:
        return self.title or self.url
