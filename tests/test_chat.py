"""Chat rules and Socket.IO events in one process: the real Flask-SocketIO server driven by its
test client (real packets through the real handlers), with the real database and, where it says
so, a real Redis. The live multi-process tests are in tests/test_chat_live.py."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import FileStorage

from nitet_online.accounts.models import AccountStatus, User
from nitet_online.audit.models import AuditEntry
from nitet_online.chat import presence, ratelimit, services
from nitet_online.chat.models import ChatMember, ChatMessage, ChatRoom, RoomKind
from nitet_online.extensions import db, socketio
from nitet_online.org.models import LearningArea, Network
from nitet_online.services.redis_store import redis_client
from nitet_online.services.thai import utcnow
from tests.conftest import login


@pytest.fixture(autouse=True)
def _fresh_process_state():
    presence.reset_local()
    ratelimit.reset_local()
    yield
    presence.reset_local()
    ratelimit.reset_local()


def user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def user_id(app, username: str) -> int:
    with app.app_context():
        return user(username).id


def network_room_id(app, name: str = "กลุ่มเครือข่ายเขาชัยสน") -> int:
    with app.app_context():
        return db.session.scalar(sa.select(ChatRoom.id).join(Network).where(Network.name == name))


def area_room_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(ChatRoom.id).join(LearningArea).where(LearningArea.code == code)
        )


def socket_for(app, username: str):
    """A logged-in Flask test client and a Socket.IO client sharing its session cookie."""
    client = app.test_client()
    assert login(client, username, follow=False).status_code == 302
    sio = socketio.test_client(app, flask_test_client=client)
    assert sio.is_connected(), f"{username} could not connect"
    return client, sio


def events(sio, name: str) -> list:
    return [packet["args"][0] for packet in sio.get_received() if packet["name"] == name]


def dm_room(app, first: str, second: str) -> int:
    with app.app_context():
        room = services.open_direct(user(first), user(second))
        db.session.commit()
        return room.id


# Rooms and membership --------------------------------------------------------------------------
def test_public_rooms_exist_and_people_join_by_responsibility_and_school(demo_app):
    with demo_app.app_context():
        areas = db.session.scalar(
            sa.select(sa.func.count(LearningArea.id)).where(LearningArea.is_active)
        )
        networks = db.session.scalar(sa.select(sa.func.count(Network.id)))
        public = db.session.scalars(
            sa.select(ChatRoom).where(ChatRoom.kind.in_([RoomKind.AREA, RoomKind.NETWORK]))
        ).all()
        assert len(public) == areas + networks

        supervisor = user("supervisor1")
        names = {room.name for room in _rooms_of(supervisor)}
        assert {"ภาษาไทย", "ปฐมวัย", "กลุ่มเครือข่ายเขาชัยสน"} <= names  # areas + network

        teacher = user("teacher2")  # school in the ป่าบอน-โคกทราย network
        assert "กลุ่มเครือข่ายป่าบอน-โคกทราย" in {r.name for r in _rooms_of(teacher)}
        assert "กลุ่มเครือข่ายเขาชัยสน" not in {r.name for r in _rooms_of(teacher)}


def _rooms_of(person: User) -> list[ChatRoom]:
    return [entry.room for entry in services.rooms_for(person)]


def test_leaving_a_public_room_sticks_and_rejoining_works(demo_app):
    room_id = network_room_id(demo_app)
    with demo_app.app_context():
        teacher = user("teacher1")
        room = db.session.get(ChatRoom, room_id)
        services.leave_room(teacher, room)
        db.session.commit()
        assert services.sync_memberships(teacher) == []  # not joined again automatically
        assert services.membership(teacher.id, room_id) is None
        services.join_public_room(teacher, room)
        db.session.commit()
        assert services.membership(teacher.id, room_id) is not None


def test_group_rooms_are_by_invitation_and_created_by_supervisors(demo_app):
    with demo_app.app_context():
        teacher = user("teacher1")
        with pytest.raises(services.ChatError):
            services.create_group(teacher, "ห้องครู", "", [])
        room = services.create_group(
            user("supervisor2"), "ทีมโครงการโรงเรียนคุณภาพ", "", [user("teacher2").id]
        )
        db.session.commit()
        with pytest.raises(services.ChatError):
            services.join_public_room(teacher, room)
        assert services.can_moderate(user("supervisor2"), room)
        assert not services.can_moderate(user("supervisor1"), room)
        assert services.can_moderate(user("admin"), room)
        assert db.session.scalar(
            sa.select(AuditEntry.id).where(AuditEntry.action == "chat.group_create")
        )


def test_direct_conversations_one_per_pair_teachers_included(demo_app):
    with demo_app.app_context():
        first = services.open_direct(user("teacher1"), user("supervisor1"))
        again = services.open_direct(user("supervisor1"), user("teacher1"))
        assert first.id == again.id
        teachers = services.open_direct(user("teacher1"), user("teacher2"))  # allowed: documented
        assert teachers.kind == RoomKind.DIRECT
        with pytest.raises(services.ChatError):
            services.open_direct(user("teacher1"), user("teacher1"))
        user("teacher2").status = AccountStatus.DEACTIVATED
        with pytest.raises(services.ChatError):
            services.open_direct(user("supervisor2"), user("teacher2"))
        assert not services.can_moderate(user("admin"), first)  # direct talk is private


# Socket.IO: connection and membership -----------------------------------------------------------
def test_connect_is_refused_without_a_login(demo_app):
    anonymous = socketio.test_client(demo_app, flask_test_client=demo_app.test_client())
    assert not anonymous.is_connected()


def test_events_check_membership(demo_app):
    _, outsider = socket_for(demo_app, "teacher2")
    room_id = network_room_id(demo_app)  # teacher2's school is in another network
    ack = outsider.emit("chat:join", {"room_id": room_id}, callback=True)
    assert ack["ok"] is False and ack["code"] == "forbidden"
    ack = outsider.emit("chat:send", {"room_id": room_id, "body": "แอบส่ง"}, callback=True)
    assert ack["ok"] is False and "ไม่ได้เป็นสมาชิก" in ack["error"]
    ack = outsider.emit("chat:send", {"room_id": "x", "body": "?"}, callback=True)
    assert ack["ok"] is False
    with demo_app.app_context():
        assert not db.session.scalar(sa.select(ChatMessage.id).where(ChatMessage.body == "แอบส่ง"))


def test_message_is_stored_then_broadcast_to_members_only(demo_app):
    room_id = dm_room(demo_app, "teacher1", "supervisor1")
    _, teacher = socket_for(demo_app, "teacher1")
    _, supervisor = socket_for(demo_app, "supervisor1")
    _, other = socket_for(demo_app, "teacher2")
    for sio in (teacher, supervisor, other):
        sio.get_received()
    ack = teacher.emit("chat:send", {"room_id": room_id, "body": "สวัสดีค่ะ ศน."}, callback=True)
    assert ack["ok"], ack
    message_id = ack["message"]["id"]
    received = events(supervisor, "chat:message")
    assert [m["id"] for m in received] == [message_id]
    assert received[0]["body"] == "สวัสดีค่ะ ศน." and received[0]["author"]["username"] == "teacher1"
    assert events(other, "chat:message") == []
    with demo_app.app_context():
        stored = db.session.get(ChatMessage, message_id)
        assert stored.body == "สวัสดีค่ะ ศน." and stored.room_id == room_id


def test_a_room_joined_while_connected_is_delivered(demo_app):
    """Adding someone to a group room puts their open connection in it at once."""
    supervisor_client, supervisor = socket_for(demo_app, "supervisor2")
    _, teacher = socket_for(demo_app, "teacher2")
    teacher_id = user_id(demo_app, "teacher2")
    response = supervisor_client.post(
        "/chat/groups/new", data={"name": "ทีมวิจัยในชั้นเรียน", "member_ids": [str(teacher_id)]}
    )
    assert response.status_code == 302
    room_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    assert any(e["room_id"] == room_id for e in events(teacher, "chat:rooms-changed"))
    supervisor.emit("chat:send", {"room_id": room_id, "body": "ยินดีต้อนรับ"}, callback=True)
    assert [m["body"] for m in events(teacher, "chat:message")] == ["ยินดีต้อนรับ"]


def test_removed_member_stops_receiving_and_cannot_send(demo_app):
    with demo_app.app_context():
        room = services.create_group(user("supervisor1"), "ทีม", "", [user("teacher2").id])
        db.session.commit()
        room_id = room.id
    supervisor_client, supervisor = socket_for(demo_app, "supervisor1")
    _, teacher = socket_for(demo_app, "teacher2")
    teacher_id = user_id(demo_app, "teacher2")
    response = supervisor_client.post(f"/chat/rooms/{room_id}/members/{teacher_id}/remove")
    assert response.status_code == 302
    teacher.get_received()
    supervisor.emit("chat:send", {"room_id": room_id, "body": "หลังนำออก"}, callback=True)
    assert events(teacher, "chat:message") == []
    ack = teacher.emit("chat:send", {"room_id": room_id, "body": "ยังอยู่ไหม"}, callback=True)
    assert ack["ok"] is False


# Messages ---------------------------------------------------------------------------------------
def test_length_limit_and_empty_messages(demo_app):
    room_id = dm_room(demo_app, "teacher1", "supervisor1")
    _, teacher = socket_for(demo_app, "teacher1")
    limit = demo_app.config["CHAT_MAX_MESSAGE_LENGTH"]
    too_long = teacher.emit(
        "chat:send", {"room_id": room_id, "body": "ก" * (limit + 1)}, callback=True
    )
    assert too_long["ok"] is False and too_long["code"] == "too_long"
    assert "ตัวอักษร" in too_long["error"]
    empty = teacher.emit("chat:send", {"room_id": room_id, "body": "  \n "}, callback=True)
    assert empty["ok"] is False and empty["code"] == "empty"
    exact = teacher.emit("chat:send", {"room_id": room_id, "body": "ข" * limit}, callback=True)
    assert exact["ok"] is True


def test_rate_limit_is_a_token_bucket_per_user(demo_app):
    demo_app.config.update(CHAT_RATE_BURST=3, CHAT_RATE_PER_SECOND=0.01)
    room_id = dm_room(demo_app, "teacher1", "supervisor1")
    _, teacher = socket_for(demo_app, "teacher1")
    _, supervisor = socket_for(demo_app, "supervisor1")
    results = [
        teacher.emit("chat:send", {"room_id": room_id, "body": f"ข้อความ {n}"}, callback=True)
        for n in range(4)
    ]
    assert [r["ok"] for r in results] == [True, True, True, False]
    assert results[3]["code"] == "rate_limited" and results[3]["retry_after"] > 0
    assert "ถี่เกินไป" in results[3]["error"]
    # Another user has a bucket of their own.
    assert supervisor.emit("chat:send", {"room_id": room_id, "body": "ตอบ"}, callback=True)["ok"]


def test_rate_limit_bucket_lives_in_redis_when_configured(demo_app, redis_server):
    redis_server.flush()
    # As config.py sets them when REDIS_URL is set: the rate limits' store is that Redis.
    demo_app.config.update(
        REDIS_URL=redis_server.url,
        RATELIMIT_STORAGE_URI=redis_server.url,
        CHAT_RATE_BURST=2,
        CHAT_RATE_PER_SECOND=0.01,
    )
    with demo_app.app_context():
        assert ratelimit.take(4242).allowed
        ratelimit.reset_local()  # another process would have nothing in memory
        assert ratelimit.take(4242).allowed
        refused = ratelimit.take(4242)
        assert not refused.allowed and 0 < refused.retry_after <= 200
        keys = [k.decode() for k in redis_client().keys("*nitet-chat*")]
        assert len(keys) == 1 and "message/4242/" in keys[0]


def test_rate_limit_counts_in_the_limits_memory_store_without_redis(demo_app):
    """Without Redis, the counts are in the `limits` memory store, whose entries expire (the
    hand-written bucket kept one entry per user for ever)."""
    from limits.storage import MemoryStorage

    from nitet_online.services.rate_limits import limits_storage

    demo_app.config.update(CHAT_RATE_BURST=1, CHAT_RATE_PER_SECOND=1)
    with demo_app.app_context():
        assert ratelimit.take(777).allowed
        refused = ratelimit.take(777)
        assert not refused.allowed and 0 < refused.retry_after <= 1
        storage = limits_storage()
        assert isinstance(storage, MemoryStorage)
        assert any("message/777/" in key for key in storage.events)


def test_edit_and_delete_own_message_within_the_window(demo_app):
    room_id = dm_room(demo_app, "teacher1", "supervisor1")
    _, teacher = socket_for(demo_app, "teacher1")
    _, supervisor = socket_for(demo_app, "supervisor1")
    sent = teacher.emit("chat:send", {"room_id": room_id, "body": "พิมพ์ผด"}, callback=True)
    message_id = sent["message"]["id"]
    supervisor.get_received()
    edited = teacher.emit("chat:edit", {"message_id": message_id, "body": "พิมพ์ผิด"}, callback=True)
    assert edited["ok"] and edited["message"]["edited"] is True
    assert events(supervisor, "chat:message-updated")[0]["body"] == "พิมพ์ผิด"
    # Not someone else's message, not even a moderator's power in a direct conversation.
    assert not supervisor.emit("chat:edit", {"message_id": message_id, "body": "x"}, callback=True)[
        "ok"
    ]
    assert not supervisor.emit("chat:delete", {"message_id": message_id}, callback=True)["ok"]
    # After the window: refused.
    with demo_app.app_context():
        db.session.get(ChatMessage, message_id).created_at = utcnow() - timedelta(
            minutes=demo_app.config["CHAT_EDIT_WINDOW_MINUTES"] + 1
        )
        db.session.commit()
    late = teacher.emit("chat:edit", {"message_id": message_id, "body": "อีกครั้ง"}, callback=True)
    assert late["ok"] is False and late["code"] == "too_late"
    assert (
        teacher.emit("chat:delete", {"message_id": message_id}, callback=True)["code"] == "too_late"
    )
    fresh = teacher.emit("chat:send", {"room_id": room_id, "body": "ลบได้"}, callback=True)
    deleted = teacher.emit("chat:delete", {"message_id": fresh["message"]["id"]}, callback=True)
    assert deleted["ok"] and deleted["message"]["deleted"] and deleted["message"]["body"] == ""


def test_moderator_deletes_and_mutes_and_it_is_audited(demo_app):
    room_id = area_room_id(demo_app, "thai")  # supervisor1 is responsible for ภาษาไทย
    _, teacher = socket_for(demo_app, "teacher1")
    supervisor_client, supervisor = socket_for(demo_app, "supervisor1")
    _, other_supervisor = socket_for(demo_app, "supervisor2")  # not responsible for ภาษาไทย
    with demo_app.app_context():
        services.join_public_room(user("supervisor2"), db.session.get(ChatRoom, room_id))
        db.session.commit()
    sent = teacher.emit("chat:send", {"room_id": room_id, "body": "ขายของ ราคาถูก"}, callback=True)
    message_id = sent["message"]["id"]
    refused = other_supervisor.emit("chat:delete", {"message_id": message_id}, callback=True)
    assert refused["ok"] is False
    removed = supervisor.emit("chat:delete", {"message_id": message_id}, callback=True)
    assert removed["ok"] and removed["message"]["deleted"]

    teacher_id = user_id(demo_app, "teacher1")
    response = supervisor_client.post(
        f"/chat/rooms/{room_id}/members/{teacher_id}/mute", data={"minutes": "60"}
    )
    assert response.status_code == 302
    muted = teacher.emit("chat:send", {"room_id": room_id, "body": "ยังพูดได้ไหม"}, callback=True)
    assert muted["ok"] is False and muted["code"] == "muted" and "ระงับ" in muted["error"]
    with demo_app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEntry.action).where(AuditEntry.action.like("chat.%"))
        ).all()
        assert {"chat.message_delete", "chat.mute"} <= set(actions)
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "chat.message_delete")
        )
        assert entry.details["body"] == "ขายของ ราคาถูก"
    supervisor_client.post(f"/chat/rooms/{room_id}/members/{teacher_id}/unmute")
    assert teacher.emit("chat:send", {"room_id": room_id, "body": "ขอบคุณค่ะ"}, callback=True)["ok"]


def test_mute_and_member_pages_refused_to_non_moderators(demo_app):
    room_id = area_room_id(demo_app, "thai")
    client, _ = socket_for(demo_app, "teacher1")
    target = user_id(demo_app, "t002")
    assert (
        client.post(
            f"/chat/rooms/{room_id}/members/{target}/mute", data={"minutes": "15"}
        ).status_code
        == 403
    )


def test_replies_stay_in_their_room_and_uploads_must_be_ones_own(demo_app):
    room_id = dm_room(demo_app, "teacher1", "supervisor1")
    other_room = dm_room(demo_app, "teacher1", "supervisor2")
    _, teacher = socket_for(demo_app, "teacher1")
    first = teacher.emit("chat:send", {"room_id": room_id, "body": "คำถาม"}, callback=True)[
        "message"
    ]
    reply = teacher.emit(
        "chat:send",
        {"room_id": room_id, "body": "เพิ่มเติม", "reply_to_id": first["id"]},
        callback=True,
    )
    assert reply["message"]["reply_to"]["id"] == first["id"]
    assert reply["message"]["reply_to"]["excerpt"] == "คำถาม"
    wrong = teacher.emit(
        "chat:send", {"room_id": other_room, "body": "x", "reply_to_id": first["id"]}, callback=True
    )
    assert wrong["ok"] is False and wrong["code"] == "bad_reply"

    with demo_app.app_context():
        mine = _photo(user("teacher1").id)
        theirs = _photo(user("supervisor2").id)
        db.session.commit()
        mine_id, theirs_id = mine.id, theirs.id
    stolen = teacher.emit("chat:send", {"room_id": room_id, "upload_id": theirs_id}, callback=True)
    assert stolen["ok"] is False and stolen["code"] == "bad_upload"
    photo = teacher.emit("chat:send", {"room_id": room_id, "upload_id": mine_id}, callback=True)
    assert photo["ok"], photo
    attachment = photo["message"]["attachment"]
    assert attachment["kind"] == "image" and attachment["preview"].startswith("/files/")


def _photo(owner_id: int):
    from nitet_online.uploads.models import IMAGE
    from nitet_online.uploads.services import save_upload

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 120, 200)).save(buffer, "JPEG")
    return save_upload(
        FileStorage(io.BytesIO(buffer.getvalue()), "ภาพกิจกรรม.jpg"), owner_id, {IMAGE}
    )


def test_user_text_is_never_html(demo_app):
    room_id = dm_room(demo_app, "teacher1", "supervisor1")
    client, teacher = socket_for(demo_app, "teacher1")
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    teacher.emit("chat:send", {"room_id": room_id, "body": payload}, callback=True)
    data = client.get(f"/chat/api/rooms/{room_id}/messages").get_json()
    assert data["messages"][-1]["body"] == payload  # stored and sent as plain text
    page = client.get(f"/chat/rooms/{room_id}").get_data(as_text=True)
    assert "<script>alert(2)" not in page


# History, reconnects, unread counts ---------------------------------------------------------------
def _fill(app, room_id: int, author: str, count: int) -> list[int]:
    with app.app_context():
        author_id = user(author).id
        rows = [
            ChatMessage(room_id=room_id, author_id=author_id, body=f"ข้อความที่ {n}")
            for n in range(count)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def test_history_pages_backwards_and_forwards_without_gaps_or_duplicates(demo_app):
    room_id = dm_room(demo_app, "teacher2", "supervisor3")  # a new conversation
    ids = _fill(demo_app, room_id, "supervisor3", 130)
    client, _ = socket_for(demo_app, "teacher2")
    url = f"/chat/api/rooms/{room_id}/messages"
    latest = client.get(url).get_json()
    assert [m["id"] for m in latest["messages"]] == ids[-50:] and latest["has_more"]
    seen = [m["id"] for m in latest["messages"]]
    while True:
        page = client.get(f"{url}?before_id={seen[0]}").get_json()
        seen = [m["id"] for m in page["messages"]] + seen
        if not page["has_more"]:
            break
    assert seen == ids
    forward, after = [], ids[9]
    while True:
        page = client.get(f"{url}?after_id={after}&limit=40").get_json()
        forward += [m["id"] for m in page["messages"]]
        if not page["has_more"]:
            break
        after = forward[-1]
    assert forward == ids[10:]
    outsider, _ = socket_for(demo_app, "teacher1")
    assert outsider.get(url).status_code == 403


def test_unread_counts_follow_the_read_position(demo_app):
    room_id = dm_room(demo_app, "teacher1", "supervisor1")
    teacher_client, teacher = socket_for(demo_app, "teacher1")
    _, supervisor = socket_for(demo_app, "supervisor1")
    before = teacher_client.get("/chat/api/unread").get_json()["total"]
    last = None
    for text in ("หนึ่ง", "สอง", "สาม"):
        last = supervisor.emit("chat:send", {"room_id": room_id, "body": text}, callback=True)[
            "message"
        ]
    unread = teacher_client.get("/chat/api/unread").get_json()
    assert unread["rooms"][str(room_id)] == 3 and unread["total"] == before + 3
    teacher.get_received()
    state = teacher.emit("chat:read", {"room_id": room_id, "message_id": last["id"]}, callback=True)
    assert state == {"ok": True, "room_id": room_id, "unread": 0, "total": before}
    assert events(teacher, "chat:read")[0]["total"] == before  # the user's other pages too
    # The read position never moves back, nor past the last message.
    teacher.emit("chat:read", {"room_id": room_id, "message_id": 1}, callback=True)
    teacher.emit("chat:read", {"room_id": room_id, "message_id": 10**9}, callback=True)
    with demo_app.app_context():
        member = services.membership(user("teacher1").id, room_id)
        assert member.last_read_id == last["id"]
    # One's own messages are never unread.
    teacher.emit("chat:send", {"room_id": room_id, "body": "รับทราบ"}, callback=True)
    assert teacher_client.get("/chat/api/unread").get_json()["rooms"].get(str(room_id), 0) == 0


def test_typing_reaches_the_others_in_the_room(demo_app):
    room_id = dm_room(demo_app, "teacher1", "supervisor1")
    _, teacher = socket_for(demo_app, "teacher1")
    _, supervisor = socket_for(demo_app, "supervisor1")
    supervisor.get_received()
    teacher.get_received()
    assert teacher.emit("chat:typing", {"room_id": room_id}, callback=True)["ok"]
    assert events(supervisor, "chat:typing") == [
        {"room_id": room_id, "user_id": user_id(demo_app, "teacher1"), "name": "สมใจ"}
    ]
    assert events(teacher, "chat:typing") == []


# Presence, notifications, deactivation ------------------------------------------------------------
def test_presence_follows_connections(demo_app):
    supervisor_id = user_id(demo_app, "supervisor1")
    _, watcher = socket_for(demo_app, "teacher1")
    assert watcher.emit("chat:watch-presence", {"user_ids": [supervisor_id]}, callback=True) == {
        "ok": True,
        "online": [],
    }
    with demo_app.app_context():
        assert not presence.is_online(supervisor_id)
    _, supervisor = socket_for(demo_app, "supervisor1")
    assert {"user_id": supervisor_id, "online": True} in events(watcher, "presence")
    with demo_app.test_request_context():
        assert demo_app.jinja_env.globals["is_online"](supervisor_id)
    supervisor.disconnect()
    assert {"user_id": supervisor_id, "online": False} in events(watcher, "presence")
    with demo_app.app_context():
        assert not presence.is_online(supervisor_id)


def test_chat_page_lists_online_supervisors(demo_app):
    client, _ = socket_for(demo_app, "teacher1")
    _, _supervisor = socket_for(demo_app, "supervisor2")
    page = client.get("/chat/").get_data(as_text=True)
    supervisor_id = user_id(demo_app, "supervisor2")
    marker = f'data-online-supervisor="{supervisor_id}"'
    start = page.index(marker)
    row = page[page.rindex("<li", 0, start) : start + len(marker)]
    assert "d-none" not in row  # shown: online
    offline = f'data-online-supervisor="{user_id(demo_app, "supervisor3")}"'
    start = page.index(offline)
    assert "d-none" in page[page.rindex("<li", 0, start) : start]


def test_a_deactivated_user_is_disconnected(demo_app):
    from nitet_online.admin.services import set_status

    _, teacher = socket_for(demo_app, "teacher1")
    with demo_app.test_request_context():
        set_status(user("teacher1"), AccountStatus.DEACTIVATED)
        assert teacher.is_connected()  # nothing happens before the commit
        db.session.commit()
    assert not teacher.is_connected()
    again = socketio.test_client(demo_app, flask_test_client=teacher.flask_test_client)
    assert not again.is_connected()


def test_mentions_notify_the_member_named(demo_app):
    notifications = pytest.importorskip("nitet_online.notifications.models")
    room_id = area_room_id(demo_app, "thai")
    _, teacher = socket_for(demo_app, "teacher1")
    _, supervisor = socket_for(demo_app, "supervisor1")
    supervisor.get_received()
    ack = teacher.emit(
        "chat:send",
        {"room_id": room_id, "body": "ขอคำแนะนำค่ะ @supervisor1 และ @nobody"},
        callback=True,
    )
    assert ack["ok"]
    with demo_app.app_context():
        rows = db.session.scalars(
            sa.select(notifications.Notification).where(
                notifications.Notification.kind == "chat.mention"
            )
        ).all()
        assert [row.user_id for row in rows] == [user("supervisor1").id]
        assert rows[0].url == f"/chat/rooms/{room_id}#m{ack['message']['id']}"
    pushed = events(supervisor, "notification")
    assert pushed and "กล่าวถึงท่าน" in pushed[0]["text"]


# Pages ------------------------------------------------------------------------------------------------
def test_pages_need_a_login_and_the_right_role(demo_app):
    anonymous = demo_app.test_client()
    assert anonymous.get("/chat/").status_code == 302
    teacher, _ = socket_for(demo_app, "teacher1")
    for url in ("/chat/", "/chat/browse", "/chat/direct", "/chat/direct?q=ประเสริฐ"):
        assert teacher.get(url).status_code == 200, url
    assert teacher.get("/chat/groups/new").status_code == 403
    supervisor, _ = socket_for(demo_app, "supervisor1")
    assert supervisor.get("/chat/groups/new").status_code == 200
    with demo_app.app_context():
        plc = db.session.scalar(sa.select(ChatRoom.id).where(ChatRoom.kind == RoomKind.GROUP))
    assert teacher.get(f"/chat/rooms/{plc}").status_code == 200  # teacher1 is invited
    outsider, _ = socket_for(demo_app, "teacher2")
    assert outsider.get(f"/chat/rooms/{plc}").status_code == 403
    public = area_room_id(demo_app, "arts")
    assert "เข้าร่วมห้อง" in outsider.get(f"/chat/rooms/{public}").get_data(as_text=True)


def test_direct_conversation_from_the_chat_page(demo_app):
    teacher, _ = socket_for(demo_app, "teacher1")
    supervisor_id = user_id(demo_app, "supervisor2")
    response = teacher.post("/chat/direct", data={"user_id": supervisor_id})
    assert response.status_code == 302
    page = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "ประเสริฐ" in page and 'id="chat-composer"' in page


def test_group_room_form_keeps_input_and_explains_errors(demo_app):
    supervisor, _ = socket_for(demo_app, "supervisor1")
    page = supervisor.post("/chat/groups/new", data={"name": "", "description": "ทีมงาน"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "กรุณากรอกข้อมูลช่องนี้" in text and "ทีมงาน" in text


def test_nav_shows_the_unread_total(demo_app):
    room_id = dm_room(demo_app, "teacher1", "supervisor1")
    teacher, _ = socket_for(demo_app, "teacher1")
    _, supervisor = socket_for(demo_app, "supervisor1")
    total = teacher.get("/chat/api/unread").get_json()["total"]
    supervisor.emit("chat:send", {"room_id": room_id, "body": "มีข่าวดีค่ะ"}, callback=True)
    page = teacher.get("/chat/").get_data(as_text=True)
    assert f'data-chat-unread data-count="{total + 1}"' in page


def test_demo_chat_is_idempotent(demo_app):
    from nitet_online.chat.demo import seed_chat

    with demo_app.app_context():
        counts = [
            db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (ChatRoom, ChatMember, ChatMessage)
        ]
        seed_chat()
        db.session.commit()
        again = [
            db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (ChatRoom, ChatMember, ChatMessage)
        ]
        assert counts == again and counts[2] >= 10
        dm = services.open_direct(user("teacher1"), user("supervisor1"))
        assert (
            db.session.scalar(
                sa.select(sa.func.count(ChatMessage.id)).where(ChatMessage.room_id == dm.id)
            )
            == 4
        )
