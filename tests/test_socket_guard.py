"""Live connections before anyone is known, against the real server (issue 12 round 2, finding 6):
raw engine.io WebSocket clients written here byte by byte (they do only what a test says, as an
attacker's would), python-socketio's client for logged-in people, and two server processes
sharing Redis.

- an engine.io connection that never sends a Socket.IO connect is closed (its TCP connection too);
- an anonymous Socket.IO connect is refused and the transport closed;
- one address holds at most NITET_SOCKETS_PER_ADDRESS connections; the next is refused, in one
  process and across two processes with Redis.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time
from collections.abc import Iterator

import pytest
import socketio

from tests.conftest import LiveServer
from tests.test_chat_live import log_in, wait_for

AUTH_SECONDS = 2
PER_ADDRESS = 3
GUARD_ENV = {
    "NITET_SECURE_COOKIES": "0",
    "NITET_SOCKET_AUTH_SECONDS": str(AUTH_SECONDS),
    "NITET_SOCKETS_PER_ADDRESS": str(PER_ADDRESS),
}
# Well before engine.io's own ping timeout (25 + 20 s), after which the connection used to stay
# open anyway at the TCP level.
CLOSE_WITHIN = AUTH_SECONDS + 10


class RawWebSocket:
    """An engine.io WebSocket handshake and frames, nothing more (no pong, no reconnect)."""

    def __init__(self, server: LiveServer, cookie: str = "") -> None:
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
            f"Host: localhost:{server.port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
        ]
        if cookie:
            lines.append(f"Cookie: {cookie}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            head += chunk
        head, _, self.buffer = head.partition(b"\r\n\r\n")
        self.status = int(head.split(b" ", 2)[1]) if head else 0
        self.eof = False

    def _fill(self, size: int, deadline: float) -> bool:
        while len(self.buffer) < size:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                return False
            except OSError:
                chunk = b""
            if not chunk:
                self.eof = True
                return False
            self.buffer += chunk
        return True

    def _take(self, size: int) -> bytes:
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def frame(self, timeout: float = 10) -> tuple[int, bytes] | None:
        """(opcode, payload) of the server's next frame; None at the end of the connection or
        when nothing came in time (self.eof tells which)."""
        deadline = time.monotonic() + timeout
        if not self._fill(2, deadline):
            return None
        first, second = self.buffer[0], self.buffer[1]
        length, header = second & 0x7F, 2
        if length == 126:
            if not self._fill(4, deadline):
                return None
            length, header = struct.unpack("!H", self.buffer[2:4])[0], 4
        elif length == 127:
            if not self._fill(10, deadline):
                return None
            length, header = struct.unpack("!Q", self.buffer[2:10])[0], 10
        if not self._fill(header + length, deadline):
            return None
        self._take(header)
        return first & 0x0F, self._take(length)

    def text(self, timeout: float = 10) -> str | None:
        """The next text message (engine.io packet), skipping control frames."""
        deadline = time.monotonic() + timeout
        while (frame := self.frame(max(0.01, deadline - time.monotonic()))) is not None:
            opcode, payload = frame
            if opcode == 0x1:
                return payload.decode()
            if opcode == 0x8:
                return None
        return None

    def send(self, text: str) -> None:
        payload, mask = text.encode(), os.urandom(4)
        masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
        assert len(payload) < 126
        self.sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)

    def closed_by_server(self, timeout: float) -> bool:
        """Reads whatever comes until the server ends the TCP connection (True) or time is up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.frame(max(0.01, deadline - time.monotonic())) is None and self.eof:
                return True
        return False

    def close(self) -> None:
        self.sock.close()


def _connect_person(server: LiveServer, cookie: str) -> socketio.Client:
    client = socketio.Client(reconnection=False)
    client.connect(
        server.url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10
    )
    return client


