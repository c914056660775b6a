"""The rules of the chat: rooms and who belongs to them, posting, editing, moderation, unread
counts and history pages. Views and Socket.IO handlers stay thin and call these.

Direct conversations: any two active users may talk directly, teachers with teachers included.
Exchange among teachers and directors is one of the plan's aims (แลกเปลี่ยนเรียนรู้), and LINE,
which they use every day, allows it too; abuse is handled by the administrator (deactivation)
and by the per-user rate limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, select

from nitet_online.accounts.models import SCHOOL_ROLES, AccountStatus, Role, User
from nitet_online.audit.services import record
from nitet_online.chat import ratelimit
from nitet_online.chat.models import ChatMember, ChatMessage, ChatRoom, RoomKind
from nitet_online.extensions import db
from nitet_online.org.models import LearningArea, Network
from nitet_online.services.thai import thai_date, thai_datetime, thai_time, utcnow
from nitet_online.uploads.models import Upload

# Thai names of this feature's audit actions (declared in the feature's __init__.py).
AUDIT_LABELS: dict[str, str] = {
    "chat.message_delete": "ลบข้อความในห้องสนทนา",
    "chat.mute": "ระงับการส่งข้อความในห้องสนทนา",
    "chat.unmute": "ยกเลิกการระงับการส่งข้อความ",
    "chat.group_create": "สร้างห้องสนทนากลุ่ม",
    "chat.member_remove": "นำสมาชิกออกจากห้องสนทนา",
}

MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9._-]{3,64})")


class ChatError(Exception):
    """A refusal with a Thai message for the user."""

    def __init__(self, message: str, code: str = "refused", retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_after = retry_after


def setting(name: str) -> int | float:
    """A chat setting (CHAT_..., config.py)."""
    return current_app.config[name]


# Public rooms ---------------------------------------------------------------------------------
def ensure_public_rooms() -> None:
    """One room per active learning area and per network; creates those that are missing."""
    have_areas = set(
        db.session.scalars(
            select(ChatRoom.learning_area_id).where(ChatRoom.learning_area_id.is_not(None))
        )
    )
    have_networks = set(
        db.session.scalars(select(ChatRoom.network_id).where(ChatRoom.network_id.is_not(None)))
    )
    for area in db.session.scalars(select(LearningArea).where(LearningArea.is_active)):
        if area.id not in have_areas:
            db.session.add(
                ChatRoom(
                    kind=RoomKind.AREA,
                    name=area.name,
                    description=f"ห้องสนทนากลุ่มสาระการเรียนรู้{area.name}",
                    learning_area=area,
                )
            )
    for network in db.session.scalars(select(Network)):
        if network.id not in have_networks:
            db.session.add(
                ChatRoom(
                    kind=RoomKind.NETWORK,
                    name=network.name,
                    description=f"ห้องสนทนาของ{network.name}",
                    network=network,
                )
            )
    db.session.flush()


def eligible_public_rooms(user: User) -> list[ChatRoom]:
    """The public rooms a person belongs to by responsibility (supervisors: learning areas and
    networks) or by school (the school's network, and learning areas set on the account)."""
    area_ids = [area.id for area in user.learning_areas]
    network_ids = [network.id for network in user.responsible_networks]
    if user.role in SCHOOL_ROLES and user.school is not None and user.school.network_id:
        network_ids.append(user.school.network_id)
    conditions = []
    if area_ids:
        conditions.append(ChatRoom.learning_area_id.in_(area_ids))
    if network_ids:
        conditions.append(ChatRoom.network_id.in_(network_ids))
    if not conditions:
        return []
    return list(db.session.scalars(select(ChatRoom).where(db.or_(*conditions))))


def last_message_id(room_id: int) -> int:
    return (
        db.session.scalar(select(func.max(ChatMessage.id)).where(ChatMessage.room_id == room_id))
        or 0
    )


def sync_memberships(user: User) -> list[ChatMember]:
    """Adds the user to the public rooms their role gives them, except rooms they have left.
    New members start with everything already read. Returns the memberships added."""
    if not db.session.scalar(select(ChatRoom.id).where(ChatRoom.kind == RoomKind.AREA).limit(1)):
        ensure_public_rooms()
    rooms = eligible_public_rooms(user)
    if not rooms:
        return []
    existing = set(
        db.session.scalars(
            select(ChatMember.room_id).where(
                ChatMember.user_id == user.id, ChatMember.room_id.in_([r.id for r in rooms])
            )
        )
    )
    added = []
    for room in rooms:
        if room.id not in existing:
            member = ChatMember(room=room, user_id=user.id, last_read_id=last_message_id(room.id))
            db.session.add(member)
            added.append(member)
    if added:
        db.session.flush()
    return added


# Membership -----------------------------------------------------------------------------------
def membership(user_id: int, room_id: int) -> ChatMember | None:
    """The user's active membership of the room, or None."""
    return db.session.scalar(
        select(ChatMember).where(
            ChatMember.user_id == user_id,
            ChatMember.room_id == room_id,
            ChatMember.left_at.is_(None),
        )
    )


def active_room_ids(user_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(ChatMember.room_id).where(
                ChatMember.user_id == user_id, ChatMember.left_at.is_(None)
            )
        )
    )


