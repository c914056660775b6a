"""Home page, health check, Thai error pages, security headers, navigation, manual, CLI."""

import pytest

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from tests.conftest import login


def test_home_page_is_thai_with_office_and_counts(demo_client):
    response = demo_client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="th">' in page
    assert "สพป.พัทลุง เขต 2" in page
    assert "ศึกษานิเทศก์" in page and "เข้าสู่ระบบ" in page
    assert "vendor/sarabun/sarabun.css" in page


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert response.get_json()["checks"]["database"] == "ok"


def test_healthz_reports_a_broken_database(app, monkeypatch):
    from nitet_online.plugins import HealthCheck, registry_of

    def broken():
        raise RuntimeError("database gone")

    checks = registry_of(app).health_checks
    monkeypatch.setitem(checks, "database", HealthCheck("database", broken))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "error"
    assert all(state == "ok" for name, state in body["checks"].items() if name != "database")


def test_not_found_page_is_thai(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_unexpected_error_shows_thai_page_without_trace(app):
    @app.get("/boom")
    def boom():
        raise ValueError("secret internals")

    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "ระบบขัดข้อง" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_security_headers_forbid_inline_script(client):
    headers = client.get("/").headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"


def test_pages_have_no_inline_scripts(demo_client):
    login(demo_client, "admin")
    for path in ("/", "/auth/login", "/admin/", "/admin/users", "/manual/admin"):
        page = demo_client.get(path).get_data(as_text=True)
        assert "<script>" not in page and " onclick=" not in page, path
        assert 'style="' not in page, path


@pytest.mark.parametrize(
    ("username", "sees_admin"),
    [("admin", True), ("director1", False), ("supervisor1", False), ("teacher1", False)],
)
def test_navigation_depends_on_role(demo_client, username, sees_admin):
    login(demo_client, username)
    page = demo_client.get("/").get_data(as_text=True)
    assert "ออกจากระบบ" in page
    assert ("/admin/" in page) is sees_admin
    assert "สมัครสมาชิก" not in page.split("<main")[0]


def test_anonymous_navigation_offers_login_and_register(demo_client):
    page = demo_client.get("/").get_data(as_text=True)
    assert "/auth/login" in page and "/auth/register" in page
    assert "ออกจากระบบ" not in page


@pytest.mark.parametrize(
    "role", ["public", "teacher", "school_director", "staff", "supervisor", "director", "admin"]
)
def test_manual_has_a_page_per_role(client, role):
    response = client.get(f"/manual/{role}")
    assert response.status_code == 200
    assert "คู่มือสำหรับ" in response.get_data(as_text=True)


def test_manual_unknown_role_is_404(client):
    assert client.get("/manual/hacker").status_code == 404


def test_seed_demo_is_idempotent_and_creates_the_demo_accounts(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        count = db.session.query(User).count()
        usernames = {u.username for u in db.session.query(User)}
    assert {
        "admin",
        "director1",
        "supervisor1",
        "supervisor2",
        "schooldirector1",
        "teacher1",
        "teacher2",
    } <= usernames
    assert count >= 50
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    with app.app_context():
        assert db.session.query(User).count() == count
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "already has data" in skipped.output


def test_demo_data_is_a_believable_office(demo_app):
    from nitet_online.accounts.models import Role
    from nitet_online.org.models import Network, School

    with demo_app.app_context():
        assert db.session.query(Network).count() == 3
        assert db.session.query(School).count() >= 20
        supervisors = db.session.query(User).filter_by(role=Role.SUPERVISOR).all()
        assert len(supervisors) >= 6
        assert all(s.learning_areas for s in supervisors)
        assert db.session.query(User).filter_by(role=Role.TEACHER).count() >= 40


def test_create_admin_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-admin", "--username", "boss", "--email", "boss@example.go.th"],
        input="secret-pass1\nsecret-pass1\n",
    )
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert login(client, "boss", "secret-pass1", follow=False).status_code == 302
    weak = runner.invoke(
        args=["create-admin", "--username", "boss2", "--email", "b2@example.go.th"],
        input="short\nshort\n",
    )
    assert weak.exit_code != 0
    assert "รหัสผ่าน" in weak.output


def test_scripts_may_connect_only_to_the_site_itself(client):
    """connect-src names the site's own origin only: a script injected into a page could otherwise
    open a WebSocket to any host (`ws:`/`wss:` allow every host) and send the page away."""
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["connect-src"] == ["'self'"]
