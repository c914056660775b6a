"""The director's dashboard and a survey's results in a real browser, at desktop and phone
widths: charts drawn by Chart.js, Thai in Sarabun, nothing wider than the screen."""

import pytest

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    browser_login,
    fits_the_screen,
    screenshot,
    uses_sarabun,
)

SIZES = [(DESKTOP, "desktop"), (PHONE, "phone")]


def charts_drawn(page) -> int:
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length > 0")
    return page.evaluate("Object.keys(window.Chart.instances).length")


def login(page, base_url: str, username: str) -> None:
    browser_login(page, base_url, username)
    page.console_errors.clear()  # only this feature's pages are judged here


@pytest.mark.parametrize(("viewport", "label"), SIZES)
def test_director_dashboard(live_server, new_page, viewport, label):
    page = new_page(viewport)
    login(page, live_server.url, "director1")
    page.goto(f"{live_server.url}/stats")
    assert page.locator("h1").inner_text().strip().endswith("สถิติและตัวชี้วัดความสำเร็จ")
    assert charts_drawn(page) >= 5
    assert page.locator(".indicator-card").count() >= 7
    assert uses_sarabun(page, "h1")
    assert fits_the_screen(page)
    screenshot(page, f"stats-director-dashboard-{label}")
    assert page.console_errors == []


def test_printable_report(live_server, new_page):
    page = new_page(DESKTOP)
    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/stats/report")
    page.emulate_media(media="print")
    assert page.locator(".navbar").is_hidden()
    assert page.locator(".js-print").is_hidden()
    screenshot(page, "stats-report-print")
    assert page.console_errors == []


@pytest.mark.parametrize(("viewport", "label"), SIZES)
def test_survey_results(live_server, new_page, viewport, label):
    page = new_page(viewport)
    login(page, live_server.url, "supervisor1")
    page.goto(f"{live_server.url}/surveys/manage")
    row = page.locator("tr", has_text="แบบประเมินความพึงพอใจต่อการใช้งานระบบนิเทศ Online")
    row.locator("a:has-text('ผลการประเมิน')").click()
    page.wait_for_load_state("networkidle")
    assert "ผลการประเมิน" in page.locator("h1").inner_text()
    assert charts_drawn(page) >= 3  # item means and the two choice items
    assert page.locator(".survey-results-table tbody tr").count() >= 10
    assert uses_sarabun(page, "h1")
    assert fits_the_screen(page)
    screenshot(page, f"stats-survey-results-{label}")
    assert page.console_errors == []


def test_answering_a_survey_on_a_phone(live_server, new_page):
    page = new_page(PHONE)
    page.goto(f"{live_server.url}/surveys/")
    page.click(".list-group-item >> nth=0")
    page.wait_for_load_state("networkidle")
    page.click("button:has-text('ส่งแบบประเมิน')")
    assert "ยังตอบไม่ครบ" in page.locator(".alert-danger").inner_text()
    page.console_errors.clear()  # the refused answer itself is a 400
    for group in page.locator(".rating-scale").all():
        group.locator("label.rating-option >> nth=1").click()  # 4 มาก
    page.locator(".survey-item input[type=radio].form-check-input").first.check()
    assert fits_the_screen(page)
    screenshot(page, "stats-survey-answer-phone")
    page.click("button:has-text('ส่งแบบประเมิน')")
    page.wait_for_url("**/thanks")
    assert "ขอบคุณที่ร่วมตอบแบบประเมิน" in page.locator("h1").inner_text()
    assert page.console_errors == []


def test_supervisor_dashboard_on_a_phone(live_server, new_page):
    page = new_page(PHONE)
    login(page, live_server.url, "supervisor1")
    page.goto(f"{live_server.url}/stats")
    page.wait_for_url("**/stats/me")
    assert "สถิติเว็บไซต์บุคคลของฉัน" in page.locator("h1").inner_text()
    assert charts_drawn(page) >= 1
    assert fits_the_screen(page)
    screenshot(page, "stats-supervisor-dashboard-phone")
    assert page.console_errors == []
