"""PDPA pages in a real browser at phone width: the notice, a teacher's deletion request, and the
administrator's list of requests (which the confirmation dialog guards)."""

from tests.browser.conftest import PHONE, browser_login, fits_the_screen, screenshot, uses_sarabun


def test_privacy_pages_at_phone_width(live_server, new_page):
    page = new_page(PHONE)
    page.goto(live_server.url + "/privacy")
    assert "พ.ร.บ." in page.inner_text("body") or "พระราชบัญญัติ" in page.inner_text("body")
    assert uses_sarabun(page, "h1") and fits_the_screen(page)
    screenshot(page, "privacy-notice-phone")

    browser_login(page, live_server.url, "teacher2")
    page.goto(live_server.url + "/auth/delete-request")
    page.fill("#reason", "ย้ายไปสังกัดเขตอื่น")
    page.click("main form button[type=submit]")
    assert "กรุณายืนยัน" in page.inner_text("body")  # the box was not ticked
    assert page.input_value("#reason") == "ย้ายไปสังกัดเขตอื่น"
    page.check("#understood")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "ส่งคำขอลบข้อมูลแล้ว" in page.inner_text("body")
    assert fits_the_screen(page)
    screenshot(page, "privacy-delete-request-phone")
    assert page.console_errors == []

    admin = new_page(PHONE)
    browser_login(admin, live_server.url, "admin")
    admin.goto(live_server.url + "/admin/privacy/requests")
    assert "teacher2" in admin.inner_text("body")
    assert fits_the_screen(admin)
    screenshot(admin, "privacy-admin-requests-phone")
    assert admin.console_errors == []
