"""Supervisors' personal sites: the directory and its filters, readable slug addresses, the contact
card's visibility, the page builder (sub-pages, order, hiding, files), projects, following, the
visit counter, sanitised Markdown on the page, and who may edit (every route, every role)."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from PIL import Image
from sqlalchemy import select

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.audit.models import AuditEntry
from nitet_online.extensions import db
from nitet_online.org.models import LearningArea, Network
from nitet_online.supervisors.models import (
    PAGE_TARGET,
    SupervisorFollow,
    SupervisorPage,
    SupervisorProfile,
    Visibility,
)
from nitet_online.uploads.models import attachments_of
from nitet_online.uploads.services import file_path
from tests.conftest import login
from tests.files import jpeg_with_exif, pdf_bytes

XSS_PAYLOAD = (
    "ปกติ **ตัวหนา**\n\n<script>alert('intro')</script>\n\n"
    '<img src=x onerror="alert(1)">\n\n[คลิก](javascript:alert(1))\n\n'
    '<a href="javascript:alert(2)" onclick="alert(3)">ลิงก์</a>'
)


def profile_of(username: str) -> SupervisorProfile:
    user = db.session.scalar(select(User).where(User.username == username))
    return db.session.scalar(select(SupervisorProfile).where(SupervisorProfile.user_id == user.id))


def text_of(response) -> str:
    return response.get_data(as_text=True)


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(html)
    return parser.items


def assert_no_active_content(html: str, allowed_scripts: set[str]) -> None:
    """No inline or foreign script, no event handler, no javascript: address anywhere."""
    for tag, attributes in elements(html):
        if tag == "script":
            assert attributes.get("src", "") in allowed_scripts, attributes
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name, value)
            if name in {"href", "src", "action"} and value:
                assert not value.strip().lower().startswith(("javascript:", "data:text")), value


def own_scripts(html: str) -> set[str]:
    return {
        a["src"]
        for t, a in elements(html)
        if t == "script" and a.get("src", "").startswith("/static/")
    }


def profile_form(profile: SupervisorProfile, **changes) -> dict:
    data = {
        "headline": profile.headline,
        "introduction": profile.introduction,
        "slug": profile.slug,
        "contact_phone": profile.contact_phone,
        "phone_visibility": profile.phone_visibility.value,
        "contact_email": profile.contact_email,
        "email_visibility": profile.email_visibility.value,
        "contact_line_id": profile.contact_line_id,
        "line_visibility": profile.line_visibility.value,
    }
    data.update(changes)
    return data


# The directory ---------------------------------------------------------------------------------
def test_directory_lists_every_supervisor_with_rank_areas_and_networks(demo_client):
    response = demo_client.get("/supervisors/")
    html = text_of(response)
    assert response.status_code == 200
    for name in ("นางสาววิไลวรรณ ศรีสุวรรณ", "นายประเสริฐ ทองคำ", "ดร.สุภาพร แก้วมณี"):
        assert name in html
    assert "ศึกษานิเทศก์ วิทยฐานะเชี่ยวชาญ" in html
    assert "ภาษาไทย" in html and "กลุ่มเครือข่ายเขาชัยสน" in html
    assert html.count('class="card supervisor-card') == 6
    assert 'href="/supervisors/supervisor1"' in html


def test_directory_filters_by_learning_area_network_and_name(demo_app, demo_client):
    with demo_app.app_context():
        math = db.session.scalar(select(LearningArea.id).where(LearningArea.code == "math"))
        network = db.session.scalar(select(Network.id).where(Network.name == "กลุ่มเครือข่ายปากพะยูน"))
    by_area = text_of(demo_client.get(f"/supervisors/?area={math}"))
    assert "ประเสริฐ" in by_area and "กนกวรรณ" in by_area and "วิไลวรรณ" not in by_area
    by_network = text_of(demo_client.get(f"/supervisors/?network={network}"))
    assert "สุภาพร" in by_network and "กนกวรรณ" in by_network and "ประเสริฐ" not in by_network
    both = text_of(demo_client.get(f"/supervisors/?area={math}&network={network}"))
    assert both.count('class="card supervisor-card') == 1 and "กนกวรรณ" in both
    by_name = text_of(demo_client.get("/supervisors/?q=ทองคำ"))
    assert by_name.count('class="card supervisor-card') == 1
    nothing = text_of(demo_client.get("/supervisors/?q=ไม่มีชื่อนี้"))
    assert "ไม่พบศึกษานิเทศก์ตามเงื่อนไขนี้" in nothing


def test_a_new_supervisor_gets_a_page_without_any_setup(demo_app, demo_client):
    with demo_app.app_context():
        user = User(
            username="new.sn_2",
            email="new.sn@nitet.example",
            first_name="มานพ",
            last_name="ใหม่ใจ",
            title="นาย",
            role=Role.SUPERVISOR,
            status=AccountStatus.ACTIVE,
            academic_rank="ชำนาญการ",
        )
        user.set_password("nitet-demo-1")
        db.session.add(user)
        db.session.commit()
    assert "นายมานพ ใหม่ใจ" in text_of(demo_client.get("/supervisors/"))
    with demo_app.app_context():
        profile = profile_of("new.sn_2")
        assert profile.slug == "new-sn-2"  # readable, from the username
        assert profile.contact_email == "new.sn@nitet.example"
    page = demo_client.get("/supervisors/new-sn-2")
    assert page.status_code == 200 and "ยังไม่มีข้อมูลแนะนำตัว" in text_of(page)
    # The username still leads to the page.
    assert demo_client.get("/supervisors/new.sn_2").headers["Location"] == "/supervisors/new-sn-2"


def test_only_active_supervisors_have_pages(demo_app, demo_client):
    assert demo_client.get("/supervisors/teacher1").status_code == 404
    assert demo_client.get("/supervisors/no-such-person").status_code == 404
    with demo_app.app_context():
        user = db.session.scalar(select(User).where(User.username == "supervisor4"))
        user.status = AccountStatus.DEACTIVATED
        db.session.commit()
    assert demo_client.get("/supervisors/supervisor4").status_code == 404
    assert "จันทร์เพ็ญ" not in text_of(demo_client.get("/supervisors/"))


# The personal page ----------------------------------------------------------------------------
def test_personal_page_shows_introduction_responsibilities_projects_and_news(demo_client):
    html = text_of(demo_client.get("/supervisors/supervisor1"))
    assert "นางสาววิไลวรรณ ศรีสุวรรณ" in html
    assert "<h3>ความเชี่ยวชาญ</h3>" in html  # the Markdown introduction, rendered
    assert "โรงเรียนวัดเขาชัยสน" in html and "กลุ่มเครือข่ายเขาชัยสน" in html
    assert "โครงการส่งเสริมการอ่านออกเขียนได้" in html
    assert "ข่าวจากวิไลวรรณ" in html and "แจกลูกสะกดคำ" in html
    # Tabs of the sub-pages, with Thai readable addresses.
    assert "/supervisors/supervisor1/%E0%B8%9C%E0%B8%A5%E0%B8%87%E0%B8%B2%E0%B8%99" in html
    assert 'property="og:title"' in html and 'type="application/atom+xml"' in html


def test_contact_card_respects_each_visibility(demo_app, demo_client, login_as):
    with demo_app.app_context():
        profile = profile_of("supervisor1")
        profile.contact_phone = "081-234-5678"
        profile.contact_email = "wilaiwan@nitet.example"
        profile.contact_line_id = "wilai.nitet"
        profile.phone_visibility = Visibility.MEMBERS
        profile.email_visibility = Visibility.PUBLIC
        profile.line_visibility = Visibility.HIDDEN
        db.session.commit()
    anonymous = text_of(demo_client.get("/supervisors/supervisor1"))
    assert "wilaiwan@nitet.example" in anonymous
    assert "081-234-5678" not in anonymous and "wilai.nitet" not in anonymous
    assert "เพื่อดูช่องทางติดต่อเพิ่มเติม" in anonymous
    member = text_of(login_as("teacher1").get("/supervisors/supervisor1"))
    assert "081-234-5678" in member and 'href="tel:0812345678"' in member
    assert "wilai.nitet" not in member
    owner = text_of(login_as("supervisor1").get("/supervisors/supervisor1"))
    assert "wilai.nitet" in owner and "ซ่อนอยู่" in owner and "เฉพาะสมาชิก" in owner


def test_introduction_and_headline_with_attacks_render_safely(demo_app, demo_client, login_as):
    client = login_as("supervisor1")
    with demo_app.app_context():
        data = profile_form(
            profile_of("supervisor1"),
            introduction=XSS_PAYLOAD,
            headline="<script>alert('headline')</script>",
        )
    assert client.post("/supervisors/supervisor1/edit", data=data).status_code == 302
    client.post("/auth/logout")
    for url in ("/supervisors/supervisor1", "/supervisors/"):
        html = text_of(demo_client.get(url))
        assert_no_active_content(html, own_scripts(html))
        assert "&lt;script&gt;alert(&#39;headline&#39;)&lt;/script&gt;" in html
    page = text_of(demo_client.get("/supervisors/supervisor1"))
    assert "<strong>ตัวหนา</strong>" in page


# Slugs ----------------------------------------------------------------------------------------
def test_owner_chooses_a_readable_address_and_old_ones_keep_working(demo_app, login_as):
    client = login_as("supervisor1")
    with demo_app.app_context():
        data = profile_form(profile_of("supervisor1"), slug="Wilaiwan-S")
    response = client.post("/supervisors/supervisor1/edit", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/supervisors/wilaiwan-s"
    assert client.get("/supervisors/wilaiwan-s").status_code == 200
    moved = client.get("/supervisors/supervisor1")
    assert moved.status_code == 302 and moved.headers["Location"] == "/supervisors/wilaiwan-s"
    sub = client.get("/supervisors/supervisor1/ผลงาน")
    assert sub.status_code == 302 and sub.headers["Location"].startswith("/supervisors/wilaiwan-s/")
    # A second change: links shared with either earlier address still arrive.
    data["slug"] = "wilai"
    client.post("/supervisors/wilaiwan-s/edit", data=data)
    for old in ("/supervisors/wilaiwan-s", "/supervisors/supervisor1", "/supervisors/Wilaiwan-S"):
        assert client.get(old).headers["Location"] == "/supervisors/wilai", old
    # Another supervisor may take a freed address; it is then theirs.
    other = login_as("supervisor2")
    with demo_app.app_context():
        other_data = profile_form(profile_of("supervisor2"), slug="wilaiwan-s")
    assert other.post("/supervisors/supervisor2/edit", data=other_data).status_code == 302
    assert "ประเสริฐ" in text_of(other.get("/supervisors/wilaiwan-s"))


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("วิไลวรรณ", "ใช้ได้เฉพาะอักษรภาษาอังกฤษ"),
        ("ab", "ต้องยาว 3–60 ตัว"),
        ("-wilai", "ไม่ขึ้นต้นหรือลงท้ายด้วยขีดกลาง"),
        ("me", "ต้องยาว"),
        ("edit", "สงวนไว้สำหรับระบบ"),
        ("supervisor2", "มีผู้ใช้แล้ว"),
    ],
)
def test_bad_or_taken_addresses_are_refused_in_thai_keeping_input(
    demo_app, login_as, slug, message
):
    client = login_as("supervisor1")
    with demo_app.app_context():
        data = profile_form(profile_of("supervisor1"), slug=slug, headline="หัวข้อที่พิมพ์ไว้")
    response = client.post("/supervisors/supervisor1/edit", data=data)
    html = text_of(response)
    assert response.status_code == 200
    assert message in html
    assert 'value="หัวข้อที่พิมพ์ไว้"' in html  # what was typed is kept
    with demo_app.app_context():
        assert profile_of("supervisor1").slug == "supervisor1"


# Photos ---------------------------------------------------------------------------------------
def test_sideways_phone_photo_becomes_the_upright_profile_photo_without_gps(demo_app, login_as):
    client = login_as("supervisor1")
    with demo_app.app_context():
        data = profile_form(profile_of("supervisor1"))
    data["photo"] = (
        io.BytesIO(jpeg_with_exif(400, 300, orientation=6, with_gps=True)),
        "IMG_0001.JPG",
    )
    response = client.post(
        "/supervisors/supervisor1/edit", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    with demo_app.app_context():
        photo = profile_of("supervisor1").photo
        stored = Image.open(file_path(photo, "medium"))
        assert stored.width < stored.height  # upright: portrait
        assert not stored.getexif()  # no GPS, no orientation tag left
        url = photo.url("medium")
    assert url in text_of(client.get("/supervisors/supervisor1"))


def test_a_program_renamed_as_a_photo_is_refused_and_the_form_kept(demo_app, login_as):
    client = login_as("supervisor1")
    with demo_app.app_context():
        data = profile_form(profile_of("supervisor1"), headline="คำแนะนำใหม่")
    data["photo"] = (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 64), "photo.jpg")
    response = client.post(
        "/supervisors/supervisor1/edit", data=data, content_type="multipart/form-data"
    )
    html = text_of(response)
    assert response.status_code == 200
    assert "ไม่อนุญาตให้อัปโหลดไฟล์โปรแกรมหรือสคริปต์" in html
    assert 'value="คำแนะนำใหม่"' in html
    with demo_app.app_context():
        assert profile_of("supervisor1").headline != "คำแนะนำใหม่"


# The page builder -----------------------------------------------------------------------------
def test_owner_adds_a_sub_page_with_a_pdf_that_visitors_can_download(
    demo_app, demo_client, login_as
):
    client = login_as("supervisor2")
    response = client.post(
        "/supervisors/supervisor2/pages/new",
        data={
            "title": "แผนการนิเทศ ภาคเรียนที่ 2",
            "body": "## แผนการนิเทศ\n\n- นิเทศในชั้นเรียน",
            "files": [(io.BytesIO(pdf_bytes()), "แผนการนิเทศ.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert (
        location
        == "/supervisors/supervisor2/%E0%B9%81%E0%B8%9C%E0%B8%99%E0%B8%81%E0%B8%B2%E0%B8%A3%E0%B8%99%E0%B8%B4%E0%B9%80%E0%B8%97%E0%B8%A8-%E0%B8%A0%E0%B8%B2%E0%B8%84%E0%B9%80%E0%B8%A3%E0%B8%B5%E0%B8%A2%E0%B8%99%E0%B8%97%E0%B8%B5%E0%B9%88-2"
    )
    client.post("/auth/logout")
    page = demo_client.get(location)
    html = text_of(page)
    assert page.status_code == 200 and "<h2>แผนการนิเทศ</h2>" in html
    link = re.search(r'href="(/files/[^"]+)"[^>]*>แผนการนิเทศ.pdf', html)
    assert link, "the PDF is listed on the page"
    download = demo_client.get(link.group(1))
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert download.headers["Content-Type"] == "application/pdf"


def test_a_refused_attachment_keeps_the_typed_page(demo_app, login_as):
    client = login_as("supervisor2")
    response = client.post(
        "/supervisors/supervisor2/pages/new",
        data={
            "title": "หน้าทดลอง",
            "body": "เนื้อหาที่พิมพ์ไว้",
            "files": [(io.BytesIO(b"MZ\x90\x00" + b"\x00" * 64), "setup.pdf")],
        },
        content_type="multipart/form-data",
    )
    html = text_of(response)
    assert response.status_code == 200
    assert "setup.pdf: ไม่อนุญาตให้อัปโหลดไฟล์โปรแกรมหรือสคริปต์" in html
    assert "เนื้อหาที่พิมพ์ไว้" in html and 'value="หน้าทดลอง"' in html
    with demo_app.app_context():
        assert not [p for p in profile_of("supervisor2").pages if p.title == "หน้าทดลอง"]


def test_sub_page_addresses_are_unique_and_reserved_words_refused(demo_app, login_as):
    client = login_as("supervisor1")
    first = client.post("/supervisors/supervisor1/pages/new", data={"title": "ผลงาน", "body": "x"})
    assert first.status_code == 302 and first.headers["Location"].endswith("-2")
    refused = client.post(
        "/supervisors/supervisor1/pages/new", data={"title": "หน้าใหม่", "slug": "edit"}
    )
    assert "ชื่อนี้สงวนไว้สำหรับระบบ" in text_of(refused)
    taken = client.post(
        "/supervisors/supervisor1/pages/new", data={"title": "อีกหน้า", "slug": "ผลงาน"}
    )
    assert "มีหน้าอื่นใช้ที่อยู่นี้แล้ว" in text_of(taken)


def page_titles(demo_app, username: str) -> list[str]:
    with demo_app.app_context():
        return [page.title for page in profile_of(username).pages]


def page_ids(demo_app, username: str) -> list[int]:
    with demo_app.app_context():
        return [page.id for page in profile_of(username).pages]


def test_owner_orders_sub_pages_with_buttons_and_by_dragging(demo_app, login_as):
    client = login_as("supervisor1")
    assert page_titles(demo_app, "supervisor1") == ["ผลงาน", "ปฏิทินการนิเทศ", "เอกสารดาวน์โหลด"]
    works, calendar, downloads = page_ids(demo_app, "supervisor1")
    client.post(f"/supervisors/supervisor1/pages/{downloads}/move", data={"direction": "up"})
    assert page_titles(demo_app, "supervisor1") == ["ผลงาน", "เอกสารดาวน์โหลด", "ปฏิทินการนิเทศ"]
    client.post(f"/supervisors/supervisor1/pages/{works}/move", data={"direction": "up"})  # at top
    assert page_titles(demo_app, "supervisor1")[0] == "ผลงาน"
    response = client.post(
        "/supervisors/supervisor1/pages/order", json={"ids": [calendar, works, downloads]}
    )
    assert response.status_code == 200 and response.get_json()["ok"] is True
    assert page_titles(demo_app, "supervisor1") == ["ปฏิทินการนิเทศ", "ผลงาน", "เอกสารดาวน์โหลด"]
    with demo_app.app_context():
        assert [p.position for p in profile_of("supervisor1").pages] == [0, 1, 2]
    # A list that is not exactly the owner's pages is refused with a Thai reason.
    other = page_ids(demo_app, "supervisor2")[0]
    for ids in ([calendar, works], [calendar, works, other], "x"):
        bad = client.post("/supervisors/supervisor1/pages/order", json={"ids": ids})
        assert bad.status_code == 400
        assert re.search("ข้อมูลลำดับหน้าไม่ถูกต้อง|ไม่ตรงกับหน้าที่มีอยู่", bad.get_json()["error"])
    # The site's tabs follow the order.
    html = text_of(client.get("/supervisors/supervisor1"))
    assert html.index(">ปฏิทินการนิเทศ<") < html.index(">ผลงาน<") < html.index(">เอกสารดาวน์โหลด<")


def test_hidden_sub_pages_are_seen_only_by_owner_and_admins(demo_app, demo_client, login_as):
    owner = login_as("supervisor1")
    calendar = page_ids(demo_app, "supervisor1")[1]
    owner.post(f"/supervisors/supervisor1/pages/{calendar}/visibility")
    url = "/supervisors/supervisor1/ปฏิทินการนิเทศ"
    assert owner.get(url).status_code == 200
    assert "ซ่อนอยู่" in text_of(owner.get(url))
    assert login_as("admin").get(url).status_code == 200
    assert login_as("supervisor2").get(url).status_code == 404
    demo_client.post("/auth/logout")
    assert demo_client.get(url).status_code == 404
    assert ">ปฏิทินการนิเทศ<" not in text_of(demo_client.get("/supervisors/supervisor1"))
    login_as("supervisor1").post(f"/supervisors/supervisor1/pages/{calendar}/visibility")
    demo_client.post("/auth/logout")
    assert demo_client.get(url).status_code == 200


def test_editing_a_page_replaces_files_and_deleting_removes_them(demo_app, login_as):
    client = login_as("supervisor1")
    works = page_ids(demo_app, "supervisor1")[0]
    client.post(
        f"/supervisors/supervisor1/pages/{works}/edit",
        data={
            "title": "ผลงาน",
            "slug": "ผลงาน",
            "body": "ใหม่",
            "files": [(io.BytesIO(pdf_bytes()), "a.pdf")],
        },
        content_type="multipart/form-data",
    )
    with demo_app.app_context():
        (attachment,) = attachments_of(PAGE_TARGET, works)
        path = file_path(attachment.upload)
        attachment_id = attachment.id
    assert path.exists()
    response = client.post(
        f"/supervisors/supervisor1/pages/{works}/edit",
        data={
            "title": "ผลงานทางวิชาการ",
            "slug": "",
            "body": "ใหม่",
            "remove_attachment_ids": [attachment_id],
        },
    )
    assert response.status_code == 302
    assert not path.exists()
    with demo_app.app_context():
        page = db.session.get(SupervisorPage, works)
        assert page.title == "ผลงานทางวิชาการ" and page.slug == "ผลงานทางวิชาการ"
        assert attachments_of(PAGE_TARGET, works) == []
    client.post(
        f"/supervisors/supervisor1/pages/{works}/edit",
        data={
            "title": "ผลงาน",
            "slug": "",
            "body": "x",
            "files": [(io.BytesIO(pdf_bytes()), "b.pdf")],
        },
        content_type="multipart/form-data",
    )
    with demo_app.app_context():
        path = file_path(attachments_of(PAGE_TARGET, works)[0].upload)
    assert client.post(f"/supervisors/supervisor1/pages/{works}/delete").status_code == 302
    assert not path.exists()
    with demo_app.app_context():
        assert db.session.get(SupervisorPage, works) is None
        assert [p.position for p in profile_of("supervisor1").pages] == [0, 1]


def test_projects_are_added_edited_and_deleted(demo_app, login_as):
    client = login_as("supervisor4")
    bad = client.post("/supervisors/supervisor4/projects", data={"name": "", "year": "ปีนี้"})
    assert "กรุณากรอกข้อมูลช่องนี้" in text_of(bad) and "ต้องเป็นจำนวนเต็ม" in text_of(bad)
    added = client.post(
        "/supervisors/supervisor4/projects",
        data={"name": "โครงการพัฒนาครูภาษาอังกฤษ", "description": "อบรม CEFR", "year": "2569"},
    )
    assert added.status_code == 302
    with demo_app.app_context():
        (project,) = profile_of("supervisor4").projects
        project_id = project.id
    assert "โครงการพัฒนาครูภาษาอังกฤษ" in text_of(client.get("/supervisors/supervisor4"))
    client.post(
        f"/supervisors/supervisor4/projects/{project_id}/edit",
        data={"name": "โครงการ English for Teachers", "year": "2570"},
    )
    assert "พ.ศ. 2570" in text_of(client.get("/supervisors/supervisor4"))
    client.post(f"/supervisors/supervisor4/projects/{project_id}/delete")
    with demo_app.app_context():
        assert profile_of("supervisor4").projects == []


# Following and visits -------------------------------------------------------------------------
def test_members_follow_and_unfollow_a_supervisor(demo_app, login_as):
    client = login_as("t001")
    response = client.post("/supervisors/supervisor3/follow", follow_redirects=True)
    assert "ติดตามดร.สุภาพร แก้วมณีแล้ว" in text_of(response)
    assert "กำลังติดตาม" in text_of(response)
    with demo_app.app_context():
        user = db.session.scalar(select(User).where(User.username == "t001"))
        supervisor = db.session.scalar(select(User).where(User.username == "supervisor3"))
        assert db.session.get(SupervisorFollow, (user.id, supervisor.id)) is not None
    client.post("/supervisors/supervisor3/follow")
    with demo_app.app_context():
        assert db.session.get(SupervisorFollow, (user.id, supervisor.id)) is None
    own = login_as("supervisor3").post("/supervisors/supervisor3/follow", follow_redirects=True)
    assert "ไม่สามารถติดตามหน้าของตนเองได้" in text_of(own)


def visits(html: str) -> int:
    match = re.search(
        r'fs-4 fw-bold text-nitet">([\d,]+)</div><div class="small text-secondary">ผู้เข้าชม', html
    )
    assert match, "the visit counter is on the page"
    return int(match.group(1).replace(",", ""))


def test_visit_counter_counts_visitors_but_not_the_owner(demo_client, login_as):
    before = visits(text_of(demo_client.get("/supervisors/supervisor2")))
    demo_client.get("/supervisors/supervisor2/ผลงาน")
    after = visits(text_of(demo_client.get("/supervisors/supervisor2")))
    assert after >= before + 2  # the sub-page and the main page
    owner = login_as("supervisor2")
    own_before = visits(text_of(owner.get("/supervisors/supervisor2")))
    assert visits(text_of(owner.get("/supervisors/supervisor2"))) == own_before


# Who may edit: every route of the page builder, every kind of caller ---------------------------
def builder_routes(app) -> list[tuple[str, str, str]]:
    """(method, path, endpoint) of every route under /supervisors/<slug>/ that edits, on
    supervisor1's site, with real ids."""
    with app.app_context():
        profile = profile_of("supervisor1")
        values = {
            "slug": "supervisor1",
            "page_id": str(profile.pages[0].id),
            "project_id": str(profile.projects[0].id),
        }
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS or not rule.endpoint.startswith("supervisors."):
            continue
        if "<slug>" not in rule.rule:
            continue
        path = rule.rule
        for name, value in values.items():
            path = re.sub(rf"<(?:int:)?{name}>", value, path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, path, rule.endpoint))
    return routes