def member_ids(room_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(ChatMember.user_id).where(
                ChatMember.room_id == room_id, ChatMember.left_at.is_(None)
            )
        )
    )


def require_member(user: User, room_id: int) -> ChatMember:
    member = membership(user.id, room_id)
    if member is None:
        raise ChatError("ท่านไม่ได้เป็นสมาชิกของห้องนี้", code="forbidden")
    return member


def can_moderate(user: User, room: ChatRoom) -> bool:
    """Administrators moderate every public and group room; a supervisor moderates the rooms of
    their learning areas and networks and the group rooms they run. Direct conversations are
    private and have no moderator."""
    if room.kind == RoomKind.DIRECT or not user.is_active:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.SUPERVISOR:
        return False
    if room.kind == RoomKind.AREA:
        return any(area.id == room.learning_area_id for area in user.learning_areas)
    if room.kind == RoomKind.NETWORK:
        return any(network.id == room.network_id for network in user.responsible_networks)
    member = membership(user.id, room.id)
    return bool(member and member.is_moderator)


def can_create_group(user: User) -> bool:
    return user.role in (Role.SUPERVISOR, Role.ADMIN, Role.DIRECTOR)


def join_public_room(user: User, room: ChatRoom) -> ChatMember:
    if not room.is_public:
        raise ChatError("ห้องนี้เป็นห้องส่วนตัว เข้าร่วมได้เมื่อได้รับเชิญเท่านั้น", code="forbidden")
    member = db.session.scalar(
        select(ChatMember).where(ChatMember.room_id == room.id, ChatMember.user_id == user.id)
    )
    if member is None:
        member = ChatMember(room=room, user_id=user.id, last_read_id=last_message_id(room.id))
        db.session.add(member)
    elif member.left_at is not None:
        member.left_at = None
        member.last_read_id = max(member.last_read_id, last_message_id(room.id))
    db.session.flush()
    return member


def leave_room(user: User, room: ChatRoom) -> None:
    if room.kind == RoomKind.DIRECT:
        raise ChatError("ออกจากการสนทนาส่วนตัวไม่ได้", code="forbidden")
    member = require_member(user, room.id)
    member.left_at = utcnow()


def open_direct(user: User, other: User) -> ChatRoom:
    """The direct conversation of two people, created on first use."""
    if other.id == user.id:
        raise ChatError("ไม่สามารถส่งข้อความถึงตนเองได้")
    if other.status != AccountStatus.ACTIVE:
        raise ChatError("บัญชีผู้ใช้นี้ไม่ได้เปิดใช้งาน", code="not_found")
    low, high = sorted((user.id, other.id))
    key = f"{low}:{high}"
    room = db.session.scalar(select(ChatRoom).where(ChatRoom.direct_key == key))
    if room is None:
        room = ChatRoom(kind=RoomKind.DIRECT, direct_key=key, created_by_id=user.id)
        room.members = [ChatMember(user_id=low), ChatMember(user_id=high)]
        db.session.add(room)
        db.session.flush()
    return room


