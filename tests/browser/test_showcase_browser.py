"""The showcase and the honour board in a real browser against the live server (production config,
CSRF on): a school director writes a best practice with three photos and a PDF; a supervisor
returns it with a comment; it is resubmitted and published; it shows on the showcase, the school
page and the home page; a teacher likes it. A nomination is approved and appears on the honour
board under its year and level. Screenshots at desktop and phone widths in test-artifacts/."""

from __future__ import annotations

import re

import pytest
from PIL import Image, ImageDraw

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    browser_login,
    fits_the_screen,
    screenshot,
    uses_sarabun,
)
from tests.files import pdf_bytes

TITLE = "ห้องสมุดมีชีวิต: ปลุกนิสัยรักการอ่านด้วยกิจกรรมเล่านิทานของพี่สู่น้อง"
AWARD = "ครูผู้สร้างนิสัยรักการอ่านดีเด่น"
SECTIONS = {
    "background": "นักเรียนอ่านหนังสือนอกเวลาน้อย ห้องสมุดเงียบ",
    "objectives": "1. เพื่อสร้างนิสัยรักการอ่าน\n2. เพื่อให้พี่ช่วยน้องอ่าน",
    "implementation": "- **พี่เล่านิทาน** ทุกวันศุกร์\n- ยืมหนังสือกลับบ้าน",
    "results": "นักเรียนยืมหนังสือเพิ่มขึ้น **3 เท่า**",
    "success_factors": "ผู้ปกครองและชุมชนช่วยกันบริจาคหนังสือ",
    "lessons": "กิจกรรมที่นักเรียนเป็นผู้นำทำให้ยั่งยืน",
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("showcase-files")
    photos = []
    for index, colour in enumerate([(220, 120, 60), (60, 140, 200), (90, 170, 90)]):
        image = Image.new("RGB", (800, 560), colour)
        draw = ImageDraw.Draw(image)
        draw.ellipse([250, 120, 550, 420], fill=(250, 240, 220))
        draw.rectangle([100, 440, 700, 500], fill=(40, 40, 60))
        path = folder / f"กิจกรรม-{index + 1}.jpg"
        image.save(path, "JPEG", quality=85)
        photos.append(str(path))
    report = folder / "รายงานห้องสมุดมีชีวิต.pdf"
    report.write_bytes(pdf_bytes("Living library report"))
    return {"photos": photos, "pdf": str(report)}


def _load_lazy_images(page) -> None:
    """Scrolls through the page so that lazily loaded images are there for the screenshot."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
                window.scrollTo(0, y);
                await new Promise((resolve) => setTimeout(resolve, 60));
            }
            window.scrollTo(0, 0);
        }"""
    )
    page.wait_for_load_state("networkidle")


def _status_badge(page) -> str:
    return page.locator("header .bp-status").first.inner_text().strip()


