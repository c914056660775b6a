"""Demo accounts on a network (issue 12, finding 11): the demo password is public, so the demo
accounts log in only where the site cannot be reached from elsewhere (the embedded default on
127.0.0.1), or where the operator says NITET_DEMO_PUBLIC=1; a site others can reach that holds
the demo data says so on every page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from nitet_online.accounts import demo_access
from nitet_online.accounts.models import User
from nitet_online.extensions import db
from tests.conftest import DEMO_PASSWORD

BANNER = "เว็บไซต์นี้มีข้อมูลตัวอย่าง"
REFUSED = "บัญชีทดลองของข้อมูลตัวอย่าง"
PAGES = ("/", "/auth/login", "/news/", "/honours", "/knowledge/", "/manual/")


@pytest.fixture
def site(demo_app):
    """The demo site as `make run` serves it, the operator's settings changed per test."""
    demo_app.config.update(LISTEN_HOST="127.0.0.1", DEMO_PUBLIC=False, TRUSTED_PROXIES=0)
    demo_access.forget_presence()
    yield demo_app
    demo_access.forget_presence()


def _log_in(client, username="admin", password=DEMO_PASSWORD, **request):
    return client.post("/auth/login", data={"login": username, "password": password}, **request)


def test_on_loopback_demo_logins_work_and_no_banner(site):
    client = site.test_client()
    for page in PAGES:
        assert BANNER not in client.get(page).get_data(as_text=True), page
    response = _log_in(client)
    assert response.status_code == 302
    assert BANNER not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7", "nitet.example.go.th"])
def test_listening_beyond_loopback_refuses_demo_logins_and_shows_the_banner(site, host):
    site.config["LISTEN_HOST"] = host
    client = site.test_client()
    response = _log_in(client, "admin")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert REFUSED in page and "NITET_DEMO_PUBLIC=1" in page
    assert "/auth/logout" not in client.get("/").get_data(as_text=True)  # not logged in
    for page_path in PAGES:
        assert BANNER in client.get(page_path).get_data(as_text=True), page_path


def test_a_client_from_another_address_is_refused_even_on_loopback(site):
    """nginx on this machine in front of a server on 127.0.0.1, NITET_TRUSTED_PROXIES unset: the
    forwarding header marks someone else's request; with the proxy trusted, its address counts."""
    client = site.test_client()
    proxied = {"headers": {"X-Forwarded-For": "203.0.113.9"}}
    assert _log_in(client, **proxied).status_code == 403
    assert BANNER in client.get("/", **proxied).get_data(as_text=True)
    remote = {"environ_base": {"REMOTE_ADDR": "203.0.113.9"}}
    assert _log_in(client, **remote).status_code == 403


def test_demo_public_lets_demo_accounts_log_in_and_keeps_the_banner(site):
    site.config.update(LISTEN_HOST="0.0.0.0", DEMO_PUBLIC=True)
    client = site.test_client()
    assert _log_in(client, "teacher1").status_code == 302
    assert BANNER in client.get("/").get_data(as_text=True)


def test_other_passwords_still_log_in_and_no_banner_once_demo_passwords_changed(site):
    site.config["LISTEN_HOST"] = "0.0.0.0"
    with site.app_context():
        for user in db.session.scalars(sa.select(User).where(User.username.like("%1"))):
            user.set_password("a-private-passw0rd")
        admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
        admin.set_password("another-private-passw0rd")
        db.session.commit()
    client = site.test_client()
    # Accounts that kept the public password are still refused; the others log in.
    assert _log_in(client, "teacher2").status_code == 403
    assert _log_in(client, "teacher1", "a-private-passw0rd").status_code == 302
    client.post("/auth/logout")
    demo_access.forget_presence()
    with site.app_context():
        for user in db.session.scalars(sa.select(User)):
            user.set_password("a-private-passw0rd")
        db.session.commit()
    assert BANNER not in client.get("/").get_data(as_text=True)