def _cookie(session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def _connected_when_room(server: LiveServer, cookie: str, timeout: float = 20) -> socketio.Client:
    """A logged-in connection, once the address has room again (earlier connections of this
    address may still be closing)."""
    made: list[socketio.Client] = []

    def attempt() -> bool:
        try:
            made.append(_connect_person(server, cookie))
            return True
        except socketio.exceptions.ConnectionError:
            return False

    wait_for(attempt, timeout=timeout, message="the address never had room again")
    return made[0]


@pytest.fixture(scope="module")
def guarded_server(databases, tmp_path_factory) -> Iterator[LiveServer]:
    server = LiveServer(
        tmp_path_factory.mktemp("socket-guard"), databases.fresh(with_demo=True), env=GUARD_ENV
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def teacher_cookie(guarded_server) -> str:
    return _cookie(log_in(guarded_server, "teacher1"))


def test_a_connection_that_never_sends_a_socketio_connect_is_closed(guarded_server):
    raw = RawWebSocket(guarded_server)
    try:
        assert raw.status == 101
        opened = raw.text()
        assert opened is not None and opened.startswith("0{")  # engine.io OPEN
        assert raw.closed_by_server(CLOSE_WITHIN), "an idle anonymous connection stayed open"
    finally:
        raw.close()


def test_an_anonymous_connect_is_refused_and_the_transport_closed(guarded_server):
    raw = RawWebSocket(guarded_server)
    try:
        assert raw.status == 101
        assert raw.text().startswith("0{")
        raw.send("40")  # Socket.IO CONNECT to "/", no cookie
        refusal = raw.text()
        assert refusal is not None and refusal.startswith("44")  # CONNECT_ERROR
        assert "message" in json.loads(refusal[2:])
        assert raw.closed_by_server(CLOSE_WITHIN), "the refused transport stayed open"
    finally:
        raw.close()


def test_a_logged_in_connection_stays_past_the_deadline(guarded_server, teacher_cookie):
    person = _connected_when_room(guarded_server, teacher_cookie)
    try:
        assert person.call("chat:watch-presence", {"user_ids": []}, timeout=10)["ok"]
        # Past the login deadline the connection is still served.
        deadline = time.monotonic() + AUTH_SECONDS + 2
        wait_for(lambda: time.monotonic() > deadline, timeout=AUTH_SECONDS + 5)
        assert person.connected
        assert person.call("chat:watch-presence", {"user_ids": []}, timeout=10)["ok"]
    finally:
        person.disconnect()


def test_the_next_connection_from_a_full_address_is_refused(guarded_server, teacher_cookie):
    people = [_connected_when_room(guarded_server, teacher_cookie) for _ in range(PER_ADDRESS)]
    try:
        with pytest.raises(socketio.exceptions.ConnectionError):
            _connect_person(guarded_server, teacher_cookie)
        raw = RawWebSocket(guarded_server)
        raw.close()
        assert raw.status == 401  # refused at the handshake: no engine.io session at all
        # A place comes free when one of them leaves.
        people.pop().disconnect()
        people.append(_connected_when_room(guarded_server, teacher_cookie))
    finally:
        for person in people:
            person.disconnect()


# Two processes, one count in Redis ---------------------------------------------------------------
@pytest.fixture
def two_guarded_servers(databases, tmp_path, redis_server) -> Iterator[list[LiveServer]]:
    redis_server.flush()
    database_url = databases.fresh(with_demo=True)
    servers = []
    try:
        for number in range(2):
            folder = tmp_path / f"server{number}"
            folder.mkdir()
            env = {**GUARD_ENV, "REDIS_URL": redis_server.url}
            servers.append(LiveServer(folder, database_url, env=env))
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_the_limit_per_address_counts_every_process(two_guarded_servers):
    first, second = two_guarded_servers
    on_first = _cookie(log_in(first, "teacher1"))
    on_second = _cookie(log_in(second, "teacher2"))
    people = [_connect_person(first, on_first) for _ in range(PER_ADDRESS - 1)]
    people.append(_connect_person(second, on_second))
    try:
        for server, cookie in ((second, on_second), (first, on_first)):
            with pytest.raises(socketio.exceptions.ConnectionError):
                _connect_person(server, cookie)
        people.pop(0).disconnect()  # a place on the first process comes free for the second
        people.append(_connected_when_room(second, on_second))
    finally:
        for person in people:
            person.disconnect()
