"""A notification: one line of Thai text for one user, with the address it points to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.services.thai import utcnow


class Notification(db.Model):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    __table_args__ = (
        Index("ix_notification_user_created", "user_id", "created_at"),
        Index("ix_notification_user_read", "user_id", "read_at"),
    )

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def icon(self) -> str:
        return KIND_ICONS.get(self.kind, "bell")

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} → user {self.user_id}>"


# Bootstrap icon per kind; features sending other kinds may add theirs (default: a bell).
KIND_ICONS: dict[str, str] = {
    "question_assigned": "inbox",
    "question_unassigned": "inbox",
    "answer": "chat-left-text",
    "comment": "chat-dots",
    "answer_accepted": "check-circle",
    "report": "flag",
}