def test_best_practice_from_writing_to_showcase_and_a_like(live_server, new_page, files):
    base = live_server.url
    author = new_page(DESKTOP)
    browser_login(author, base, "schooldirector1")
    author.goto(f"{base}/best-practices/new")
    author.fill("#title", TITLE)
    author.select_option("#learning_area", label="ภาษาไทย")
    for level in ("ป.4", "ป.5", "ป.6"):
        author.get_by_label(level, exact=True).check()
    author.fill("#summary", "นักเรียนรุ่นพี่เล่านิทานให้รุ่นน้องทุกสัปดาห์ จนการยืมหนังสือเพิ่มขึ้นสามเท่า")
    for name, text in SECTIONS.items():
        author.fill(f"#{name}", text)
    author.fill("#video_url", "https://youtu.be/aqz-KE-bpKQ")
    author.set_input_files("#photos", files["photos"])
    author.set_input_files("#documents", files["pdf"])
    author.click("button:has-text('บันทึกและส่งตรวจ')")
    author.wait_for_load_state("networkidle")
    assert "ส่งผลงานให้ศึกษานิเทศก์ตรวจแล้ว" in author.locator(".alert-success").inner_text()
    assert _status_badge(author) == "รอตรวจ"
    assert author.locator("#bp-gallery .carousel-item").count() == 3
    assert author.locator("a:has-text('รายงานห้องสมุดมีชีวิต')").count() == 1
    assert "youtube-nocookie.com/embed/aqz-KE-bpKQ" in author.locator("iframe").get_attribute("src")
    work_url = author.url
    practice_id = int(re.search(r"/best-practices/(\d+)", work_url).group(1))

    # The supervisor responsible for the school returns it with a comment.
    reviewer = new_page(DESKTOP)
    browser_login(reviewer, base, "supervisor1")
    reviewer.goto(f"{base}/best-practices/review")
    reviewer.click(f"a[href='/best-practices/{practice_id}#review']")
    reviewer.fill("#comment", "กรุณาเพิ่มจำนวนหนังสือที่ยืมก่อนและหลังดำเนินการเป็นตาราง")
    reviewer.click("button[value='return']")
    reviewer.wait_for_load_state("networkidle")
    assert "ส่งกลับให้ผู้จัดทำแก้ไขแล้ว" in reviewer.locator(".alert-success").inner_text()

    # The author sees the comment, revises and sends it again.
    author.goto(work_url)
    assert _status_badge(author) == "ส่งกลับแก้ไข"
    assert "กรุณาเพิ่มจำนวนหนังสือที่ยืม" in author.locator(".alert-warning").inner_text()
    author.click("a[href$='/edit']")
    author.fill(
        "#results",
        "| | ก่อน | หลัง |\n|---|---|---|\n| หนังสือที่ยืมต่อเดือน | 120 | 365 |",
    )
    author.locator("input[name^='caption-']").first.fill("พี่เล่านิทานให้น้องฟัง")
    author.click("button:has-text('บันทึกและส่งตรวจอีกครั้ง')")
    author.wait_for_load_state("networkidle")
    assert _status_badge(author) == "รอตรวจ"
    assert author.locator("table").count() == 1

    # Published and featured by the supervisor; the history shows every step.
    reviewer.goto(work_url)
    reviewer.click("button[value='publish']")
    reviewer.wait_for_load_state("networkidle")
    assert _status_badge(reviewer) == "เผยแพร่"
    reviewer.click("button:has-text('ตั้งเป็นผลงานแนะนำ')")
    reviewer.wait_for_load_state("networkidle")
    history = reviewer.locator(".bp-history").inner_text()
    assert history.count("→") == 5 and "กรุณาเพิ่มจำนวนหนังสือที่ยืม" in history

    # Everyone sees it: the showcase, the school page, the home page.
    visitor = new_page(DESKTOP)
    visitor.goto(f"{base}/best-practices")
    assert visitor.locator(f"a:has-text('{TITLE}')").count() >= 1
    assert uses_sarabun(visitor, "h1")
    _load_lazy_images(visitor)
    screenshot(visitor, "showcase-desktop")
    assert fits_the_screen(visitor)
    visitor.click(f"a.stretched-link:has-text('{TITLE}') >> nth=0")
    visitor.wait_for_load_state("networkidle")
    visitor.click("header a:has-text('โรงเรียนบ้านควนขนุน')")
    assert visitor.locator(f"a:has-text('{TITLE}')").count() == 1
    screenshot(visitor, "showcase-school-page-desktop")
    visitor.goto(f"{base}/")
    home = visitor.locator("section[aria-labelledby='home-best-practices']")
    assert home.locator(f"a:has-text('{TITLE}')").count() == 1
    assert home.locator(".bp-featured-badge").count() >= 1

    phone = new_page(PHONE)
    phone.goto(f"{base}/best-practices")
    assert phone.locator(f"a:has-text('{TITLE}')").count() >= 1
    _load_lazy_images(phone)
    screenshot(phone, "showcase-phone")
    assert fits_the_screen(phone)
    phone.goto(work_url)
    screenshot(phone, "showcase-detail-phone")
    assert fits_the_screen(phone)

    # A teacher likes it (AJAX with the CSRF token), once.
    teacher = new_page(DESKTOP)
    browser_login(teacher, base, "teacher2")
    teacher.goto(work_url)
    button = teacher.locator(".js-like-button")
    assert button.locator(".js-like-count").inner_text() == "0"
    button.click()
    teacher.wait_for_function(
        "document.querySelector('.js-like-button').getAttribute('aria-pressed') === 'true'"
    )
    assert button.locator(".js-like-count").inner_text() == "1"
    assert "ชื่นชมแล้ว" in button.inner_text()
    teacher.reload()
    assert teacher.locator(".js-like-button .js-like-count").inner_text() == "1"
    assert teacher.locator(".js-like-button").get_attribute("aria-pressed") == "true"
    screenshot(teacher, "showcase-detail-desktop")
    for page in (author, reviewer, visitor, phone, teacher):
        assert page.console_errors == [], page.console_errors


