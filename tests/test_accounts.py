"""Log in with username or e-mail, log out, slowing down of wrong passwords, remember-me,
registration then approval, password changes that log other sessions out."""

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.extensions import db
from tests.conftest import login


def _user(app, username):
    with app.app_context():
        return db.session.query(User).filter_by(username=username).one()


def test_login_with_username_and_logout(demo_client):
    response = login(demo_client, "teacher1")
    page = response.get_data(as_text=True)
    assert "ยินดีต้อนรับ นางสาวสมใจ ใจดี" in page
    assert "ออกจากระบบ" in page
    response = demo_client.post("/auth/logout", follow_redirects=True)
    assert "ออกจากระบบเรียบร้อยแล้ว" in response.get_data(as_text=True)
    assert demo_client.get("/auth/profile").status_code == 302


def test_login_with_email_in_any_case(demo_client):
    response = login(demo_client, "Supervisor1@NITET.example", follow=False)
    assert response.status_code == 302
    assert demo_client.get("/auth/profile").status_code == 200


def test_wrong_password_gives_thai_message_and_keeps_login_name(demo_client):
    response = login(demo_client, "teacher1", "wrong-password")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in page
    assert 'value="teacher1"' in page


def test_unknown_user_gets_the_same_message(demo_client):
    page = login(demo_client, "nobody", "whatever1").get_data(as_text=True)
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in page


def test_repeated_failures_make_this_address_wait_in_thai(demo_client):
    """Details (other addresses, growing waits, unknown names) are in test_login_throttle.py."""
    for _ in range(5):
        login(demo_client, "teacher2", "wrong-password")
    # Even the right password is refused while this address waits.
    response = login(demo_client, "teacher2")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "กรุณารอ 30 วินาที" in response.get_data(as_text=True)
    assert demo_client.get("/auth/profile").status_code == 302


def test_slowing_down_is_recorded_in_the_audit_log_once(demo_app, demo_client):
    from nitet_online.audit.models import AuditEntry

    for _ in range(6):
        login(demo_client, "teacher2", "bad-password1")
    with demo_app.app_context():
        entries = db.session.query(AuditEntry).filter_by(action="account.login_throttled").all()
        assert len(entries) == 1 and "teacher2" in entries[0].summary


def test_remember_me_sets_a_lasting_cookie(demo_client):
    response = demo_client.post(
        "/auth/login", data={"login": "teacher1", "password": "nitet-demo", "remember": "y"}
    )
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("remember_token=") and "Expires=" in c for c in cookies)


def test_open_redirect_after_login_is_refused(demo_client):
    response = demo_client.post(
        "/auth/login?next=https://evil.example/",
        data={"login": "teacher1", "password": "nitet-demo"},
    )
    assert response.headers["Location"] == "/"
    demo_client.post("/auth/logout")
    response = demo_client.post(
        "/auth/login?next=/auth/profile", data={"login": "teacher1", "password": "nitet-demo"}
    )
    assert response.headers["Location"] == "/auth/profile"


def _registration(**overrides):
    data = {
        "title": "นางสาว",
        "first_name": "มาลี",
        "last_name": "สอนดี",
        "role": "teacher",
        "school_id": "1",
        "position": "ครู",
        "username": "malee.s",
        "email": "malee@school.example",
        "password": "kru-malee-2569",
        "confirm": "kru-malee-2569",
        "consent": "y",
    }
    data.update(overrides)
    return data


def test_registration_then_admin_approval(demo_app, demo_client):
    response = demo_client.post("/auth/register", data=_registration(), follow_redirects=True)
    assert "รอผู้ดูแลระบบอนุมัติ" in response.get_data(as_text=True) or "ผู้ดูแลระบบอนุมัติ" in (
        response.get_data(as_text=True)
    )
    user = _user(demo_app, "malee.s")
    assert user.status == AccountStatus.PENDING and user.role == Role.TEACHER
    # A pending account cannot log in yet.
    assert "รอผู้ดูแลระบบอนุมัติ" in login(demo_client, "malee.s", "kru-malee-2569").get_data(
        as_text=True
    )
    login(demo_client, "admin")
    pending = demo_client.get("/admin/users?status=pending").get_data(as_text=True)
    assert "มาลี" in pending
    demo_client.post(f"/admin/users/{user.id}/approve")
    demo_client.post("/auth/logout")
    assert login(demo_client, "malee.s", "kru-malee-2569", follow=False).status_code == 302
    assert _user(demo_app, "malee.s").approved_by_id is not None


def test_registration_cannot_choose_a_privileged_role(demo_client):
    response = demo_client.post("/auth/register", data=_registration(role="admin"))
    assert response.status_code == 200
    assert "ตัวเลือกไม่ถูกต้อง" in response.get_data(as_text=True)


