"""Logging out really logs out (issue 12, finding 2): each login is held on the server, so logging
out ends it for every copy of its cookies; a password change or "ออกจากระบบทุกอุปกรณ์" ends every
login of the account; remember-me ends on the server after the set number of days; pages of
logged-in people are not kept by the browser or a proxy."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from nitet_online.accounts import sessions
from nitet_online.services.thai import utcnow
from tests.conftest import DEMO_PASSWORD, login

PROFILE = "/auth/profile"


def _remembered_login(client, username: str = "teacher1") -> str:
    response = client.post(
        "/auth/login", data={"login": username, "password": DEMO_PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    return client.get_cookie("remember_token").value


def _client_with(app, **cookies: str):
    """Another browser that holds only the given cookies (a copy, or a restarted browser)."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def _logged_in(client) -> bool:
    status = client.get(PROFILE).status_code
    assert status in (200, 302), status
    return status == 200


@pytest.fixture
def clock(monkeypatch):
    """Moves the server's clock for the login records: clock.advance(hours=...)."""

    class Clock:
        offset = timedelta()

        def advance(self, **amount) -> None:
            self.offset += timedelta(**amount)

    moved = Clock()
    monkeypatch.setattr(sessions, "utcnow", lambda: utcnow() + moved.offset)
    return moved


def test_logout_clears_the_remember_cookie_and_a_copy_of_it_no_longer_logs_in(demo_app):
    browser = demo_app.test_client()
    remember = _remembered_login(browser)
    assert _logged_in(_client_with(demo_app, remember_token=remember))  # the cookie alone works

    response = browser.post("/auth/logout")
    cleared = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")]
    assert cleared, "logout did not tell the browser to delete the remember cookie"
    assert browser.get_cookie("remember_token") is None
    assert not _logged_in(browser)  # the shared computer is logged out
    assert not _logged_in(_client_with(demo_app, remember_token=remember))


def test_a_session_cookie_copied_before_logout_is_refused_after_it(demo_app, demo_client):
    login(demo_client, "teacher1")
    copied = _client_with(demo_app, session=demo_client.get_cookie("session").value)
    assert _logged_in(copied)
    demo_client.post("/auth/logout")
    assert not _logged_in(copied)


def test_logging_out_on_one_device_keeps_the_others(demo_app):
    computer, phone = demo_app.test_client(), demo_app.test_client()
    login(computer, "teacher1")
    login(phone, "teacher1")
    computer.post("/auth/logout")
    assert not _logged_in(computer)
    assert _logged_in(phone)


def test_a_password_change_ends_every_other_login_remembered_ones_too(demo_app):
    here, elsewhere = demo_app.test_client(), demo_app.test_client()
    login(here, "teacher1")
    remember = _remembered_login(elsewhere)
    elsewhere_session = elsewhere.get_cookie("session").value
    response = here.post(
        "/auth/password",
        data={
            "current_password": DEMO_PASSWORD,
            "new_password": "new-pass-2569",
            "confirm": "new-pass-2569",
        },
    )
    assert response.status_code == 302
    assert _logged_in(here)
    assert not _logged_in(elsewhere)
    assert not _logged_in(_client_with(demo_app, remember_token=remember))
    assert not _logged_in(_client_with(demo_app, session=elsewhere_session))


def test_log_out_everywhere_from_the_profile(demo_app):
    here, phone, staff_room = (demo_app.test_client() for _ in range(3))
    login(here, "teacher1")
    login(phone, "teacher1")
    remember = _remembered_login(staff_room)
    page = here.get(PROFILE).get_data(as_text=True)
    assert "ออกจากระบบทุกอุปกรณ์" in page and 'action="/auth/logout-everywhere"' in page

    response = here.post("/auth/logout-everywhere", follow_redirects=True)
    assert "ออกจากระบบจากทุกอุปกรณ์แล้ว" in response.get_data(as_text=True)
    for client in (here, phone, staff_room, _client_with(demo_app, remember_token=remember)):
        assert not _logged_in(client)
    assert login(here, "teacher1", follow=False).status_code == 302  # and one logs in again


def test_log_out_everywhere_needs_a_login_and_a_post(demo_client):
    assert demo_client.get("/auth/logout-everywhere").status_code == 405
    response = demo_client.post("/auth/logout-everywhere")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_remember_me_ends_on_the_server_after_the_set_days(demo_app, clock):
    demo_app.config["REMEMBER_DAYS"] = 7
    browser = demo_app.test_client()
    remember = _remembered_login(browser)
    clock.advance(days=6)
    assert _logged_in(_client_with(demo_app, remember_token=remember))
    clock.advance(days=1, minutes=1)
    assert not _logged_in(_client_with(demo_app, remember_token=remember))
    assert not _logged_in(browser)  # the session made from it ends too


def test_the_remember_cookie_lasts_as_long_as_the_setting(demo_app):
    demo_app.config["REMEMBER_DAYS"] = 7
    response = demo_app.test_client().post(
        "/auth/login", data={"login": "teacher1", "password": DEMO_PASSWORD, "remember": "y"}
    )
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_"))
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    lasts = expires - datetime.now(UTC)
    assert timedelta(days=6, hours=23) < lasts <= timedelta(days=7), lasts


def test_a_login_without_remember_me_ends_after_hours_without_use(demo_app, clock):
    demo_app.config["LOGIN_IDLE_HOURS"] = 12
    browser = demo_app.test_client()
    login(browser, "teacher1")
    clock.advance(hours=8)
    assert _logged_in(browser)  # in use: the login is extended
    clock.advance(hours=8)
    assert _logged_in(browser)  # 16 hours after logging in, 8 after last use
    clock.advance(hours=12, minutes=1)
    assert not _logged_in(browser)


def test_pages_of_logged_in_people_are_not_stored(demo_client):
    public = demo_client.get("/news/")
    assert public.status_code == 200
    assert "no-store" not in public.headers.get("Cache-Control", "")
    login(demo_client, "teacher1")
    for path in (PROFILE, "/news/", "/"):
        response = demo_client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response.headers.get("Cache-Control", ""), path
    static = demo_client.get("/static/css/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
