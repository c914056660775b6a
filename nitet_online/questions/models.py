"""Questions, answers, comments, tags, assignments to supervisors, follows, votes, revisions and
reports. Times are naive UTC (services.thai.utcnow)."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.org.models import GradeLevel, LearningArea, School
from nitet_online.services.columns import enum_column
from nitet_online.services.slugs import slugify
from nitet_online.services.thai import utcnow

TITLE_MAX = 200
TITLE_MIN = 10
BODY_MAX = 20_000
COMMENT_MAX = 1_000
ANONYMOUS_NAME = "ไม่ประสงค์ออกนาม"


class QuestionStatus(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def badge(self) -> str:
        """CSS class of the status badge."""
        return f"status-{self.value}"


STATUS_LABELS = {
    QuestionStatus.OPEN: "รอคำตอบ",
    QuestionStatus.ANSWERED: "ตอบแล้ว",
    QuestionStatus.RESOLVED: "แก้ไขแล้ว",
    QuestionStatus.CLOSED: "ปิด",
}

CLOSE_REASONS = {
    "duplicate": "ซ้ำกับคำถามที่มีอยู่แล้ว",
    "resolved_elsewhere": "ได้รับคำตอบทางช่องทางอื่นแล้ว",
    "off_topic": "ไม่เกี่ยวข้องกับการจัดการเรียนการสอนหรือการบริหารสถานศึกษา",
    "other": "เหตุผลอื่น",
}

REPORT_REASONS = {
    "inappropriate": "ข้อความไม่เหมาะสมหรือไม่สุภาพ",
    "personal_data": "เปิดเผยข้อมูลส่วนบุคคลของผู้อื่น",
    "spam": "โฆษณาหรือสแปม",
    "wrong": "ข้อมูลผิดพลาดและอาจทำให้เข้าใจผิด",
    "other": "เหตุผลอื่น",
}

# Why a supervisor is assigned to a question.
ASSIGNMENT_REASONS = {
    "learning_area": "กลุ่มสาระ",
    "school": "โรงเรียน",
    "network": "เครือข่าย",
    "claimed": "รับเรื่อง",
    "reassigned": "ได้รับโอน",
    "invited": "ได้รับเชิญ",
}


question_tag_links = Table(
    "question_tag_link",
    db.metadata,
    Column("question_id", ForeignKey("question.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("question_tag.id", ondelete="CASCADE"), primary_key=True),
)


class QuestionTag(db.Model):
    __tablename__ = "question_tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)

    def __str__(self) -> str:
        return self.name


class Question(db.Model):
    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    learning_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_area.id", ondelete="SET NULL"), index=True
    )
    grade_level_id: Mapped[int | None] = mapped_column(
        ForeignKey("grade_level.id", ondelete="SET NULL")
    )
    # The asker's school when asking (routing, figures by school and network).
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))
    status: Mapped[QuestionStatus] = mapped_column(
        enum_column(QuestionStatus), default=QuestionStatus.OPEN, index=True
    )
    answer_count: Mapped[int] = mapped_column(default=0)
    vote_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Response-time figures.
    first_answered_at: Mapped[datetime | None]
    first_supervisor_answered_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    # Inbox: a supervisor who took the question.
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None]
    # Closing.
    close_reason: Mapped[str] = mapped_column(String(30), default="")
    close_note: Mapped[str] = mapped_column(String(500), default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="SET NULL")
    )
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Moderation.
    is_locked: Mapped[bool] = mapped_column(default=False)
    locked_at: Mapped[datetime | None]
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    is_hidden: Mapped[bool] = mapped_column(default=False, index=True)
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    learning_area: Mapped[LearningArea | None] = relationship()
    grade_level: Mapped[GradeLevel | None] = relationship()
    school: Mapped[School | None] = relationship()
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    duplicate_of: Mapped[Question | None] = relationship(remote_side=[id])
    tags: Mapped[list[QuestionTag]] = relationship(
        secondary=question_tag_links, order_by=QuestionTag.name
    )
    answers: Mapped[list[Answer]] = relationship(
        back_populates="question",
        order_by=lambda: Answer.id,
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    assignments: Mapped[list[QuestionAssignment]] = relationship(
        back_populates="question",
        order_by=lambda: QuestionAssignment.id,
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    kind = "question"

    # Addresses and visibility (the search feature relies on `url` and `is_public`) -------------
    @property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def url(self) -> str:
        return f"/questions/{self.id}-{self.slug}" if self.slug else f"/questions/{self.id}"

    @property
    def is_public(self) -> bool:
        return not self.is_hidden

    @property
    def public_author_name(self) -> str:
        """The asker's name as anyone may see it (search snippets, feeds, public pages)."""
        if self.is_anonymous or self.author is None:
            return ANONYMOUS_NAME if self.is_anonymous else "ผู้ใช้ที่ไม่อยู่ในระบบแล้ว"
        return self.author.full_name

    # States -----------------------------------------------------------------------------------
    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def is_closed(self) -> bool:
        return self.status == QuestionStatus.CLOSED

    @property
    def close_reason_label(self) -> str:
        return CLOSE_REASONS.get(self.close_reason, "")

    @property
    def accepted_answer(self) -> Answer | None:
        return next((a for a in self.answers if a.accepted_at and not a.is_hidden), None)

    # Response times ---------------------------------------------------------------------------
    @property
    def time_to_first_answer(self) -> timedelta | None:
        return self.first_answered_at - self.created_at if self.first_answered_at else None

    @property
    def time_to_supervisor_answer(self) -> timedelta | None:
        if self.first_supervisor_answered_at is None:
            return None
        return self.first_supervisor_answered_at - self.created_at

    @property
    def time_to_resolution(self) -> timedelta | None:
        return self.resolved_at - self.created_at if self.resolved_at else None

    def waiting_time(self, now: datetime | None = None) -> timedelta:
        return (now or utcnow()) - self.created_at

    def __str__(self) -> str:
        return self.title


