"""Demo chat: the public rooms with everyone in the rooms their role gives them, a PLC group room
run by supervisor1, a few Thai messages, and a direct conversation between teacher1 and
supervisor1. Idempotent: rooms are found by name or key, messages only added to empty rooms."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from nitet_online.accounts.models import AccountStatus, User
from nitet_online.chat.models import ChatMember, ChatMessage, ChatRoom, RoomKind
from nitet_online.chat.services import ensure_public_rooms, open_direct, sync_memberships
from nitet_online.extensions import db
from nitet_online.org.models import LearningArea
from nitet_online.services.thai import utcnow

PLC_NAME = "PLC ภาษาไทย ป.1–3 เครือข่ายเขาชัยสน"
PLC_MEMBERS = ["teacher1", "schooldirector1", "t002", "t003", "t026", "t027"]

THAI_ROOM_MESSAGES = [
    ("supervisor1", "สวัสดีค่ะคุณครูทุกท่าน ห้องนี้ใช้แลกเปลี่ยนเรื่องการสอนภาษาไทยนะคะ"),
    ("teacher1", "สวัสดีค่ะ ศน. ขอแนวทางกิจกรรมฝึกอ่านออกเขียนได้สำหรับ ป.1 หน่อยค่ะ"),
    (
        "supervisor1",
        "แนะนำให้ใช้แบบฝึกแจกลูกสะกดคำวันละ 15 นาทีค่ะ ดูตัวอย่างได้ที่ https://www.obec.go.th",
    ),
    ("t002", "ที่โรงเรียนใช้บัตรคำกับเกมแล้วเด็กสนใจมากครับ เดี๋ยวจะส่งภาพมาให้ดูครับ"),
]
PLC_MESSAGES = [
    ("supervisor1", "ยินดีต้อนรับสู่ PLC ภาษาไทยค่ะ นัดประชุมออนไลน์ครั้งแรกวันพุธนี้ 15:30 น."),
    ("schooldirector1", "โรงเรียนบ้านควนขนุนพร้อมเข้าร่วมครับ"),
    ("teacher1", "รับทราบค่ะ จะเตรียมผลการทดสอบการอ่านของนักเรียนมาด้วยค่ะ"),
]
DIRECT_MESSAGES = [
    ("teacher1", "สวัสดีค่ะ ศน.วิไลวรรณ ขอปรึกษาเรื่องการวัดผลการอ่านค่ะ"),
    ("supervisor1", "ได้เลยค่ะคุณครูสมใจ ตอนนี้ใช้แบบทดสอบแบบไหนอยู่คะ"),
    ("teacher1", "ใช้แบบทดสอบของเขตพื้นที่ค่ะ แต่อยากได้แบบสังเกตพฤติกรรมการอ่านเพิ่มค่ะ"),
    ("supervisor1", "เดี๋ยวส่งแบบสังเกตให้ในห้อง PLC นะคะ ใช้ร่วมกันได้ทั้งเครือข่ายค่ะ"),
]


def _users(usernames: list[str]) -> dict[str, User]:
    return {
        user.username: user
        for user in db.session.scalars(select(User).where(User.username.in_(usernames)))
    }


def _add_messages(room: ChatRoom, lines: list[tuple[str, str]], minutes_ago: int) -> None:
    """Messages spread over the last minutes, only into an empty room; authors have read them."""
    if db.session.scalar(select(ChatMessage.id).where(ChatMessage.room_id == room.id).limit(1)):
        return
    people = _users([username for username, _ in lines])
    start = utcnow() - timedelta(minutes=minutes_ago)
    for index, (username, body) in enumerate(lines):
        author = people.get(username)
        if author is None:
            continue
        sent = start + timedelta(minutes=index * 7)
        db.session.add(
            ChatMessage(room_id=room.id, author_id=author.id, body=body, created_at=sent)
        )
        room.last_message_at = sent
    db.session.flush()
    last = max(
        m.id for m in db.session.scalars(select(ChatMessage).where(ChatMessage.room_id == room.id))
    )
    for member in db.session.scalars(select(ChatMember).where(ChatMember.room_id == room.id)):
        if member.user.username in people:
            member.last_read_id = last


def _plc_room(owner: User) -> ChatRoom:
    room = db.session.scalar(
        select(ChatRoom).where(ChatRoom.kind == RoomKind.GROUP, ChatRoom.name == PLC_NAME)
    )
    if room is None:
        room = ChatRoom(
            kind=RoomKind.GROUP,
            name=PLC_NAME,
            description="ชุมชนแห่งการเรียนรู้ทางวิชาการ ครูภาษาไทยชั้น ป.1–3",
            created_by_id=owner.id,
        )
        room.members = [ChatMember(user_id=owner.id, is_moderator=True)]
        members = _users(PLC_MEMBERS)
        room.members += [ChatMember(user_id=user.id) for user in members.values()]
        db.session.add(room)
        db.session.flush()
    return room


def seed_chat() -> None:
    ensure_public_rooms()
    for user in db.session.scalars(select(User).where(User.status == AccountStatus.ACTIVE)):
        sync_memberships(user)
    people = _users(["supervisor1", "teacher1"])
    supervisor, teacher = people.get("supervisor1"), people.get("teacher1")
    if supervisor is None or teacher is None:
        return
    thai_area = db.session.scalar(select(LearningArea).where(LearningArea.code == "thai"))
    if thai_area is not None:
        room = db.session.scalar(select(ChatRoom).where(ChatRoom.learning_area_id == thai_area.id))
        if room is not None:
            for username in ("teacher1", "t002"):
                user = _users([username]).get(username)
                if user is not None and not db.session.scalar(
                    select(ChatMember.id).where(
                        ChatMember.room_id == room.id, ChatMember.user_id == user.id
                    )
                ):
                    db.session.add(ChatMember(room_id=room.id, user_id=user.id))
            db.session.flush()
            _add_messages(room, THAI_ROOM_MESSAGES, minutes_ago=180)
    _add_messages(_plc_room(supervisor), PLC_MESSAGES, minutes_ago=120)
    _add_messages(open_direct(teacher, supervisor), DIRECT_MESSAGES, minutes_ago=60)
    db.session.flush()
