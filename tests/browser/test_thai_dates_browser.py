"""Every form with a date, in a real browser: the day picked from a Thai calendar (พ.ศ. years) or
typed day–month–year in พ.ศ.; what is stored and shown afterwards is the day meant. A Gregorian
year is flagged as it is typed and refused by the server with the text kept."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from nitet_online.services.date_input import format_thai_date
from nitet_online.services.thai import MONTHS_LONG, today_bangkok
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    browser_login,
    fits_the_screen,
    screenshot,
    uses_sarabun,
)


def pick(page, field: str, day: date, time: str | None = None) -> None:
    """Opens the calendar beside #field and picks `day` (and the time) as a person would."""
    page.click(f"#{field} ~ .thai-date-toggle")
    panel = page.locator(".thai-datepicker")
    panel.get_by_label("ปี พ.ศ.").select_option(str(day.year))
    panel.get_by_label("เดือน", exact=True).select_option(str(day.month))
    panel.locator(f".thai-datepicker-day[data-day='{day.day}']").click()
    if time is not None:
        hour, minute = time.split(":")
        panel.get_by_label("ชั่วโมง").select_option(str(int(hour)))
        panel.get_by_label("นาที").select_option(str(int(minute)))
        panel.get_by_role("button", name="ตกลง").click()
    page.wait_for_selector(".thai-datepicker", state="detached")


def submit(page, field: str) -> None:
    """Presses the main button of the form that holds #field."""
    page.locator(f"form:has(#{field}) button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")


def reading(page, field: str) -> str:
    return page.inner_text(f"#{field}-reading")


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_award_date_from_the_thai_calendar(live_server, new_page, viewport, label):
    page = new_page(viewport)
    browser_login(page, live_server.url, "schooldirector1")
    page.goto(f"{live_server.url}/honours/nominate")
    title = f"ครูผู้สอนดีเด่นด้านการอ่าน ({label})"
    page.fill("#award_title", title)
    page.select_option("#recipient_user", index=1)
    page.fill("#issuing_body", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา")
    page.click("#awarded_on ~ .thai-date-toggle")
    panel = page.locator(".thai-datepicker")
    assert panel.get_by_label("ปี พ.ศ.").locator("option:checked").inner_text() == str(
        today_bangkok().year + 543
    )
    assert uses_sarabun(page, ".thai-datepicker")
    assert fits_the_screen(page)
    screenshot(page, f"thai-date-picker-{label}")
    page.keyboard.press("Escape")

    pick(page, "awarded_on", date(2026, 9, 1))
    assert page.input_value("#awarded_on") == "01/09/2569"
    assert reading(page, "awarded_on") == "วันอังคารที่ 1 กันยายน พ.ศ. 2569"
    submit(page, "awarded_on")
    assert "1 กันยายน 2569" in page.inner_text("main"), page.locator(
        ".invalid-feedback, .alert"
    ).all_inner_texts()
    assert page.console_errors == []


def test_a_gregorian_year_typed_is_flagged_then_refused_with_the_text_kept(live_server, new_page):
    page = new_page(DESKTOP)
    browser_login(page, live_server.url, "schooldirector1")
    page.goto(f"{live_server.url}/honours/nominate")
    page.fill("#award_title", "รางวัลทดสอบปี ค.ศ.")
    page.fill("#issuing_body", "สำนักงานเขตพื้นที่การศึกษา")
    page.fill("#awarded_on", "1/9/2026")
    assert "ปี 2026 เป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (ปี 2569)" in reading(page, "awarded_on")
    submit(page, "awarded_on")
    assert "ปี 2026 เป็นปี ค.ศ." in page.inner_text(".invalid-feedback")
    assert page.input_value("#awarded_on") == "1/9/2026"
    assert page.input_value("#award_title") == "รางวัลทดสอบปี ค.ศ."


def test_training_times_typed_and_picked(live_server, new_page):
    page = new_page(DESKTOP)
    browser_login(page, live_server.url, "supervisor1")
    page.goto(f"{live_server.url}/news/new")
    page.fill("#title", "อบรมเชิงปฏิบัติการ PLC ด้วยปฏิทินไทย")
    page.select_option("#category", "training")
    page.wait_for_selector(".js-event-fields:not(.d-none)")
    start = today_bangkok() + timedelta(days=12)
    # Typed the way people write it; the field keeps the one form the server reads.
    page.fill("#event_start", f"{start.day} {MONTHS_LONG[start.month - 1]} {start.year + 543} 8.30")
    page.locator("#event_start").blur()
    assert page.input_value("#event_start") == f"{format_thai_date(start)} 08:30"
    pick(page, "event_end", start, "16:00")
    assert page.input_value("#event_end") == f"{format_thai_date(start)} 16:00"
    assert reading(page, "event_end").endswith("เวลา 16:00 น.")
    page.fill("#event_place", "ห้องประชุมเขต")
    page.fill("#body", "เนื้อหาการอบรม")
    page.check("input[name=publication][value=schedule]")
    due = today_bangkok() + timedelta(days=2)
    pick(page, "publish_at", due, "07:00")
    submit(page, "event_start")
    text = page.inner_text("main")
    assert f"{start.day} {MONTHS_LONG[start.month - 1]} {start.year + 543}" in text
    assert "08:30–16:00 น." in text
    news_id = re.search(r"/news/(\d+)", page.url).group(1)
    page.goto(f"{live_server.url}/news/{news_id}/edit")
    assert page.input_value("#event_start") == f"{format_thai_date(start)} 08:30"
    assert page.input_value("#publish_at") == f"{format_thai_date(due)} 07:00"


def test_survey_period_and_statistics_range(live_server, new_page):
    page = new_page(PHONE)
    browser_login(page, live_server.url, "supervisor2")
    page.goto(f"{live_server.url}/surveys/new")
    page.fill("#title", "แบบประเมินช่วงวันที่ไทย")
    page.click("#opens_on ~ .thai-date-toggle")
    page.locator(".thai-datepicker").get_by_role("button", name="วันนี้").click()
    assert page.input_value("#opens_on") == format_thai_date(today_bangkok())
    page.fill("#closes_on", "31 ธ.ค. 69")
    page.locator("#closes_on").blur()
    assert page.input_value("#closes_on") == "31/12/2569"
    assert reading(page, "closes_on") == "วันพฤหัสบดีที่ 31 ธันวาคม พ.ศ. 2569"
    submit(page, "closes_on")
    survey_id = re.search(r"/surveys/(\d+)", page.url).group(1)
    page.goto(f"{live_server.url}/surveys/{survey_id}/edit")
    assert page.input_value("#closes_on") == "31/12/2569"

    director = new_page(DESKTOP)
    browser_login(director, live_server.url, "director1")
    director.goto(f"{live_server.url}/stats")
    director.fill("#from", "01/10/2568")
    pick(director, "to", date(2026, 5, 16))
    assert reading(director, "to") == "วันเสาร์ที่ 16 พฤษภาคม พ.ศ. 2569"
    director.click("#to ~ .thai-date-toggle")
    director.keyboard.press("Escape")
    director.locator("#to").press("Enter")
    director.wait_for_load_state("networkidle")
    assert "1 ตุลาคม 2568" in director.inner_text("main")
    assert "16 พฤษภาคม 2569" in director.inner_text("main")
