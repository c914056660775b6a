"""Notifications: notify() stores rows and announces them only after the commit, the bell shows
the unread count and latest items, opening marks read and follows only local addresses, marking
all read, nobody sees or touches another person's notifications, CSRF on every POST."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.notifications import services
from nitet_online.notifications.models import Notification
from nitet_online.notifications.signals import notification_created
from tests.conftest import build_app


def user_id(username: str) -> int:
    return db.session.scalar(select(User.id).where(User.username == username))


def unread(username: str) -> int:
    return services.unread_count(user_id(username))


@pytest.fixture
def received():
    """Notifications announced through the signal, as (user_id, text, committed row exists)."""
    seen: list[tuple[int, str, bool]] = []

    def receiver(sender, notification, **extra):
        # The session may not run SQL inside its after_commit hook: look from another connection.
        table = Notification.__table__
        with db.engine.connect() as connection:
            stored = connection.execute(
                select(table.c.id).where(table.c.id == notification.id)
            ).first()
        seen.append((notification.user_id, notification.text, stored is not None))

    notification_created.connect(receiver)
    yield seen
    notification_created.disconnect(receiver)


def test_notify_stores_one_row_per_person_and_skips_the_actor(app_context):
    teacher1, teacher2 = user_id("teacher1"), user_id("teacher2")
    rows = services.notify(
        [teacher1, teacher2, teacher1, None], "answer", "มีคำตอบใหม่", "/questions/1", teacher2
    )
    db.session.commit()
    assert [row.user_id for row in rows] == [teacher1]
    assert rows[0].actor_id == teacher2 and rows[0].read_at is None


def test_signal_is_sent_after_commit_and_never_for_a_rollback(app_context, received):
    teacher1 = user_id("teacher1")
    services.notify([teacher1], "answer", "ยกเลิกแล้ว", "/questions/1")
    assert received == []  # not before the commit
    db.session.rollback()
    db.session.commit()
    assert received == []  # a rolled-back notification is never announced
    services.notify([teacher1], "answer", "ส่งจริง", "/questions/1")
    db.session.commit()
    assert received == [(teacher1, "ส่งจริง", True)]


def test_signal_gives_receivers_a_loaded_notification(app_context):
    fields = []

    def receiver(sender, notification, **extra):
        fields.append(
            (notification.id, notification.kind, notification.url, notification.created_at)
        )

    notification_created.connect(receiver)
    try:
        services.notify([user_id("teacher2")], "comment", "ข้อความ", "/questions/2")
        db.session.commit()
    finally:
        notification_created.disconnect(receiver)
    ((notification_id, kind, url, created_at),) = fields
    assert notification_id and kind == "comment" and url == "/questions/2" and created_at


def test_a_failing_receiver_does_not_break_the_commit(app_context):
    def broken(sender, notification, **extra):
        raise RuntimeError("receiver down")

    notification_created.connect(broken)
    try:
        services.notify([user_id("teacher2")], "answer", "ยังบันทึก", "/questions/3")
        db.session.commit()
    finally:
        notification_created.disconnect(broken)
    assert db.session.scalar(select(func.count()).where(Notification.text == "ยังบันทึก")) == 1


def test_long_text_is_shortened_and_spaces_collapsed(app_context):
    (row,) = services.notify([user_id("teacher2")], "answer", "ก  ข\n" + "ค" * 600, "/x")
    assert len(row.text) == 500 and row.text.startswith("ก ข ค") and row.text.endswith("…")


def _bell(html: str) -> str:
    return html[
        html.index('id="nav-notifications"') : html.index("</li>", html.index("ดูการแจ้งเตือนทั้งหมด"))
    ]


def test_bell_shows_unread_count_and_latest_items(demo_app, login_as):
    with demo_app.app_context():
        teacher2 = user_id("teacher2")
        services.mark_all_read(teacher2)
        for number in range(3):
            services.notify([teacher2], "answer", f"คำตอบใหม่ที่ {number}", f"/questions/{number}")
        db.session.commit()
    client = login_as("teacher2")
    bell = _bell(client.get("/").get_data(as_text=True))
    assert 'data-unread-count="3"' in bell
    assert "คำตอบใหม่ที่ 2" in bell and "คำตอบใหม่ที่ 0" in bell
    assert bell.index("คำตอบใหม่ที่ 2") < bell.index("คำตอบใหม่ที่ 0")  # newest first


def test_opening_marks_read_and_follows_the_address(demo_app, login_as):
    with demo_app.app_context():
        (row,) = services.notify(
            [user_id("teacher2")], "answer", "เปิดฉัน", "/questions/?sort=helpful"
        )
        db.session.commit()
        notification_id = row.id
    client = login_as("teacher2")
    response = client.post(f"/notifications/{notification_id}/open")
    assert (
        response.status_code == 302 and response.headers["Location"] == "/questions/?sort=helpful"
    )
    with demo_app.app_context():
        assert db.session.get(Notification, notification_id).read_at is not None


@pytest.mark.parametrize(
    "url", ["//evil.example/x", "https://evil.example/", "javascript:alert(1)"]
)
def test_opening_never_leaves_the_site(demo_app, login_as, url):
    with demo_app.app_context():
        (row,) = services.notify([user_id("teacher2")], "answer", "ลิงก์แปลก", url)
        db.session.commit()
        notification_id = row.id
    response = login_as("teacher2").post(f"/notifications/{notification_id}/open")
    assert response.headers["Location"] == "/notifications/"


def test_someone_elses_notification_is_not_found(demo_app, login_as):
    with demo_app.app_context():
        (row,) = services.notify([user_id("teacher1")], "answer", "ของครูหนึ่ง", "/questions/1")
        db.session.commit()
        notification_id = row.id
    client = login_as("teacher2")
    assert client.post(f"/notifications/{notification_id}/open").status_code == 404
    assert client.post(f"/notifications/{notification_id}/read").status_code == 404
    assert "ของครูหนึ่ง" not in client.get("/notifications/").get_data(as_text=True)
    with demo_app.app_context():
        assert db.session.get(Notification, notification_id).read_at is None


def test_page_lists_marks_one_and_marks_all_read(demo_app, login_as):
    with demo_app.app_context():
        teacher2 = user_id("teacher2")
        rows = [
            services.notify([teacher2], "comment", f"ความคิดเห็น {n}", "/questions/1")[0]
            for n in range(2)
        ]
        db.session.commit()
        first_id = rows[0].id
    client = login_as("teacher2")
    page = client.get("/notifications/?show=unread").get_data(as_text=True)
    assert "ความคิดเห็น 0" in page and "ความคิดเห็น 1" in page
    client.post(f"/notifications/{first_id}/read", data={"next": "/notifications/"})
    with demo_app.app_context():
        assert db.session.get(Notification, first_id).read_at is not None
        assert unread("teacher2") >= 1
    response = client.post("/notifications/read-all", headers={"Accept": "application/json"})
    assert response.json["unread"] == 0
    with demo_app.app_context():
        assert unread("teacher2") == 0
    page = client.get("/notifications/?show=unread").get_data(as_text=True)
    assert "อ่านการแจ้งเตือนครบทุกรายการแล้ว" in page


def test_summary_json_for_live_updates(demo_app, login_as):
    with demo_app.app_context():
        services.notify([user_id("teacher2")], "answer_accepted", "ได้รับเลือก", "/questions/5")
        db.session.commit()
    data = login_as("teacher2").get("/notifications/summary.json").json
    assert data["unread"] >= 1
    assert data["items"][0]["text"] == "ได้รับเลือก" and data["items"][0]["kind"] == "answer_accepted"


def test_anonymous_visitors_have_no_bell_and_are_sent_to_log_in(demo_client):
    assert 'id="nav-notifications"' not in demo_client.get("/").get_data(as_text=True)
    response = demo_client.get("/notifications/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_posts_need_the_csrf_token(databases, tmp_path):
    url = databases.fresh(with_demo=True)
    app = build_app(tmp_path / "data", url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf-token" content="([^"]+)"', page
    )
    client.post(
        "/auth/login",
        data={"login": "teacher1", "password": "nitet-demo", "csrf_token": token.group(1)},
    )
    with app.app_context():
        services.notify([user_id("teacher1")], "answer", "ต้องยังไม่อ่าน", "/questions/1")
        db.session.commit()
        before = unread("teacher1")
    assert before > 0
    assert client.post("/notifications/read-all").status_code == 400
    with app.app_context():
        assert unread("teacher1") == before
    page = client.get("/notifications/").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    assert client.post("/notifications/read-all", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert unread("teacher1") == 0
        db.session.remove()
        db.engine.dispose()
