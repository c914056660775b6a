"""Deletion requests (คำขอลบข้อมูลส่วนบุคคล)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.services.thai import utcnow


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {
            RequestStatus.PENDING: "รอดำเนินการ",
            RequestStatus.DONE: "ลบข้อมูลแล้ว",
            RequestStatus.DECLINED: "ไม่ดำเนินการ",
        }[self]


class DeletionRequest(db.Model):
    __tablename__ = "privacy_deletion_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(
        db.Enum(
            RequestStatus,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=RequestStatus.PENDING,
        index=True,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    admin_note: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])
