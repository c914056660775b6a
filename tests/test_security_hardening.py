"""CSRF on every state-changing request of the real server (production configuration), cookie
flags, session fixation, registration rate limit, and IDOR: changing ids in URLs and forms."""

from __future__ import annotations

import pytest
import requests
import sqlalchemy as sa

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.core.errors import CSRF_TEXT
from nitet_online.extensions import db
from tests.conftest import LiveServer, build_app, login
from tests.services import csrf_token_in
from tests.test_security_matrix import build_path, route_calls

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


# CSRF on the real server ----------------------------------------------------------------------
def test_every_state_changing_route_refuses_a_request_without_token(live_server, demo_app):
    """Walks app.url_map: every POST/PUT/PATCH/DELETE route of the production server refuses a
    request that carries no CSRF token, with the Thai message, before the view runs."""
    calls = [c for c in route_calls(demo_app) if c.method in STATE_CHANGING]
    with demo_app.app_context():
        paths = {call: build_path(call, fallback=True) for call in calls}
    assert len(calls) >= 20
    for call in calls:
        response = requests.request(
            call.method, live_server.url + paths[call], data={"x": "1"}, timeout=10
        )
        assert response.status_code == 400, f"{call}: {response.status_code}"
        assert CSRF_TEXT in response.text, call