PUBLIC_ENDPOINTS = {"supervisors.show", "supervisors.page", "supervisors.follow"}


def test_every_builder_route_is_found(demo_app):
    endpoints = {endpoint for _, _, endpoint in builder_routes(demo_app)}
    assert endpoints == {
        "supervisors.edit",
        "supervisors.pages",
        "supervisors.page_new",
        "supervisors.page_edit",
        "supervisors.page_move",
        "supervisors.pages_order",
        "supervisors.page_visibility",
        "supervisors.page_delete",
        "supervisors.projects",
        "supervisors.project_edit",
        "supervisors.project_delete",
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", "login"),
        ("teacher1", 403),
        ("director1", 403),
        ("supervisor2", 403),  # another supervisor
        ("supervisor1", "allowed"),  # the owner
        ("admin", "allowed"),
    ],
)
def test_builder_permission_matrix(demo_app, who, expected):
    client = demo_app.test_client()
    if who != "anonymous":
        login(client, who)
    for method, path, _endpoint in builder_routes(demo_app):
        response = client.open(path, method=method, data={})
        status = response.status_code
        if expected == "login":
            assert status == 302 and "/auth/login" in response.headers["Location"], (method, path)
        elif expected == 403:
            assert status == 403, (who, method, path, status)
            assert "เฉพาะเจ้าของหน้าและผู้ดูแลระบบเท่านั้นที่แก้ไขหน้านี้ได้" in text_of(response)
        else:
            assert status in (200, 302, 400), (who, method, path, status)


