"""ถาม-ตอบ in a real browser, as two people: teacher1 asks a Thai question with a photo (ภาษาไทย,
บ้านควนขนุน), the responsible supervisors see it in their inbox, supervisor1 answers, teacher1
sees the notification in the bell and accepts; the question shows แก้ไขแล้ว with the time to the
first answer. Screenshots at desktop and phone widths."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    browser_login,
    fits_the_screen,
    screenshot,
    uses_sarabun,
)
from tests.files import jpeg_with_exif

TITLE = "นักเรียน ป.1 อ่านสะกดคำไม่คล่อง ควรใช้สื่อแบบไหนช่วยฝึกที่บ้านได้บ้างคะ"
BODY = (
    "ห้อง ป.1 มีนักเรียน 18 คน ยังอ่านสะกดคำแม่กนไม่คล่อง 5 คน\n\n"
    "- ลองใช้บัตรคำแล้ว\n- ผู้ปกครองอยากช่วยฝึกที่บ้าน\n\nแนบรูปใบงานที่ใช้อยู่ค่ะ"
)
ANSWER = "แนะนำ **บัตรคำแจกลูกแม่กน** ให้ผู้ปกครองฝึกวันละ 10 นาทีค่ะ\n\n1. อ่านพร้อมกัน\n2. อ่านตาม\n3. อ่านเอง"


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "ใบงานแม่กน.jpg"
    path.write_bytes(jpeg_with_exif(1200, 900, orientation=6))
    return path


def test_ask_answer_accept_as_two_people(live_server, new_page, photo):
    base = live_server.url

    # teacher1 asks, with a photo; similar questions appear while typing the title.
    teacher = new_page(DESKTOP)
    browser_login(teacher, base, "teacher1")
    teacher.goto(f"{base}/questions/ask")
    teacher.fill("#title", TITLE)
    teacher.wait_for_selector("#similar-questions:not(.d-none) .js-similar-list li")
    assert "อ่านสะกดคำไม่คล่อง" in teacher.inner_text("#similar-questions")
    teacher.fill("#body", BODY)
    teacher.select_option("#learning_area_id", label="ภาษาไทย")
    teacher.select_option("#grade_level_id", label="ประถมศึกษาปีที่ 1")
    teacher.fill("#tags", "การอ่าน, ป.1, สื่อการสอน")
    teacher.set_input_files("#files", str(photo))
    assert uses_sarabun(teacher, "h1")
    screenshot(teacher, "questions-ask-desktop")
    teacher.click("#ask-form button[type=submit]")
    teacher.wait_for_load_state("networkidle")
    flash = teacher.inner_text(".alert-success")
    # The two supervisors responsible: supervisor1 (ภาษาไทย, the school, the network) and
    # supervisor4 (the network เขาชัยสน).
    assert "วิไลวรรณ ศรีสุวรรณ" in flash and "จันทร์เพ็ญ บุญรักษ์" in flash
    question_url = teacher.url
    assert re.search(r"/questions/\d+-", question_url)
    assert teacher.inner_text(".qa-status").strip() == "รอคำตอบ"
    thumb = teacher.locator(".qa-gallery img").first
    assert thumb.evaluate("img => img.complete && img.naturalWidth > 0")
    assert thumb.evaluate("img => img.naturalHeight > img.naturalWidth")  # upright phone photo

    # Both responsible supervisors see it in their inbox; supervisor1 answers.
    other = new_page(DESKTOP)
    browser_login(other, base, "supervisor4")
    other.goto(f"{base}/questions/inbox")
    assert TITLE in other.inner_text("main")
    supervisor = new_page(DESKTOP)
    browser_login(supervisor, base, "supervisor1")
    supervisor.goto(f"{base}/questions/inbox")
    item = supervisor.locator(".qa-inbox-item", has_text=TITLE)
    assert item.count() == 1 and "สมใจ ใจดี" in item.inner_text()
    screenshot(supervisor, "questions-inbox-desktop")
    item.locator("a", has_text=TITLE).click()
    supervisor.wait_for_load_state("networkidle")
    supervisor.fill("#answer-body", ANSWER)
    supervisor.click("#answer-form button[type=submit]")
    supervisor.wait_for_load_state("networkidle")
    assert "ส่งคำตอบเรียบร้อยแล้ว" in supervisor.inner_text(".alert-success")
    assert supervisor.inner_text(".qa-status").strip() == "ตอบแล้ว"
    assert supervisor.locator(".qa-answer strong", has_text="บัตรคำแจกลูกแม่กน").count() == 1

    # teacher1 sees the notification in the bell and opens it.
    teacher.goto(f"{base}/")
    badge = teacher.locator("#nav-notifications .js-notification-badge")
    assert int(badge.get_attribute("data-unread-count")) >= 1
    teacher.click("#nav-notifications > a")
    item = teacher.locator(".notification-item.unread", has_text="ตอบคำถาม").first
    item.wait_for()
    assert "วิไลวรรณ" in item.inner_text()
    screenshot(teacher, "questions-bell-desktop")
    item.click()
    teacher.wait_for_load_state("networkidle")
    assert teacher.url.split("#")[0] == question_url.split("#")[0]
    assert "#answer-" in teacher.url

    # ... and accepts the answer: แก้ไขแล้ว, with the time to the first answer.
    teacher.click("button:has-text('เลือกเป็นคำตอบที่ดีที่สุด')")
    teacher.wait_for_load_state("networkidle")
    assert teacher.inner_text(".qa-status").strip() == "แก้ไขแล้ว"
    assert "ตอบครั้งแรกภายใน" in teacher.inner_text("header")
    assert "คำตอบที่ดีที่สุด" in teacher.inner_text(".qa-answer-accepted")
    assert teacher.inner_text(".qa-time-first").strip()
    screenshot(teacher, "questions-resolved-desktop")
    assert fits_the_screen(teacher)

    # The supervisor is told the answer was accepted; the bell is read after opening.
    supervisor.goto(f"{base}/notifications/")
    assert "ได้รับเลือกเป็นคำตอบที่ดีที่สุด" in supervisor.inner_text("main")
    for page in (teacher, other, supervisor):
        assert page.console_errors == []


def test_questions_hold_at_phone_width(live_server, new_page):
    base = live_server.url
    page = new_page(PHONE)
    browser_login(page, base, "teacher1")
    page.goto(f"{base}/questions/")
    assert uses_sarabun(page, "h1")
    assert fits_the_screen(page)
    screenshot(page, "questions-list-phone")
    page.locator(".qa-item-title", has_text="อ่านสะกดคำไม่คล่อง").first.click()
    page.wait_for_load_state("networkidle")
    assert fits_the_screen(page)
    screenshot(page, "questions-detail-phone")
    page.goto(f"{base}/questions/ask")
    assert fits_the_screen(page)
    screenshot(page, "questions-ask-phone")
    page.click("button.navbar-toggler")
    page.wait_for_selector("#mainNav.show")
    page.click("#nav-notifications > a")
    page.wait_for_selector(".notification-menu.show")
    assert fits_the_screen(page)
    screenshot(page, "questions-bell-phone")

    supervisor = new_page(PHONE)
    browser_login(supervisor, base, "supervisor1")
    supervisor.goto(f"{base}/questions/inbox")
    assert fits_the_screen(supervisor)
    screenshot(supervisor, "questions-inbox-phone")
    assert page.console_errors == [] and supervisor.console_errors == []
