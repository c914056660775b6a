"""Administration: every page refused to non-admins (403) and anonymous users (login), and the
user, school, network, learning-area and office pages doing their job."""

import re

import pytest

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.audit.models import AuditEntry
from nitet_online.extensions import db
from nitet_online.org.models import LearningArea, Network, School
from tests.conftest import login


def admin_urls(app) -> list[tuple[str, str]]:
    """Every /admin rule with its methods, ids filled with 1."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin"):
            continue
        path = re.sub(r"<int:\w+>", "1", rule.rule)  # every id (demo rows with id 1 exist)
        path = path.replace("<kind>", "schools")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, path))
    return urls


def test_admin_routes_are_found(demo_app):
    assert len(admin_urls(demo_app)) >= 25


@pytest.mark.parametrize(
    "username", ["director1", "supervisor1", "schooldirector1", "teacher1", "staff1"]
)
def test_every_admin_route_is_forbidden_to_non_admins(demo_app, username):
    client = demo_app.test_client()
    login(client, username)
    for method, path in admin_urls(demo_app):
        response = client.open(path, method=method)
        assert response.status_code == 403, (username, method, path)
        assert "ไม่มีสิทธิ์เข้าถึง" in response.get_data(as_text=True)


def test_every_admin_route_sends_anonymous_users_to_login(demo_app):
    client = demo_app.test_client()
    for method, path in admin_urls(demo_app):
        response = client.open(path, method=method)
        assert response.status_code == 302, (method, path)
        assert response.headers["Location"].startswith("/auth/login"), (method, path)


def test_every_admin_page_renders_for_admins(demo_app):
    client = demo_app.test_client()
    login(client, "admin")
    for method, path in admin_urls(demo_app):
        if method == "GET":
            assert client.get(path).status_code == 200, path


def test_admin_creates_a_supervisor_with_responsibilities(demo_app, demo_client):
    login(demo_client, "admin")
    with demo_app.app_context():
        math = db.session.query(LearningArea).filter_by(code="math").one().id
        network = db.session.query(Network).first().id
        school = db.session.query(School).first().id
    response = demo_client.post(
        "/admin/users/new",
        data={
            "title": "นาย",
            "first_name": "ชาตรี",
            "last_name": "ศรีสุข",
            "username": "supervisor9",
            "email": "s9@nitet.example",
            "role": "supervisor",
            "status": "active",
            "school_id": "0",
            "academic_rank": "ชำนาญการ",
            "learning_area_ids": [str(math)],
            "network_ids": [str(network)],
            "responsible_school_ids": [str(school)],
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "รหัสผ่านชั่วคราว" in page
    with demo_app.app_context():
        user = db.session.query(User).filter_by(username="supervisor9").one()
        assert user.role == Role.SUPERVISOR and user.must_change_password
        assert [a.code for a in user.learning_areas] == ["math"]
        assert len(user.responsible_networks) == 1 and len(user.responsible_schools) == 1
        assert db.session.query(AuditEntry).filter_by(action="user.create").count() == 1


def test_admin_user_form_errors_are_thai_and_keep_input(demo_client):
    login(demo_client, "admin")
    page = demo_client.post(
        "/admin/users/new",
        data={
            "first_name": "ครูใหม่",
            "last_name": "",
            "username": "teacher1",
            "email": "x@example.com",
            "role": "teacher",
            "status": "active",
            "school_id": "0",
        },
    ).get_data(as_text=True)
    assert "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว" in page
    assert "ครูและผู้บริหารสถานศึกษาต้องระบุโรงเรียนที่สังกัด" in page
    assert 'value="ครูใหม่"' in page


def test_admin_resets_a_password_and_unlocks(demo_app, demo_client):
    login(demo_client, "admin")
    with demo_app.app_context():
        user_id = db.session.query(User).filter_by(username="teacher2").one().id
    page = demo_client.post(f"/admin/users/{user_id}/reset-password", data={}).get_data(
        as_text=True
    )
    assert "รหัสผ่านใหม่ของ" in page
    temporary = page.split('user-select-all">')[1].split("<")[0]
    other = demo_app.test_client()
    assert login(other, "teacher2", temporary, follow=False).status_code == 302
    assert other.get("/").headers["Location"] == "/auth/password"


def test_admin_cannot_deactivate_or_demote_self(demo_app, demo_client):
    login(demo_client, "admin")
    with demo_app.app_context():
        admin_id = db.session.query(User).filter_by(username="admin").one().id
    demo_client.post(f"/admin/users/{admin_id}/deactivate")
    with demo_app.app_context():
        assert db.session.get(User, admin_id).status == AccountStatus.ACTIVE


def test_school_crud_and_duplicate_code(demo_app, demo_client):
    login(demo_client, "admin")
    data = {"code": "1093359999", "name": "โรงเรียนบ้านทดสอบ", "size": "small", "network_id": "0"}
    response = demo_client.post("/admin/schools/new", data=data, follow_redirects=True)
    assert "โรงเรียนบ้านทดสอบ" in response.get_data(as_text=True)
    again = demo_client.post("/admin/schools/new", data=data).get_data(as_text=True)
    assert "รหัสโรงเรียนนี้มีอยู่แล้ว" in again
    bad = demo_client.post("/admin/schools/new", data={**data, "code": "12ab"}).get_data(
        as_text=True
    )
    assert "รหัสโรงเรียนต้องเป็นตัวเลข" in bad


def test_network_with_schools_cannot_be_deleted(demo_app, demo_client):
    login(demo_client, "admin")
    with demo_app.app_context():
        network_id = db.session.query(Network).first().id
    page = demo_client.post(f"/admin/networks/{network_id}/delete", follow_redirects=True)
    assert "ลบไม่ได้" in page.get_data(as_text=True)
    with demo_app.app_context():
        assert db.session.get(Network, network_id) is not None


def test_learning_area_and_office_settings(demo_app, demo_client):
    login(demo_client, "admin")
    demo_client.post(
        "/admin/learning-areas/new",
        data={"code": "stem", "name": "สะเต็มศึกษา", "sort_order": "12", "is_active": "y"},
    )
    demo_client.post(
        "/admin/office",
        data={
            "name": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1",
            "abbreviation": "สพป.ทดสอบ เขต 1",
            "group_name": "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
        },
    )
    assert "สพป.ทดสอบ เขต 1" in demo_client.get("/").get_data(as_text=True)
    with demo_app.app_context():
        assert db.session.query(LearningArea).filter_by(code="stem").one().name == "สะเต็มศึกษา"


def test_audit_log_lists_admin_actions(demo_client):
    login(demo_client, "admin")
    demo_client.post("/admin/networks/new", data={"name": "กลุ่มเครือข่ายใหม่", "description": "ทดสอบ"})
    page = demo_client.get("/admin/audit").get_data(as_text=True)
    assert "เพิ่มเครือข่าย" in page and "กลุ่มเครือข่ายใหม่" in page
    assert "ผู้ดูแลระบบ" in page