def test_nomination_approved_appears_under_its_year_and_level(live_server, new_page):
    base = live_server.url
    director = new_page(DESKTOP)
    browser_login(director, base, "schooldirector1")
    director.goto(f"{base}/honours/nominate")
    director.select_option("#recipient_type", "teacher")
    director.select_option("#recipient_user", label="นางสาวสมใจ ใจดี · ครู · โรงเรียนบ้านควนขนุน")
    director.fill("#award_title", AWARD)
    director.select_option("#level", label="ระดับชาติ")
    director.fill("#year", "2569")
    director.fill("#issuing_body", "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน")
    assert director.locator(".js-recipient-names").is_hidden()  # a teacher: no student names
    director.click("button:has-text('ส่งการเสนอชื่อ')")
    director.wait_for_load_state("networkidle")
    assert "รอศึกษานิเทศก์หรือผู้อำนวยการอนุมัติ" in director.locator(".alert-success").inner_text()
    honour_url = director.url

    visitor = new_page(DESKTOP)
    visitor.goto(f"{base}/honours")
    assert visitor.locator(f"text={AWARD}").count() == 0  # not public before approval
    probe = new_page(DESKTOP)  # its console shows the 404 on purpose
    assert probe.goto(honour_url).status == 404

    approver = new_page(DESKTOP)
    browser_login(approver, base, "supervisor1")
    approver.goto(f"{base}/honours/review")
    approver.click(f"a:has-text('{AWARD}')")
    approver.click("button[value='approve']")
    approver.wait_for_load_state("networkidle")
    assert "อนุมัติแล้ว" in approver.locator(".alert-success").inner_text()

    visitor.goto(f"{base}/honours")
    group = visitor.locator("#year-2569 .honour-level-group[data-level='national']")
    assert group.locator(f"a:has-text('{AWARD}')").count() == 1
    assert "ระดับชาติ" in group.locator("h3").inner_text()
    assert uses_sarabun(visitor, "h1")
    _load_lazy_images(visitor)
    screenshot(visitor, "honours-board-desktop")
    assert fits_the_screen(visitor)
    phone = new_page(PHONE)
    phone.goto(f"{base}/honours")
    assert phone.locator(f"#year-2569 a:has-text('{AWARD}')").count() == 1
    _load_lazy_images(phone)
    screenshot(phone, "honours-board-phone")
    assert fits_the_screen(phone)

    # The recipient prints the office's certificate.
    teacher = new_page(DESKTOP)
    browser_login(teacher, base, "teacher1")
    response = teacher.request.get(f"{honour_url}/certificate.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    for page in (director, visitor, approver, phone, teacher):
        assert page.console_errors == [], page.console_errors