def create_group(creator: User, name: str, description: str, user_ids: Iterable[int]) -> ChatRoom:
    if not can_create_group(creator):
        raise ChatError("เฉพาะศึกษานิเทศก์และผู้ดูแลระบบที่สร้างห้องกลุ่มได้", code="forbidden")
    room = ChatRoom(
        kind=RoomKind.GROUP,
        name=name.strip(),
        description=(description or "").strip(),
        created_by_id=creator.id,
    )
    room.members = [ChatMember(user_id=creator.id, is_moderator=True)]
    db.session.add(room)
    db.session.flush()
    add_members(room, user_ids)
    record("chat.group_create", room, f"สร้างห้องสนทนากลุ่ม {room.name}")
    return room


def add_members(room: ChatRoom, user_ids: Iterable[int]) -> list[int]:
    """Invites active users into a group room; returns the ids newly added."""
    wanted = {int(i) for i in user_ids}
    if not wanted:
        return []
    active = set(
        db.session.scalars(
            select(User.id).where(User.id.in_(wanted), User.status == AccountStatus.ACTIVE)
        )
    )
    rows = {
        m.user_id: m
        for m in db.session.scalars(
            select(ChatMember).where(ChatMember.room_id == room.id, ChatMember.user_id.in_(active))
        )
    }
    count = len(member_ids(room.id))
    added = []
    start = last_message_id(room.id)
    for user_id in sorted(active):
        row = rows.get(user_id)
        if row is not None and row.left_at is None:
            continue
        if count >= setting("CHAT_MAX_GROUP_MEMBERS"):
            raise ChatError(f"ห้องกลุ่มมีสมาชิกได้ไม่เกิน {setting('CHAT_MAX_GROUP_MEMBERS')} คน")
        if row is None:
            db.session.add(ChatMember(room_id=room.id, user_id=user_id, last_read_id=start))
        else:
            row.left_at = None
        added.append(user_id)
        count += 1
    db.session.flush()
    return added


def remove_member(actor: User, room: ChatRoom, user_id: int) -> None:
    if not can_moderate(actor, room) or room.kind != RoomKind.GROUP:
        raise ChatError("ท่านไม่มีสิทธิ์จัดการสมาชิกของห้องนี้", code="forbidden")
    member = membership(user_id, room.id)
    if member is None:
        return
    member.left_at = utcnow()
    record(
        "chat.member_remove",
        room,
        f"นำ {member.user.full_name} ออกจากห้อง {room.name}",
        details={"user_id": user_id},
    )


# Rooms for a person ---------------------------------------------------------------------------
@dataclass
class RoomEntry:
    room: ChatRoom
    title: str
    unread: int
    other: User | None  # the other person of a direct conversation


def room_title(room: ChatRoom, viewer_id: int) -> str:
    if room.kind != RoomKind.DIRECT:
        return room.name
    other = direct_partner(room, viewer_id)
    return other.full_name if other else "การสนทนาส่วนตัว"


def direct_partner(room: ChatRoom, viewer_id: int) -> User | None:
    if room.kind != RoomKind.DIRECT or not room.direct_key:
        return None
    low, high = (int(part) for part in room.direct_key.split(":"))
    return db.session.get(User, high if low == viewer_id else low)


def rooms_for(user: User) -> list[RoomEntry]:
    """The user's rooms, most recently active first, with unread counts."""
    unread = unread_counts(user.id)
    rooms = db.session.scalars(
        select(ChatRoom)
        .join(ChatMember, ChatMember.room_id == ChatRoom.id)
        .where(ChatMember.user_id == user.id, ChatMember.left_at.is_(None))
    ).all()
    entries = [
        RoomEntry(
            room, room_title(room, user.id), unread.get(room.id, 0), direct_partner(room, user.id)
        )
        for room in rooms
    ]
    epoch = datetime(1970, 1, 1)
    entries.sort(key=lambda e: e.room.last_message_at or e.room.created_at or epoch, reverse=True)
    return entries


