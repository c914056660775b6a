"""A person logs in with a real browser, at desktop and phone widths; Thai renders in Sarabun."""

import pytest

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    browser_login,
    fits_the_screen,
    screenshot,
    uses_sarabun,
)


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
    assert fits_the_screen(page)
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


def test_the_menu_bar_stays_one_line_at_common_desktop_widths(live_server, new_page):
    """The longest menu (a supervisor's: every feature, search, chat, bell, name) fits on one line
    of a 1200–1920 px screen and folds behind the toggler below that."""
    page = new_page(DESKTOP)
    browser_login(page, live_server.url, "supervisor1")
    for width in (1920, 1366, 1280, 1200, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/")
        bar = page.evaluate(
            """() => { const inner = document.querySelector('nav.navbar > div');
                return {height: inner.getBoundingClientRect().height,
                        spill: inner.scrollWidth - inner.clientWidth}; }"""
        )
        assert fits_the_screen(page), width
        assert bar["spill"] <= 0, width
        assert bar["height"] < 80, width  # one line: the brand's two-line label is the tallest part
        assert page.locator("button.navbar-toggler").is_visible() == (width < 1200)
    screenshot(page, "foundation-menu-1024")


def test_a_teacher_menu_leaves_out_what_teachers_cannot_open(live_server, new_page):
    page = new_page(DESKTOP)
    browser_login(page, live_server.url, "teacher1")
    labels = page.locator("#mainNav .me-auto .nav-link").all_inner_texts()
    assert [label.strip() for label in labels][:3] == ["หน้าแรก", "ข่าวสาร", "ถาม-ตอบ"]
    assert all("สถิติ" not in label for label in labels)
    for link in page.locator("#mainNav .me-auto .nav-link").all():
        href = link.get_attribute("href")
        assert page.request.get(live_server.url + href).status == 200, href