def test_json_request_without_token_is_refused(live_server):
    response = requests.post(
        f"{live_server.url}/markdown/preview", json={"text": "**x**"}, timeout=10
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/html") or "message" in response.json()


@pytest.fixture(scope="module")
def plain_http_server(databases, tmp_path_factory):
    """Production config over plain HTTP (NITET_SECURE_COOKIES=0) so that `requests` keeps the
    session cookie, as an office LAN deployment would."""
    database_url = databases.fresh(with_demo=True)
    server = LiveServer(
        tmp_path_factory.mktemp("plain"), database_url, env={"NITET_SECURE_COOKIES": "0"}
    )
    server.database_url = database_url
    yield server
    server.stop()


def _logged_in_session(server: LiveServer, username: str) -> requests.Session:
    session = requests.Session()
    token = csrf_token_in(session.get(f"{server.url}/auth/login", timeout=10).text)
    response = session.post(
        f"{server.url}/auth/login",
        data={"login": username, "password": "nitet-demo", "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302
    return session


def _column_of(server, username: str, column: str):
    """A column of a user in the live server's database (read directly, not through the app)."""
    engine = sa.create_engine(
        server.database_url.replace("postgresql://", "postgresql+psycopg://"),
        poolclass=sa.pool.NullPool,
    )
    try:
        with engine.connect() as connection:
            return connection.execute(
                sa.text(f'SELECT {column} FROM "user" WHERE username = :u'), {"u": username}
            ).scalar_one()
    finally:
        engine.dispose()


def test_a_logged_in_admin_is_protected_from_forged_requests(plain_http_server):
    server = plain_http_server
    admin = _logged_in_session(server, "admin")
    attacker = requests.Session()
    foreign_token = csrf_token_in(attacker.get(f"{server.url}/auth/login", timeout=10).text)
    page = admin.get(f"{server.url}/admin/users?q=teacher2", timeout=10)
    assert page.status_code == 200
    user_id = _column_of(server, "teacher2", "id")
    target = f"{server.url}/admin/users/{user_id}/deactivate"
    for data in ({}, {"csrf_token": foreign_token}, {"csrf_token": "forged"}):
        response = admin.post(target, data=data, allow_redirects=False, timeout=10)
        assert response.status_code == 400 and CSRF_TEXT in response.text
    assert _column_of(server, "teacher2", "status") == AccountStatus.ACTIVE
    # With the admin's own token the same request goes through: the refusal above was the token.
    own = csrf_token_in(page.text)
    response = admin.post(target, data={"csrf_token": own}, allow_redirects=False, timeout=10)
    assert response.status_code == 302
    assert _column_of(server, "teacher2", "status") == AccountStatus.DEACTIVATED


# Cookies and sessions --------------------------------------------------------------------------
def _set_cookie_headers(response: requests.Response) -> list[str]:
    return response.raw.headers.getlist("Set-Cookie")


def test_production_cookies_are_secure_httponly_and_samesite(live_server):
    page = requests.get(f"{live_server.url}/auth/login", timeout=10)
    session_cookie = next(h for h in _set_cookie_headers(page) if h.startswith("session="))
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in session_cookie, session_cookie
    cookie_value = session_cookie.split(";", 1)[0]
    response = requests.post(
        f"{live_server.url}/auth/login",
        data={
            "login": "teacher1",
            "password": "nitet-demo",
            "remember": "y",
            "csrf_token": csrf_token_in(page.text),
        },
        headers={"Cookie": cookie_value},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302
    cookies = _set_cookie_headers(response)
    remember = next(h for h in cookies if h.startswith("remember_token="))
    new_session = next(h for h in cookies if h.startswith("session="))
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in remember, remember
        assert flag in new_session, new_session
    assert new_session.split(";", 1)[0] != cookie_value


def test_login_starts_a_fresh_session(demo_client):
    """Session fixation: nothing put in the session before login survives it."""
    with demo_client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["_user_id"] = "999:forged"
    login(demo_client, "teacher1")
    with demo_client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{_id_of(demo_client, 'teacher1')}:")
    demo_client.post("/auth/logout")
    with demo_client.session_transaction() as session:
        assert "_user_id" not in session


def _id_of(client, username: str) -> int:
    with client.application.app_context():
        return _user(username).id


def test_registration_is_rate_limited(databases, tmp_path):
    app = build_app(
        tmp_path,
        databases.fresh(with_demo=True),
        RATELIMIT_ENABLED=True,
        RATELIMIT_REGISTER="3/hour",
    )
    client = app.test_client()
    statuses = [client.post("/auth/register", data={}).status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    refused = client.post("/auth/register", data={})
    assert refused.status_code == 429
    assert "ถี่เกินไป" in refused.get_data(as_text=True)
    assert client.get("/auth/register").status_code == 200  # reading the form is not limited
    with app.app_context():
        db.engine.dispose()


# IDOR --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("username", ["teacher1", "supervisor1", "director1", "schooldirector1"])
def test_admin_routes_with_other_ids_change_nothing_for_non_admins(login_as, demo_app, username):
    client = login_as(username)
    with demo_app.app_context():
        victim, own = _user("teacher2"), _user(username)
        victim_id, own_id, victim_email = victim.id, own.id, victim.email
    attempts = [
        (f"/admin/users/{victim_id}/deactivate", {}),
        (f"/admin/users/{victim_id}/reset-password", {"new_password": "Takeover-2569"}),
        (f"/admin/users/{victim_id}/edit", {"email": "attacker@example.com", "role": "admin"}),
        (f"/admin/users/{own_id}/edit", {"role": "admin", "status": "active"}),
    ]
    for url, data in attempts:
        assert client.post(url, data=data).status_code == 403, url
    page = client.get(f"/admin/users/{victim_id}/edit")
    assert page.status_code == 403 and victim_email not in page.get_data(as_text=True)
    with demo_app.app_context():
        victim, own = _user("teacher2"), _user(username)
        assert victim.status == AccountStatus.ACTIVE and victim.email == victim_email
        assert victim.check_password("nitet-demo")
        assert own.role != Role.ADMIN


def test_profile_edits_only_the_logged_in_user_whatever_the_form_says(login_as, demo_app):
    client = login_as("teacher1")
    with demo_app.app_context():
        other = _user("teacher2")
        other_id, other_name = other.id, other.first_name
    form = {
        "title": "",
        "first_name": "ชื่อใหม่",
        "last_name": "นามสกุลใหม่",
        "email": "teacher1@example.ac.th",
        "id": str(other_id),
        "user_id": str(other_id),
        "username": "teacher2",
        "role": "admin",
        "status": "active",
    }
    response = client.post(f"/auth/profile?user_id={other_id}&id={other_id}", data=form)
    assert response.status_code in (200, 302)
    with demo_app.app_context():
        me, other = _user("teacher1"), db.session.get(User, other_id)
        assert other.first_name == other_name and other.username == "teacher2"
        assert me.role == Role.TEACHER and me.username == "teacher1"
        assert me.first_name == "ชื่อใหม่"


def test_nul_characters_are_removed_from_input(login_as, demo_app):
    """PostgreSQL refuses NUL in text; the request strips it from forms, query strings and JSON."""
    client = login_as("teacher1")
    form = {"first_name": "สม\x00ใจ", "last_name": "ใจดี", "email": "teacher1@example.ac.th"}
    assert client.post("/auth/profile", data=form).status_code == 302
    with demo_app.app_context():
        assert _user("teacher1").first_name == "สมใจ"
    preview = client.post("/markdown/preview", json={"text": "a\x00b"})
    assert preview.status_code == 200 and "ab" in preview.get_json()["html"]
    admin = login_as("admin")
    assert admin.get("/admin/users", query_string={"q": "\x00ครู"}).status_code == 200


def test_a_network_name_differing_only_in_non_ascii_case_is_refused_not_a_crash(login_as):
    client = login_as("admin")
    assert client.post("/admin/networks/new", data={"name": "Éa"}).status_code == 302
    again = client.post("/admin/networks/new", data={"name": "Éa"})
    assert again.status_code == 200 and "มีอยู่แล้ว" in again.get_data(as_text=True)