def public_rooms_to_join(user: User) -> list[ChatRoom]:
    joined = set(active_room_ids(user.id))
    rooms = db.session.scalars(
        select(ChatRoom)
        .where(ChatRoom.kind.in_([RoomKind.AREA, RoomKind.NETWORK]))
        .order_by(ChatRoom.kind, ChatRoom.name)
    )
    return [room for room in rooms if room.id not in joined]


def unread_counts(user_id: int) -> dict[int, int]:
    """Unread messages per room: others' messages after the member's read position."""
    rows = db.session.execute(
        select(ChatMessage.room_id, func.count(ChatMessage.id))
        .join(
            ChatMember,
            and_(
                ChatMember.room_id == ChatMessage.room_id,
                ChatMember.user_id == user_id,
                ChatMember.left_at.is_(None),
            ),
        )
        .where(
            ChatMessage.id > ChatMember.last_read_id,
            ChatMessage.deleted_at.is_(None),
            db.or_(ChatMessage.author_id.is_(None), ChatMessage.author_id != user_id),
        )
        .group_by(ChatMessage.room_id)
    )
    return {room_id: count for room_id, count in rows}


def unread_total(user_id: int) -> int:
    return sum(unread_counts(user_id).values())


def mark_read(member: ChatMember, message_id: int) -> None:
    """Moves the read position forward (never back), no further than the last message."""
    target = min(int(message_id), last_message_id(member.room_id))
    if target > member.last_read_id:
        member.last_read_id = target


# Messages -------------------------------------------------------------------------------------
def _clean_body(body: object) -> str:
    text = body if isinstance(body, str) else ""
    # Keep line breaks and tabs; drop other control characters.
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()
    limit = int(setting("CHAT_MAX_MESSAGE_LENGTH"))
    if len(text) > limit:
        raise ChatError(f"ข้อความยาวเกิน {limit:,} ตัวอักษร กรุณาแบ่งส่งเป็นหลายข้อความ", code="too_long")
    return text


def _owned_upload(user: User, upload_id: object) -> Upload | None:
    if upload_id in (None, "", 0):
        return None
    try:
        upload = db.session.get(Upload, int(upload_id))
    except (TypeError, ValueError):
        upload = None
    if upload is None or upload.owner_id != user.id:
        raise ChatError("ไม่พบไฟล์ที่แนบ หรือไฟล์นี้ไม่ได้อัปโหลดโดยท่าน", code="bad_upload")
    return upload


def _reply_target(room_id: int, reply_to_id: object) -> ChatMessage | None:
    if reply_to_id in (None, "", 0):
        return None
    try:
        target = db.session.get(ChatMessage, int(reply_to_id))
    except (TypeError, ValueError):
        target = None
    if target is None or target.room_id != room_id:
        raise ChatError("ไม่พบข้อความที่ต้องการตอบกลับ", code="bad_reply")
    return target


def post_message(
    user: User,
    room_id: int,
    body: object,
    reply_to_id: object = None,
    upload_id: object = None,
) -> ChatMessage:
    """Checks and stores a message (the caller commits, then broadcasts); @mentions of room
    members are notified."""
    member = require_member(user, room_id)
    if member.is_muted():
        raise ChatError(
            f"ท่านถูกระงับการส่งข้อความในห้องนี้ถึง {thai_datetime(member.muted_until, 'short')}",
            code="muted",
        )
    text = _clean_body(body)
    upload = _owned_upload(user, upload_id)
    if not text and upload is None:
        raise ChatError("กรุณาพิมพ์ข้อความ", code="empty")
    reply_to = _reply_target(room_id, reply_to_id)
    decision = ratelimit.take(user.id)
    if not decision.allowed:
        raise ChatError(
            f"ส่งข้อความถี่เกินไป กรุณารอสักครู่ ({decision.retry_after:g} วินาที)",
            code="rate_limited",
            retry_after=decision.retry_after,
        )
    message = ChatMessage(
        room_id=room_id, author_id=user.id, body=text, upload=upload, reply_to=reply_to
    )
    db.session.add(message)
    member.room.last_message_at = message.created_at = utcnow()
    db.session.flush()
    member.last_read_id = message.id  # one's own message is read
    _notify_mentions(user, member.room, message)
    return message