@pytest.mark.parametrize(
    ("who", "status", "location"),
    [
        ("anonymous", 302, "/auth/login"),
        ("teacher1", 403, None),
        ("admin", 403, None),
        ("supervisor1", 302, "/supervisors/supervisor1/edit"),
    ],
)
def test_my_edit_shortcut(demo_app, who, status, location):
    client = demo_app.test_client()
    if who != "anonymous":
        login(client, who)
    response = client.get("/supervisors/me/edit")
    assert response.status_code == status
    if location:
        assert location in response.headers["Location"]


def test_admin_edits_a_supervisors_page_and_it_is_audited(demo_app, login_as):
    client = login_as("admin")
    with demo_app.app_context():
        data = profile_form(profile_of("supervisor3"), headline="แก้โดยผู้ดูแลระบบ")
    page = client.get("/supervisors/supervisor3/edit")
    assert "ในฐานะผู้ดูแลระบบ" in text_of(page)
    assert client.post("/supervisors/supervisor3/edit", data=data).status_code == 302
    with demo_app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "supervisor_profile.update")
        )
        assert entry is not None and "สุภาพร" in entry.summary


@pytest.mark.parametrize(
    ("role", "sections"),
    [
        ("supervisor", ["การสร้างหน้าเพจ", "เผยแพร่ข่าวสาร (นิเทศเชิงรุก)", "อ่านข่าวสารและติดตามศึกษานิเทศก์"]),
        ("director", ["เผยแพร่ข่าวสาร (นิเทศเชิงรุก)"]),
        ("teacher", ["อ่านข่าวสารและติดตามศึกษานิเทศก์"]),
        ("public", ["อ่านข่าวสารและติดตามศึกษานิเทศก์"]),
    ],
)
def test_the_manual_explains_pages_and_news_to_each_role(demo_client, role, sections):
    html = text_of(demo_client.get(f"/manual/{role}"))
    for title in sections:
        assert title in html


