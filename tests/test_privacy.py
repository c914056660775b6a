"""PDPA: the notice, consent at registration, a person's own data, deletion requests carried out
by an administrator (the account anonymised, content kept), and every step in the audit log."""

from __future__ import annotations

import io
import json

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from nitet_online.accounts.models import AccountStatus, User
from nitet_online.audit.models import AuditEntry
from nitet_online.extensions import db
from nitet_online.org.models import School
from nitet_online.plugins import registry_of
from nitet_online.privacy import services
from nitet_online.privacy.models import DeletionRequest, RequestStatus
from nitet_online.uploads.models import Upload
from nitet_online.uploads.services import save_upload
from tests.conftest import login
from tests.files import jpeg_with_exif


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _actions(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def test_privacy_notice_is_thai_and_linked_from_the_footer(demo_client):
    page = demo_client.get("/privacy").get_data(as_text=True)
    assert "พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562" in page
    for heading in ("วัตถุประสงค์", "ข้อมูลที่เก็บ", "ระยะเวลาการเก็บรักษา", "สิทธิของเจ้าของข้อมูล"):
        assert heading in page
    assert "สพป.พัทลุง" in page or "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาพัทลุง" in page
    assert services.NOTICE_VERSION in page
    assert 'href="/privacy"' in demo_client.get("/").get_data(as_text=True)


def test_registration_records_consent_with_the_notice_version(demo_app):
    client = demo_app.test_client()
    with demo_app.app_context():
        school_id = db.session.scalar(sa.select(School.id).limit(1))
    form = {
        "username": "somsri.k",
        "email": "somsri@example.ac.th",
        "first_name": "สมศรี",
        "last_name": "ขยันสอน",
        "role": "teacher",
        "school_id": str(school_id),
        "password": "Strong-pass-2569",
        "confirm": "Strong-pass-2569",
    }
    refused = client.post("/auth/register", data=form)
    assert "กรุณาให้ความยินยอม" in refused.get_data(as_text=True)
    assert client.post("/auth/register", data={**form, "consent": "y"}).status_code == 302
    with demo_app.app_context():
        user = _user("somsri.k")
        assert user.consented_at is not None
        assert user.consent_version == services.NOTICE_VERSION
    (entry,) = _actions(demo_app, "privacy.consent")
    assert "somsri.k" in entry.summary


def test_my_data_is_the_logged_in_users_own_json(login_as, demo_app):
    assert demo_app.test_client().get("/auth/my-data").status_code == 302  # log in first
    client = login_as("teacher1")
    with demo_app.app_context():
        other_id = _user("teacher2").id
    page = client.get("/auth/my-data")  # the page says what the file holds; it writes nothing
    assert page.status_code == 200 and "ดาวน์โหลดข้อมูลของฉัน (JSON)" in page.get_data(as_text=True)
    assert not any(e["action"] == "privacy.export" for e in _activity(demo_app, "teacher1"))
    response = client.post("/auth/my-data", data={"user_id": other_id})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["username"] == "teacher1"
    assert "password_hash" not in json.dumps(data) and "session_token" not in json.dumps(data)
    assert {"uploads", "activity_log", "deletion_requests"} <= set(data)
    assert any(entry["action"] == "privacy.export" for entry in _activity(demo_app, "teacher1"))


def _activity(app, username):
    with app.app_context():
        return services.personal_data(_user(username))["activity_log"]


def test_features_add_their_own_sections_to_the_download(login_as, monkeypatch):
    client = login_as("teacher1")
    exporters = registry_of(client.application).privacy_exporters
    monkeypatch.setitem(exporters, "questions", lambda user: [f"คำถามของ {user.username}"])
    data = client.post("/auth/my-data").get_json()
    assert data["questions"] == ["คำถามของ teacher1"]


def test_a_deletion_request_is_made_once_and_keeps_what_was_typed(login_as, demo_app):
    client = login_as("teacher1")
    empty = client.post("/auth/delete-request", data={"reason": "", "understood": "y"})
    assert "กรุณาระบุเหตุผล" in empty.get_data(as_text=True)
    unconfirmed = client.post("/auth/delete-request", data={"reason": "ย้ายสังกัด"})
    page = unconfirmed.get_data(as_text=True)
    assert "กรุณายืนยัน" in page and "ย้ายสังกัด" in page
    sent = client.post(
        "/auth/delete-request", data={"reason": "ย้ายสังกัด", "understood": "y"}, follow_redirects=True
    )
    assert "ส่งคำขอลบข้อมูลแล้ว" in sent.get_data(as_text=True)
    again = client.post(
        "/auth/delete-request", data={"reason": "อีกครั้ง", "understood": "y"}, follow_redirects=True
    )
    assert "รอผู้ดูแลระบบดำเนินการ" in again.get_data(as_text=True)
    with demo_app.app_context():
        user_id = _user("teacher1").id
        requests = db.session.scalars(
            sa.select(DeletionRequest).where(DeletionRequest.user_id == user_id)
        ).all()
        assert [r.reason for r in requests] == ["ย้ายสังกัด"]
    assert _actions(demo_app, "privacy.delete_request")


def _teacher_with_content(app, client) -> tuple[int, int, int]:
    """teacher1 with a photo, an uploaded document of content, a pending request; returns ids."""
    with app.app_context():
        teacher = _user("teacher1")
        teacher.phone = "081-234-5678"
        teacher.line_id = "somjai.line"
        avatar = save_upload(
            FileStorage(io.BytesIO(jpeg_with_exif(300, 300)), "me.jpg"), teacher.id
        )
        work = save_upload(
            FileStorage(io.BytesIO(jpeg_with_exif(300, 200)), "ผลงาน.jpg"), teacher.id
        )
        db.session.flush()
        teacher.avatar_upload_id = avatar.id
        db.session.commit()
        ids = (teacher.id, avatar.id, work.id)
    client.post("/auth/delete-request", data={"reason": "ลาออกจากราชการ", "understood": "y"})
    return ids


def test_admin_carries_out_a_request_the_account_is_anonymised_and_content_kept(demo_app):
    teacher_client = demo_app.test_client()
    login(teacher_client, "teacher1")
    teacher_id, avatar_id, work_id = _teacher_with_content(demo_app, teacher_client)

    admin = demo_app.test_client()
    login(admin, "admin")
    listing = admin.get("/admin/privacy/requests").get_data(as_text=True)
    assert "คำขอลบข้อมูลส่วนบุคคล" in listing and "teacher1" in listing
    with demo_app.app_context():
        request_id = db.session.scalar(
            sa.select(DeletionRequest.id).where(DeletionRequest.user_id == teacher_id)
        )
    detail = admin.get(f"/admin/privacy/requests/{request_id}").get_data(as_text=True)
    assert "ลาออกจากราชการ" in detail

    done = admin.post(f"/admin/privacy/requests/{request_id}/carry-out", follow_redirects=True)
    assert "ลบข้อมูลส่วนบุคคลเรียบร้อยแล้ว" in done.get_data(as_text=True)
    with demo_app.app_context():
        user = db.session.get(User, teacher_id)
        assert user.full_name == services.ANONYMOUS_NAME
        assert user.username == f"deleted-{teacher_id}"
        assert user.email.endswith("@deleted.invalid")
        assert (user.phone, user.line_id, user.position) == ("", "", "")
        assert user.status == AccountStatus.DEACTIVATED
        assert not user.check_password("nitet-demo")
        assert user.avatar_upload_id is None and db.session.get(Upload, avatar_id) is None
        work = db.session.get(Upload, work_id)
        assert work is not None and work.owner_id == teacher_id  # content stays, now anonymous
        request = db.session.get(DeletionRequest, request_id)
        assert request.status == RequestStatus.DONE and request.reason == ""
        assert request.handled_by.username == "admin"
        assert all(
            entry.ip_address == ""
            for entry in db.session.scalars(
                sa.select(AuditEntry).where(AuditEntry.actor_id == teacher_id)
            )
        )
    # The person's open session ends, and the old login no longer works.
    assert teacher_client.get("/auth/profile").status_code == 302
    assert "ยินดีต้อนรับ" not in login(demo_app.test_client(), "teacher1").get_data(as_text=True)
    (entry,) = _actions(demo_app, "privacy.anonymise")
    assert "teacher1" in entry.summary
    again = admin.post(f"/admin/privacy/requests/{request_id}/carry-out", follow_redirects=True)
    assert "ดำเนินการไปแล้ว" in again.get_data(as_text=True)


def test_admin_declines_with_a_reason_the_person_sees(demo_app):
    teacher = demo_app.test_client()
    login(teacher, "teacher1")
    teacher.post("/auth/delete-request", data={"reason": "ไม่ใช้แล้ว", "understood": "y"})
    admin = demo_app.test_client()
    login(admin, "admin")
    with demo_app.app_context():
        request_id = db.session.scalar(
            sa.select(DeletionRequest.id).where(DeletionRequest.reason == "ไม่ใช้แล้ว")
        )
    missing = admin.post(f"/admin/privacy/requests/{request_id}/decline", data={"note": ""})
    assert missing.status_code == 400 and "กรุณาระบุเหตุผล" in missing.get_data(as_text=True)
    note = "ยังเป็นผู้รับผิดชอบโครงการที่ต้องรายงานถึงสิ้นปีงบประมาณ"
    admin.post(f"/admin/privacy/requests/{request_id}/decline", data={"note": note})
    page = teacher.get("/auth/delete-request").get_data(as_text=True)
    assert "ไม่ดำเนินการ" in page and note in page
    assert _actions(demo_app, "privacy.decline")
    with demo_app.app_context():
        assert _user("teacher1").status == AccountStatus.ACTIVE


def test_only_administrators_handle_requests_and_not_their_own(demo_app, login_as):
    with demo_app.app_context():
        request_id = services.demo_deletion_request_id()
    teacher = login_as("teacher1")
    for url in (f"/admin/privacy/requests/{request_id}/carry-out", "/admin/privacy/requests"):
        assert teacher.post(url).status_code in (403, 405)
    with demo_app.app_context():
        assert db.session.get(DeletionRequest, request_id).status == RequestStatus.PENDING
        admin = _user("admin")
        own = services.request_deletion(admin, "ทดสอบ")
        db.session.commit()
        own_id = own.id
    admin_client = login_as("admin")
    refused = admin_client.post(
        f"/admin/privacy/requests/{own_id}/carry-out", follow_redirects=True
    )
    assert "ไม่สามารถลบข้อมูลบัญชีของตนเอง" in refused.get_data(as_text=True)


def test_profile_links_to_the_download_and_the_request(login_as):
    page = login_as("teacher1").get("/auth/profile").get_data(as_text=True)
    assert "/auth/my-data" in page and "/auth/delete-request" in page