def mentioned_user_ids(room_id: int, text: str, author_id: int) -> list[int]:
    names = {name.lower() for name in MENTION.findall(text or "")}
    if not names:
        return []
    return list(
        db.session.scalars(
            select(User.id)
            .join(ChatMember, ChatMember.user_id == User.id)
            .where(
                ChatMember.room_id == room_id,
                ChatMember.left_at.is_(None),
                func.lower(User.username).in_(names),
                User.id != author_id,
            )
        )
    )


def _notify_mentions(author: User, room: ChatRoom, message: ChatMessage) -> None:
    user_ids = mentioned_user_ids(room.id, message.body, author.id)
    if not user_ids:
        return
    from nitet_online.notifications.services import notify

    notify(
        user_ids,
        "chat.mention",
        f"{author.full_name} กล่าวถึงท่านในห้อง {room.name or 'ข้อความส่วนตัว'}",
        f"/chat/rooms/{room.id}#m{message.id}",
        actor_id=author.id,
    )


def get_message(message_id: object) -> ChatMessage:
    try:
        message = db.session.get(ChatMessage, int(message_id))
    except (TypeError, ValueError):
        message = None
    if message is None:
        raise ChatError("ไม่พบข้อความ", code="not_found")
    return message


def _within_edit_window(message: ChatMessage) -> bool:
    window = timedelta(minutes=int(setting("CHAT_EDIT_WINDOW_MINUTES")))
    return utcnow() - message.created_at <= window


def edit_message(user: User, message_id: object, body: object) -> ChatMessage:
    message = get_message(message_id)
    require_member(user, message.room_id)
    if message.author_id != user.id:
        raise ChatError("แก้ไขได้เฉพาะข้อความของตนเอง", code="forbidden")
    if message.is_deleted:
        raise ChatError("ข้อความนี้ถูกลบแล้ว", code="deleted")
    if not _within_edit_window(message):
        raise ChatError(
            f"แก้ไขได้ภายใน {setting('CHAT_EDIT_WINDOW_MINUTES')} นาทีหลังส่ง", code="too_late"
        )
    text = _clean_body(body)
    if not text and message.upload_id is None:
        raise ChatError("กรุณาพิมพ์ข้อความ", code="empty")
    message.body = text
    message.edited_at = utcnow()
    return message


def delete_message(user: User, message_id: object) -> ChatMessage:
    """The author within the edit window, or a moderator of the room at any time (audited)."""
    message = get_message(message_id)
    room = db.session.get(ChatRoom, message.room_id)
    own = message.author_id == user.id and membership(user.id, room.id) is not None
    moderating = can_moderate(user, room)
    if message.is_deleted:
        return message
    if not moderating and not own:
        raise ChatError("ท่านไม่มีสิทธิ์ลบข้อความนี้", code="forbidden")
    if own and not moderating and not _within_edit_window(message):
        raise ChatError(
            f"ลบได้ภายใน {setting('CHAT_EDIT_WINDOW_MINUTES')} นาทีหลังส่ง", code="too_late"
        )
    message.deleted_at = utcnow()
    message.deleted_by_id = user.id
    if message.author_id != user.id:
        author = message.author.full_name if message.author else "-"
        record(
            "chat.message_delete",
            message,
            f"ลบข้อความของ {author} ในห้อง {room_title(room, user.id)}",
            details={"room_id": room.id, "body": message.body[:500]},
        )
    return message


