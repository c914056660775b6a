"""Two people in two browsers: a teacher starts a direct conversation with an online supervisor,
they exchange messages that appear without reloading, and the unread count clears once read.
Screenshots of both at desktop and phone widths."""

from __future__ import annotations

import re
import time

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    browser_login,
    fits_the_screen,
    screenshot,
    uses_sarabun,
)


def _room_badge(page, room_id: str):
    return page.locator(f'[data-room-unread="{room_id}"]')


def _nav_count(page) -> int:
    badge = page.locator("[data-chat-unread]").first
    return int(badge.get_attribute("data-count") or "0")


def _wait_nav_count(page, expected: int, timeout: float = 10) -> None:
    """Polls from Python: the page's CSP (no eval) rules out wait_for_function with an expression."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _nav_count(page) == expected:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"navigation unread count {_nav_count(page)}, expected {expected}")


def _send(page, text: str) -> None:
    page.fill("#chat-input", text)
    page.press("#chat-input", "Enter")
    page.wait_for_selector(f".chat-msg.mine .chat-body:has-text('{text}')")
    assert page.input_value("#chat-input") == ""


def test_teacher_and_online_supervisor_chat_live(live_server, new_page):
    supervisor = new_page(DESKTOP)
    browser_login(supervisor, live_server.url, "supervisor1")
    supervisor.goto(live_server.url + "/chat/")
    supervisor.wait_for_selector("body.realtime-connected")
    supervisor_total = _nav_count(supervisor)

    teacher = new_page(DESKTOP)
    browser_login(teacher, live_server.url, "teacher1")
    teacher.goto(live_server.url + "/chat/")
    # supervisor1 is online: listed with a button to talk at once.
    online = teacher.locator("[data-online-supervisor]:not(.d-none)")
    online.filter(has_text="วิไลวรรณ").wait_for()
    assert uses_sarabun(teacher, ".chat-online")
    online.filter(has_text="วิไลวรรณ").locator("button:has-text('คุย')").click()
    teacher.wait_for_url(re.compile(r"/chat/rooms/\d+$"))
    room_id = teacher.url.rstrip("/").rsplit("/", 1)[-1]
    assert "วิไลวรรณ" in teacher.locator("#chat-room-title").inner_text()
    teacher.wait_for_selector("#chat-room-title .presence-label.is-online")
    teacher.wait_for_selector(".chat-msg")  # the earlier conversation (demo) loaded
    teacher.wait_for_selector("body.realtime-connected")

    # The teacher writes; the supervisor, elsewhere on the chat page, sees the counts rise.
    _send(teacher, "สวัสดีค่ะ ศน. ขอปรึกษาเรื่องแบบฝึกอ่าน https://example.com/แบบฝึก")
    _room_badge(supervisor, room_id).filter(has_text="1").wait_for()
    _wait_nav_count(supervisor, supervisor_total + 1)
    link = teacher.locator(".chat-msg.mine .chat-link").last
    assert link.get_attribute("href").startswith("https://example.com/")
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"

    # The supervisor opens the conversation: the message is there, the counts clear.
    supervisor.click(f'[data-room-link="{room_id}"]')
    supervisor.wait_for_url(f"**/chat/rooms/{room_id}")
    supervisor.wait_for_selector(".chat-msg:not(.mine) .chat-body:has-text('ขอปรึกษาเรื่องแบบฝึกอ่าน')")
    _wait_nav_count(supervisor, supervisor_total)
    assert _room_badge(supervisor, room_id).is_hidden()

    # Both stay on the page: each message appears on the other side without reloading.
    supervisor.wait_for_selector("body.realtime-connected")
    _send(supervisor, "ได้เลยค่ะ ลองใช้บัตรคำวันละ 15 นาทีนะคะ")
    teacher.wait_for_selector(".chat-msg:not(.mine) .chat-body:has-text('บัตรคำวันละ 15 นาที')")
    teacher.fill("#chat-input", "ขอบคุณค่ะ")  # the typing indicator reaches the supervisor
    supervisor.wait_for_selector("#chat-typing:has-text('สมใจ กำลังพิมพ์')")
    teacher.press("#chat-input", "Enter")
    supervisor.wait_for_selector(".chat-msg:not(.mine) .chat-body:has-text('ขอบคุณค่ะ')")
    # Read as it arrived: nothing unread for either of them in this room.
    supervisor.wait_for_timeout(600)
    assert _nav_count(supervisor) == supervisor_total
    assert _room_badge(teacher, room_id).is_hidden()

    screenshot(teacher, "chat-teacher-desktop")
    screenshot(supervisor, "chat-supervisor-desktop")

    # On any other page: a mention arrives as a toast, the bell and the chat count go up.
    supervisor.goto(live_server.url + "/")
    supervisor.wait_for_selector("body.realtime-connected")
    bell = supervisor.locator(".js-notification-badge")
    bell_before = int(bell.get_attribute("data-unread-count") or "0") if bell.count() else 0
    _send(teacher, "@supervisor1 ส่งแบบสังเกตมาที่ห้องนี้ได้เลยค่ะ")
    toast = supervisor.locator(".nitet-toast").filter(has_text="กล่าวถึงท่าน")
    toast.wait_for()
    _wait_nav_count(supervisor, supervisor_total + 1)
    if bell.count():
        supervisor.locator(
            f'.js-notification-badge[data-unread-count="{bell_before + 1}"]'
        ).wait_for()
    screenshot(supervisor, "chat-toast-desktop")
    supervisor.goto(f"{live_server.url}/chat/rooms/{room_id}")
    supervisor.wait_for_selector(".chat-mention.is-me")
    _wait_nav_count(supervisor, supervisor_total)
    for page in (teacher, supervisor):
        page.set_viewport_size(PHONE)
        page.reload()
        page.wait_for_selector(".chat-msg .chat-body:has-text('ขอบคุณค่ะ')")
        # The composer sits inside the card, below the messages (they scroll, the page does not).
        composer = page.locator("#chat-composer").bounding_box()
        card = page.locator("#chat-app").bounding_box()
        assert composer["y"] + composer["height"] <= card["y"] + card["height"] + 1
        assert fits_the_screen(page)
    screenshot(teacher, "chat-teacher-phone")
    screenshot(supervisor, "chat-supervisor-phone")
    teacher.goto(live_server.url + "/chat/")  # on a phone the room list is its own screen
    screenshot(teacher, "chat-rooms-phone")
    assert teacher.console_errors == [] and supervisor.console_errors == []
