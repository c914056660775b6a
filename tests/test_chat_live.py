"""The chat against the real server: gunicorn with the production configuration (CSRF, session
cookies, same-origin Socket.IO), python-socketio's own client over WebSocket, logins over HTTP
with `requests`; and two server processes sharing one database and a real Redis."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
import requests
import socketio
import sqlalchemy as sa

from tests.conftest import LiveServer
from tests.services import csrf_token_in

CHAT_ENV = {
    # Plain-HTTP test server: the session cookie must travel without TLS.
    "NITET_SECURE_COOKIES": "0",
    # A small bucket so that the rate limit test needs few messages (others stay under it).
    "NITET_CHAT_RATE_BURST": "5",
    "NITET_CHAT_RATE_PER_SECOND": "0.2",
}


def wait_for(condition: Callable[[], object], timeout: float = 10, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(message or "condition not met in time")


class Person:
    """A logged-in person: an HTTP session and, once connected, a Socket.IO client that records
    what it receives."""

    def __init__(self, server: LiveServer, username: str, session: requests.Session):
        self.server = server
        self.username = username
        self.http = session
        self.sio: socketio.Client | None = None
        self.received: dict[str, list] = {}
        self.lock = threading.Lock()

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def connect(self) -> Person:
        client = socketio.Client(reconnection=False)

        @client.on("*")
        def record(event, *args):
            with self.lock:
                self.received.setdefault(event, []).append(args[0] if args else None)

        @client.event
        def disconnect(*args):
            with self.lock:
                self.received.setdefault("disconnect", []).append(True)

        client.connect(
            self.server.url,
            headers={"Cookie": self.cookie},
            transports=["websocket"],
            wait_timeout=10,
        )
        self.sio = client
        return self

    def close(self) -> None:
        if self.sio is not None and self.sio.connected:
            self.sio.disconnect()

    def call(self, event: str, data: dict) -> dict:
        assert self.sio is not None
        return self.sio.call(event, data, timeout=10)

    def got(self, event: str) -> list:
        with self.lock:
            return list(self.received.get(event, []))

    def history(self, room_id: int, **params) -> dict:
        response = self.http.get(
            f"{self.server.url}/chat/api/rooms/{room_id}/messages", params=params, timeout=10
        )
        response.raise_for_status()
        return response.json()


def log_in(server: LiveServer, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{server.url}/auth/login", timeout=10)
    response = session.post(
        f"{server.url}/auth/login",
        data={"login": username, "password": "nitet-demo", "csrf_token": csrf_token_in(page.text)},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, f"login of {username} failed: {response.status_code}"
    return session


class People:
    """Log in each account once per server (the login rate limit counts per address)."""

    def __init__(self, server: LiveServer):
        self.server = server
        self.sessions: dict[str, requests.Session] = {}
        self.made: list[Person] = []

    def __call__(self, username: str) -> Person:
        if username not in self.sessions:
            self.sessions[username] = log_in(self.server, username)
        person = Person(self.server, username, self.sessions[username])
        self.made.append(person)
        return person

    def close_all(self) -> None:
        for person in self.made:
            person.close()
        self.made.clear()


@pytest.fixture(scope="module")
def chat_server(databases, tmp_path_factory) -> Iterator[LiveServer]:
    database_url = databases.fresh(with_demo=True)
    server = LiveServer(tmp_path_factory.mktemp("chat-live"), database_url, env=CHAT_ENV)
    server.database_url_for_tests = _sqlalchemy_url(database_url)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def module_people(chat_server) -> Iterator[People]:
    people = People(chat_server)
    yield people
    people.close_all()


@pytest.fixture
def person(module_people) -> Iterator[People]:
    yield module_people
    module_people.close_all()


def room_of(person: Person, url: str) -> int:
    """Opens a room page over HTTP (following the redirect) and returns its id."""
    response = person.http.get(url, timeout=10, allow_redirects=False)
    assert response.status_code == 302, response.status_code
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def direct_room(first: Person, second_username: str) -> int:
    page = first.http.get(f"{first.server.url}/chat/direct?q={second_username}", timeout=10)
    token = csrf_token_in(page.text)
    user_id = _user_id_on_page(page.text)
    response = first.http.post(
        f"{first.server.url}/chat/direct",
        data={"user_id": user_id, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:300]
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def _user_id_on_page(html: str) -> str:
    import re

    match = re.search(r'name="user_id" value="(\d+)"', html)
    assert match, "no person on the page"
    return match.group(1)


# One process ------------------------------------------------------------------------------------
def test_unauthenticated_connect_is_refused(chat_server):
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(chat_server.url, transports=["websocket"], wait_timeout=5)
    assert not client.connected


def test_connect_from_another_origin_is_refused(chat_server, person):
    teacher = person("teacher1")
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            chat_server.url,
            headers={"Cookie": teacher.cookie, "Origin": "http://evil.example"},
            transports=["polling"],
            wait_timeout=5,
        )


def test_joining_a_room_one_is_not_a_member_of_is_refused(chat_server, person):
    outsider = person("teacher2").connect()
    member = person("teacher1").connect()
    # The เขาชัยสน network room: teacher1's school is in it, teacher2's is not.
    room_id = _network_room_id(chat_server, "กลุ่มเครือข่ายเขาชัยสน")
    refused = outsider.call("chat:join", {"room_id": room_id})
    assert refused["ok"] is False and refused["code"] == "forbidden"
    assert "ไม่ได้เป็นสมาชิก" in refused["error"]
    assert member.call("chat:join", {"room_id": room_id})["ok"] is True
    sent = member.call("chat:send", {"room_id": room_id, "body": "สวัสดีเครือข่ายเขาชัยสน"})
    assert sent["ok"]
    # A round trip on the outsider's own connection comes back after anything the server had
    # already queued for it, the room's message included had it leaked.
    assert outsider.call("chat:join", {"room_id": room_id})["ok"] is False
    assert sent["message"]["id"] not in [m["id"] for m in outsider.got("chat:message")]


def _network_room_id(server: LiveServer, name: str) -> int:
    engine = sa.create_engine(server.database_url_for_tests)
    with engine.connect() as connection:
        room_id = connection.execute(
            sa.text(
                "SELECT chat_room.id FROM chat_room JOIN network ON network.id = chat_room.network_id "
                "WHERE network.name = :name"
            ),
            {"name": name},
        ).scalar_one()
    engine.dispose()
    return room_id


def test_reconnect_delivers_missed_messages_exactly_once(chat_server, person):
    supervisor = person("supervisor2").connect()
    teacher = person("teacher2").connect()
    room_id = direct_room(teacher, "supervisor2")
    for person_ in (teacher, supervisor):
        assert person_.call("chat:join", {"room_id": room_id})["ok"]

    sent: list[int] = []

    def say(text: str) -> None:
        ack = supervisor.call("chat:send", {"room_id": room_id, "body": text})
        assert ack["ok"], ack
        sent.append(ack["message"]["id"])

    say("ก่อนหลุด 1")
    say("ก่อนหลุด 2")
    wait_for(lambda: len(teacher.got("chat:message")) >= 2, message="live messages not received")
    # What the page holds, de-duplicated by id as static/js/chat.js does.
    shown: dict[int, dict] = {m["id"]: m for m in teacher.got("chat:message")}

    teacher.close()
    say("ระหว่างหลุด 3")
    say("ระหว่างหลุด 4")

    teacher.received.clear()
    teacher.connect()
    say("หลังต่อใหม่ 5")  # may arrive live and in the catch-up page: shown once all the same
    raw_deliveries = []
    after = max(shown)
    while True:
        page = teacher.history(room_id, after_id=after, limit=2)
        raw_deliveries += page["messages"]
        if page["messages"]:
            after = page["messages"][-1]["id"]
        if not page["has_more"]:
            break
    wait_for(lambda: teacher.got("chat:message"), message="no live message after reconnect")
    raw_deliveries += teacher.got("chat:message")
    for message in raw_deliveries:
        shown.setdefault(message["id"], message)

    assert sorted(shown) == sent  # no gap, nothing extra
    assert [shown[i]["body"] for i in sorted(shown)] == [
        "ก่อนหลุด 1",
        "ก่อนหลุด 2",
        "ระหว่างหลุด 3",
        "ระหว่างหลุด 4",
        "หลังต่อใหม่ 5",
    ]
    fetched_ids = [m["id"] for m in raw_deliveries if m["body"].startswith("ระหว่าง")]
    assert fetched_ids == sent[2:4]  # the missed ones came from the catch-up, exactly once


def test_rate_limit_applies(chat_server, person):
    teacher = person("t005").connect()
    room_id = direct_room(teacher, "supervisor3")
    results = [
        teacher.call("chat:send", {"room_id": room_id, "body": f"ถามข้อ {n}"}) for n in range(6)
    ]
    assert [r["ok"] for r in results] == [True] * 5 + [False]
    assert results[-1]["code"] == "rate_limited"
    assert "ถี่เกินไป" in results[-1]["error"]


def test_a_mention_is_pushed_live_as_a_notification(chat_server, person):
    """notify() stores the notification; its signal, after the commit, reaches the open page."""
    supervisor = person("supervisor4").connect()
    teacher = person("t006").connect()
    room_id = direct_room(teacher, "supervisor4")
    sent = teacher.call("chat:send", {"room_id": room_id, "body": "รบกวนดูแผนการสอนค่ะ @supervisor4"})
    assert sent["ok"], sent
    wait_for(lambda: supervisor.got("notification"), message="no live notification")
    pushed = supervisor.got("notification")[0]
    assert "กล่าวถึงท่าน" in pushed["text"] and pushed["url"].startswith(f"/chat/rooms/{room_id}")
    assert pushed["id"] > 0 and pushed["kind"] == "chat.mention"
    assert teacher.got("notification") == []


def test_a_deactivated_user_is_disconnected(chat_server, person):
    victim = person("t010").connect()
    admin = person("admin")
    user_id = _user_id_by_name(chat_server, "t010")
    page = admin.http.get(f"{chat_server.url}/admin/users/{user_id}/edit", timeout=10)
    response = admin.http.post(
        f"{chat_server.url}/admin/users/{user_id}/deactivate",
        data={"csrf_token": csrf_token_in(page.text)},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302
    wait_for(lambda: victim.got("disconnect"), message="the deactivated user is still connected")
    assert victim.got("account:disabled")
    assert not victim.sio.connected
    again = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        again.connect(
            chat_server.url,
            headers={"Cookie": victim.cookie},
            transports=["websocket"],
            wait_timeout=5,
        )


def _user_id_by_name(server: LiveServer, username: str) -> int:
    engine = sa.create_engine(server.database_url_for_tests)
    with engine.connect() as connection:
        value = connection.execute(
            sa.text('SELECT id FROM "user" WHERE username = :u'), {"u": username}
        ).scalar_one()
    engine.dispose()
    return value


# Several processes through Redis ----------------------------------------------------------------
@pytest.fixture
def two_chat_servers(databases, tmp_path, redis_server) -> Iterator[list[LiveServer]]:
    redis_server.flush()
    database_url = databases.fresh(with_demo=True)
    env = {**CHAT_ENV, "REDIS_URL": redis_server.url}
    servers = []
    try:
        for number in range(2):
            folder = tmp_path / f"server{number}"
            folder.mkdir()
            server = LiveServer(folder, database_url, env=env)
            server.database_url_for_tests = _sqlalchemy_url(database_url)
            servers.append(server)
        yield servers
    finally:
        for server in servers:
            server.stop()


def _sqlalchemy_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def test_a_message_crosses_two_server_processes_through_redis(two_chat_servers):
    first, second = two_chat_servers
    on_first, on_second = People(first), People(second)
    try:
        teacher = on_first("teacher1").connect()
        supervisor = on_second("supervisor1").connect()
        room_id = direct_room(teacher, "supervisor1")

        sent = teacher.call("chat:send", {"room_id": room_id, "body": "ข้ามเซิร์ฟเวอร์ค่ะ"})
        assert sent["ok"], sent
        wait_for(
            lambda: any(m["id"] == sent["message"]["id"] for m in supervisor.got("chat:message")),
            message="the message did not reach the other process",
        )
        reply = supervisor.call("chat:send", {"room_id": room_id, "body": "ได้รับแล้วค่ะ"})
        wait_for(
            lambda: any(m["id"] == reply["message"]["id"] for m in teacher.got("chat:message")),
            message="the reply did not come back",
        )

        # Presence agrees across processes: server 1 sees supervisor1, connected to server 2.
        supervisor_id = _user_id_by_name(first, "supervisor1")
        online = teacher.http.get(
            f"{first.url}/chat/api/presence", params={"ids": supervisor_id}, timeout=10
        ).json()["online"]
        assert online == [supervisor_id]

        # Deactivating on server 1 disconnects a socket held by server 2.
        victim = on_second("t011").connect()
        admin = on_first("admin")
        victim_id = _user_id_by_name(first, "t011")
        page = admin.http.get(f"{first.url}/admin/users/{victim_id}/edit", timeout=10)
        admin.http.post(
            f"{first.url}/admin/users/{victim_id}/deactivate",
            data={"csrf_token": csrf_token_in(page.text)},
            timeout=10,
        )
        wait_for(lambda: victim.got("disconnect"), message="not disconnected across processes")
    finally:
        on_first.close_all()
        on_second.close_all()
