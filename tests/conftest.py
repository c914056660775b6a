"""Test harness. Every test gets its own database, built from a template that the real migrations
created once per session (so migrations are exercised on every run), and its own data folder.

- `app` / `client`: an empty database (reference data only).
- `demo_app` / `demo_client`: the demo office, schools and accounts loaded.
- `login(client, username)`: logs a demo account in through the real login form.
- `live_server`: the real server (gunicorn, production config, CSRF on) in a subprocess.

Set TEST_DATABASE_URL=postgresql://... to run the same tests against PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import hypothesis
import pytest
import requests

from tests.databases import DatabaseFactory, make_database_factory

# Real Redis for tests (redis_server, redis_url, private_redis) and the report header.
pytest_plugins = ["tests.services"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
DEMO_PASSWORD = "nitet-demo"

# CI runs the same examples every time (a failure there can be replayed); a developer's run
# explores new ones.
hypothesis.settings.register_profile("ci", derandomize=True, database=None)
hypothesis.settings.load_profile("ci" if os.environ.get("CI") else "default")

# Test modules whose behaviour cannot differ between SQLite and PostgreSQL: they exercise files,
# images, PDF and spreadsheet writers, sockets, rendering or pure functions. The PostgreSQL pass
# of `make test` leaves them out; everything that reads or writes through SQL runs on both.
DATABASE_AGNOSTIC_MODULES = {
    "test_archive_bombs.py",  # ZIP readers and memory limits of child processes
    "test_certificate.py",  # PDF rendering and text extraction
    "test_chat_live.py",  # Socket.IO delivery between live clients
    "test_demo_access.py",  # which addresses may use the demo password
    "test_exports.py",  # the Excel/CSV writer
    "test_markdown.py",  # Markdown rendering and sanitising
    "test_search_adversarial.py",  # snippet and query bounds of the search engine
    "test_security_xss.py",  # what user text becomes in pages
    "test_session_revocation_live.py",  # sockets closed at logout
    "test_socket_guard.py",  # WebSocket connection limits
    "test_thai.py",  # Thai date helpers
    "test_uploads.py",  # image processing and file type checks
    "test_youtube.py",  # the YouTube link parser
}


def on_postgresql() -> bool:
    return os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")


def pytest_collection_modifyitems(config, items):
    if not on_postgresql():
        return
    agnostic = [item for item in items if item.path.name in DATABASE_AGNOSTIC_MODULES]
    if agnostic:
        config.hook.pytest_deselected(items=agnostic)
        items[:] = [item for item in items if item.path.name not in DATABASE_AGNOSTIC_MODULES]


def _testing_config(data_dir: Path, database_url: str):
    from config import TestingConfig

    os.environ["NITET_DATA_DIR"] = str(data_dir)
    config = TestingConfig()
    config.DATA_DIR = str(data_dir)
    config.UPLOAD_DIR = str(data_dir / "uploads")
    config.SEARCH_INDEX_DIR = str(data_dir / "search-index")
    config.SQLALCHEMY_DATABASE_URI = database_url
    return config


def build_app(data_dir: Path, database_url: str, **overrides):
    from nitet_online import create_app

    config = _testing_config(data_dir, database_url)
    for key, value in overrides.items():
        setattr(config, key, value)
    return create_app(config)


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> Iterator[DatabaseFactory]:
    """Builds the empty and the demo templates once; hands out fresh copies."""
    root = tmp_path_factory.mktemp("db-templates")
    factory = make_database_factory(root)

    def prepare(url: str, with_demo: bool) -> None:
        from flask_migrate import upgrade

        app = build_app(root / ("demo" if with_demo else "empty"), url)
        with app.app_context():
            upgrade()
            if with_demo:
                from nitet_online.demo import seed_demo

                seed_demo()
            from nitet_online.extensions import db

            db.session.remove()
            db.engine.dispose()

    factory.build_templates(prepare)
    # Demo content includes uploaded files (photos, PDFs); each demo copy gets them too.
    factory.demo_uploads = root / "demo" / "uploads"
    yield factory
    factory.close()


def copy_demo_uploads(databases: DatabaseFactory, data_dir: Path) -> None:
    """Hard links to the demo's stored files (uploads never change once written), so a demo
    database copy finds the files its rows name."""
    source = getattr(databases, "demo_uploads", None)
    if source is not None and source.exists():
        shutil.copytree(source, data_dir / "uploads", copy_function=os.link, dirs_exist_ok=True)


def _make_app(databases: DatabaseFactory, tmp_path: Path, with_demo: bool, **overrides):
    url = databases.fresh(with_demo)
    if with_demo:
        copy_demo_uploads(databases, tmp_path / "data")
    app = build_app(tmp_path / "data", url, **overrides)
    return app


def _teardown(app) -> None:
    from nitet_online.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(databases, tmp_path):
    application = _make_app(databases, tmp_path, with_demo=False)
    yield application
    _teardown(application)


@pytest.fixture
def demo_app(databases, tmp_path):
    application = _make_app(databases, tmp_path, with_demo=True)
    yield application
    _teardown(application)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


@pytest.fixture
def app_context(demo_app):
    with demo_app.app_context():
        yield demo_app


def login(client, username: str, password: str = DEMO_PASSWORD, follow: bool = True):
    """Logs in through the real form; returns the response."""
    return client.post(
        "/auth/login",
        data={"login": username, "password": password},
        follow_redirects=follow,
    )


@pytest.fixture
def login_as(demo_client):
    """login_as("teacher1") → the demo client, logged in as that account."""

    def _login(username: str):
        demo_client.post("/auth/logout")
        response = login(demo_client, username, follow=False)
        assert response.status_code == 302, f"could not log in as {username}"
        return demo_client

    return _login


# The real server ------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-3000:] if log_path.exists() else ""


def became_healthy(
    process: subprocess.Popen, url: str, log_path: Path, timeout: float = 30
) -> bool:
    """Waits until the server at `url` answers /healthz with 200 (True) or `timeout` passes
    (False); raises when the server process exits first, with the end of its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_tail(log_path)}")
        try:
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return False


class LiveServer:
    """gunicorn serving the app (production config, CSRF and secure cookies as in production)."""

    def __init__(self, data_dir: Path, database_url: str, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        self.data_dir = data_dir
        self.log_path = data_dir / "server.log"
        environment = {
            **os.environ,
            "NITET_DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url,
            "NITET_CONFIG": "production",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "NITET_ACCESS_LOG": "0",
            **(env or {}),
        }
        environment.pop("TEST_DATABASE_URL", None)
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        if not became_healthy(self.process, self.url, self.log_path):
            self.stop()
            raise RuntimeError(f"server did not become healthy: {log_tail(self.log_path)}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log.close()


@pytest.fixture(scope="module")
def live_server(databases, tmp_path_factory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("live")
    copy_demo_uploads(databases, data_dir)
    server = LiveServer(data_dir, databases.fresh(with_demo=True))
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def copy_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
