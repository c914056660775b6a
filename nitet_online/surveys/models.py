"""แบบประเมินออนไลน์: forms with sections and items, and their responses.

A survey may be attached to any content item (attached_type + attached_id, e.g. "news", 12) or
stand alone. Responses are one per person: per user when the survey needs a login, per browser
(a random cookie token, stored hashed) when anyone may answer. Never per address and browser
make: identical phones on one Wi-Fi are different respondents.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.services.columns import enum_column
from nitet_online.services.thai import today_bangkok, utcnow


class ItemKind(enum.StrEnum):
    RATING = "rating"
    SINGLE = "single"
    MULTIPLE = "multiple"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"

    @property
    def label(self) -> str:
        return ITEM_KIND_LABELS[self]

    @property
    def has_options(self) -> bool:
        return self in (ItemKind.SINGLE, ItemKind.MULTIPLE)

    @property
    def is_text(self) -> bool:
        return self in (ItemKind.SHORT_TEXT, ItemKind.LONG_TEXT)


ITEM_KIND_LABELS = {
    ItemKind.RATING: "มาตรประมาณค่า 5 ระดับ",
    ItemKind.SINGLE: "เลือกตอบได้ 1 ข้อ",
    ItemKind.MULTIPLE: "เลือกตอบได้หลายข้อ",
    ItemKind.SHORT_TEXT: "ข้อความสั้น",
    ItemKind.LONG_TEXT: "ข้อความยาว (ความคิดเห็น/ข้อเสนอแนะ)",
}
RATING_LEVELS = [(5, "มากที่สุด"), (4, "มาก"), (3, "ปานกลาง"), (2, "น้อย"), (1, "น้อยที่สุด")]


class ResponseMode(enum.StrEnum):
    ANYONE = "anyone"  # no login needed; the response is anonymous
    LOGIN = "login"  # logged-in users only, one response per account

    @property
    def label(self) -> str:
        return {
            ResponseMode.ANYONE: "ทุกคนตอบได้ ไม่ต้องเข้าสู่ระบบ (ไม่ระบุตัวตน)",
            ResponseMode.LOGIN: "เฉพาะผู้ที่เข้าสู่ระบบ (1 บัญชีตอบได้ 1 ครั้ง)",
        }[self]


class Survey(db.Model):
    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    attached_type: Mapped[str | None] = mapped_column(String(40))
    attached_id: Mapped[int | None]
    response_mode: Mapped[ResponseMode] = mapped_column(
        enum_column(ResponseMode), default=ResponseMode.ANYONE
    )
    is_published: Mapped[bool] = mapped_column(default=False)
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[User | None] = relationship()
    sections: Mapped[list[SurveySection]] = relationship(
        back_populates="survey", order_by="SurveySection.position", cascade="all, delete-orphan"
    )
    responses: Mapped[list[SurveyResponse]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (Index("ix_survey_attached", "attached_type", "attached_id"),)

    @property
    def items(self) -> list[SurveyItem]:
        return [item for section in self.sections for item in section.items]

    def state(self, today: date | None = None) -> str:
        """draft, scheduled (not open yet), open or closed."""
        today = today or today_bangkok()
        if not self.is_published:
            return "draft"
        if self.opens_on and today < self.opens_on:
            return "scheduled"
        if self.closes_on and today > self.closes_on:
            return "closed"
        return "open"

    @property
    def state_label(self) -> str:
        return SURVEY_STATE_LABELS[self.state()]

    def is_open(self, today: date | None = None) -> bool:
        return self.state(today) == "open"


SURVEY_STATE_LABELS = {
    "draft": "ฉบับร่าง",
    "scheduled": "ยังไม่เปิดรับคำตอบ",
    "open": "เปิดรับคำตอบ",
    "closed": "ปิดรับคำตอบแล้ว",
}


class SurveySection(db.Model):
    __tablename__ = "survey_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    survey: Mapped[Survey] = relationship(back_populates="sections")
    items: Mapped[list[SurveyItem]] = relationship(
        back_populates="section", order_by="SurveyItem.position", cascade="all, delete-orphan"
    )


class SurveyItem(db.Model):
    __tablename__ = "survey_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("survey_section.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind))
    prompt: Mapped[str] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(default=True)
    options: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)

    section: Mapped[SurveySection] = relationship(back_populates="items")


class SurveyResponse(db.Model):
    __tablename__ = "survey_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    respondent_token: Mapped[str | None] = mapped_column(String(64))  # sha256 of the cookie
    # No longer written (one answer per browser is the cookie's job); kept for older rows.
    visitor_hash: Mapped[str | None] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(20), default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="responses")
    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        UniqueConstraint("survey_id", "user_id", name="uq_survey_response_survey_user"),
        UniqueConstraint("survey_id", "respondent_token", name="uq_survey_response_survey_token"),
        Index("ix_survey_response_visitor", "survey_id", "visitor_hash"),
    )


class SurveyAnswer(db.Model):
    """One answer: a rating (1–5), a chosen option (its index; one row per option chosen in a
    multiple-choice item) or a text."""

    __tablename__ = "survey_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_response.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("survey_item.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
