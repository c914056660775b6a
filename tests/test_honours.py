"""Honours: nominating (who for whom), approving and rejecting (who may), what the public sees, the
board grouped by year and level, filters, per-person and per-school lists, files.

Demo facts: schooldirector1 and teacher1 work at โรงเรียนบ้านควนขนุน; supervisor1 is responsible
for that school, supervisor4 for its network (เขาชัยสน), supervisor2 and supervisor3 for neither;
teacher2 works at โรงเรียนบ้านโคกทราย."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.honours.models import Honour, HonourStatus
from nitet_online.uploads.services import file_path
from tests.files import jpeg_with_exif, pdf_bytes

PENDING_STUDENTS = "ชนะเลิศ การประกวดหนังสือเล่มเล็ก ป.1–ป.3"
REJECTED = "ครูสอนดี ระดับอำเภอ"


def _user(app, username: str) -> User:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        db.session.expunge(user)
        return user


def _honour(app, **where) -> Honour | None:
    with app.app_context():
        db.session.expire_all()
        query = sa.select(Honour)
        for name, value in where.items():
            query = query.where(getattr(Honour, name) == value)
        honour = db.session.scalar(query.order_by(Honour.id.desc()).limit(1))
        if honour is not None:
            db.session.expunge(honour)
        return honour


def _nomination(app, **overrides) -> dict:
    director = _user(app, "schooldirector1")
    data = {
        "recipient_type": "teacher",
        "recipient_user": str(_user(app, "teacher1").id),
        "recipient_names": "",
        "school": str(director.school_id),
        "award_title": "ครูผู้สอนดีเด่น สาขาภาษาไทย",
        "level": "area",
        "year": "2569",
        "issuing_body": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาพัทลุง เขต 2",
        "awarded_on": "09/09/2569",
        "description": "ได้รับการคัดเลือกจาก **คณะกรรมการ**",
        "best_practice": "0",
    }
    data.update(overrides)
    return data


def _nominate(app, client, **overrides) -> Honour:
    response = client.post("/honours/nominate", data=_nomination(app, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    honour_id = int(re.search(r"/honours/(\d+)", response.headers["Location"]).group(1))
    return _honour(app, id=honour_id)


def _notified(app, username: str, kind: str) -> list[str]:
    from nitet_online.notifications.models import Notification

    user = _user(app, username)
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Notification.text).where(
                    Notification.user_id == user.id, Notification.kind == kind
                )
            )
        )


# Nominating ------------------------------------------------------------------------------------
def test_school_director_nominates_a_teacher_with_a_photo_and_certificate(demo_app, login_as):
    client = login_as("schooldirector1")
    honour = _nominate(
        demo_app,
        client,
        photo=(io.BytesIO(jpeg_with_exif(500, 400)), "พิธีมอบรางวัล.jpg"),
        certificate=(io.BytesIO(pdf_bytes("Certificate")), "เกียรติบัตร.pdf"),
    )
    assert honour.status == HonourStatus.PENDING
    assert honour.recipient_user_id == _user(demo_app, "teacher1").id
    with demo_app.app_context():
        honour = db.session.get(Honour, honour.id)
        assert honour.photo.is_image and file_path(honour.photo, "thumb").exists()
        assert honour.certificate.extension == "pdf"
        assert honour.awarded_on.isoformat() == "2026-09-09"


def test_teachers_nominate_only_themselves(demo_app, login_as):
    client = login_as("teacher1")
    form = client.get("/honours/nominate").get_data(as_text=True)
    assert 'value="student"' not in form  # only their own award
    honour = _nominate(demo_app, client)
    assert honour.nominated_by_id == honour.recipient_user_id == _user(demo_app, "teacher1").id
    someone_else = _user(demo_app, "t001")
    response = client.post(
        "/honours/nominate", data=_nomination(demo_app, recipient_user=str(someone_else.id))
    )
    assert response.status_code == 200
    assert "ตัวเลือกไม่ถูกต้อง" in response.get_data(as_text=True)


def test_school_director_nominates_only_for_their_school(demo_app, login_as):
    client = login_as("schooldirector1")
    teacher2 = _user(demo_app, "teacher2")
    response = client.post(
        "/honours/nominate",
        data=_nomination(demo_app, recipient_user=str(teacher2.id), school=str(teacher2.school_id)),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ตัวเลือกไม่ถูกต้อง" in page
    assert 'value="ครูผู้สอนดีเด่น สาขาภาษาไทย"' in page  # what was typed is kept


def test_students_need_their_names_and_a_director_must_be_a_director(demo_app, login_as):
    client = login_as("schooldirector1")
    response = client.post(
        "/honours/nominate",
        data=_nomination(demo_app, recipient_type="student", recipient_user="0"),
    )
    assert "กรุณากรอกชื่อนักเรียน" in response.get_data(as_text=True)
    response = client.post(
        "/honours/nominate", data=_nomination(demo_app, recipient_type="director")
    )
    assert "ผู้ที่เลือกไม่ใช่ผู้บริหารสถานศึกษา" in response.get_data(as_text=True)
    honour = _nominate(
        demo_app,
        client,
        recipient_type="student",
        recipient_user="0",
        recipient_names="เด็กหญิงมะลิ ใจดี\nเด็กชายมานะ ขยัน\n",
    )
    assert honour.recipient_user_id is None
    assert honour.student_names == ["เด็กหญิงมะลิ ใจดี", "เด็กชายมานะ ขยัน"]


def test_a_refused_file_is_explained_and_nothing_is_saved(demo_app, login_as):
    client = login_as("schooldirector1")
    before = _honour(demo_app)
    data = _nomination(demo_app, award_title="รางวัลที่มีไฟล์เสีย")
    data["photo"] = (io.BytesIO(b"not an image at all"), "photo.jpg")
    response = client.post("/honours/nominate", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ไม่ใช่รูปภาพ" in page
    assert 'value="รางวัลที่มีไฟล์เสีย"' in page
    assert _honour(demo_app).id == before.id


@pytest.mark.parametrize("username", ["staff1"])
def test_staff_cannot_nominate(demo_app, login_as, username):
    assert login_as(username).get("/honours/nominate").status_code == 403


def test_anonymous_is_sent_to_log_in(demo_client):
    response = demo_client.get("/honours/nominate")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# Approval --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("supervisor1", 302),  # responsible for the school
        ("supervisor4", 302),  # responsible for its network
        ("director1", 302),
        ("admin", 302),
        ("supervisor2", 404),  # unrelated: the pending nomination does not exist for them
        ("supervisor3", 404),
        ("schooldirector1", 403),  # the nominator does not approve
        ("teacher1", 403),
    ],
)
def test_who_may_approve(demo_app, login_as, username, expected):
    honour = _nominate(demo_app, login_as("schooldirector1"))
    response = login_as(username).post(
        f"/honours/{honour.id}/decision", data={"decision": "approve"}
    )
    assert response.status_code == expected
    status = _honour(demo_app, id=honour.id).status
    assert status == (HonourStatus.APPROVED if expected == 302 else HonourStatus.PENDING)


def test_rejecting_needs_a_reason_and_the_nominator_can_resubmit(demo_app, login_as):
    honour = _nominate(demo_app, login_as("schooldirector1"))
    client = login_as("supervisor1")
    response = client.post(
        f"/honours/{honour.id}/decision",
        data={"decision": "reject", "reason": ""},
        follow_redirects=True,
    )
    assert "กรุณาระบุเหตุผลที่ไม่อนุมัติ" in response.get_data(as_text=True)
    assert _honour(demo_app, id=honour.id).status == HonourStatus.PENDING
    client.post(
        f"/honours/{honour.id}/decision",
        data={"decision": "reject", "reason": "กรุณาแนบเกียรติบัตรเป็นหลักฐาน"},
    )
    rejected = _honour(demo_app, id=honour.id)
    assert rejected.status == HonourStatus.REJECTED
    assert rejected.rejection_reason == "กรุณาแนบเกียรติบัตรเป็นหลักฐาน"
    nominator = login_as("schooldirector1")
    assert "กรุณาแนบเกียรติบัตรเป็นหลักฐาน" in nominator.get(f"/honours/{honour.id}").get_data(
        as_text=True
    )
    data = _nomination(demo_app)
    data["certificate"] = (io.BytesIO(jpeg_with_exif(300, 200)), "certificate.jpg")
    assert nominator.post(f"/honours/{honour.id}/edit", data=data).status_code == 302
    again = _honour(demo_app, id=honour.id)
    assert again.status == HonourStatus.PENDING and again.rejection_reason == ""
    assert again.certificate_upload_id is not None


def test_approved_honours_are_locked_for_the_nominator(demo_app, login_as):
    honour = _nominate(demo_app, login_as("schooldirector1"))
    login_as("admin").post(f"/honours/{honour.id}/decision", data={"decision": "approve"})
    client = login_as("schooldirector1")
    assert client.get(f"/honours/{honour.id}/edit").status_code == 403
    assert client.post(f"/honours/{honour.id}/delete").status_code == 403
    assert login_as("admin").get(f"/honours/{honour.id}/edit").status_code == 200


def test_the_nominator_deletes_a_pending_nomination(demo_app, login_as):
    honour = _nominate(demo_app, login_as("schooldirector1"))
    assert login_as("teacher1").post(f"/honours/{honour.id}/delete").status_code == 403  # recipient
    assert login_as("schooldirector1").post(f"/honours/{honour.id}/delete").status_code == 302
    assert _honour(demo_app, id=honour.id) is None


def test_nominator_and_recipient_are_notified(demo_app, login_as):
    if "notifications" not in demo_app.blueprints:
        pytest.skip("the notifications feature is not installed in this tree")
    honour = _nominate(demo_app, login_as("schooldirector1"))
    assert _notified(demo_app, "supervisor1", "honour.nominated")
    assert _notified(demo_app, "director1", "honour.nominated")
    assert not _notified(demo_app, "supervisor3", "honour.nominated")
    login_as("supervisor1").post(f"/honours/{honour.id}/decision", data={"decision": "approve"})
    assert _notified(demo_app, "schooldirector1", "honour.approved")
    assert _notified(demo_app, "teacher1", "honour.approved")


# What people see -------------------------------------------------------------------------------
def test_an_unapproved_nomination_is_invisible_to_the_public(demo_app, demo_client, login_as):
    honour = _nominate(demo_app, login_as("schooldirector1"), award_title="รางวัลรออนุมัติพิเศษ")
    teacher1 = _user(demo_app, "teacher1")
    pages = [
        "/honours",
        "/",
        f"/honours/people/{teacher1.id}",
        f"/honours/schools/{teacher1.school_id}",
        f"/schools/{teacher1.school_id}",
    ]
    demo_client.post("/auth/logout")
    for viewer in (None, "teacher2", "supervisor3", "staff1"):
        client = login_as(viewer) if viewer else demo_client
        assert client.get(f"/honours/{honour.id}").status_code == 404, viewer
        for url in pages:
            assert "รางวัลรออนุมัติพิเศษ" not in client.get(url).get_data(as_text=True), (viewer, url)
    # The recipient, the nominator and the approvers see it, marked as pending.
    for insider in ("teacher1", "schooldirector1", "supervisor1"):
        page = login_as(insider).get(f"/honours/{honour.id}").get_data(as_text=True)
        assert "รออนุมัติ" in page
    login_as("supervisor1").post(f"/honours/{honour.id}/decision", data={"decision": "approve"})
    demo_client.post("/auth/logout")
    for url in pages:
        assert "รางวัลรออนุมัติพิเศษ" in demo_client.get(url).get_data(as_text=True), url


def test_rejected_and_pending_demo_honours_are_not_on_the_board(demo_client):
    board = demo_client.get("/honours").get_data(as_text=True)
    assert PENDING_STUDENTS not in board
    assert REJECTED not in board
    assert "ครูดีเด่น กลุ่มสาระการเรียนรู้ภาษาไทย" in board


def _sections(board: str) -> list[tuple[str, list[str]]]:
    """(year heading, [level headings]) in page order."""
    result = []
    for year_block in board.split('class="mb-4 honour-year"')[1:]:
        year = re.search(r"ปี พ\.ศ\. (\d{4})", year_block).group(1)
        levels = re.findall(r'data-level="(\w+)"', year_block)
        result.append((year, levels))
    return result


def test_board_is_grouped_by_year_then_level_two_years_a_page(demo_client):
    first = demo_client.get("/honours").get_data(as_text=True)
    second = demo_client.get("/honours?page=2").get_data(as_text=True)
    sections = _sections(first) + _sections(second)
    assert [year for year, _ in sections] == ["2569", "2568", "2567", "2566"]
    assert [year for year, _ in _sections(first)] == ["2569", "2568"]
    order = ["international", "national", "region", "area", "school"]
    for _, levels in sections:
        assert levels == sorted(levels, key=order.index)  # widest level first
    assert dict(sections)["2568"] == ["international", "national", "area"]
    assert 'href="/honours?page=2#year-2567"' in first  # the year links reach older pages
    assert "ปีก่อนหน้า" in first and "ปีล่าสุด" in second
    assert _sections(demo_client.get("/honours?page=99").get_data(as_text=True)) == _sections(
        second
    )


def test_board_filters(demo_client):
    def titles(query: str) -> set[str]:
        page = demo_client.get(f"/honours?{query}").get_data(as_text=True)
        return set(
            re.findall(
                r'class="fw-semibold text-decoration-none" href="/honours/\d+">([^<]+)<', page
            )
        )

    assert titles("year=2566") == {"โรงเรียนรางวัลพระราชทาน ระดับประถมศึกษา ขนาดกลาง"}
    assert titles("level=international") == {"เหรียญเงิน การแข่งขันคณิตศาสตร์นานาชาติ (IMC)"}
    assert titles("type=school") == {
        "โรงเรียนรางวัลพระราชทาน ระดับประถมศึกษา ขนาดกลาง",
        "สถานศึกษาปลอดภัย ระดับดีเด่น",
    }
    assert titles("q=คุรุชน") == {"รางวัลคุรุชน คนคุณธรรม"}
    assert titles("q=กานดา") == {
        "เหรียญทอง การแข่งขันคัดลายมือสื่อภาษาไทย ป.4–ป.6 งานศิลปหัตถกรรมนักเรียน ครั้งที่ 72"
    }
    assert titles("year=2568&level=national") == {"รางวัลคุรุชน คนคุณธรรม"}
    assert demo_client.get("/honours?level=galactic&year=x").status_code == 200


def test_person_and_school_lists(demo_app, demo_client):
    teacher1 = _user(demo_app, "teacher1")
    person = demo_client.get(f"/honours/people/{teacher1.id}").get_data(as_text=True)
    assert "นางสาวสมใจ ใจดี" in person
    assert "ครูดีเด่น กลุ่มสาระการเรียนรู้ภาษาไทย" in person and "ครูดีศรีโรงเรียน" in person
    assert "ครูผู้สอนยอดเยี่ยม" not in person  # pending
    assert "รางวัลคุรุชน" not in person  # teacher2's
    school = demo_client.get(f"/honours/schools/{teacher1.school_id}").get_data(as_text=True)
    assert "ผู้บริหารสถานศึกษาดีเด่น ด้านการบริหารวิชาการ" in school
    assert "เหรียญทอง การแข่งขันคัดลายมือ" in school
    assert "สถานศึกษาปลอดภัย" not in school  # another school
    assert demo_client.get("/honours/people/999999").status_code == 404


def test_review_queue_and_my_list(demo_app, login_as):
    queue = login_as("supervisor1").get("/honours/review").get_data(as_text=True)
    assert PENDING_STUDENTS in queue
    assert PENDING_STUDENTS not in login_as("supervisor2").get("/honours/review").get_data(
        as_text=True
    )
    mine = login_as("teacher1").get("/honours/mine").get_data(as_text=True)
    assert REJECTED in mine and "ไม่อนุมัติ" in mine
    assert "ครูดีเด่น กลุ่มสาระการเรียนรู้ภาษาไทย" in mine  # names them


def test_home_page_shows_the_latest_approved_honours(demo_client):
    page = demo_client.get("/").get_data(as_text=True)
    block = page[page.index('id="home-honours"') :]
    assert "ทำเนียบเกียรติยศ" in block
    assert PENDING_STUDENTS not in block and REJECTED not in block


def test_detail_links_the_related_best_practice(demo_app, demo_client):
    honour = _honour(demo_app, award_title="ครูดีเด่น กลุ่มสาระการเรียนรู้ภาษาไทย")
    page = demo_client.get(f"/honours/{honour.id}").get_data(as_text=True)
    assert "ผลงานที่เกี่ยวข้อง" in page
    assert "การพัฒนาทักษะการอ่านออกเขียนได้ด้วยกระบวนการ PLC" in page


@pytest.mark.parametrize(
    ("page", "heading"),
    [
        ("public", "ผลงานดีเด่นและทำเนียบเกียรติยศ"),
        ("teacher", "ส่งผลงานดีเด่นและเสนอชื่อรับประกาศเกียรติคุณ"),
        ("school_director", "ส่งผลงานดีเด่นและเสนอชื่อรับประกาศเกียรติคุณ"),
        ("supervisor", "ตรวจผลงานดีเด่นและอนุมัติประกาศเกียรติคุณ"),
        ("director", "ตรวจผลงานดีเด่นและอนุมัติประกาศเกียรติคุณ"),
    ],
)
def test_the_manual_explains_the_showcase_to_each_role(demo_client, page, heading):
    assert heading in demo_client.get(f"/manual/{page}").get_data(as_text=True)
