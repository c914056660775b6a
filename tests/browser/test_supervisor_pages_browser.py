"""A supervisor, as a new user would, builds a personal page in a real browser: a sideways phone
photo shows upright (GPS gone), a sub-page carries a PDF, a training announcement is published;
an anonymous visitor sees all of it; another supervisor is refused the editor (403). Screenshots
at desktop (1366) and phone (390) widths go to test-artifacts/."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image

from nitet_online.services.date_input import format_thai_date
from nitet_online.services.thai import today_bangkok
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    browser_login,
    fits_the_screen,
    screenshot,
    uses_sarabun,
)
from tests.files import jpeg_with_exif, pdf_bytes

TRAINING_TITLE = "อบรมเชิงปฏิบัติการ การสร้างสื่อการอ่านด้วยนิทานพื้นบ้านพัทลุง"
SUB_PAGE_TITLE = "แผนการนิเทศ ภาคเรียนที่ 2"


@pytest.fixture
def sideways_photo(tmp_path):
    path = tmp_path / "IMG_20261122_093015.jpg"
    path.write_bytes(jpeg_with_exif(400, 300, orientation=6, with_gps=True))
    return path


@pytest.fixture
def plan_pdf(tmp_path):
    path = tmp_path / "แผนการนิเทศ-ภาคเรียนที่-2.pdf"
    path.write_bytes(pdf_bytes("Supervision plan"))
    return path


def snap(page, name: str) -> None:
    """A full-page screenshot after lazy images have loaded (they load when scrolled into view)."""
    page.evaluate(
        """async () => {
            for (const image of document.querySelectorAll('img[loading=lazy]')) {
                image.loading = 'eager';
            }
            await Promise.all([...document.images].filter(i => !i.complete).map(
                i => new Promise(done => { i.onload = i.onerror = done; })));
        }"""
    )
    screenshot(page, name)


def image_size(page, selector: str) -> tuple[int, int]:
    page.wait_for_function(
        "s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }",
        arg=selector,
    )
    return tuple(page.eval_on_selector(selector, "i => [i.naturalWidth, i.naturalHeight]"))  # type: ignore[return-value]


def test_supervisor_builds_a_page_and_the_public_sees_it(
    live_server, new_page, sideways_photo, plan_pdf
):
    base = live_server.url
    page = new_page(DESKTOP)
    browser_login(page, base, "supervisor1")

    # Find the page builder as a newcomer would: the menu, then "แก้ไขหน้าของฉัน".
    page.click("nav a.nav-link:has-text('ศึกษานิเทศก์')")
    page.wait_for_url("**/supervisors/")
    snap(page, "supervisors-directory-desktop")
    page.click("a:has-text('แก้ไขหน้าของฉัน')")
    page.wait_for_url("**/supervisors/supervisor1/edit")
    assert uses_sarabun(page, "h1")

    # Photo from a phone held upright (stored sideways with EXIF orientation 6 and GPS).
    page.set_input_files("#photo", str(sideways_photo))
    page.fill("#headline", "ศึกษานิเทศก์ภาษาไทย ผู้ดูแลการอ่านออกเขียนได้ เครือข่ายเขาชัยสน")
    page.fill(
        "#introduction",
        "สวัสดีค่ะ ยินดีให้คำปรึกษาครูภาษาไทยทุกโรงเรียน\n\n- **การอ่านออกเขียนได้**\n- ชุมชนการเรียนรู้ (PLC)",
    )
    page.click("button:has-text('ตัวอย่าง')")
    page.wait_for_selector(".markdown-preview strong:has-text('การอ่านออกเขียนได้')")
    page.click("button:has-text('เขียน')")
    snap(page, "supervisors-edit-desktop")
    page.click("form button[type=submit]:has-text('บันทึก')")
    page.wait_for_url("**/supervisors/supervisor1")
    assert "บันทึกหน้าเว็บเรียบร้อยแล้ว" in page.inner_text(".alert-success")

    width, height = image_size(page, ".site-photo img")
    assert height > width, "the sideways phone photo is shown upright"
    photo_url = page.get_attribute(".site-photo img", "src")
    stored = Image.open(io.BytesIO(page.request.get(base + photo_url).body()))
    assert stored.height > stored.width and 0x8825 not in stored.getexif()  # no GPS

    # A sub-page with a PDF.
    page.click("a:has-text('จัดการหน้าย่อย')")
    page.wait_for_url("**/supervisors/supervisor1/pages")
    page.click("a:has-text('เพิ่มหน้าใหม่')")
    page.fill("#title", SUB_PAGE_TITLE)
    page.fill("#body", "| สัปดาห์ | โรงเรียน |\n|---|---|\n| 1 | โรงเรียนวัดเขาชัยสน |")
    page.set_input_files("#files", str(plan_pdf))
    page.click("button:has-text('บันทึกหน้า')")
    page.wait_for_selector(f"h2:has-text('{SUB_PAGE_TITLE}')")
    sub_page_url = page.url
    assert page.locator(".attachment-list a:has-text('แผนการนิเทศ')").count() >= 1
    page.goto(base + "/supervisors/supervisor1/pages")
    # Drag the new page to the top: saved at once through the JSON call (with its CSRF token).
    new_item = page.locator(f".js-page-order li:has-text('{SUB_PAGE_TITLE}')")
    first_item = page.locator(".js-page-order li").first
    new_item.drag_to(first_item, target_position={"x": 40, "y": 4})
    page.wait_for_selector(".js-order-status.text-success")
    assert page.inner_text(".js-order-status") == "บันทึกลำดับหน้าแล้ว"
    page.reload()
    assert SUB_PAGE_TITLE in page.locator(".js-page-order li").first.inner_text()
    snap(page, "supervisors-pages-desktop")

    # A training announcement, published now.
    page.goto(base + "/news/manage")
    page.click("a:has-text('เขียนข่าว')")
    page.fill("#title", TRAINING_TITLE)
    page.select_option("#category", "training")
    page.wait_for_selector(".js-event-fields:not(.d-none)")
    start = today_bangkok() + timedelta(days=9)
    page.fill("#event_start", f"{format_thai_date(start)} 08:30")
    page.fill("#event_end", f"{format_thai_date(start)} 16:00")
    page.fill("#event_place", "ห้องประชุมใหญ่ สพป.พัทลุง เขต 2")
    page.fill("#registration_url", "https://forms.nitet.example/folktale")
    page.fill("#summary", "เชิญครูภาษาไทย ป.1–ป.6 โรงเรียนละ 1 คน")
    page.fill("#body", "ครูจะได้ฝึกสร้าง **หนังสือนิทานพื้นบ้าน** สำหรับฝึกอ่าน")
    page.check("input[name=publication][value=publish]")
    snap(page, "news-form-desktop")
    page.click("form button[type=submit]:has-text('บันทึก')")
    page.wait_for_selector("h1.news-heading")
    assert "เผยแพร่ข่าวเรียบร้อยแล้ว" in page.inner_text(".alert-success")
    assert "เวลา 08:30–16:00 น." in page.inner_text(".event-box")
    news_url = page.url
    assert page.console_errors == []

    # Anyone, without logging in, sees all of it.
    visitor = new_page(DESKTOP)
    visitor.goto(base + "/supervisors/supervisor1")
    assert "ผู้ดูแลการอ่านออกเขียนได้" in visitor.inner_text(".site-headline")
    tabs = visitor.locator(".site-tabs .nav-link").all_inner_texts()
    assert tabs[:2] == ["หน้าแรก", SUB_PAGE_TITLE]  # in the order the owner dragged
    assert "ยินดีให้คำปรึกษาครูภาษาไทย" in visitor.inner_text(".markdown-body")
    width, height = image_size(visitor, ".site-photo img")
    assert height > width
    assert TRAINING_TITLE in visitor.inner_text(
        "#news-heading + *, section[aria-labelledby=news-heading]"
    )
    assert uses_sarabun(visitor, "h1")
    snap(visitor, "supervisor-page-public-desktop")
    visitor.click(f".site-tabs a:has-text('{SUB_PAGE_TITLE}')")
    assert visitor.url == sub_page_url
    pdf_link = visitor.locator(".attachment-list a").first.get_attribute("href")
    download = visitor.request.get(base + pdf_link)
    assert download.ok and download.body().startswith(b"%PDF-")
    snap(visitor, "supervisor-subpage-public-desktop")
    visitor.goto(base + "/news/")
    assert TRAINING_TITLE in visitor.inner_text("section[aria-labelledby=events-heading]")
    snap(visitor, "news-list-desktop")
    visitor.goto(news_url)
    assert visitor.get_attribute("meta[property='og:title']", "content") == TRAINING_TITLE
    assert visitor.locator("a.btn-line").count() == 1
    snap(visitor, "news-item-desktop")
    visitor.goto(base + "/")
    assert TRAINING_TITLE in visitor.inner_text(".home-news")
    assert visitor.console_errors == []

    # Another supervisor cannot edit the page.
    other = new_page(DESKTOP)
    browser_login(other, base, "supervisor2")
    response = other.goto(base + "/supervisors/supervisor1/edit")
    assert response.status == 403
    assert "เฉพาะเจ้าของหน้าและผู้ดูแลระบบเท่านั้นที่แก้ไขหน้านี้ได้" in other.inner_text("main")
    snap(other, "supervisor-edit-forbidden-desktop")


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/supervisors/", "supervisors-directory-phone"),
        ("/supervisors/supervisor1", "supervisor-page-public-phone"),
        ("/supervisors/supervisor1/ผลงาน", "supervisor-subpage-public-phone"),
        ("/news/", "news-list-phone"),
    ],
)
def test_pages_hold_at_phone_width(live_server, new_page, path, name):
    page = new_page(PHONE)
    page.goto(live_server.url + path)
    assert uses_sarabun(page, "h1")
    assert fits_the_screen(page), f"{path} is wider than the phone"
    snap(page, name)
    assert page.console_errors == []


def test_news_item_and_builder_at_phone_width(live_server, new_page):
    page = new_page(PHONE)
    page.goto(live_server.url + "/news/?category=training")
    page.click(".news-item a.stretched-link >> nth=0")
    page.wait_for_selector("h1.news-heading")
    assert fits_the_screen(page)
    snap(page, "news-item-phone")
    browser_login(page, live_server.url, "supervisor2")
    for path, name in (
        ("/supervisors/supervisor2/edit", "supervisors-edit-phone"),
        ("/supervisors/supervisor2/pages", "supervisors-pages-phone"),
        ("/news/new", "news-form-phone"),
    ):
        page.goto(live_server.url + path)
        assert fits_the_screen(page), f"{path} is wider than the phone"
        snap(page, name)
    assert page.console_errors == []
