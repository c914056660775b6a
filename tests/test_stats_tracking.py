"""Recording visits: who is counted (not bots, not health checks), unique visitors by a daily
salted hash across a day boundary, referrer and device classes, role and school of logged-in
views, and the background writer."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.stats import queries
from nitet_online.stats.classify import device_class, is_bot, referrer_class
from nitet_online.stats.models import PageView, VisitorSalt
from nitet_online.stats.services import track_download, track_view, view_count
from nitet_online.stats.tracking import build_row, local_day, recorder
from tests.conftest import build_app, login
from tests.stats_data import BROWSER, PHONE, all_views


# Classification -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (Linux) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32",
        "",
    ],
)
def test_bots_and_scripts_are_recognised(agent):
    assert is_bot(agent)


@pytest.mark.parametrize("agent", [BROWSER, PHONE, "Mozilla/5.0 (iPhone) Line/13.20.0"])
def test_people_are_not_bots(agent):
    assert not is_bot(agent)


@pytest.mark.parametrize(
    ("referrer", "agent", "expected"),
    [
        ("", BROWSER, "direct"),
        ("https://www.google.co.th/search?q=นิเทศ", BROWSER, "search"),
        ("https://www.bing.com/", BROWSER, "search"),
        ("https://l.facebook.com/l.php?u=x", BROWSER, "social"),
        ("https://line.me/R/ti/p/@nitet", BROWSER, "social"),
        ("", "Mozilla/5.0 (iPhone) Mobile Line/13.20.0", "social"),
        ("", "Mozilla/5.0 (iPhone) [FBAN/FBIOS;FBAV/450.0]", "social"),
        ("http://nitet.example:5000/news", BROWSER, "internal"),
        ("https://www.obec.go.th/", BROWSER, "other"),
    ],
)
def test_referrer_classes(referrer, agent, expected):
    assert referrer_class(referrer, "nitet.example:5000", agent) == expected


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (BROWSER, "desktop"),
        (PHONE, "mobile"),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit Chrome/124 Mobile Safari",
            "mobile",
        ),
        ("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)", "tablet"),
        ("Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit Chrome/124 Safari", "tablet"),
    ],
)
def test_device_classes(agent, expected):
    assert device_class(agent) == expected


# Recording through real requests ----------------------------------------------------------------
def test_a_page_view_is_recorded_with_its_classes(app, client):
    response = client.get(
        "/", headers={"User-Agent": PHONE, "Referer": "https://www.google.com/search?q=x"}
    )
    assert response.status_code == 200
    with app.app_context():
        [row] = all_views()
        assert (row.content_type, row.endpoint, row.kind) == ("page", "core.home", "view")
        assert (row.referrer, row.device, row.role, row.school_id) == ("search", "mobile", "", None)
        assert len(row.visitor) == 32


def test_bots_health_checks_and_non_pages_are_not_counted(app, client):
    client.get("/", headers={"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"})
    client.get("/", headers={"User-Agent": ""})
    client.get("/healthz", headers={"User-Agent": BROWSER})
    client.get("/static/css/app.css", headers={"User-Agent": BROWSER})
    client.get("/no-such-page", headers={"User-Agent": BROWSER})
    with app.app_context():
        assert all_views() == []
    client.get("/", headers={"User-Agent": BROWSER})
    with app.app_context():
        assert len(all_views()) == 1


def test_logged_in_views_keep_role_and_school_not_the_person(demo_client, demo_app):
    login(demo_client, "teacher1")
    with demo_app.app_context():
        before = len(all_views())
        teacher = db.session.scalar(select(User).where(User.username == "teacher1"))
        school_id = teacher.school_id
    demo_client.get("/manual/", headers={"User-Agent": BROWSER})
    with demo_app.app_context():
        rows = all_views()[before:]
        assert [(r.endpoint, r.role, r.school_id) for r in rows][-1] == (
            "manual.index",
            "teacher",
            school_id,
        )
        assert not hasattr(PageView, "user_id")


def test_track_view_counts_the_item_instead_of_the_page(app):
    with app.test_request_context("/news/7", headers={"User-Agent": BROWSER}):
        assert track_view("news", 7, owner_id=3)
        assert track_download("news", 7, owner_id=3)
        recorder().flush()
    with app.test_request_context("/news/7", headers={"User-Agent": "curl/8"}):
        assert not track_view("news", 7)
    with app.app_context():
        rows = all_views()
        assert [(r.kind, r.content_type, r.content_id, r.owner_id) for r in rows] == [
            ("view", "news", 7, 3),
            ("download", "news", 7, 3),
        ]
        assert view_count("news", 7) == 1


# Unique visitors --------------------------------------------------------------------------------
def _row_at(app, moment: datetime, address: str, agent: str) -> dict:
    with app.test_request_context(
        "/", headers={"User-Agent": agent}, environ_base={"REMOTE_ADDR": address}
    ):
        return build_row("view", "page", None, None, at=moment)


def test_unique_visitors_across_a_day_boundary(app):
    # 23:50 and 23:59 on 1 March (Bangkok) are one visitor; 00:01 on 2 March is a new day.
    late = datetime(2025, 3, 1, 16, 50)  # UTC = 23:50 in Bangkok
    later = datetime(2025, 3, 1, 16, 59)
    next_day = datetime(2025, 3, 1, 17, 1)  # 00:01 on 2 March in Bangkok
    rows = [
        _row_at(app, late, "10.0.0.5", BROWSER),
        _row_at(app, later, "10.0.0.5", BROWSER),
        _row_at(app, later, "10.0.0.6", BROWSER),  # another computer
    ]
    salt_day_one = None
    with app.app_context():
        salt_day_one = db.session.scalar(select(VisitorSalt.salt))
    rows.append(_row_at(app, next_day, "10.0.0.5", BROWSER))
    assert [row["day"] for row in rows] == [date(2025, 3, 1)] * 3 + [date(2025, 3, 2)]
    assert rows[0]["visitor"] == rows[1]["visitor"] != rows[2]["visitor"]
    # The same person the next day cannot be linked to the day before.
    assert rows[3]["visitor"] != rows[0]["visitor"]
    with app.app_context():
        for row in rows:
            recorder().add(row)
        recorder().flush()
        by_day = queries.unique_visitors_by_day("site", date(2025, 3, 1), date(2025, 3, 2))
        assert by_day == {date(2025, 3, 1): 2, date(2025, 3, 2): 1}
        assert queries.total(date(2025, 3, 1), date(2025, 3, 2)) == 4
        # The first day's salt is gone once the second day's exists: nobody can recompute it.
        salts = db.session.execute(select(VisitorSalt.day, VisitorSalt.salt)).all()
        assert [day for day, _ in salts] == [date(2025, 3, 2)]
        assert salt_day_one not in {salt for _, salt in salts}


def test_local_day_follows_thailand_time():
    assert local_day(datetime(2026, 9, 30, 16, 59)) == date(2026, 9, 30)
    assert local_day(datetime(2026, 9, 30, 17, 0)) == date(2026, 10, 1)
    assert local_day(datetime(2026, 9, 30, 17, 0, tzinfo=UTC)) == date(2026, 10, 1)


# Off the request path -----------------------------------------------------------------------------
def test_background_writer_flushes_in_batches_and_at_close(databases, tmp_path):
    application = build_app(
        tmp_path / "bg",
        databases.fresh(with_demo=False),
        STATS_SYNC_WRITES=False,
        STATS_FLUSH_SECONDS=0.05,
        STATS_AUTO_ROLLUP=False,
    )
    client = application.test_client()
    for _ in range(3):
        assert client.get("/", headers={"User-Agent": BROWSER}).status_code == 200
    with application.app_context():
        deadline = time.monotonic() + 10
        while len(all_views()) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(all_views()) == 3
        rec = recorder()
        assert rec.thread is not None and rec.thread.is_alive()
        # Views still queued when the process ends are written by close().
        with application.test_request_context("/", headers={"User-Agent": BROWSER}):
            track_view("knowledge", 1)
        rec.close()
        assert [r.content_type for r in all_views()][-1] == "knowledge"
        db.session.remove()
        db.engine.dispose()
