"""ค้นหา in a real browser: Thai typed in the header box brings suggestions with the typed letters
marked, Enter shows highlighted results grouped by type, a filter narrows them, and the same works
on a phone through the collapsed menu. Screenshots at desktop and phone widths."""

from __future__ import annotations

from tests.browser.conftest import DESKTOP, PHONE, fits_the_screen, screenshot, uses_sarabun


def test_search_in_thai_from_the_header_box(live_server, new_page):
    page = new_page(DESKTOP)
    page.goto(f"{live_server.url}/")
    box = page.locator("nav input[name=q]")
    box.click()
    box.fill("ผู้บริหาร")  # typing Thai key by key reverses it in headless Chromium
    page.wait_for_selector(".search-suggest:not([hidden]) [role=option] mark")
    suggestions = page.inner_text(".search-suggest")
    assert "ผู้บริหาร" in suggestions
    screenshot(page, "search-suggest-desktop")
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    page.wait_for_load_state("networkidle")

    marks = page.locator(".search-hit mark")
    assert marks.count() >= 2
    assert all("ผู้บริหาร" in text for text in marks.all_inner_texts())
    # A compound: the knowledge item that only says ผู้บริหารสถานศึกษา is found too.
    assert "คู่มือการนิเทศภายในสถานศึกษา" in page.inner_text("main")
    assert uses_sarabun(page, ".search-hit h2")
    assert page.locator(".category-nav .nav-link", has_text="คลังความรู้").count() == 1
    assert not page.console_errors
    screenshot(page, "search-results-desktop")

    # Only knowledge items, then the newest first.
    page.locator(".category-nav .nav-link", has_text="คลังความรู้").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".search-hit .badge-type-knowledge").count() >= 1
    assert page.locator(".search-hit .badge-type-news").count() == 0
    page.select_option("#search-sort", "date")
    page.wait_for_url("**sort=date*")
    assert page.locator(".search-hit").count() >= 1

    # Choosing a suggestion with the keyboard opens it directly.
    box = page.locator("nav input[name=q]")
    box.fill("")
    box.fill("แจกลูก")
    page.wait_for_selector(".search-suggest:not([hidden]) [role=option] mark")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_load_state("networkidle")
    assert "/search" not in page.url
    assert "แจกลูก" in page.inner_text("main")


def test_search_on_a_phone_and_the_no_results_help(live_server, new_page):
    page = new_page(PHONE)
    page.goto(f"{live_server.url}/")
    page.click(".navbar-toggler")
    box = page.locator("nav input[name=q]")
    box.wait_for(state="visible")
    box.fill("การอ่านออกเขียนได้")
    box.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator(".search-hit mark").count() >= 1
    assert "การอ่านออกเขียนได้" in page.locator(".search-hit mark").first.inner_text() or (
        "อ่านออกเขียนได้" in page.locator(".search-hit").first.inner_text()
    )
    assert fits_the_screen(page)
    assert uses_sarabun(page, "main")
    screenshot(page, "search-results-phone")

    page.goto(f"{live_server.url}/search?q=ฟหกดฟหกด")
    assert "ไม่พบผลการค้นหา" in page.inner_text("main")
    assert page.locator("a", has_text="ถามศึกษานิเทศก์").count() == 1
    assert fits_the_screen(page)
    screenshot(page, "search-no-results-phone")
