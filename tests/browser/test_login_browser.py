"""A person logs in with a real browser, at desktop and phone widths; Thai renders in Sarabun."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, browser_login, screenshot, uses_sarabun


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_login_as_teacher_shows_thai_in_sarabun(live_server, new_page, viewport, label):
    page = new_page(viewport)
    page.goto(live_server.url + "/")
    assert "นิเทศ Online" in page.title()
    browser_login(page, live_server.url, "teacher1")
    assert page.locator(".alert-success").inner_text().startswith("ยินดีต้อนรับ")
    assert uses_sarabun(page, "h1")
    screenshot(page, f"foundation-home-teacher-{label}")
    # The layout holds: nothing wider than the screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    if label == "phone":
        page.click("button.navbar-toggler")
        page.wait_for_selector("#mainNav.show")
    page.click("a.dropdown-toggle")
    page.click("button:has-text('ออกจากระบบ')")
    assert page.locator(".alert-info").inner_text().strip() == "ออกจากระบบเรียบร้อยแล้ว"
    assert page.console_errors == []


def test_wrong_password_and_admin_navigation(live_server, new_page):
    page = new_page(DESKTOP)
    browser_login(page, live_server.url, "admin", "wrong-password")
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in page.locator(".alert-danger").inner_text()
    assert page.input_value("#login") == "admin"
    screenshot(page, "foundation-login-error")
    browser_login(page, live_server.url, "admin")
    page.click("a.dropdown-toggle")
    page.click("a.dropdown-item:has-text('ผู้ดูแลระบบ')")
    page.wait_for_url("**/admin/")
    page.click(".admin-nav a:has-text('ผู้ใช้')")
    assert page.locator("table tbody tr").count() >= 20
    screenshot(page, "foundation-admin-users")