class Answer(db.Model):
    __tablename__ = "question_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    # Written by a supervisor (or director/admin) at the time: the figures need it even if the
    # author's role changes later.
    by_supervisor: Mapped[bool] = mapped_column(default=False)
    vote_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    is_hidden: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    question: Mapped[Question] = relationship(back_populates="answers")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])

    kind = "answer"

    @property
    def url(self) -> str:
        return f"{self.question.url}#answer-{self.id}"

    @property
    def is_public(self) -> bool:
        return not self.is_hidden and self.question.is_public

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None


class QuestionComment(db.Model):
    """A short remark under a question (answer_id None) or under one of its answers."""

    __tablename__ = "question_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_answer.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_hidden: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    question: Mapped[Question] = relationship()
    answer: Mapped[Answer | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    kind = "comment"

    @property
    def url(self) -> str:
        return f"{self.question.url}#comment-{self.id}"


class QuestionAssignment(db.Model):
    """A supervisor responsible for answering a question (its inbox "คำถามรอตอบ")."""

    __tablename__ = "question_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    # Comma-separated keys of ASSIGNMENT_REASONS.
    reason: Mapped[str] = mapped_column(String(100), default="")
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    question: Mapped[Question] = relationship(back_populates="assignments")
    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])

    __table_args__ = (UniqueConstraint("question_id", "supervisor_id"),)

    @property
    def reason_labels(self) -> list[str]:
        return [ASSIGNMENT_REASONS.get(key, key) for key in self.reason.split(",") if key]


class QuestionFollow(db.Model):
    __tablename__ = "question_follow"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuestionVote(db.Model):
    """A "helpful" vote on a question or an answer: one per person and post."""

    __tablename__ = "question_vote"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("target_type", "target_id", "user_id"),)


class QuestionRevision(db.Model):
    """One version of a question or an answer; number 1 is the text as first posted."""

    __tablename__ = "question_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(String(300), default="")
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_question_revision_target", "target_type", "target_id"),)


class QuestionReport(db.Model):
    """Someone reported a post; moderators hide it or dismiss the report."""

    __tablename__ = "question_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    resolution: Mapped[str] = mapped_column(String(30), default="")

    question: Mapped[Question] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def reason_label(self) -> str:
        return REPORT_REASONS.get(self.reason, self.reason)
