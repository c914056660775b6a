"""Best practices (วิธีปฏิบัติที่เป็นเลิศ), their review history, likes and comments."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.org.models import GradeLevel, LearningArea, School
from nitet_online.services.columns import enum_column
from nitet_online.services.review import Actor, ReviewFlow, Step
from nitet_online.services.thai import utcnow
from nitet_online.services.youtube import canonical_url, embed_url, youtube_id

TARGET_TYPE = "best_practice"  # attachments (gallery and PDFs) and view counts use this name


class BestPracticeStatus(enum.StrEnum):
    """Where a best practice is in its review (REVIEW)."""

    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return REVIEW.label(self)


REVIEW = ReviewFlow(
    labels={
        BestPracticeStatus.DRAFT: "ฉบับร่าง",
        BestPracticeStatus.PENDING: "รอตรวจ",
        BestPracticeStatus.PUBLISHED: "เผยแพร่",
        BestPracticeStatus.RETURNED: "ส่งกลับแก้ไข",
    },
    steps=(
        Step(
            "submit",
            {BestPracticeStatus.DRAFT, BestPracticeStatus.RETURNED},
            BestPracticeStatus.PENDING,
            Actor.AUTHOR,
            "ผลงานนี้ส่งตรวจแล้ว ไม่ต้องส่งซ้ำ",
        ),
        Step(
            "publish",
            {BestPracticeStatus.PENDING},
            BestPracticeStatus.PUBLISHED,
            Actor.REVIEWER,
            "เผยแพร่ได้เฉพาะผลงานที่รอตรวจ",
        ),
        Step(
            "return",
            {BestPracticeStatus.PENDING, BestPracticeStatus.PUBLISHED},
            BestPracticeStatus.RETURNED,
            Actor.REVIEWER,
            "ส่งกลับแก้ไขได้เฉพาะผลงานที่รอตรวจหรือเผยแพร่แล้ว",
        ),
    ),
    editable={BestPracticeStatus.DRAFT, BestPracticeStatus.RETURNED},
)

# The write-up sections Thai offices use, in order: (attribute, heading).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("background", "ความเป็นมาและความสำคัญ"),
    ("objectives", "วัตถุประสงค์"),
    ("implementation", "กระบวนการดำเนินงาน"),
    ("results", "ผลการดำเนินงาน"),
    ("success_factors", "ปัจจัยความสำเร็จ"),
    ("lessons", "บทเรียนที่ได้รับ"),
)


best_practice_coauthors = Table(
    "best_practice_coauthor",
    db.metadata,
    Column(
        "best_practice_id", ForeignKey("best_practice.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)
best_practice_grade_levels = Table(
    "best_practice_grade_level",
    db.metadata,
    Column(
        "best_practice_id", ForeignKey("best_practice.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("grade_level_id", ForeignKey("grade_level.id", ondelete="CASCADE"), primary_key=True),
)


class BestPractice(db.Model):
    __tablename__ = "best_practice"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    learning_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_area.id", ondelete="SET NULL"), index=True
    )
    academic_year: Mapped[int] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    background: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[str] = mapped_column(Text, default="")
    implementation: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    success_factors: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    video_url: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[BestPracticeStatus] = mapped_column(
        enum_column(BestPracticeStatus, "best_practice_status"),
        default=BestPracticeStatus.DRAFT,
        index=True,
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    featured: Mapped[bool] = mapped_column(default=False, index=True)
    featured_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    school: Mapped[School] = relationship()
    learning_area: Mapped[LearningArea | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    coauthors: Mapped[list[User]] = relationship(
        secondary=best_practice_coauthors, order_by=User.first_name
    )
    grade_levels: Mapped[list[GradeLevel]] = relationship(
        secondary=best_practice_grade_levels, order_by=GradeLevel.sort_order
    )
    events: Mapped[list[BestPracticeEvent]] = relationship(
        back_populates="best_practice",
        order_by="BestPracticeEvent.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    comments: Mapped[list[BestPracticeComment]] = relationship(
        back_populates="best_practice",
        order_by="BestPracticeComment.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def url(self) -> str:
        return f"/best-practices/{self.id}"

    @property
    def is_public(self) -> bool:
        return self.status == BestPracticeStatus.PUBLISHED

    @property
    def body(self) -> str:
        """The whole write-up as Markdown (for search and plain-text excerpts)."""
        parts = [self.summary]
        for attribute, heading in SECTIONS:
            text = getattr(self, attribute)
            if text:
                parts.append(f"## {heading}\n\n{text}")
        return "\n\n".join(part for part in parts if part)

    @property
    def video_embed_url(self) -> str | None:
        video = youtube_id(self.video_url)
        return embed_url(video) if video else None

    @property
    def video_watch_url(self) -> str | None:
        video = youtube_id(self.video_url)
        return canonical_url(video) if video else None

    @property
    def people(self) -> list[User]:
        """The author and the co-authors."""
        return [user for user in [self.author, *self.coauthors] if user is not None]

    @property
    def stage_names(self) -> list[str]:
        stages: list[str] = []
        for level in self.grade_levels:
            if level.stage not in stages:
                stages.append(level.stage)
        return stages

    @property
    def level_text(self) -> str:
        """ป.4–ป.6 style: the grade levels, or the stage when every level of it is chosen."""
        return ", ".join(level.code for level in self.grade_levels)

    def missing_sections(self) -> list[str]:
        """Headings still empty; a work cannot be sent for review without them."""
        missing = [
            heading for attribute, heading in SECTIONS if not getattr(self, attribute).strip()
        ]
        if not self.summary.strip():
            missing.insert(0, "บทคัดย่อ/สรุปย่อ")
        return missing


class BestPracticeEvent(db.Model):
    """One step of the review workflow: who moved the work from which state to which, when, why."""

    __tablename__ = "best_practice_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    best_practice_id: Mapped[int] = mapped_column(
        ForeignKey("best_practice.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    best_practice: Mapped[BestPractice] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

    @property
    def from_label(self) -> str:
        return BestPracticeStatus(self.from_status).label if self.from_status else "สร้างใหม่"

    @property
    def to_label(self) -> str:
        return BestPracticeStatus(self.to_status).label


class BestPracticeLike(db.Model):
    """ชื่นชม: at most one per person and work (the primary key sees to it)."""

    __tablename__ = "best_practice_like"

    best_practice_id: Mapped[int] = mapped_column(
        ForeignKey("best_practice.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BestPracticeComment(db.Model):
    __tablename__ = "best_practice_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    best_practice_id: Mapped[int] = mapped_column(
        ForeignKey("best_practice.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    best_practice: Mapped[BestPractice] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()
