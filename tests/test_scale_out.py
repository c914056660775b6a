"""Scale-out mode: the suite's own database, Redis shared by several server processes, and what
happens when Redis goes away and comes back."""

from __future__ import annotations

import os

import pytest
import requests
import sqlalchemy as sa

from nitet_online.extensions import db
from tests.conftest import LiveServer, build_app
from tests.services import csrf_token_in

UNKNOWN_LOGIN = {"login": "nobody-at-all", "password": "not-the-password"}


def test_suite_runs_on_the_database_it_was_asked_for(demo_app):
    wanted = (
        "postgresql" if os.environ.get("TEST_DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    with demo_app.app_context():
        assert db.engine.dialect.name == wanted
        assert db.session.scalar(sa.text('SELECT count(*) FROM "user"')) > 40


def _servers_with_redis(databases, tmp_path, redis_url: str, count: int) -> list[LiveServer]:
    database_url = databases.fresh(with_demo=True)
    env = {"REDIS_URL": redis_url, "NITET_SECURE_COOKIES": "0"}
    servers = []
    for number in range(count):
        folder = tmp_path / f"server{number}"
        folder.mkdir()
        servers.append(LiveServer(folder, database_url, env=env))
    return servers


def _post_login(
    session: requests.Session, server: LiveServer, login: str = UNKNOWN_LOGIN["login"]
) -> requests.Response:
    page = session.get(f"{server.url}/auth/login", timeout=10)
    data = {**UNKNOWN_LOGIN, "login": login, "csrf_token": csrf_token_in(page.text)}
    return session.post(f"{server.url}/auth/login", data=data, timeout=10, allow_redirects=False)


@pytest.fixture
def two_servers(databases, tmp_path, redis_server):
    redis_server.flush()
    servers = _servers_with_redis(databases, tmp_path, redis_server.url, count=2)
    yield servers
    for server in servers:
        server.stop()


def test_login_rate_limit_is_shared_by_two_server_processes(two_servers):
    """RATELIMIT_LOGIN is 20 per minute per address: 10 tries on each process use it all up, so
    both refuse the next one. With per-process memory each would still allow 10 more. (Each try
    names another account: five wrong ones for the same name would make this address wait.)"""
    first, second = two_servers
    sessions = {server: requests.Session() for server in two_servers}
    for number in range(10):
        for server in two_servers:
            response = _post_login(sessions[server], server, f"nobody-{number}-{server.port}")
            assert response.status_code == 200, response.text[:300]
            assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.text
    for server in (first, second):
        refused = _post_login(sessions[server], server)
        assert refused.status_code == 429
        assert "ส่งคำขอถี่เกินไป" in refused.text


def test_wrong_password_delays_are_shared_by_two_server_processes(two_servers):
    """Five wrong passwords for one account from one address, spread over both processes: the
    next try waits on either (the count is in Redis, not in each process)."""
    sessions = {server: requests.Session() for server in two_servers}
    for number in range(5):
        server = two_servers[number % 2]
        assert _post_login(sessions[server], server, "teacher1").status_code == 200
    for server in two_servers:
        refused = _post_login(sessions[server], server, "teacher1")
        assert refused.status_code == 429 and "กรุณารอ" in refused.text


def test_redis_outage_gives_a_thai_503_and_recovers(databases, tmp_path, private_redis):
    (server,) = _servers_with_redis(databases, tmp_path, private_redis.url, count=1)
    session = requests.Session()
    try:
        assert _post_login(session, server).status_code == 200

        private_redis.stop()
        down = _post_login(session, server)
        assert down.status_code == 503
        assert "ไม่ตอบสนองชั่วคราว" in down.text and "Traceback" not in down.text
        assert down.headers["Retry-After"] == "30"
        # Reading does not need Redis and goes on working.
        assert session.get(f"{server.url}/", timeout=10).status_code == 200
        health = session.get(f"{server.url}/healthz", timeout=10)
        assert health.status_code == 200
        assert health.json()["status"] == "degraded" and health.json()["checks"]["redis"] == "error"

        private_redis.start()
        assert session.get(f"{server.url}/healthz", timeout=10).json()["status"] == "ok"
        back = _post_login(session, server)
        assert back.status_code == 200
        assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in back.text
    finally:
        server.stop()
    assert "Redis unavailable on POST /auth/login" in server.log_path.read_text()


def _client_address(app, forwarded: str) -> str:
    from flask import request

    @app.get("/_probe/address")
    def probe_address():
        return request.remote_addr or ""

    response = app.test_client().get("/_probe/address", headers={"X-Forwarded-For": forwarded})
    return response.get_data(as_text=True)


def test_behind_nginx_the_client_address_comes_from_the_proxy(databases, tmp_path):
    app = build_app(tmp_path, databases.fresh(with_demo=False), TRUSTED_PROXIES=1)
    assert _client_address(app, "203.0.113.9") == "203.0.113.9"
    with app.app_context():
        db.engine.dispose()


def test_without_a_proxy_a_forged_forwarded_header_is_ignored(app):
    assert _client_address(app, "203.0.113.9") == "127.0.0.1"
