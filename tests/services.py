"""Real services for tests: a Redis server started from the Debian `redis-server` package.

Loaded as a pytest plugin from tests/conftest.py. Fixtures:

- `redis_server` (session): one redis-server on a free port for the whole run; `redis_url` is its
  URL. Tests that share it should use their own key prefixes or call `redis_server.flush()`.
- `private_redis` (function): a redis-server of the test's own, which the test may stop and start
  again (outage tests) without disturbing others.

PostgreSQL is started outside pytest by scripts/test-postgres.sh (TEST_DATABASE_URL).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REDIS_SERVER = os.environ.get("REDIS_SERVER_PATH") or shutil.which("redis-server") or ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server process on 127.0.0.1 with nothing saved to disk."""

    def __init__(self, folder: Path) -> None:
        if not REDIS_SERVER:
            pytest.fail("redis-server is not installed: run scripts/ensure-system-packages.sh")
        self.folder = folder
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        """Starts (or restarts, on the same port) and waits until it answers PING."""
        if self.process is not None and self.process.poll() is None:
            return
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait(lambda: self.ping(), "redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def flush(self) -> None:
        import redis

        redis.Redis.from_url(self.url).flushall()

    @staticmethod
    def _wait(condition, message: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.05)
        raise RuntimeError(message)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_url(redis_server: RedisServer) -> str:
    return redis_server.url


@pytest.fixture
def private_redis(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    yield server
    server.stop()


def pytest_report_header(config) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if url.startswith("postgres"):
        return "database: PostgreSQL (TEST_DATABASE_URL)"
    return "database: SQLite"


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_in(html: str) -> str:
    """The CSRF token of the first form on a page (for requests against the live server)."""
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)
