"""The permission matrix: every route of the app × every method it accepts × every role, compared
with the intended table in tests/security_policy.py. New routes are picked up from app.url_map by
themselves; a route missing from the table fails test_policy_names_every_route.

Each role walks the routes on its own fresh copy of the demo database (an administrator's empty
POSTs may change data), logged in by putting the account in the session before every request (so a
POST to /auth/logout does not end the walk). The statuses are written to
test-artifacts/security-matrix/<role>.txt.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import Rule

from tests.conftest import ARTIFACTS
from tests.security_policy import (
    ANONYMOUS,
    ROLES,
    URL_VALUES,
    URL_VALUES_BY_ENDPOINT,
    allowed_roles,
)

IGNORED_METHODS = {"HEAD", "OPTIONS"}


@dataclass(frozen=True, eq=False)
class Call:
    endpoint: str
    method: str
    rule: Rule

    def __str__(self) -> str:
        return f"{self.method} {self.rule.rule} ({self.endpoint})"


def route_calls(app: Flask) -> list[Call]:
    calls = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - IGNORED_METHODS):
            calls.append(Call(rule.endpoint, method, rule))
    return sorted(calls, key=lambda call: (call.rule.rule, call.method))


def url_value_provider(endpoint: str, name: str):
    return URL_VALUES_BY_ENDPOINT.get(endpoint, {}).get(name) or URL_VALUES.get(name)


def build_path(call: Call, fallback: bool = False) -> str:
    """The rule's URL with real demo values; with `fallback`, variables without a provider get a
    placeholder (for checks that refuse the request before the view runs, such as CSRF)."""
    values = {}
    for name in call.rule.arguments:
        provider = url_value_provider(call.endpoint, name)
        if provider is None and fallback:
            converter = call.rule._converters.get(name)
            values[name] = 1 if type(converter).__name__ == "IntegerConverter" else "x"
        else:
            values[name] = provider()
    missing = [name for name, value in values.items() if value is None]
    assert not missing, f"{call}: no demo row for {missing} (see URL_VALUES)"
    return call.rule.build(values, append_unknown=False)[1]


def test_policy_names_every_route(demo_app):
    """Every endpoint has a stated permission and every URL variable a demo value."""
    calls = route_calls(demo_app)
    unknown = sorted({str(c) for c in calls if allowed_roles(c.endpoint, c.method) is None})
    no_value = sorted(
        {
            f"{name} in {c.rule.rule} ({c.endpoint})"
            for c in calls
            for name in c.rule.arguments
            if url_value_provider(c.endpoint, name) is None
        }
    )
    assert not unknown, (
        "routes without an entry in tests/security_policy.py POLICY (say who may call them):\n  "
        + "\n  ".join(unknown)
    )
    assert not no_value, (
        "URL variables without a demo value in tests/security_policy.py URL_VALUES:\n  "
        + "\n  ".join(no_value)
    )
    rules = {c.rule.rule for c in calls}
    print(
        f"\npermission matrix: {len(rules)} routes, {len(calls)} route×method pairs × "
        f"{len(ROLES)} roles = {len(calls) * len(ROLES)} checks"
    )


def _log_in(client, username: str) -> None:
    """A new login of the account on the server, as the login form makes (the previous call may
    have logged out, which ends the login it was given)."""
    from nitet_online.accounts.models import User
    from nitet_online.accounts.sessions import open_login
    from nitet_online.extensions import db

    with client.application.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        identity = open_login(user, remember=False)
        db.session.commit()
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = identity
        session["_fresh"] = True


def _verdict(role: str, allowed: bool, method: str, status: int, location: str) -> str | None:
    """None when the answer matches the table; else what is wrong."""
    to_login = status in (301, 302, 303) and "/auth/login" in location
    refused = status in (401, 403) or to_login
    if status >= 500:
        return f"server error {status}"
    if allowed and refused:
        return f"refused ({status} {location}) but the table allows {role}"
    if allowed and status == 404 and method == "GET":
        return "404 for an allowed role (is the demo value in URL_VALUES right?)"
    if not allowed and not (refused or status == 404):
        return f"answered {status} {location} but the table refuses {role}"
    return None


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_every_role_as_the_table_says(demo_app, role):
    client = demo_app.test_client()
    calls = [c for c in route_calls(demo_app) if allowed_roles(c.endpoint, c.method) is not None]
    with demo_app.app_context():
        paths = {call: build_path(call) for call in calls}
    lines, problems = [], []
    for call in calls:
        if role == ANONYMOUS:
            with client.session_transaction() as session:
                session.clear()
        else:
            _log_in(client, role)
        response = client.open(paths[call], method=call.method, data={})
        location = response.headers.get("Location", "")
        allowed = role in allowed_roles(call.endpoint, call.method)
        problem = _verdict(role, allowed, call.method, response.status_code, location)
        verdict = "ok" if problem is None else f"WRONG: {problem}"
        lines.append(
            f"{call.method:6} {paths[call]:50} {'allow' if allowed else 'deny':5} "
            f"{response.status_code} {verdict}"
        )
        if problem:
            problems.append(f"{call} as {role}: {problem}")
    folder = ARTIFACTS / "security-matrix"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{role}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not problems, "\n".join(problems)