def mute_member(actor: User, room: ChatRoom, user_id: int, minutes: int) -> ChatMember:
    if not can_moderate(actor, room):
        raise ChatError("ท่านไม่มีสิทธิ์ดูแลห้องนี้", code="forbidden")
    if user_id == actor.id:
        raise ChatError("ไม่สามารถระงับการส่งข้อความของตนเองได้")
    member = membership(user_id, room.id)
    if member is None:
        raise ChatError("ผู้ใช้นี้ไม่ได้เป็นสมาชิกของห้อง", code="not_found")
    limit = int(setting("CHAT_MAX_MUTE_MINUTES"))
    if not 1 <= minutes <= limit:
        raise ChatError(f"ระยะเวลาต้องอยู่ระหว่าง 1 ถึง {limit:,} นาที")
    member.muted_until = utcnow() + timedelta(minutes=minutes)
    record(
        "chat.mute",
        room,
        f"ระงับการส่งข้อความของ {member.user.full_name} ในห้อง {room.name} {minutes} นาที",
        details={"user_id": user_id, "minutes": minutes},
    )
    return member


def unmute_member(actor: User, room: ChatRoom, user_id: int) -> None:
    if not can_moderate(actor, room):
        raise ChatError("ท่านไม่มีสิทธิ์ดูแลห้องนี้", code="forbidden")
    member = membership(user_id, room.id)
    if member is not None and member.muted_until is not None:
        member.muted_until = None
        record(
            "chat.unmute",
            room,
            f"ยกเลิกการระงับ {member.user.full_name} ในห้อง {room.name}",
            details={"user_id": user_id},
        )


def history(
    room_id: int, before_id: int | None = None, after_id: int | None = None, limit: int = 50
) -> tuple[list[ChatMessage], bool]:
    """A page of messages in ascending id order, and whether more exist in that direction:
    before_id pages back from the newest (scrolling up); after_id pages forward (what was missed
    while disconnected)."""
    limit = max(1, min(int(limit), 200))
    query = select(ChatMessage).where(ChatMessage.room_id == room_id)
    if after_id is not None:
        rows = db.session.scalars(
            query.where(ChatMessage.id > after_id).order_by(ChatMessage.id).limit(limit + 1)
        ).all()
        return list(rows[:limit]), len(rows) > limit
    if before_id is not None:
        query = query.where(ChatMessage.id < before_id)
    rows = db.session.scalars(query.order_by(ChatMessage.id.desc()).limit(limit + 1)).all()
    return list(reversed(rows[:limit])), len(rows) > limit


def message_payload(message: ChatMessage) -> dict:
    """What clients receive for a message (no HTML: the client builds text nodes and links)."""
    author = message.author
    payload = {
        "id": message.id,
        "room_id": message.room_id,
        "author": {
            "id": author.id if author else None,
            "name": author.full_name if author else "ผู้ใช้ที่ถูกลบ",
            "role": author.role_label if author else "",
            "username": author.username if author else "",
        },
        "body": "" if message.is_deleted else message.body,
        "created_at": message.created_at.isoformat() + "Z",
        "time": thai_time(message.created_at),
        "date": thai_date(message.created_at, "long"),
        "edited": message.edited_at is not None,
        "deleted": message.is_deleted,
        "reply_to": None,
        "attachment": None,
    }
    if message.reply_to is not None:
        target = message.reply_to
        payload["reply_to"] = {
            "id": target.id,
            "author": target.author.full_name if target.author else "",
            "excerpt": "ข้อความถูกลบแล้ว" if target.is_deleted else (target.body or "ไฟล์แนบ")[:120],
        }
    if message.upload is not None and not message.is_deleted:
        upload = message.upload
        payload["attachment"] = {
            "kind": upload.kind,
            "url": upload.url(),
            "preview": upload.url("medium") if upload.is_image else None,
            "name": upload.original_name,
            "size": upload.human_size,
        }
    return payload
