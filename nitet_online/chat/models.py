"""Chat rooms, their members and messages."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.org.models import LearningArea, Network
from nitet_online.services.thai import utcnow
from nitet_online.uploads.models import Upload


class RoomKind(enum.StrEnum):
    AREA = "area"  # one per learning area, public
    NETWORK = "network"  # one per school network, public
    GROUP = "group"  # created by a supervisor (PLC, project team), invited members only
    DIRECT = "direct"  # two people

    @property
    def label(self) -> str:
        return {
            RoomKind.AREA: "กลุ่มสาระการเรียนรู้",
            RoomKind.NETWORK: "กลุ่มเครือข่ายสถานศึกษา",
            RoomKind.GROUP: "กลุ่มทำงาน",
            RoomKind.DIRECT: "ข้อความส่วนตัว",
        }[self]

    @property
    def is_public(self) -> bool:
        return self in (RoomKind.AREA, RoomKind.NETWORK)


class ChatRoom(db.Model):
    __tablename__ = "chat_room"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RoomKind] = mapped_column(
        db.Enum(
            RoomKind,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        ),
        index=True,
    )
    name: Mapped[str] = mapped_column(String(255), default="")
    description: Mapped[str] = mapped_column(String(500), default="")
    learning_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_area.id", ondelete="CASCADE"), unique=True
    )
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("network.id", ondelete="CASCADE"), unique=True
    )
    # "<smaller user id>:<larger user id>" for a direct conversation, so each pair has one room.
    direct_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime | None]

    learning_area: Mapped[LearningArea | None] = relationship()
    network: Mapped[Network | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    members: Mapped[list[ChatMember]] = relationship(
        back_populates="room", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_public(self) -> bool:
        return self.kind.is_public

    @property
    def url(self) -> str:
        return f"/chat/rooms/{self.id}"

    def __repr__(self) -> str:
        return f"<ChatRoom {self.id} {self.kind} {self.name!r}>"


class ChatMember(db.Model):
    """A person in a room. A row stays after leaving (left_at set) so that a public room the
    person left is not joined again automatically."""

    __tablename__ = "chat_member"
    __table_args__ = (UniqueConstraint("room_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("chat_room.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    is_moderator: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]
    # The id of the last message this member has seen; later messages by others are unread.
    last_read_id: Mapped[int] = mapped_column(default=0)
    muted_until: Mapped[datetime | None]

    room: Mapped[ChatRoom] = relationship(back_populates="members")
    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.left_at is None

    def is_muted(self, now: datetime | None = None) -> bool:
        return self.muted_until is not None and self.muted_until > (now or utcnow())


class ChatMessage(db.Model):
    __tablename__ = "chat_message"
    __table_args__ = (Index("ix_chat_message_room_id_id", "room_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("chat_room.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id", ondelete="SET NULL"))
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_message.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    upload: Mapped[Upload | None] = relationship()
    reply_to: Mapped[ChatMessage | None] = relationship(remote_side=[id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
