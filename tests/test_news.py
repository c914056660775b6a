"""News: who may publish, drafts and scheduled posts hidden from the public until due, training
events, readable addresses, the Atom feed, Open Graph tags and share links, files, sanitised
bodies, pinning, the home page block, followers told, and the permission matrix of every route."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import select

from nitet_online.accounts.models import User
from nitet_online.audit.models import AuditEntry
from nitet_online.extensions import db
from nitet_online.news.models import NEWS_TARGET, NewsCategory, NewsPost, NewsState, NewsStatus
from nitet_online.news.services import utc_to_local
from nitet_online.services.date_input import format_thai_datetime
from nitet_online.services.thai import utcnow
from nitet_online.uploads.models import attachments_of
from nitet_online.uploads.services import file_path
from tests.conftest import login
from tests.files import docx_bytes, jpeg_with_exif, pdf_bytes, pptx_bytes, xlsx_bytes
from tests.test_supervisors import XSS_PAYLOAD, assert_no_active_content, own_scripts, text_of

ATOM = "{http://www.w3.org/2005/Atom}"


def local_input(moment: datetime) -> str:
    """A UTC time as a Thai user types it: day/month/พ.ศ. year and the time in Thailand."""
    return format_thai_datetime(utc_to_local(moment))


def news_form(**changes) -> dict:
    data = {
        "title": "ข่าววิชาการทดสอบ",
        "category": "academic",
        "summary": "",
        "body": "เนื้อข่าว **สำคัญ**",
        "publication": "publish",
        "publish_at": "",
        "event_start": "",
        "event_end": "",
        "event_place": "",
        "registration_url": "",
    }
    data.update(changes)
    return data


def create(client, **changes):
    return client.post("/news/new", data=news_form(**changes), content_type="multipart/form-data")


def post_by_title(title: str) -> NewsPost:
    return db.session.scalar(select(NewsPost).where(NewsPost.title == title))


def post_id(app, title: str) -> int:
    with app.app_context():
        return post_by_title(title).id


class Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        key = attributes.get("property") or attributes.get("name")
        if tag == "meta" and key:
            self.values[key] = attributes.get("content", "")
        if tag == "link" and attributes.get("rel") == "canonical":
            self.values["canonical"] = attributes["href"]


def meta_of(html: str) -> dict[str, str]:
    parser = Meta()
    parser.feed(html)
    return parser.values


# Publishing -----------------------------------------------------------------------------------
@pytest.mark.parametrize("username", ["supervisor1", "director1", "admin"])
def test_supervisors_directors_and_admins_publish(demo_app, login_as, username):
    client = login_as(username)
    assert client.get("/news/new").status_code == 200
    response = create(client, title=f"ข่าวจาก {username}")
    assert response.status_code == 302
    with demo_app.app_context():
        post = post_by_title(f"ข่าวจาก {username}")
        assert post.state() == NewsState.PUBLISHED and post.author.username == username
    page = client.get(response.headers["Location"])
    assert "เผยแพร่ข่าวเรียบร้อยแล้ว" in text_of(page)


@pytest.mark.parametrize("username", ["teacher1", "schooldirector1", "staff1"])
def test_others_cannot_publish(demo_app, username):
    client = demo_app.test_client()
    login(client, username)
    for method in ("GET", "POST"):
        response = client.open("/news/new", method=method, data=news_form())
        assert response.status_code == 403
        assert "เฉพาะศึกษานิเทศก์ ผู้อำนวยการ และผู้ดูแลระบบเท่านั้นที่เผยแพร่ข่าวได้" in text_of(response)
    assert client.get("/news/manage").status_code == 403


def test_anonymous_is_sent_to_log_in(demo_client):
    response = demo_client.get("/news/new")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_form_errors_are_thai_and_keep_what_was_typed(login_as):
    client = login_as("supervisor1")
    response = create(client, title="", body="เนื้อหาที่พิมพ์ไว้ยาว ๆ", summary="สรุปที่พิมพ์")
    html = text_of(response)
    assert response.status_code == 200
    assert "กรุณากรอกข้อมูลช่องนี้" in html
    assert "เนื้อหาที่พิมพ์ไว้ยาว ๆ" in html and "สรุปที่พิมพ์" in html


# Drafts and scheduled posts ---------------------------------------------------------------------
def assert_hidden_from_public(app, client, post_id_: int, title: str) -> None:
    client.post("/auth/logout")
    assert client.get(f"/news/{post_id_}").status_code == 404
    with app.app_context():
        slug = db.session.get(NewsPost, post_id_).slug
    assert client.get(f"/news/{post_id_}-{quote(slug)}").status_code == 404
    for url in ("/news/", "/", "/news/feed.atom", "/news/events", "/supervisors/supervisor1"):
        assert title not in text_of(client.get(url)), url


def test_a_draft_is_hidden_until_published_and_seen_by_author_and_admin(demo_app, login_as):
    client = login_as("supervisor1")
    create(client, title="ร่างข่าวลับ", publication="draft")
    draft = post_id(demo_app, "ร่างข่าวลับ")
    own = text_of(client.get(f"/news/{draft}"))
    assert "ฉบับร่าง" in own and "เห็นเฉพาะผู้เขียนและผู้ดูแลระบบ" in own
    assert 'content="noindex"' in own
    assert "ร่างข่าวลับ" in text_of(client.get("/news/manage?state=draft"))
    assert login_as("admin").get(f"/news/{draft}").status_code == 200
    assert login_as("supervisor2").get(f"/news/{draft}").status_code == 404
    assert login_as("teacher1").get(f"/news/{draft}").status_code == 404
    assert_hidden_from_public(demo_app, client, draft, "ร่างข่าวลับ")
    # Published by its author: now everyone sees it.
    client = login_as("supervisor1")
    client.post(f"/news/{draft}/edit", data=news_form(title="ร่างข่าวลับ", publication="publish"))
    client.post("/auth/logout")
    assert client.get(f"/news/{draft}").status_code == 200
    assert "ร่างข่าวลับ" in text_of(client.get("/news/"))


def test_a_scheduled_post_appears_only_when_due(demo_app, login_as):
    client = login_as("supervisor1")
    due = utcnow() + timedelta(hours=2)
    response = create(
        client, title="ข่าวตั้งเวลา", publication="schedule", publish_at=local_input(due)
    )
    assert response.status_code == 302
    scheduled = post_id(demo_app, "ข่าวตั้งเวลา")
    page = text_of(client.get(response.headers["Location"]))
    assert "ตั้งเวลาเผยแพร่ข่าวแล้ว" in page and "จะแสดงต่อสาธารณะเมื่อ" in page
    with demo_app.app_context():
        post = db.session.get(NewsPost, scheduled)
        assert post.state() == NewsState.SCHEDULED
        assert abs(post.publish_at - due.replace(second=0, microsecond=0)) < timedelta(minutes=1)
    assert "ข่าวตั้งเวลา" in text_of(client.get("/news/manage?state=scheduled"))
    assert_hidden_from_public(demo_app, client, scheduled, "ข่าวตั้งเวลา")
    # Time passes: the publication time is reached.
    with demo_app.app_context():
        db.session.get(NewsPost, scheduled).publish_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert client.get(f"/news/{scheduled}").status_code == 200
    for url in ("/news/", "/news/feed.atom", "/"):
        assert "ข่าวตั้งเวลา" in text_of(client.get(url)), url


def test_scheduling_in_the_past_is_refused(login_as):
    client = login_as("supervisor1")
    response = create(
        client,
        title="ข่าวย้อนหลัง",
        publication="schedule",
        publish_at=local_input(utcnow() - timedelta(hours=1)),
    )
    assert "เวลาที่ตั้งต้องเป็นเวลาในอนาคต" in text_of(response)
    missing = create(client, title="ข่าวไม่มีเวลา", publication="schedule", publish_at="")
    assert "กรุณาระบุวันเวลาที่จะเผยแพร่" in text_of(missing)


def test_publishing_again_keeps_the_first_publication_time(demo_app, login_as):
    client = login_as("supervisor1")
    create(client, title="ข่าวแก้ไขภายหลัง")
    news_id = post_id(demo_app, "ข่าวแก้ไขภายหลัง")
    with demo_app.app_context():
        post = db.session.get(NewsPost, news_id)
        post.publish_at = first = utcnow() - timedelta(days=3)
        db.session.commit()
    client.post(f"/news/{news_id}/edit", data=news_form(title="ข่าวแก้ไขภายหลัง", body="แก้แล้ว"))
    with demo_app.app_context():
        assert db.session.get(NewsPost, news_id).publish_at == first


# Training and seminars ------------------------------------------------------------------------
def test_training_needs_a_date_and_place_and_a_safe_registration_link(login_as):
    client = login_as("supervisor2")
    html = text_of(create(client, title="อบรมครู", category="training"))
    assert "ข่าวอบรม/สัมมนาต้องระบุวันเวลาเริ่มกิจกรรม" in html
    assert "ข่าวอบรม/สัมมนาต้องระบุสถานที่" in html
    start = utcnow() + timedelta(days=5)
    html = text_of(
        create(
            client,
            title="อบรมครู",
            category="training",
            event_start=local_input(start),
            event_end=local_input(start - timedelta(hours=3)),
            event_place="ห้องประชุม",
            registration_url="javascript:alert(1)",
        )
    )
    assert "วันเวลาสิ้นสุดต้องไม่ก่อนวันเวลาเริ่ม" in html
    assert "ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https://" in html


def test_a_training_announcement_lists_as_an_upcoming_event(demo_app, demo_client, login_as):
    client = login_as("supervisor2")
    start = (utcnow() + timedelta(days=4)).replace(hour=1, minute=30)  # 08:30 in Thailand
    response = create(
        client,
        title="อบรม Coding สำหรับครูประถม",
        category="training",
        event_start=local_input(start),
        event_end=local_input(start + timedelta(hours=8)),
        event_place="โรงเรียนอนุบาลป่าบอน",
        registration_url="https://forms.nitet.example/coding",
    )
    assert response.status_code == 302
    client.post("/auth/logout")
    page = text_of(demo_client.get(response.headers["Location"]))
    assert "เวลา 08:30–16:30 น." in page and "โรงเรียนอนุบาลป่าบอน" in page
    assert 'href="https://forms.nitet.example/coding"' in page and "ลงทะเบียน" in page
    events = text_of(demo_client.get("/news/events"))
    assert "อบรม Coding สำหรับครูประถม" in events
    # Soonest first; past training is not upcoming.
    assert events.index("อบรม Coding สำหรับครูประถม") < events.index("ประชุมเชิงปฏิบัติการ การสอนอ่านเขียน")
    assert "CEFR" not in events
    listing = text_of(demo_client.get("/news/"))
    aside = listing[listing.index("อบรม/สัมมนาที่กำลังจะมาถึง") :]
    assert "อบรม Coding สำหรับครูประถม" in aside


def test_event_dates_read_naturally_in_thai(demo_app):
    from nitet_online.news.services import event_when, local_to_utc

    def post(start, end=None):
        return NewsPost(
            event_start=local_to_utc(start), event_end=local_to_utc(end) if end else None
        )

    with demo_app.app_context():
        assert event_when(post(datetime(2026, 12, 15, 8, 30), datetime(2026, 12, 15, 16, 30))) == (
            "15 ธันวาคม 2569 เวลา 08:30–16:30 น."
        )
        assert event_when(post(datetime(2026, 12, 15, 9), datetime(2026, 12, 17, 16))) == (
            "15–17 ธันวาคม 2569"
        )
        assert event_when(post(datetime(2026, 12, 30, 9), datetime(2027, 1, 2, 12))) == (
            "30 ธันวาคม 2569 – 2 มกราคม 2570"
        )
        assert event_when(post(datetime(2026, 12, 15))) == "15 ธันวาคม 2569"


# Addresses, Open Graph, sharing ---------------------------------------------------------------
def test_both_addresses_work_and_a_wrong_slug_redirects(demo_app, demo_client):
    with demo_app.app_context():
        post = post_by_title("ประชุมเชิงปฏิบัติการ การสอนอ่านเขียนภาษาไทยแบบแจกลูกสะกดคำ ชั้น ป.1–ป.3")
        news_id, slug = post.id, post.slug
    assert slug.startswith("ประชุมเชิงปฏิบัติการ-การสอนอ่านเขียนภาษาไทย")
    assert demo_client.get(f"/news/{news_id}").status_code == 200
    readable = demo_client.get(f"/news/{news_id}-{quote(slug)}")
    assert readable.status_code == 200
    wrong = demo_client.get(f"/news/{news_id}-old-title")
    assert wrong.status_code == 301
    assert wrong.headers["Location"] == f"/news/{news_id}-{quote(slug)}"
    assert demo_client.get("/news/999999").status_code == 404


def test_open_graph_tags_and_share_links(demo_app, demo_client):
    with demo_app.app_context():
        post = post_by_title("ประชุมเชิงปฏิบัติการ การสอนอ่านเขียนภาษาไทยแบบแจกลูกสะกดคำ ชั้น ป.1–ป.3")
        news_id, cover = post.id, post.cover.url("large")
        canonical = f"http://localhost/news/{news_id}-{quote(post.slug)}"
    html = text_of(demo_client.get(f"/news/{news_id}"))
    meta = meta_of(html)
    assert meta["og:title"] == "ประชุมเชิงปฏิบัติการ การสอนอ่านเขียนภาษาไทยแบบแจกลูกสะกดคำ ชั้น ป.1–ป.3"
    assert meta["og:description"].startswith("เชิญครูผู้สอนภาษาไทยชั้น ป.1–ป.3")
    assert meta["og:image"] == f"http://localhost{cover}"
    assert meta["og:type"] == "article" and meta["og:url"] == canonical == meta["canonical"]
    assert meta["twitter:card"] == "summary_large_image"
    encoded = quote(canonical, safe="")
    assert f'href="https://social-plugins.line.me/lineit/share?url={encoded}"' in html
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={encoded}"' in html
    # Plain links: no script from anywhere but our own static files.
    scripts = [s for s in re.findall(r"<script[^>]*>", html)]
    assert scripts and all('src="/static/' in s for s in scripts)
    assert demo_client.get(cover).headers["Content-Type"] == "image/jpeg"


def test_description_falls_back_to_the_body_when_there_is_no_summary(demo_app, login_as):
    client = login_as("supervisor3")
    response = create(client, title="ข่าวไม่มีสรุป", body="ย่อหน้าแรกของข่าว **ตัวหนา** ต่อด้วยรายละเอียด")
    meta = meta_of(text_of(client.get(response.headers["Location"])))
    assert meta["og:description"] == "ย่อหน้าแรกของข่าว ตัวหนา ต่อด้วยรายละเอียด"
    assert "og:image" not in meta


# The Atom feed --------------------------------------------------------------------------------
def test_atom_feed_is_valid_and_holds_only_published_news(demo_app, demo_client):
    response = demo_client.get("/news/feed.atom")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://localhost/news/feed.atom"
    entries = root.findall(f"{ATOM}entry")
    with demo_app.app_context():
        public = db.session.scalars(select(NewsPost)).all()
        expected = {p.title for p in public if p.is_public}
        hidden = {p.title for p in public if not p.is_public}
    titles = {entry.findtext(f"{ATOM}title") for entry in entries}
    assert titles == expected and not titles & hidden and len(hidden) == 2
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        assert entry.findtext(f"{ATOM}author/{ATOM}name")
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert link.startswith("http://localhost/news/")
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated").replace("Z", "+00:00"))
        content = entry.find(f"{ATOM}content")
        assert content.get("type") == "html" and "<script" not in content.text
        assert 'src="/' not in content.text  # addresses made absolute for feed readers
    policy = demo_client.get("/news/feed.atom?category=policy")
    categories = {
        e.find(f"{ATOM}category").get("term")
        for e in ET.fromstring(policy.data).findall(f"{ATOM}entry")
    }
    assert categories == {"policy"}
    mine = ET.fromstring(demo_client.get("/news/feed.atom?supervisor=supervisor1").data)
    assert {e.findtext(f"{ATOM}author/{ATOM}name") for e in mine.findall(f"{ATOM}entry")} == {
        "นางสาววิไลวรรณ ศรีสุวรรณ"
    }
    assert demo_client.get("/news/feed.atom?supervisor=nobody").status_code == 404


# Lists ----------------------------------------------------------------------------------------
def test_category_filter_pinned_first_and_pagination(demo_app, demo_client):
    training = text_of(demo_client.get("/news/?category=training"))
    assert "อบรม Coding" not in training
    assert "STEM ศึกษา" in training and "นโยบายและจุดเน้น" not in training
    listing = text_of(demo_client.get("/news/"))
    first = re.search(r'class="h6 news-title[^"]*"><a[^>]*>([^<]+)<', listing).group(1)
    assert first.startswith("นโยบายและจุดเน้นการพัฒนาคุณภาพการศึกษา")  # the pinned post
    demo_app.config["NEWS_PER_PAGE"] = 4
    page2 = text_of(demo_client.get("/news/?page=2"))
    assert "หน้า 2 จาก 3" in page2
    assert demo_client.get("/news/?page=99").status_code == 200
    assert demo_client.get("/news/?category=nonsense").status_code == 200


def test_home_page_shows_pinned_latest_and_upcoming_training(demo_client):
    html = text_of(demo_client.get("/"))
    section = html[html.index('id="home-news-heading"') :]
    assert "ปักหมุด" in section and "นโยบายและจุดเน้นการพัฒนาคุณภาพการศึกษา" in section
    assert "เปิดใช้งานระบบนิเทศ Online" in section  # latest
    events = section[section.index("อบรม/สัมมนาที่กำลังจะมาถึง") :]
    assert "คณิตศาสตร์เชิงรุก" in events


def test_the_supervisors_page_lists_their_news(demo_client):
    html = text_of(demo_client.get("/supervisors/supervisor2"))
    assert "ข่าวจากประเสริฐ" in html and "คณิตศาสตร์เชิงรุก" in html
    assert "ประกาศรายชื่อครูแกนนำ" not in html  # scheduled, not yet due
    listing = text_of(demo_client.get("/news/?supervisor=supervisor2"))
    assert "ข่าวจากนายประเสริฐ ทองคำ" in listing and "นโยบายและจุดเน้น" not in listing


# Pinning, editing, deleting ---------------------------------------------------------------------
def test_only_directors_and_admins_pin(demo_app, login_as):
    news_id = post_id(demo_app, "เทคนิคการจัดการเรียนรู้สำหรับนักเรียนที่มีความต้องการจำเป็นพิเศษในห้องเรียนรวม")
    assert login_as("supervisor6").post(f"/news/{news_id}/pin").status_code == 403
    assert login_as("director1").post(f"/news/{news_id}/pin").status_code == 302
    with demo_app.app_context():
        assert db.session.get(NewsPost, news_id).is_pinned
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "news.pin"))
    # An author without the right cannot pin through the form either.
    client = login_as("supervisor1")
    create(client, title="ขอปักหมุด", is_pinned="y")
    with demo_app.app_context():
        assert post_by_title("ขอปักหมุด").is_pinned is False


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", "login"),
        ("teacher1", 403),
        ("supervisor2", 403),
        ("director1", 403),
        ("supervisor1", 200),
        ("admin", 200),
    ],
)
def test_who_may_edit_and_delete_a_post(demo_app, who, expected):
    news_id = post_id(demo_app, "ประชุมเชิงปฏิบัติการ การสอนอ่านเขียนภาษาไทยแบบแจกลูกสะกดคำ ชั้น ป.1–ป.3")
    client = demo_app.test_client()
    if who != "anonymous":
        login(client, who)
    for method, path in (
        ("GET", f"/news/{news_id}/edit"),
        ("POST", f"/news/{news_id}/edit"),
        ("POST", f"/news/{news_id}/delete"),
    ):
        response = client.open(path, method=method, data={})
        if expected == "login":
            assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
        elif expected == 403:
            assert response.status_code == 403, (who, method, path)
            assert "เฉพาะผู้เขียนข่าวและผู้ดูแลระบบเท่านั้นที่แก้ไขข่าวนี้ได้" in text_of(response)
        elif path.endswith("/delete"):
            assert response.status_code == 302
        else:
            assert response.status_code == 200, (who, method, path)


def test_admin_edits_are_audited(demo_app, login_as):
    news_id = post_id(demo_app, "แนวปฏิบัติการวัดและประเมินผลการเรียนรู้ระดับประถมศึกษา (ฉบับปรับปรุง)")
    client = login_as("admin")
    response = client.post(
        f"/news/{news_id}/edit",
        data=news_form(title="แนวปฏิบัติการวัดและประเมินผล (แก้คำผิด)", category="policy"),
    )
    assert response.status_code == 302
    with demo_app.app_context():
        post = db.session.get(NewsPost, news_id)
        assert post.author.username == "supervisor5"  # the author stays
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "news.update"))


def test_cover_and_office_attachments_then_delete_removes_every_file(demo_app, login_as):
    client = login_as("supervisor3")
    data = news_form(title="ข่าวพร้อมไฟล์", category="project")
    data["cover"] = (io.BytesIO(jpeg_with_exif(1200, 630)), "cover.jpg")
    data["attachments"] = [
        (io.BytesIO(pdf_bytes()), "คำสั่ง.pdf"),
        (io.BytesIO(docx_bytes()), "แบบฟอร์ม.docx"),
        (io.BytesIO(xlsx_bytes()), "รายชื่อ.xlsx"),
        (io.BytesIO(pptx_bytes()), "สไลด์.pptx"),
    ]
    response = client.post("/news/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    html = text_of(client.get(response.headers["Location"]))
    for name in ("คำสั่ง.pdf", "แบบฟอร์ม.docx", "รายชื่อ.xlsx", "สไลด์.pptx"):
        assert name in html
    with demo_app.app_context():
        post = post_by_title("ข่าวพร้อมไฟล์")
        news_id = post.id
        paths = [file_path(post.cover)] + [
            file_path(a.upload) for a in attachments_of(NEWS_TARGET, news_id)
        ]
    assert len(paths) == 5 and all(path.exists() for path in paths)
    assert client.post(f"/news/{news_id}/delete").status_code == 302
    assert not any(path.exists() for path in paths)
    with demo_app.app_context():
        assert db.session.get(NewsPost, news_id) is None
        assert attachments_of(NEWS_TARGET, news_id) == []


def test_refused_files_are_explained_and_the_text_is_kept(demo_app, login_as):
    client = login_as("supervisor3")
    data = news_form(title="ข่าวไฟล์ผิด", body="เนื้อข่าวที่พิมพ์ไว้")
    data["attachments"] = [(io.BytesIO(b"MZ\x90\x00" + b"\x00" * 64), "คำสั่ง.pdf")]
    response = client.post("/news/new", data=data, content_type="multipart/form-data")
    html = text_of(response)
    assert response.status_code == 200
    assert "คำสั่ง.pdf: ไม่อนุญาตให้อัปโหลดไฟล์โปรแกรมหรือสคริปต์" in html
    assert "เนื้อข่าวที่พิมพ์ไว้" in html and "กรุณาเลือกไฟล์อีกครั้ง" in html
    photo_as_attachment = news_form(title="ข่าวไฟล์ผิด 2")
    photo_as_attachment["attachments"] = [(io.BytesIO(jpeg_with_exif(50, 50)), "photo.jpg")]
    html = text_of(
        client.post("/news/new", data=photo_as_attachment, content_type="multipart/form-data")
    )
    assert "ช่องนี้รับเฉพาะไฟล์เอกสาร" in html
    with demo_app.app_context():
        assert post_by_title("ข่าวไฟล์ผิด") is None and post_by_title("ข่าวไฟล์ผิด 2") is None


def test_news_bodies_with_attacks_render_safely_everywhere(demo_app, demo_client, login_as):
    client = login_as("supervisor1")
    response = create(
        client,
        title="ข่าว <script>alert('title')</script>",
        summary='<img src=x onerror="alert(1)">',
        body=XSS_PAYLOAD,
        category="training",
        event_start=local_input(utcnow() + timedelta(days=2)),
        event_place="<b onmouseover=alert(1)>ห้อง</b>",
    )
    assert response.status_code == 302
    client.post("/auth/logout")
    for url in (
        response.headers["Location"],
        "/news/",
        "/",
        "/news/events",
        "/supervisors/supervisor1",
    ):
        html = text_of(demo_client.get(url))
        assert "ข่าว &lt;script&gt;" in html, url
        assert_no_active_content(html, own_scripts(html))
    page = text_of(demo_client.get(response.headers["Location"]))
    assert "<strong>ตัวหนา</strong>" in page
    feed = demo_client.get("/news/feed.atom").data
    entry = next(
        e
        for e in ET.fromstring(feed).findall(f"{ATOM}entry")
        if "alert('title')" in e.findtext(f"{ATOM}title")
    )
    content = entry.find(f"{ATOM}content").text
    assert_no_active_content(content, set())  # what a feed reader would render
    assert "<strong>ตัวหนา</strong>" in content


# Followers ------------------------------------------------------------------------------------
def test_followers_are_told_once_when_a_post_becomes_public(demo_app, login_as):
    client = login_as("supervisor1")
    create(client, title="ข่าวถึงผู้ติดตาม")
    create(
        client,
        title="ข่าวตั้งเวลาถึงผู้ติดตาม",
        publication="schedule",
        publish_at=local_input(utcnow() + timedelta(hours=1)),
    )
    with demo_app.app_context():
        assert post_by_title("ข่าวถึงผู้ติดตาม").notified_at is not None
        scheduled = post_by_title("ข่าวตั้งเวลาถึงผู้ติดตาม")
        assert scheduled.notified_at is None
        scheduled.publish_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    client.get("/news/")  # reading the news tells nobody: the background job does
    with demo_app.app_context():
        assert post_by_title("ข่าวตั้งเวลาถึงผู้ติดตาม").notified_at is None
    from nitet_online.jobs.runner import Runner

    assert Runner(demo_app).tick("news.deliver")
    with demo_app.app_context():
        assert post_by_title("ข่าวตั้งเวลาถึงผู้ติดตาม").notified_at is not None
        if "notifications" in demo_app.blueprints:
            from nitet_online.notifications.models import Notification

            teacher = db.session.scalar(select(User).where(User.username == "teacher1"))
            texts = db.session.scalars(
                select(Notification.text).where(Notification.user_id == teacher.id)
            ).all()
            assert sum("ข่าวถึงผู้ติดตาม" in t for t in texts) == 1
            assert sum("ข่าวตั้งเวลาถึงผู้ติดตาม" in t for t in texts) == 1


def test_demo_data_is_idempotent(demo_app):
    from nitet_online.demo import seed_demo

    with demo_app.app_context():
        before = db.session.scalar(select(db.func.count(NewsPost.id)))
        seed_demo()
        seed_demo()
        assert db.session.scalar(select(db.func.count(NewsPost.id))) == before
        assert 8 <= before <= 12
        assert db.session.scalar(select(db.func.count(NewsPost.id)).where(NewsPost.is_pinned)) == 1
        states = {p.state() for p in db.session.scalars(select(NewsPost))}
        assert states == {NewsState.DRAFT, NewsState.SCHEDULED, NewsState.PUBLISHED}
        assert {p.category for p in db.session.scalars(select(NewsPost))} == set(NewsCategory)
        assert NewsStatus.DRAFT in {p.status for p in db.session.scalars(select(NewsPost))}


def test_statistics_tables_name_news_and_supervisor_sites(demo_app):
    from nitet_online.stats.registry import describe_items

    with demo_app.app_context():
        post = post_by_title("แนวปฏิบัติการวัดและประเมินผลการเรียนรู้ระดับประถมศึกษา (ฉบับปรับปรุง)")
        supervisor = db.session.scalar(select(User).where(User.username == "supervisor2"))
        assert describe_items("news", [post.id]) == {post.id: (post.title, post.url)}
        # The statistics feature may name supervisors' sites itself; either way the name shows.
        assert "นายประเสริฐ ทองคำ" in describe_items("supervisor", [supervisor.id])[supervisor.id][0]