def test_personal_data_download_and_anonymisation(demo_app):
    from nitet_online.news.models import NewsPost
    from nitet_online.privacy.services import anonymise, personal_data

    with demo_app.app_context():
        user = db.session.scalar(select(User).where(User.username == "supervisor1"))
        data = personal_data(user)
        assert data["supervisor_site"]["address"] == "/supervisors/supervisor1"
        assert data["supervisor_site"]["pages"][0]["title"] == "ผลงาน"
        assert any("แจกลูกสะกดคำ" in n["title"] for n in data["news"])
        teacher = db.session.scalar(select(User).where(User.username == "teacher1"))
        followed = [row["supervisor"] for row in personal_data(teacher)["following"]]
        assert "นางสาววิไลวรรณ ศรีสุวรรณ" in followed
        cover = file_path(profile_of("supervisor1").cover)
        news_count = db.session.scalar(
            select(db.func.count(NewsPost.id)).where(NewsPost.author_id == user.id)
        )
        anonymise(user)
        db.session.commit()
        assert (
            db.session.scalar(select(SupervisorProfile).where(SupervisorProfile.user_id == user.id))
            is None
        )
        assert (
            db.session.scalar(
                select(SupervisorFollow).where(SupervisorFollow.supervisor_id == user.id)
            )
            is None
        )
        assert not cover.exists()
        # Official news stays, under the anonymised name.
        assert news_count == db.session.scalar(
            select(db.func.count(NewsPost.id)).where(NewsPost.author_id == user.id)
        )
