"""Honours (ประกาศเกียรติคุณ): awards to a teacher, a school director, students or a school."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nitet_online.accounts.models import User
from nitet_online.best_practices.models import BestPractice
from nitet_online.extensions import db
from nitet_online.org.models import School
from nitet_online.services.columns import enum_column
from nitet_online.services.review import Actor, ReviewFlow, Step
from nitet_online.services.thai import utcnow
from nitet_online.uploads.models import Upload


class RecipientType(enum.StrEnum):
    TEACHER = "teacher"
    DIRECTOR = "director"
    STUDENT = "student"
    SCHOOL = "school"

    @property
    def label(self) -> str:
        return RECIPIENT_LABELS[self]


RECIPIENT_LABELS = {
    RecipientType.TEACHER: "ครู",
    RecipientType.DIRECTOR: "ผู้บริหารสถานศึกษา",
    RecipientType.STUDENT: "นักเรียน",
    RecipientType.SCHOOL: "สถานศึกษา",
}


class Level(enum.StrEnum):
    """ระดับรางวัล, from the narrowest to the widest."""

    SCHOOL = "school"
    AREA = "area"
    REGION = "region"
    NATIONAL = "national"
    INTERNATIONAL = "international"

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]

    @property
    def rank(self) -> int:
        return list(Level).index(self)


LEVEL_LABELS = {
    Level.SCHOOL: "ระดับโรงเรียน",
    Level.AREA: "ระดับเขตพื้นที่การศึกษา",
    Level.REGION: "ระดับภาค",
    Level.NATIONAL: "ระดับชาติ",
    Level.INTERNATIONAL: "ระดับนานาชาติ",
}


class HonourStatus(enum.StrEnum):
    """Where a nomination is in its review (REVIEW)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return REVIEW.label(self)


REVIEW = ReviewFlow(
    labels={
        HonourStatus.PENDING: "รออนุมัติ",
        HonourStatus.APPROVED: "อนุมัติแล้ว",
        HonourStatus.REJECTED: "ไม่อนุมัติ",
    },
    steps=(
        Step(
            "approve",
            {HonourStatus.PENDING},
            HonourStatus.APPROVED,
            Actor.REVIEWER,
            "อนุมัติได้เฉพาะรายการที่รออนุมัติ",
        ),
        Step(
            "reject",
            {HonourStatus.PENDING, HonourStatus.APPROVED},
            HonourStatus.REJECTED,
            Actor.REVIEWER,
            "รายการนี้ไม่อนุมัติไปแล้ว",
        ),
        # A nomination that was not approved, edited by its nominator, is considered again.
        Step(
            "resubmit",
            {HonourStatus.REJECTED},
            HonourStatus.PENDING,
            Actor.AUTHOR,
            "ส่งให้พิจารณาอีกครั้งได้เฉพาะรายการที่ไม่อนุมัติ",
        ),
    ),
    editable={HonourStatus.PENDING, HonourStatus.REJECTED},
)


class Honour(db.Model):
    __tablename__ = "honour"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_type: Mapped[RecipientType] = mapped_column(
        enum_column(RecipientType, "honour_recipient_type")
    )
    recipient_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    recipient_names: Mapped[str] = mapped_column(Text, default="")
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    award_title: Mapped[str] = mapped_column(String(255))
    level: Mapped[Level] = mapped_column(enum_column(Level, "honour_level"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    issuing_body: Mapped[str] = mapped_column(String(255), default="")
    awarded_on: Mapped[date | None]
    description: Mapped[str] = mapped_column(Text, default="")
    photo_upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("upload.id", ondelete="SET NULL")
    )
    certificate_upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("upload.id", ondelete="SET NULL")
    )
    best_practice_id: Mapped[int | None] = mapped_column(
        ForeignKey("best_practice.id", ondelete="SET NULL")
    )
    status: Mapped[HonourStatus] = mapped_column(
        enum_column(HonourStatus, "honour_status"), default=HonourStatus.PENDING, index=True
    )
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    recipient_user: Mapped[User | None] = relationship(foreign_keys=[recipient_user_id])
    school: Mapped[School] = relationship()
    photo: Mapped[Upload | None] = relationship(foreign_keys=[photo_upload_id])
    certificate: Mapped[Upload | None] = relationship(foreign_keys=[certificate_upload_id])
    best_practice: Mapped[BestPractice | None] = relationship()
    nominated_by: Mapped[User | None] = relationship(foreign_keys=[nominated_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    @property
    def url(self) -> str:
        return f"/honours/{self.id}"

    @property
    def is_public(self) -> bool:
        return self.status == HonourStatus.APPROVED

    @property
    def title(self) -> str:
        return f"{self.award_title} — {self.recipient_display}"

    @property
    def body(self) -> str:
        return self.description

    @property
    def student_names(self) -> list[str]:
        return [line.strip() for line in self.recipient_names.splitlines() if line.strip()]

    @property
    def recipient_display(self) -> str:
        """Who received it, as printed on the board and the certificate."""
        if self.recipient_type == RecipientType.SCHOOL:
            return self.school.name if self.school else ""
        if self.recipient_type == RecipientType.STUDENT:
            return ", ".join(self.student_names)
        if self.recipient_user is not None:
            return self.recipient_user.full_name
        return ", ".join(self.student_names)