def test_duplicate_username_is_refused_in_thai_and_keeps_typed_values(demo_client):
    response = demo_client.post("/auth/register", data=_registration(username="Teacher1"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ไม่สามารถสมัครด้วยชื่อผู้ใช้หรืออีเมลนี้ได้" in page  # which one: not said
    assert 'value="มาลี"' in page and 'value="malee@school.example"' in page
    assert "kru-malee-2569" not in page  # passwords are never echoed back


def test_registration_validates_each_field_in_thai(demo_client):
    page = demo_client.post(
        "/auth/register",
        data=_registration(email="not-an-email", password="short", confirm="other", consent=""),
    ).get_data(as_text=True)
    assert "รูปแบบอีเมลไม่ถูกต้อง" in page
    assert "รหัสผ่านต้องยาวอย่างน้อย 8 ตัวอักษร" in page
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in page
    assert "กรุณาให้ความยินยอม" in page


def test_change_password_logs_out_other_sessions(demo_app):
    first, second = demo_app.test_client(), demo_app.test_client()
    login(first, "teacher1")
    login(second, "teacher1")
    response = first.post(
        "/auth/password",
        data={
            "current_password": "nitet-demo",
            "new_password": "new-pass-2569",
            "confirm": "new-pass-2569",
        },
        follow_redirects=True,
    )
    assert "เปลี่ยนรหัสผ่านเรียบร้อยแล้ว" in response.get_data(as_text=True)
    assert first.get("/auth/profile").status_code == 200
    assert second.get("/auth/profile").status_code == 302
    first.post("/auth/logout")
    assert login(first, "teacher1", "new-pass-2569", follow=False).status_code == 302


def test_change_password_needs_the_current_one(demo_client):
    login(demo_client, "teacher1")
    page = demo_client.post(
        "/auth/password",
        data={
            "current_password": "guess",
            "new_password": "new-pass-2569",
            "confirm": "new-pass-2569",
        },
    ).get_data(as_text=True)
    assert "รหัสผ่านปัจจุบันไม่ถูกต้อง" in page


def test_temporary_password_forces_a_change(demo_app, demo_client):
    with demo_app.app_context():
        user = db.session.query(User).filter_by(username="teacher2").one()
        user.must_change_password = True
        db.session.commit()
    login(demo_client, "teacher2")
    response = demo_client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/password"


def test_profile_edit_keeps_input_on_error(demo_client):
    login(demo_client, "teacher1")
    page = demo_client.post(
        "/auth/profile",
        data={
            "title": "นาง",
            "first_name": "สมใจ",
            "last_name": "",
            "email": "teacher1@nitet.example",
        },
    ).get_data(as_text=True)
    assert "กรุณากรอกข้อมูลช่องนี้" in page
    response = demo_client.post(
        "/auth/profile",
        data={
            "title": "นาง",
            "first_name": "สมใจ",
            "last_name": "ใจงาม",
            "email": "teacher1@nitet.example",
            "line_id": "somjai.k",
        },
        follow_redirects=True,
    )
    assert "นางสมใจ ใจงาม" in response.get_data(as_text=True)


def test_deactivated_user_is_logged_out_at_once(demo_app):
    teacher, admin = demo_app.test_client(), demo_app.test_client()
    login(teacher, "teacher1")
    login(admin, "admin")
    user_id = _user(demo_app, "teacher1").id
    admin.post(f"/admin/users/{user_id}/deactivate")
    assert teacher.get("/auth/profile").status_code == 302
    assert "ถูกระงับ" in login(teacher, "teacher1").get_data(as_text=True)


def test_profile_photo_upload_and_refusal(demo_app, demo_client):
    import io

    from tests.files import jpeg_with_exif

    login(demo_client, "teacher1")
    refused = demo_client.post(
        "/auth/profile",
        data={
            "title": "นางสาว",
            "first_name": "สมใจ",
            "last_name": "ใจดีมาก",
            "email": "teacher1@nitet.example",
            "avatar": (io.BytesIO(b"MZ-not-a-photo"), "me.jpg"),
        },
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "ไม่อนุญาตให้อัปโหลดไฟล์โปรแกรม" in refused
    assert 'value="ใจดีมาก"' in refused  # what was typed is kept
    assert _user(demo_app, "teacher1").last_name == "ใจดี"  # and nothing saved half-way
    demo_client.post(
        "/auth/profile",
        data={
            "title": "นางสาว",
            "first_name": "สมใจ",
            "last_name": "ใจดี",
            "email": "teacher1@nitet.example",
            "avatar": (io.BytesIO(jpeg_with_exif(600, 400, orientation=6)), "me.jpg"),
        },
        content_type="multipart/form-data",
    )
    with demo_app.app_context():
        user = db.session.query(User).filter_by(username="teacher1").one()
        assert user.avatar is not None and (user.avatar.width, user.avatar.height) == (400, 600)
    assert "/files/" in demo_client.get("/auth/profile").get_data(as_text=True)
