"""Wrong passwords slow down that address for that account, not the account for everyone (issue
12, finding 5): the owner still logs in from their own address while guesses from another one wait
ever longer; nothing in the answer tells an existing account from an unknown one; registration
does not say whether a username or an e-mail address is already registered."""

from __future__ import annotations

import re

import pytest

from nitet_online.accounts import services, throttle
from nitet_online.accounts.models import User
from nitet_online.extensions import db
from tests.conftest import DEMO_PASSWORD

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"
WRONG = "not-the-password-1"


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand: clock.now += seconds."""

    class Clock:
        now = 1_900_000_000.0

    moved = Clock()
    monkeypatch.setattr(throttle, "clock", lambda: moved.now)
    return moved


def attempt(client, login: str, password: str, address: str):
    return client.post(
        "/auth/login",
        data={"login": login, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_ten_wrong_passwords_from_one_address_do_not_stop_the_owner_elsewhere(demo_app, clock):
    attacker, owner = demo_app.test_client(), demo_app.test_client()
    for username in ("teacher1", "admin"):
        for _ in range(10):
            attempt(attacker, username, WRONG, ATTACKER)
            clock.now += 3600  # even waiting out every delay, guesses stay guesses
        response = attempt(owner, username, DEMO_PASSWORD, OWNER)
        assert response.status_code == 302, f"{username} could not log in from their address"
        owner.post("/auth/logout")


def test_the_delay_from_one_address_grows_and_refuses_even_the_right_password(demo_app, clock):
    client = demo_app.test_client()
    free = demo_app.config["LOGIN_FREE_FAILURES"]
    for _ in range(free):
        assert attempt(client, "teacher2", WRONG, ATTACKER).status_code == 200
    waits = []
    for _ in range(4):
        refused = attempt(client, "teacher2", DEMO_PASSWORD, ATTACKER)
        assert refused.status_code == 429
        assert "กรุณารอ" in refused.get_data(as_text=True)
        waits.append(int(refused.headers["Retry-After"]))
        clock.now += waits[-1]  # the wait is over: one more guess is allowed
        assert attempt(client, "teacher2", WRONG, ATTACKER).status_code == 200
    assert waits == sorted(waits) and waits[-1] >= 4 * waits[0], waits
    assert waits[0] == demo_app.config["LOGIN_DELAY_SECONDS"]
    # Once the wait is over, the right password works, and clears the count for this address.
    clock.now += int(attempt(client, "teacher2", WRONG, ATTACKER).headers["Retry-After"])
    assert attempt(client, "teacher2", DEMO_PASSWORD, ATTACKER).status_code == 302
    client.post("/auth/logout")
    assert attempt(client, "teacher2", WRONG, ATTACKER).status_code == 200


def test_the_delay_has_a_ceiling(demo_app, clock):
    demo_app.config["LOGIN_MAX_DELAY_SECONDS"] = 600
    client = demo_app.test_client()
    for _ in range(30):
        response = attempt(client, "teacher2", WRONG, ATTACKER)
        if response.status_code == 429:
            assert int(response.headers["Retry-After"]) <= 600
            clock.now += int(response.headers["Retry-After"])


def _normalised(response, typed: str) -> tuple:
    """The answer without what differs by design: the name as typed, the random CSRF token."""
    body = response.get_data(as_text=True).replace(f'value="{typed}"', 'value="…"')
    body = re.sub(r'(csrf[-_]token"[^>]*(?:content|value)=")[^"]*', r"\1…", body)
    return response.status_code, response.headers.get("Retry-After"), body


@pytest.mark.parametrize("known", ["teacher1", "teacher1@nitet.example"])
def test_unknown_and_existing_accounts_get_the_same_answers(demo_app, clock, known):
    first, second = demo_app.test_client(), demo_app.test_client()
    unknown = "nobody.here" if "@" not in known else "nobody@nitet.example"
    for number in range(12):
        answers = [
            _normalised(attempt(first, known, WRONG, ATTACKER), known),
            _normalised(attempt(second, unknown, WRONG, ATTACKER), unknown),
        ]
        assert answers[0] == answers[1], f"attempt {number + 1} differs"
        clock.now += 20
    assert "ถูกล็อก" not in answers[0][2] and known not in answers[0][2]


def test_an_unknown_account_costs_a_password_check_like_a_real_one(demo_app, monkeypatch):
    checked = []
    real_check = services.check_password_hash

    def spy(stored_hash, password):
        checked.append(stored_hash)
        return real_check(stored_hash, password)

    monkeypatch.setattr(services, "check_password_hash", spy)
    monkeypatch.setattr("nitet_online.accounts.models.check_password_hash", spy)
    client = demo_app.test_client()
    attempt(client, "teacher1", WRONG, ATTACKER)
    attempt(client, "nobody.here", WRONG, ATTACKER)
    assert len(checked) == 2
    with demo_app.app_context():
        real = db.session.query(User).filter_by(username="teacher1").one().password_hash
    method = lambda hashed: hashed.split("$", 1)[0]  # noqa: E731
    assert method(checked[1]) == method(checked[0]) == method(real)


def test_registration_does_not_say_which_username_or_address_is_taken(demo_client):
    from tests.test_accounts import _registration

    answers = {}
    for case, overrides in {
        "username": {"username": "Teacher1"},
        "e-mail": {"email": "TEACHER1@nitet.example"},
        "both": {"username": "teacher1", "email": "teacher1@nitet.example"},
    }.items():
        response = demo_client.post("/auth/register", data=_registration(**overrides))
        page = response.get_data(as_text=True)
        assert response.status_code == 200, case
        assert "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว" not in page and "ลงทะเบียนไว้แล้ว" not in page
        assert "is-invalid" not in page, f"{case}: a field is marked"
        message = re.search(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', page, re.S)
        answers[case] = message.group(1).strip() if message else None
    assert answers["username"] and len(set(answers.values())) == 1, answers
    assert "ชื่อผู้ใช้หรืออีเมล" in answers["username"]


def test_registration_only_looks_for_a_clash_once_the_rest_is_right(demo_client):
    from tests.test_accounts import _registration

    page = demo_client.post(
        "/auth/register", data=_registration(username="teacher1", password="short", confirm="x")
    ).get_data(as_text=True)
    assert "รหัสผ่านต้องยาวอย่างน้อย" in page
    assert "ชื่อผู้ใช้หรืออีเมล" not in page
