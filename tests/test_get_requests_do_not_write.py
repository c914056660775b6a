"""Reading a page changes nothing: every GET route, for several roles, runs without a single
INSERT, UPDATE or DELETE, except the visit counters (statistics tracking). Work that used to ride
on page views (telling followers of a scheduled news post once it is due, making a supervisor's
missing page, rolling up statistics) belongs to the background jobs (nitet_online/jobs/).

A statement listener on the app's engine records every write statement run while a GET (or HEAD)
request is being handled; the walk reuses tests/test_security_matrix.py's routes and demo values.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import has_request_context, request

from nitet_online.extensions import db
from nitet_online.services.thai import utcnow
from tests.security_policy import ADMIN, ANONYMOUS, DIRECTOR, SUPERVISOR, TEACHER, allowed_roles
from tests.test_security_matrix import _log_in, build_path, route_calls

# Visit counting writes on page views by design (stats/tracking.py): raw views and the day's salt,
# and the counters an item keeps for sorting its list (knowledge: views and downloads).
VISIT_TABLES = {"stats_view", "stats_salt"}
VISIT_COUNTERS = {"view_count", "download_count"}
WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+\"?(\w+)",
    re.IGNORECASE,
)
SET_CLAUSE = re.compile(r"\bSET\s+(.*?)(?:\s+WHERE\b|$)", re.IGNORECASE | re.DOTALL)
ASSIGNMENT = re.compile(r"(?:^|,)\s*\"?(\w+)\"?\s*=\s*([^,]*)")


def is_visit_count(statement: str, table: str) -> bool:
    """A raw view, or an UPDATE that only adds to an item's counters (its "last edited" time
    written back unchanged)."""
    if table.lower() in VISIT_TABLES:
        return True
    clause = SET_CLAUSE.search(statement)
    if not statement.lstrip().upper().startswith("UPDATE") or clause is None:
        return False
    for column, value in ASSIGNMENT.findall(clause.group(1)):
        kept = column == "updated_at" and value.strip() == f"{table}.updated_at"
        if column not in VISIT_COUNTERS and not kept:
            return False
    return True


WALKING_ROLES = (ANONYMOUS, ADMIN, DIRECTOR, SUPERVISOR, TEACHER)


class WriteRecorder:
    """Write statements run during GET/HEAD requests: (method path, table, statement)."""

    def __init__(self) -> None:
        self.writes: list[tuple[str, str, str]] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not has_request_context() or request.method not in ("GET", "HEAD"):
            return
        match = WRITE.match(statement)
        if match and not is_visit_count(statement, match.group(1)):
            where = f"{request.method} {request.full_path.rstrip('?')}"
            self.writes.append((where, match.group(1), " ".join(statement.split())[:160]))

    def report(self) -> str:
        return "\n".join(f"{where}: {table}: {sql}" for where, table, sql in self.writes)


@pytest.fixture
def writes(demo_app):
    recorder = WriteRecorder()
    with demo_app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", recorder)
    yield recorder
    sa.event.remove(engine, "before_cursor_execute", recorder)


def _lazy_state(app) -> dict[str, str]:
    """What page views used to complete by themselves: a news post of supervisor1 that became due
    without its followers being told, and an active supervisor without a page yet."""
    from nitet_online.accounts.models import AccountStatus, Role, User
    from nitet_online.news.models import NewsCategory, NewsPost, NewsStatus
    from nitet_online.supervisors.models import SupervisorProfile

    with app.app_context():
        author = db.session.scalar(sa.select(User).where(User.username == "supervisor1"))
        post = NewsPost(
            title="ข่าวตั้งเวลาที่ถึงกำหนดแล้ว",
            body="ผู้ติดตามยังไม่ได้รับแจ้ง",
            category=NewsCategory.ANNOUNCEMENT,
            status=NewsStatus.PUBLISHED,
            publish_at=utcnow() - timedelta(minutes=5),
            author=author,
        )
        newcomer = User(
            username="sn.newcomer",
            email="sn.newcomer@example.go.th",
            first_name="ศึกษานิเทศก์",
            last_name="คนใหม่",
            role=Role.SUPERVISOR,
            status=AccountStatus.ACTIVE,
        )
        newcomer.set_password("nitet-demo-password")
        db.session.add_all([post, newcomer])
        db.session.commit()
        # An account from before pages were made with it (the background job makes its page).
        db.session.execute(sa.delete(SupervisorProfile).where(SupervisorProfile.user == newcomer))
        db.session.commit()
        return {"post": post.url, "newcomer": newcomer.username}


def _get(client, role: str, path: str):
    if role == ANONYMOUS:
        with client.session_transaction() as session:
            session.clear()
    else:
        _log_in(client, role)
    return client.get(path)


@pytest.mark.parametrize("role", WALKING_ROLES)
def test_no_get_request_writes_to_the_database(demo_app, writes, role):
    lazy = _lazy_state(demo_app)
    client = demo_app.test_client()
    calls = [
        c
        for c in route_calls(demo_app)
        if c.method == "GET" and allowed_roles(c.endpoint, c.method) is not None
    ]
    with demo_app.app_context():
        paths = sorted({build_path(call) for call in calls})
    # Pages that once completed missing state: the home page and the news list (due news), the
    # directory and a supervisor's own address (a supervisor without a page yet).
    paths += ["/", "/news/", lazy["post"], "/supervisors/", f"/supervisors/{lazy['newcomer']}"]
    if role == SUPERVISOR:
        paths += ["/supervisors/me", "/supervisors/me/edit"]
    statuses = {}
    for path in paths:
        statuses[path] = _get(client, role, path).status_code
    assert max(statuses.values()) < 500, {p: s for p, s in statuses.items() if s >= 500}
    assert not writes.writes, f"GET requests that wrote ({role}):\n{writes.report()}"


def test_the_recorder_sees_a_write_in_a_get_request(demo_app, writes):
    """The listener itself works: a GET that commits is caught (and a visit is not)."""
    from nitet_online.news.models import NewsPost

    @demo_app.get("/_probe-write")
    def probe():
        db.session.execute(sa.update(NewsPost).values(title=NewsPost.title))
        db.session.commit()
        return "ok"

    client = demo_app.test_client()
    client.get("/manual/")
    assert not writes.writes
    client.get("/_probe-write")
    assert [table for _, table, _ in writes.writes] == ["news_post"]
