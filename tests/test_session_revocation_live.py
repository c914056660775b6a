"""Logging out closes that login's live connections (issue 12, finding 2), against the real server
(gunicorn, production configuration) with python-socketio's own client; across two server
processes through Redis too. A forced password change also holds for Socket.IO events."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import requests
import socketio
import sqlalchemy as sa

from tests.conftest import LiveServer
from tests.services import csrf_token_in
from tests.test_chat_live import (
    CHAT_ENV,
    Person,
    _sqlalchemy_url,
    direct_room,
    log_in,
    wait_for,
)


@pytest.fixture(scope="module")
def server(databases, tmp_path_factory) -> Iterator[LiveServer]:
    database_url = databases.fresh(with_demo=True)
    live = LiveServer(tmp_path_factory.mktemp("revocation"), database_url, env=CHAT_ENV)
    live.database_url_for_tests = _sqlalchemy_url(database_url)
    yield live
    live.stop()


class Devices:
    """Each call logs the account in afresh: a new device (its own login)."""

    def __init__(self, server: LiveServer):
        self.server = server
        self.made: list[Person] = []

    def __call__(self, username: str) -> Person:
        person = Person(self.server, username, log_in(self.server, username))
        self.made.append(person)
        return person

    def close_all(self) -> None:
        for person in self.made:
            person.close()


@pytest.fixture
def device(server) -> Iterator[Devices]:
    devices = Devices(server)
    yield devices
    devices.close_all()


def post_form(person: Person, path: str, page: str = "/auth/profile") -> requests.Response:
    url = person.server.url
    form = person.http.get(f"{url}{page}", timeout=10)
    return person.http.post(
        f"{url}{path}",
        data={"csrf_token": csrf_token_in(form.text)},
        allow_redirects=False,
        timeout=10,
    )


def refused_to_connect(server: LiveServer, cookie: str) -> bool:
    client = socketio.Client(reconnection=False)
    try:
        client.connect(
            server.url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=5
        )
    except socketio.exceptions.ConnectionError:
        return True
    client.disconnect()
    return False


def still_answers(person: Person) -> bool:
    return bool(person.sio.connected and person.call("chat:watch-presence", {})["ok"])


def test_logout_closes_that_logins_sockets_and_no_other(server, device):
    computer, phone = device("teacher1"), device("teacher1")
    cookie = computer.cookie
    computer.connect()
    phone.connect()
    assert still_answers(computer) and still_answers(phone)

    response = post_form(computer, "/auth/logout", page="/auth/logout")
    assert response.status_code == 302
    wait_for(lambda: computer.got("disconnect"), message="the logged-out socket is still open")
    assert not computer.sio.connected
    assert refused_to_connect(server, cookie)  # a copy of the old cookies cannot reconnect
    assert still_answers(phone) and not phone.got("disconnect")


def test_log_out_everywhere_closes_every_device(server, device):
    here, phone, staff_room = device("teacher2"), device("teacher2"), device("teacher2")
    for person in (here, phone, staff_room):
        person.connect()
    assert post_form(here, "/auth/logout-everywhere").status_code == 302
    for person in (here, phone, staff_room):
        wait_for(lambda p=person: p.got("disconnect"), message="a device is still connected")
    assert phone.got("account:logged-out")
    assert refused_to_connect(server, staff_room.cookie)


def _set_must_change_password(server: LiveServer, username: str, value: bool) -> None:
    engine = sa.create_engine(server.database_url_for_tests)
    with engine.begin() as connection:
        connection.execute(
            sa.text('UPDATE "user" SET must_change_password = :v WHERE username = :u'),
            {"v": value, "u": username},
        )
    engine.dispose()


def test_a_forced_password_change_holds_for_chat_events(server, device):
    teacher = device("t012").connect()
    room_id = direct_room(teacher, "supervisor1")
    assert teacher.call("chat:send", {"room_id": room_id, "body": "ก่อนรีเซ็ตรหัสผ่าน"})["ok"]
    _set_must_change_password(server, "t012", True)
    try:
        refused = teacher.call("chat:send", {"room_id": room_id, "body": "หลังรีเซ็ตรหัสผ่าน"})
        assert refused["ok"] is False and refused["code"] == "password_change_required"
        assert "เปลี่ยนรหัสผ่าน" in refused["error"] or "รหัสผ่านใหม่" in refused["error"]
        history = teacher.http.get(
            f"{server.url}/chat/api/rooms/{room_id}/messages", timeout=10, allow_redirects=False
        )
        assert history.status_code == 302  # HTTP says the same
    finally:
        _set_must_change_password(server, "t012", False)
    bodies = [m["body"] for m in teacher.history(room_id)["messages"]]
    assert "หลังรีเซ็ตรหัสผ่าน" not in bodies


# Two server processes through Redis ----------------------------------------------------------
@pytest.fixture
def two_servers(databases, tmp_path, redis_server) -> Iterator[list[LiveServer]]:
    redis_server.flush()
    database_url = databases.fresh(with_demo=True)
    # One key for both, as behind a load balancer: a login made on one is valid on the other.
    env = {**CHAT_ENV, "REDIS_URL": redis_server.url, "SECRET_KEY": secrets.token_urlsafe(48)}
    servers = []
    try:
        for number in range(2):
            folder = tmp_path / f"server{number}"
            folder.mkdir()
            servers.append(LiveServer(folder, database_url, env=env))
        yield servers
    finally:
        for live in servers:
            live.stop()


def test_logout_on_one_process_closes_the_socket_held_by_the_other(two_servers):
    first, second = two_servers
    on_first = Person(first, "teacher1", log_in(first, "teacher1"))
    on_second = Person(second, "teacher1", on_first.http)  # the same login, the other process
    other_login = Person(second, "teacher1", log_in(second, "teacher1"))
    try:
        on_second.connect()
        other_login.connect()
        assert post_form(on_first, "/auth/logout", page="/auth/logout").status_code == 302
        wait_for(lambda: on_second.got("disconnect"), message="not disconnected across processes")
        assert still_answers(other_login)
    finally:
        for person in (on_second, other_login):
            person.close()
