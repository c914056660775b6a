"""Best practices: writing with photos and PDFs, every workflow transition and who may make it, what
the public and other people see, the showcase filters, featured works on the home page, likes,
comments, the school page and view counts.

Demo facts used here: schooldirector1 and teacher1 work at โรงเรียนบ้านควนขนุน (network เขาชัยสน);
supervisor1 is responsible for that school (and the Thai language area), supervisor4 for the
เขาชัยสน network, supervisor2 for mathematics (and another network), supervisor3 for none of these;
teacher2 works at another school."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from nitet_online.accounts.models import User
from nitet_online.best_practices import services
from nitet_online.best_practices.models import (
    SECTIONS,
    BestPractice,
    BestPracticeEvent,
    BestPracticeLike,
    BestPracticeStatus,
)
from nitet_online.extensions import db
from nitet_online.org.models import GradeLevel, LearningArea
from nitet_online.uploads.models import attachments_of
from tests.files import docx_bytes, jpeg_with_exif, pdf_bytes

PLC_TITLE = "การพัฒนาทักษะการอ่านออกเขียนได้ด้วยกระบวนการ PLC และบ้านหนังสือชุมชน"
RETURNED_TITLE = "การพัฒนาทักษะการคิดเชิงคำนวณด้วย Coding แบบ Unplugged"
PENDING_TITLE = "ภาษาอังกฤษเพื่อการสื่อสารด้วยเกมและเพลง"
DRAFT_TITLE = "ระบบดูแลช่วยเหลือนักเรียนแบบมีส่วนร่วมของชุมชน"


# Helpers ---------------------------------------------------------------------------------------
def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _area_id(code: str) -> int:
    return db.session.scalar(sa.select(LearningArea.id).where(LearningArea.code == code))


def _id_of(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(BestPractice.id).where(BestPractice.title == title))


def _status(app, practice_id: int) -> BestPracticeStatus:
    with app.app_context():
        db.session.expire_all()
        return db.session.get(BestPractice, practice_id).status


def new_practice(
    app,
    author: str = "schooldirector1",
    *,
    status: BestPracticeStatus = BestPracticeStatus.DRAFT,
    area: str = "math",
    coauthors: tuple[str, ...] = (),
    title: str = "ห้องเรียนกลับด้านด้วยคลิปวิดีโอสั้น",
    complete: bool = True,
) -> int:
    """A work made through the services, moved to `status` by its author and the administrator."""
    with app.app_context():
        writer = _user(author)
        practice = services.create(writer)
        practice.title = title
        practice.academic_year = 2569
        practice.learning_area_id = _area_id(area)
        practice.summary = "สรุปย่อของผลงาน"
        for attribute, heading in SECTIONS:
            setattr(practice, attribute, f"เนื้อหา{heading}" if complete else "")
        services.set_coauthors(practice, [_user(name).id for name in coauthors])
        db.session.commit()
        admin = _user("admin")
        if status != BestPracticeStatus.DRAFT:
            services.submit(practice, writer)
        if status == BestPracticeStatus.PUBLISHED:
            services.publish(practice, admin)
        if status == BestPracticeStatus.RETURNED:
            services.return_for_revision(practice, admin, "กรุณาเพิ่มผลการประเมิน")
        db.session.commit()
        return practice.id


def _form(app, **overrides) -> dict:
    with app.app_context():
        levels = db.session.scalars(
            sa.select(GradeLevel.id).where(GradeLevel.code.in_(["ป.1", "ป.2"]))
        ).all()
        data = {
            "title": "อ่านคล่อง เขียนคล่อง ด้วยนิทานพื้นบ้าน",
            "learning_area": str(_area_id("thai")),
            "grade_levels": [str(level) for level in levels],
            "academic_year": "2569",
            "summary": "ใช้นิทานพื้นบ้านพัทลุงพัฒนาการอ่าน",
            "video_url": "https://youtu.be/aqz-KE-bpKQ",
            "action": "save",
        }
    for attribute, heading in SECTIONS:
        data[attribute] = f"## {heading}\n\nเนื้อหา **{heading}**"
    data.update(overrides)
    return data


def _photo(name: str, colour: int = 1) -> tuple[io.BytesIO, str]:
    return io.BytesIO(jpeg_with_exif(400 + colour, 300)), name


def _notifications_installed(app) -> bool:
    return "notifications" in app.blueprints


def _notified(app, username: str, kind_prefix: str) -> list[str]:
    from nitet_online.notifications.models import Notification

    with app.app_context():
        user = _user(username)
        return list(
            db.session.scalars(
                sa.select(Notification.text).where(
                    Notification.user_id == user.id, Notification.kind.like(f"{kind_prefix}%")
                )
            )
        )


# Writing: photos, PDF, co-authors, YouTube ----------------------------------------------------
def test_school_director_writes_a_work_with_three_photos_and_a_pdf(demo_app, login_as):
    client = login_as("schooldirector1")
    with demo_app.app_context():
        teacher1 = _user("teacher1").id
    data = _form(demo_app, coauthors=[str(teacher1)])
    data["photos"] = [_photo("a.jpg", 1), _photo("b.jpg", 2), _photo("c.jpg", 3)]
    data["documents"] = [(io.BytesIO(pdf_bytes("Report")), "รายงานฉบับเต็ม.pdf")]
    response = client.post("/best-practices/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    practice_id = int(re.search(r"/best-practices/(\d+)", response.headers["Location"]).group(1))
    with demo_app.app_context():
        practice = db.session.get(BestPractice, practice_id)
        assert practice.status == BestPracticeStatus.DRAFT
        assert practice.school.code == "1093350002"
        assert [u.username for u in practice.coauthors] == ["teacher1"]
        assert [level.code for level in practice.grade_levels] == ["ป.1", "ป.2"]
        assert practice.video_url == "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
        files = attachments_of("best_practice", practice_id)
        assert sorted(a.upload.kind for a in files) == ["document", "image", "image", "image"]
    page = client.get(f"/best-practices/{practice_id}").get_data(as_text=True)
    assert page.count('class="carousel-item') == 3
    assert "รายงานฉบับเต็ม" in page
    assert 'src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"' in page
    assert "<strong>กระบวนการดำเนินงาน</strong>" in page  # the sections are Markdown


def test_gallery_captions_order_and_removal(demo_app, login_as):
    client = login_as("schooldirector1")
    data = _form(demo_app)
    data["photos"] = [_photo("first.jpg", 1), _photo("second.jpg", 2)]
    response = client.post("/best-practices/new", data=data, content_type="multipart/form-data")
    practice_id = int(re.search(r"/best-practices/(\d+)", response.headers["Location"]).group(1))
    with demo_app.app_context():
        first, second = attachments_of("best_practice", practice_id)
    edit = _form(demo_app)
    edit.update(
        {
            f"caption-{second.id}": "นักเรียนอ่านนิทาน",
            f"position-{second.id}": "0",
            f"position-{first.id}": "5",
        }
    )
    client.post(f"/best-practices/{practice_id}/edit", data=edit)
    with demo_app.app_context():
        ordered = attachments_of("best_practice", practice_id)
        assert [a.id for a in ordered] == [second.id, first.id]
        assert ordered[0].caption == "นักเรียนอ่านนิทาน"
    client.post(
        f"/best-practices/{practice_id}/edit", data=_form(demo_app, **{f"remove-{first.id}": "1"})
    )
    with demo_app.app_context():
        assert [a.id for a in attachments_of("best_practice", practice_id)] == [second.id]


def test_only_pdf_documents_are_kept_and_the_refusal_is_explained(demo_app, login_as):
    client = login_as("teacher1")
    data = _form(demo_app)
    data["documents"] = [(io.BytesIO(docx_bytes()), "แผนการสอน.docx")]
    response = client.post(
        "/best-practices/new", data=data, content_type="multipart/form-data", follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "แผนการสอน.docx: รับเฉพาะไฟล์ PDF" in page
    with demo_app.app_context():
        practice = db.session.scalar(sa.select(BestPractice).order_by(BestPractice.id.desc()))
        assert practice.title == data["title"]
        assert attachments_of("best_practice", practice.id) == []


@pytest.mark.parametrize(
    ("url", "video_id"),
    [
        ("https://www.youtube.com/watch?v=aqz-KE-bpKQ", "aqz-KE-bpKQ"),
        ("https://youtube.com/watch?v=aqz-KE-bpKQ&t=42s", "aqz-KE-bpKQ"),
        ("http://m.youtube.com/watch?feature=share&v=aqz-KE-bpKQ", "aqz-KE-bpKQ"),
        ("https://youtu.be/aqz-KE-bpKQ?si=abc", "aqz-KE-bpKQ"),
        ("youtu.be/aqz-KE-bpKQ", "aqz-KE-bpKQ"),
        ("https://www.youtube.com/shorts/aqz-KE-bpKQ", "aqz-KE-bpKQ"),
        ("https://www.youtube.com/embed/aqz-KE-bpKQ", "aqz-KE-bpKQ"),
        ("https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ", "aqz-KE-bpKQ"),
        ("https://www.youtube.com/live/aqz-KE-bpKQ", "aqz-KE-bpKQ"),
    ],
)
def test_youtube_addresses_give_the_video_id(url, video_id):
    from nitet_online.services.youtube import embed_url, youtube_id

    assert youtube_id(url) == video_id
    assert embed_url(video_id) == f"https://www.youtube-nocookie.com/embed/{video_id}"


@pytest.mark.parametrize(
    "url",
    [
        "https://vimeo.com/76979871",
        "https://www.youtube.com.evil.example/watch?v=aqz-KE-bpKQ",
        "https://evil.example/youtube.com/watch?v=aqz-KE-bpKQ",
        "https://youtube.com@evil.example/watch?v=aqz-KE-bpKQ",
        "https://www.youtube.com:8443/watch?v=aqz-KE-bpKQ",
        "javascript:alert(1)//youtu.be/aqz-KE-bpKQ",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ&v=XXXXXXXXXXX",
        'https://www.youtube.com/watch?v=aqz-KE-bp"Q',
        "https://www.youtube.com/playlist?list=PL123",
        "https://www.youtube-nocookie.com/watch?v=aqz-KE-bpKQ",
        "https://youtu.be/aqz-KE-bpKQ/extra",
        "ftp://youtu.be/aqz-KE-bpKQ",
        "https://youtu.be/aqz KE-bpKQ",
    ],
)
def test_other_addresses_are_not_youtube(url):
    from nitet_online.services.youtube import youtube_id

    assert youtube_id(url) is None


def test_a_non_youtube_video_is_refused_in_thai_and_the_form_keeps_what_was_typed(
    demo_app, login_as
):
    client = login_as("schooldirector1")
    data = _form(demo_app, video_url="https://vimeo.com/76979871", title="ชื่อผลงานที่พิมพ์ไว้")
    response = client.post("/best-practices/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "รองรับเฉพาะลิงก์วิดีโอ YouTube" in page
    assert 'value="ชื่อผลงานที่พิมพ์ไว้"' in page
    assert "https://vimeo.com/76979871" in page
    with demo_app.app_context():
        assert not db.session.scalar(
            sa.select(BestPractice.id).where(BestPractice.title == "ชื่อผลงานที่พิมพ์ไว้")
        )


def test_staff_and_supervisors_cannot_start_a_work(demo_app, login_as):
    for username in ("staff1", "supervisor1", "admin"):
        assert login_as(username).get("/best-practices/new").status_code == 403


# The workflow ----------------------------------------------------------------------------------
def test_full_cycle_submit_return_resubmit_publish_with_history(demo_app, login_as):
    practice_id = new_practice(demo_app, coauthors=("teacher1",))
    client = login_as("teacher1")  # a co-author may send it for review
    assert client.post(f"/best-practices/{practice_id}/submit").status_code == 302
    assert _status(demo_app, practice_id) == BestPracticeStatus.PENDING

    client = login_as("supervisor1")
    response = client.post(
        f"/best-practices/{practice_id}/review",
        data={"decision": "return", "comment": ""},
        follow_redirects=True,
    )
    assert "กรุณาระบุสิ่งที่ต้องแก้ไข" in response.get_data(as_text=True)
    assert _status(demo_app, practice_id) == BestPracticeStatus.PENDING
    client.post(
        f"/best-practices/{practice_id}/review",
        data={"decision": "return", "comment": "เพิ่มตารางผลการประเมินก่อน–หลัง"},
    )
    assert _status(demo_app, practice_id) == BestPracticeStatus.RETURNED

    client = login_as("schooldirector1")
    page = client.get(f"/best-practices/{practice_id}/edit").get_data(as_text=True)
    assert "เพิ่มตารางผลการประเมินก่อน–หลัง" in page
    data = _form(demo_app, title="ห้องเรียนกลับด้าน (ฉบับแก้ไข)", action="submit")
    assert client.post(f"/best-practices/{practice_id}/edit", data=data).status_code == 302
    assert _status(demo_app, practice_id) == BestPracticeStatus.PENDING

    client = login_as("supervisor1")
    client.post(f"/best-practices/{practice_id}/review", data={"decision": "publish"})
    assert _status(demo_app, practice_id) == BestPracticeStatus.PUBLISHED
    with demo_app.app_context():
        events = db.session.scalars(
            sa.select(BestPracticeEvent)
            .where(BestPracticeEvent.best_practice_id == practice_id)
            .order_by(BestPracticeEvent.id)
        ).all()
        steps = [(e.from_status, e.to_status, e.actor.username) for e in events]
        assert steps == [
            (None, "draft", "schooldirector1"),
            ("draft", "pending", "teacher1"),
            ("pending", "returned", "supervisor1"),
            ("returned", "pending", "schooldirector1"),
            ("pending", "published", "supervisor1"),
        ]
        assert events[2].comment == "เพิ่มตารางผลการประเมินก่อน–หลัง"
    history = (
        login_as("schooldirector1").get(f"/best-practices/{practice_id}").get_data(as_text=True)
    )
    assert "ส่งกลับแก้ไข → รอตรวจ" in history
    assert "เพิ่มตารางผลการประเมินก่อน–หลัง" in history


def test_authors_are_notified_at_each_step(demo_app, login_as):
    if not _notifications_installed(demo_app):
        pytest.skip("the notifications feature is not installed in this tree")
    practice_id = new_practice(demo_app, coauthors=("teacher1",))
    login_as("schooldirector1").post(f"/best-practices/{practice_id}/submit")
    assert _notified(demo_app, "supervisor1", "best_practice.submitted")
    assert _notified(demo_app, "teacher1", "best_practice.submitted")
    assert not _notified(demo_app, "supervisor3", "best_practice")  # not responsible
    login_as("supervisor1").post(
        f"/best-practices/{practice_id}/review", data={"decision": "return", "comment": "แก้ไขบทนำ"}
    )
    returned = _notified(demo_app, "schooldirector1", "best_practice.returned")
    assert returned and "แก้ไขบทนำ" in returned[0]
    assert _notified(demo_app, "teacher1", "best_practice.returned")
    login_as("schooldirector1").post(f"/best-practices/{practice_id}/submit")
    login_as("supervisor1").post(
        f"/best-practices/{practice_id}/review", data={"decision": "publish"}
    )
    assert _notified(demo_app, "schooldirector1", "best_practice.published")
    assert _notified(demo_app, "teacher1", "best_practice.published")


def test_submitting_needs_every_section(demo_app, login_as):
    practice_id = new_practice(demo_app, complete=False)
    response = login_as("schooldirector1").post(
        f"/best-practices/{practice_id}/submit", follow_redirects=True
    )
    assert "กรุณากรอกหัวข้อต่อไปนี้ก่อนส่งตรวจ" in response.get_data(as_text=True)
    assert "ความเป็นมาและความสำคัญ" in response.get_data(as_text=True)
    assert _status(demo_app, practice_id) == BestPracticeStatus.DRAFT


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("schooldirector1", True),  # author
        ("teacher1", True),  # co-author
        ("t023", False),  # another teacher (of another school)
        ("supervisor1", False),  # a reviewer does not submit
        ("admin", False),
    ],
)
def test_who_may_send_a_work_for_review(demo_app, login_as, username, allowed):
    practice_id = new_practice(demo_app, coauthors=("teacher1",))
    response = login_as(username).post(f"/best-practices/{practice_id}/submit")
    assert (response.status_code == 302) is allowed
    assert response.status_code in (302, 403, 404)
    assert _status(demo_app, practice_id) == (
        BestPracticeStatus.PENDING if allowed else BestPracticeStatus.DRAFT
    )


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("supervisor1", 302),  # responsible for the school
        ("supervisor4", 302),  # responsible for the school's network
        ("supervisor2", 302),  # responsible for the learning area (mathematics)
        ("director1", 302),
        ("admin", 302),
        ("supervisor3", 404),  # unrelated: the pending work does not exist for them
        ("schooldirector1", 403),  # the author
        ("teacher1", 403),  # a co-author
        ("teacher2", 403),
    ],
)
def test_who_may_publish_or_return(demo_app, login_as, username, expected):
    practice_id = new_practice(demo_app, status=BestPracticeStatus.PENDING, coauthors=("teacher1",))
    client = login_as(username)
    response = client.post(f"/best-practices/{practice_id}/review", data={"decision": "publish"})
    assert response.status_code == expected
    assert _status(demo_app, practice_id) == (
        BestPracticeStatus.PUBLISHED if expected == 302 else BestPracticeStatus.PENDING
    )
    other = new_practice(demo_app, status=BestPracticeStatus.PENDING, title="อีกผลงานหนึ่ง")
    response = client.post(
        f"/best-practices/{other}/review", data={"decision": "return", "comment": "ปรับปรุง"}
    )
    assert response.status_code == expected
    assert _status(demo_app, other) == (
        BestPracticeStatus.RETURNED if expected == 302 else BestPracticeStatus.PENDING
    )


def test_supervisor_of_the_learning_area_reviews_works_of_other_schools(demo_app, login_as):
    # teacher2's school is not supervisor1's, but Thai language is.
    practice_id = new_practice(demo_app, "teacher2", status=BestPracticeStatus.PENDING, area="thai")
    assert (
        login_as("supervisor1")
        .get("/best-practices/review")
        .get_data(as_text=True)
        .count(f"/best-practices/{practice_id}#review")
        == 1
    )
    assert f"/best-practices/{practice_id}#review" not in login_as("supervisor3").get(
        "/best-practices/review"
    ).get_data(as_text=True)


def test_publishing_is_only_from_pending_and_returning_needs_a_reviewer(demo_app, login_as):
    draft = new_practice(demo_app)
    response = login_as("admin").post(
        f"/best-practices/{draft}/review", data={"decision": "publish"}, follow_redirects=True
    )
    assert "เผยแพร่ได้เฉพาะผลงานที่รอตรวจ" in response.get_data(as_text=True)
    assert _status(demo_app, draft) == BestPracticeStatus.DRAFT
    published = new_practice(demo_app, status=BestPracticeStatus.PUBLISHED)
    login_as("supervisor1").post(
        f"/best-practices/{published}/review", data={"decision": "return", "comment": "ข้อมูลไม่ถูกต้อง"}
    )
    assert _status(demo_app, published) == BestPracticeStatus.RETURNED


@pytest.mark.parametrize(
    ("status", "username", "allowed"),
    [
        (BestPracticeStatus.DRAFT, "schooldirector1", True),
        (BestPracticeStatus.DRAFT, "teacher1", True),  # co-author
        (BestPracticeStatus.RETURNED, "teacher1", True),
        (BestPracticeStatus.PENDING, "schooldirector1", False),  # locked while under review
        (BestPracticeStatus.PUBLISHED, "schooldirector1", False),
        (
            BestPracticeStatus.PUBLISHED,
            "supervisor1",
            False,
        ),  # reviewers review, they do not rewrite
        (BestPracticeStatus.PUBLISHED, "admin", True),
        (BestPracticeStatus.DRAFT, "t023", False),
    ],
)
def test_who_may_edit(demo_app, login_as, status, username, allowed):
    practice_id = new_practice(demo_app, status=status, coauthors=("teacher1",))
    response = login_as(username).get(f"/best-practices/{practice_id}/edit")
    assert (response.status_code == 200) is allowed
    assert response.status_code in (200, 403, 404)


def test_who_may_delete(demo_app, login_as):
    draft = new_practice(demo_app, coauthors=("teacher1",))
    assert login_as("teacher1").post(f"/best-practices/{draft}/delete").status_code == 403
    assert login_as("schooldirector1").post(f"/best-practices/{draft}/delete").status_code == 302
    published = new_practice(demo_app, status=BestPracticeStatus.PUBLISHED, title="ผลงานที่จะลบ")
    assert (
        login_as("schooldirector1").post(f"/best-practices/{published}/delete").status_code == 403
    )
    assert login_as("admin").post(f"/best-practices/{published}/delete").status_code == 302
    with demo_app.app_context():
        assert db.session.get(BestPractice, draft) is None
        assert db.session.get(BestPractice, published) is None


# Visibility ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "status", [BestPracticeStatus.DRAFT, BestPracticeStatus.PENDING, BestPracticeStatus.RETURNED]
)
def test_unpublished_works_are_invisible_to_the_public_and_other_teachers(
    demo_app, demo_client, login_as, status
):
    title = f"ผลงานลับสถานะ{status.label}"
    practice_id = new_practice(demo_app, status=status, title=title)
    with demo_app.app_context():
        school_id = _user("schooldirector1").school_id
    lists = ["/best-practices", f"/schools/{school_id}", "/", f"/best-practices?school={school_id}"]
    for viewer in (None, "teacher2", "t023", "supervisor3", "staff1"):
        client = login_as(viewer) if viewer else demo_client
        if viewer is None:
            client.post("/auth/logout")
        assert client.get(f"/best-practices/{practice_id}").status_code == 404, viewer
        for url in lists:
            assert title not in client.get(url).get_data(as_text=True), (viewer, url)
    for insider in ("schooldirector1", "supervisor1", "admin"):
        response = login_as(insider).get(f"/best-practices/{practice_id}")
        # A draft is its authors' own until it is sent for review.
        reviewer_of_draft = insider == "supervisor1" and status == BestPracticeStatus.DRAFT
        assert response.status_code == (404 if reviewer_of_draft else 200), insider


def test_published_work_is_on_the_showcase_school_page_and_home(demo_app, demo_client):
    title = "ผลงานเผยแพร่ใหม่ล่าสุด"
    practice_id = new_practice(demo_app, status=BestPracticeStatus.PUBLISHED, title=title)
    with demo_app.app_context():
        school_id = _user("schooldirector1").school_id
    for url in ("/best-practices", f"/schools/{school_id}", "/", f"/best-practices/{practice_id}"):
        assert title in demo_client.get(url).get_data(as_text=True), url


# Showcase filters ------------------------------------------------------------------------------
def _titles(client, query: str) -> set[str]:
    page = client.get(f"/best-practices?{query}").get_data(as_text=True)
    return set(re.findall(r'class="stretched-link[^"]*" href="/best-practices/\d+">([^<]+)<', page))


def test_filters_by_learning_area_level_network_school_year_and_text(demo_app, demo_client):
    with demo_app.app_context():
        math = _area_id("math")
        from nitet_online.org.models import Network, School

        network = db.session.scalar(
            sa.select(Network.id).where(Network.name == "กลุ่มเครือข่ายปากพะยูน")
        )
        island = db.session.scalar(sa.select(School.id).where(School.code == "1093350018"))
    everything = _titles(demo_client, "")
    assert len(everything) == 5  # the demo's published works; drafts and others are not listed
    assert _titles(demo_client, f"learning_area={math}") == {
        "ห้องเรียนคณิตศาสตร์ฐานสมรรถนะด้วยสื่อ Active Learning"
    }
    assert _titles(demo_client, "stage=ปฐมวัย") == {
        "การจัดประสบการณ์ปฐมวัยแบบโครงการ (Project Approach)"
    }
    assert _titles(demo_client, "stage=มัธยมศึกษาตอนต้น") == {"STEM ศึกษาเพื่อชุมชนชายฝั่งทะเลสาบสงขลา"}
    assert _titles(demo_client, f"network={network}") == {"STEM ศึกษาเพื่อชุมชนชายฝั่งทะเลสาบสงขลา"}
    assert _titles(demo_client, f"school={island}") == {"STEM ศึกษาเพื่อชุมชนชายฝั่งทะเลสาบสงขลา"}
    assert _titles(demo_client, "year=2567") == {
        "โรงเรียนคุณธรรมวิถีพอเพียง",
        "การจัดประสบการณ์ปฐมวัยแบบโครงการ (Project Approach)",
    }
    assert _titles(demo_client, "q=คณิตศาสตร์") == {"ห้องเรียนคณิตศาสตร์ฐานสมรรถนะด้วยสื่อ Active Learning"}
    assert _titles(demo_client, f"year=2567&learning_area={math}") == set()
    assert "ไม่พบผลงานที่ตรงกับเงื่อนไข" in demo_client.get("/best-practices?year=2500").get_data(
        as_text=True
    )
    # Nonsense filter values are ignored, not errors.
    assert demo_client.get("/best-practices?year=abc&school=x&network=-1").status_code == 200


# Featured works and the home page --------------------------------------------------------------
def _home_block(client) -> str:
    page = client.get("/").get_data(as_text=True)
    start = page.index('id="home-best-practices"')
    return page[start : page.index("</section>", start)]


def test_featured_works_lead_the_home_page(demo_app, demo_client, login_as):
    practice_id = new_practice(demo_app, status=BestPracticeStatus.PUBLISHED, title="ผลงานที่จะแนะนำ")
    client = login_as("supervisor1")
    assert client.post(f"/best-practices/{practice_id}/feature").status_code == 302
    block = _home_block(client)
    assert block.index("ผลงานที่จะแนะนำ") < block.index(PLC_TITLE)  # newest featured first
    assert "แนะนำ" in block
    client.post(f"/best-practices/{practice_id}/feature")  # and back
    with demo_app.app_context():
        assert not db.session.get(BestPractice, practice_id).featured
    assert login_as("supervisor3").post(f"/best-practices/{practice_id}/feature").status_code == 403
    assert login_as("teacher1").post(f"/best-practices/{practice_id}/feature").status_code == 403
    pending = new_practice(demo_app, status=BestPracticeStatus.PENDING, title="ยังไม่เผยแพร่")
    login_as("admin").post(f"/best-practices/{pending}/feature")
    with demo_app.app_context():
        assert not db.session.get(BestPractice, pending).featured


def test_home_page_fills_with_latest_works_when_few_are_featured(demo_app, demo_client):
    block = _home_block(demo_client)
    assert block.count('class="card bp-card ') == 4


# Likes -----------------------------------------------------------------------------------------
def test_one_like_per_person_by_ajax(demo_app, login_as):
    practice_id = _id_of(demo_app, PLC_TITLE)
    headers = {"Accept": "application/json"}
    with demo_app.app_context():
        before = services.like_count(db.session.get(BestPractice, practice_id))
    client = login_as("t030")
    first = client.post(f"/best-practices/{practice_id}/like", data={"liked": "1"}, headers=headers)
    second = client.post(
        f"/best-practices/{practice_id}/like", data={"liked": "1"}, headers=headers
    )
    assert first.get_json() == {"liked": True, "count": before + 1}
    assert second.get_json() == {"liked": True, "count": before + 1}
    other = login_as("t031").post(
        f"/best-practices/{practice_id}/like", data={"liked": "1"}, headers=headers
    )
    assert other.get_json()["count"] == before + 2
    undo = login_as("t030").post(
        f"/best-practices/{practice_id}/like", data={"liked": "0"}, headers=headers
    )
    assert undo.get_json() == {"liked": False, "count": before + 1}


def test_like_without_javascript_redirects_back(demo_app, login_as):
    practice_id = _id_of(demo_app, PLC_TITLE)
    response = login_as("t030").post(f"/best-practices/{practice_id}/like", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "ชื่นชมผลงานนี้แล้ว" in page
    assert 'aria-pressed="true"' in page


def test_the_database_refuses_a_second_like(demo_app):
    practice_id = _id_of(demo_app, PLC_TITLE)
    with demo_app.app_context():
        user_id = _user("t032").id
        db.session.add(BestPracticeLike(best_practice_id=practice_id, user_id=user_id))
        db.session.commit()
        db.session.add(BestPracticeLike(best_practice_id=practice_id, user_id=user_id))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_likes_need_a_login_and_a_published_work(demo_app, demo_client, login_as):
    practice_id = _id_of(demo_app, PLC_TITLE)
    response = demo_client.post(f"/best-practices/{practice_id}/like")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    draft = new_practice(demo_app)
    assert login_as("schooldirector1").post(
        f"/best-practices/{draft}/like", headers={"Accept": "application/json"}
    ).get_json() == {"error": "ชื่นชมได้เฉพาะผลงานที่เผยแพร่แล้ว"}


# Comments --------------------------------------------------------------------------------------
def test_comments_are_markdown_from_logged_in_people(demo_app, demo_client, login_as):
    practice_id = _id_of(demo_app, PLC_TITLE)
    client = login_as("t030")
    client.post(
        f"/best-practices/{practice_id}/comments",
        data={"body": "**ยอดเยี่ยม** <script>alert(1)</script>"},
    )
    client.post("/auth/logout")
    page = demo_client.get(f"/best-practices/{practice_id}").get_data(as_text=True)
    assert "<strong>ยอดเยี่ยม</strong>" in page
    assert "<script>alert(1)</script>" not in page
    empty = login_as("t030").post(f"/best-practices/{practice_id}/comments", data={"body": "  "})
    assert empty.status_code == 400
    assert "กรุณากรอกข้อมูลช่องนี้" in empty.get_data(as_text=True)
    demo_client.post("/auth/logout")
    anonymous = demo_client.post(f"/best-practices/{practice_id}/comments", data={"body": "ดี"})
    assert "/auth/login" in anonymous.headers["Location"]


def test_who_may_delete_a_comment(demo_app, login_as):
    practice_id = _id_of(demo_app, PLC_TITLE)
    login_as("t030").post(f"/best-practices/{practice_id}/comments", data={"body": "ความเห็นของฉัน"})
    with demo_app.app_context():
        from nitet_online.best_practices.models import BestPracticeComment

        comment_id = db.session.scalar(
            sa.select(BestPracticeComment.id).order_by(BestPracticeComment.id.desc())
        )
    assert login_as("t031").post(f"/best-practices/comments/{comment_id}/delete").status_code == 403
    assert (
        login_as("supervisor3").post(f"/best-practices/comments/{comment_id}/delete").status_code
        == 403
    )
    assert login_as("t030").post(f"/best-practices/comments/{comment_id}/delete").status_code == 302


# Lists, school page, views ---------------------------------------------------------------------
def test_my_works_and_the_review_queue(demo_app, login_as):
    mine = login_as("teacher1").get("/best-practices/mine").get_data(as_text=True)
    assert RETURNED_TITLE in mine and "ส่งกลับแก้ไข" in mine
    assert PLC_TITLE in mine  # as a co-author
    assert DRAFT_TITLE not in mine  # schooldirector1's own draft
    queue = login_as("supervisor4").get("/best-practices/review").get_data(as_text=True)
    assert PENDING_TITLE in queue  # English: supervisor4's learning area
    assert PENDING_TITLE not in login_as("supervisor1").get("/best-practices/review").get_data(
        as_text=True
    )


def test_school_page_lists_published_works_and_approved_honours(demo_app, demo_client):
    with demo_app.app_context():
        school_id = _user("teacher1").school_id
    page = demo_client.get(f"/schools/{school_id}").get_data(as_text=True)
    assert "โรงเรียนบ้านควนขนุน" in page
    assert PLC_TITLE in page
    assert RETURNED_TITLE not in page and DRAFT_TITLE not in page
    assert "ครูดีเด่น กลุ่มสาระการเรียนรู้ภาษาไทย" in page  # approved honour
    assert "ชนะเลิศ การประกวดหนังสือเล่มเล็ก" not in page  # pending honour
    assert demo_client.get("/schools/999999").status_code == 404


def test_views_are_counted_on_published_works(demo_app, demo_client):
    if "stats" not in demo_app.blueprints:
        pytest.skip("the statistics feature is not installed in this tree")
    practice_id = _id_of(demo_app, PLC_TITLE)
    headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36"}
    demo_client.get(f"/best-practices/{practice_id}", headers=headers)
    page = demo_client.get(f"/best-practices/{practice_id}", headers=headers).get_data(as_text=True)
    match = re.search(r"เข้าชม (\d+) ครั้ง", page)
    assert match and int(match.group(1)) >= 1
