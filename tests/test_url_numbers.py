"""Numbers in URLs that no database column can hold (issue 12, finding 9).

`?page=99999999999999999999` used to reach SQLite/PostgreSQL and fail there (integer overflow, a
500) on 16 endpoint/parameter pairs, and so did `/news/99999999999999999999`. Every GET route is
walked here with each integer parameter set to a huge number, a negative number and junk, and
with each integer path variable set beyond the database's range: never a server error, and the
out-of-range numbers a 400 or 404."""

from __future__ import annotations

import re

from werkzeug.routing import IntegerConverter

from tests.security_policy import ANONYMOUS, ROLES, allowed_roles
from tests.test_security_matrix import _log_in, build_path, route_calls, url_value_provider

HUGE = "99999999999999999999"
BEYOND_POSTGRESQL = "2147483648"  # one more than PostgreSQL's integer (SQLite would store it)
VALUES = (HUGE, BEYOND_POSTGRESQL, "-5", "abc")
PARAMETERS = ("page", "per_page", "area", "grade", "network", "school", "year")
SKIPPED = {"accounts.logout", "static"}

# The pairs that answered 500 before (as the administrator): a number too large for the database
# is a 400 or 404 there.
KNOWN_OVERFLOWS = [
    ("/admin/audit", "page"),
    ("/admin/privacy/requests", "page"),
    ("/admin/schools", "page"),
    ("/admin/schools", "network"),
    ("/admin/users", "page"),
    ("/best-practices", "page"),
    ("/best-practices", "network"),
    ("/best-practices", "school"),
    ("/best-practices", "year"),
    ("/honours", "network"),
    ("/honours", "school"),
    ("/honours", "year"),
    ("/knowledge/", "page"),
    ("/knowledge/mine", "page"),
    ("/knowledge/pending", "page"),
    ("/news/", "page"),
    ("/news/manage", "page"),
    ("/notifications/", "page"),
    ("/questions/", "page"),
    ("/questions/", "area"),
    ("/questions/", "grade"),
    ("/questions/inbox", "page"),
    ("/questions/reports", "page"),
    ("/supervisors/", "area"),
    ("/supervisors/", "network"),
]


def _role_for(call) -> str | None:
    """Who walks the route: the administrator where allowed, else the first role that is."""
    allowed = allowed_roles(call.endpoint, call.method)
    if not allowed:
        return None
    for role in (*[r for r in ROLES if r != ANONYMOUS], ANONYMOUS):
        if role in allowed:
            return role
    return None


def _get_calls(app):
    calls = [
        call
        for call in route_calls(app)
        if call.method == "GET" and call.endpoint not in SKIPPED and _role_for(call) is not None
    ]
    with app.app_context():
        return [(call, _role_for(call), build_path(call)) for call in calls]


def _walk(app, requests_of) -> list[str]:
    """Runs the requests each route gives, grouped by role; returns the server errors."""
    client = app.test_client()
    problems = []
    by_role: dict[str, list] = {}
    for call, role, path in _get_calls(app):
        by_role.setdefault(role, []).append((call, path))
    for role, calls in by_role.items():
        if role == ANONYMOUS:
            with client.session_transaction() as session:
                session.clear()
        else:
            _log_in(client, role)
        for call, path in calls:
            for url, check in requests_of(call, path):
                status = client.get(url).status_code
                problem = check(status)
                if problem:
                    problems.append(f"GET {url} as {role} ({call.endpoint}): {problem}")
    return problems


def _no_server_error(status: int) -> str | None:
    return f"server error {status}" if status >= 500 else None


def test_no_query_parameter_number_makes_a_server_error(demo_app):
    def requests_of(call, path):
        for name in PARAMETERS:
            for value in VALUES:
                yield f"{path}?{name}={value}", _no_server_error

    problems = _walk(demo_app, requests_of)
    assert not problems, "\n".join(problems)


def test_no_path_number_makes_a_server_error_and_too_large_ones_are_404(demo_app):
    def too_large_is_404(status: int) -> str | None:
        return None if status == 404 else f"{status}, expected 404"

    with demo_app.app_context():
        urls = {
            call.rule.rule: [
                _path_with(call, name, value)
                for name in call.rule.arguments
                if type(call.rule._converters[name]).__name__ == "IntegerConverter"
                or isinstance(call.rule._converters[name], IntegerConverter)
                for value in (HUGE, BEYOND_POSTGRESQL)
            ]
            for call, _, _ in _get_calls(demo_app)
        }
    assert sum(len(found) for found in urls.values()) > 50

    def requests_of(call, path):
        for url in urls[call.rule.rule]:
            yield url, too_large_is_404

    problems = _walk(demo_app, requests_of)
    assert not problems, "\n".join(problems)


def _path_with(call, name: str, value: str) -> str:
    """The route's URL with demo values, `name` set to `value` (written out by hand: the rule's
    own converter may refuse to build an out-of-range number)."""
    values = {
        other: str(url_value_provider(call.endpoint, other)())
        for other in call.rule.arguments
        if other != name
    }
    values[name] = value
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], call.rule.rule)


def test_a_number_too_large_for_the_database_is_a_400_or_404(demo_app):
    client = demo_app.test_client()
    _log_in(client, "admin")
    wrong = []
    for path, name in KNOWN_OVERFLOWS:
        for value in (HUGE, BEYOND_POSTGRESQL):
            response = client.get(f"{path}?{name}={value}")
            if response.status_code not in (400, 404):
                wrong.append(f"{path}?{name}={value}: {response.status_code}")
            elif response.status_code == 400:
                assert "มากหรือน้อยเกินไป" in response.get_data(as_text=True)
    assert not wrong, "\n".join(wrong)


def test_news_id_too_large_is_404(demo_client):
    assert demo_client.get(f"/news/{HUGE}").status_code == 404
    assert demo_client.get(f"/news/{BEYOND_POSTGRESQL}").status_code == 404
    assert demo_client.get(f"/news/{HUGE}-some-slug").status_code == 404
