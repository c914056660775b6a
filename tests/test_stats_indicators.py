"""Indicators on a fixture with known answers, roll-ups equal to raw counts, retention, fiscal and
academic years, and the `stats rollup` command."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.extensions import db
from nitet_online.org.models import Network, School
from nitet_online.stats import indicators, queries
from nitet_online.stats.models import PageView, RolledDay, Slice
from nitet_online.stats.rollup import roll_up_day, roll_up_pending, watermark
from nitet_online.stats.services import PeriodError, parse_day, parse_period, view_count
from tests.stats_data import insert_views, view

MAY = (date(2025, 5, 1), date(2025, 5, 31))


def _user(username: str, role: Role, school: School | None, last_login: datetime | None) -> User:
    user = User(
        username=username,
        email=f"{username}@example.test",
        first_name=username,
        last_name="ทดสอบ",
        role=role,
        status=AccountStatus.ACTIVE,
        school=school,
        last_login_at=last_login,
        password_hash="x",
    )
    db.session.add(user)
    return user


@pytest.fixture
def known(app):
    """Two networks, three schools, four accounts and views in and around May 2025."""
    with app.app_context():
        north, south = Network(name="เครือข่ายเหนือ"), Network(name="เครือข่ายใต้")
        a = School(code="A1", name="โรงเรียนเอ", network=north)
        b = School(code="B1", name="โรงเรียนบี", network=north)
        c = School(code="C1", name="โรงเรียนซี", network=south)
        db.session.add_all([north, south, a, b, c])
        sup = _user("sup", Role.SUPERVISOR, None, datetime(2025, 5, 15, 2))
        _user("t1", Role.TEACHER, a, datetime(2025, 5, 10, 3))
        _user("t2", Role.TEACHER, b, datetime(2025, 7, 1, 3))
        _user("sd", Role.SCHOOL_DIRECTOR, c, datetime(2025, 5, 20, 3))
        # 30 April 17:30 UTC is already 1 May in Thailand: counts in May.
        _user("early", Role.STAFF, None, datetime(2025, 4, 30, 17, 30))
        db.session.commit()
        d5, d6, d25 = date(2025, 5, 5), date(2025, 5, 6), date(2025, 5, 25)
        k = {"owner_id": sup.id}
        insert_views(
            [
                view(date(2025, 4, 30), "v6"),
                view(d5, "v1", referrer="social", device="mobile", endpoint="core.home"),
                view(d5, "v1", referrer="social", device="mobile", endpoint="core.home"),
                view(
                    d5,
                    "v2",
                    content_type="knowledge",
                    content_id=1,
                    role="teacher",
                    school_id=a.id,
                    referrer="search",
                    **k,
                ),
                view(
                    d5,
                    "v2",
                    kind="download",
                    content_type="knowledge",
                    content_id=1,
                    role="teacher",
                    school_id=a.id,
                    **k,
                ),
                view(d6, "v1", content_type="knowledge", content_id=1, **k),
                view(
                    d6,
                    "v3",
                    content_type="knowledge",
                    content_id=2,
                    role="school_director",
                    school_id=c.id,
                    **k,
                ),
                view(
                    d6,
                    "v3",
                    content_type="supervisor",
                    content_id=sup.id,
                    role="school_director",
                    school_id=c.id,
                    **k,
                ),
                view(d25, "v1", content_type="knowledge", content_id=2, **k),
                view(d25, "v4", content_type="supervisor", content_id=sup.id, **k),
                view(d25, "v4", kind="download", content_type="news", content_id=9, **k),
                view(date(2025, 6, 2), "v5", content_type="knowledge", content_id=1, **k),
            ]
        )
        yield {"sup": sup.id, "a": a.id, "b": b.id, "c": c.id}


@pytest.fixture(params=["raw", "mixed", "rolled"])
def stored(request, known, app):
    """The same data read from raw views only, roll-ups up to 19 May plus raw, or roll-ups only."""
    with app.app_context():
        if request.param == "mixed":
            roll_up_pending(date(2025, 5, 20))
            assert watermark() == date(2025, 5, 6)
        elif request.param == "rolled":
            roll_up_pending(date(2025, 7, 1))
            assert watermark() == date(2025, 6, 2)
        yield known


def test_site_visitors(app, stored):
    with app.app_context():
        result = indicators.site_visitors(*MAY)
        assert result.value == 6  # 2 + 2 + 2 distinct visitors on the three days
        assert result.figures[0][1] == 8  # views (downloads are not views)
        trend, sources, devices = result.tables
        assert len(trend.rows) == 31  # a month is shown day by day
        assert [row for row in trend.rows if row[1]] == [
            ["5 พ.ค.", 2, 3],
            ["6 พ.ค.", 2, 3],
            ["25 พ.ค.", 2, 2],
        ]
        year = indicators.site_visitors(date(2025, 1, 1), date(2025, 12, 31)).tables[0]
        assert [row for row in year.rows if row[1]] == [
            ["เม.ย. 2568", 1, 1],
            ["พ.ค. 2568", 6, 8],
            ["มิ.ย. 2568", 1, 1],
        ]
        social = next(row for row in sources.rows if row[0].startswith("สื่อสังคม"))
        assert social[1:] == [2, 1]
        mobile = next(row for row in devices.rows if row[0] == "โทรศัพท์มือถือ")
        assert mobile[1:] == [2, 1]


def test_knowledge_repository(app, stored):
    with app.app_context():
        result = indicators.knowledge_repository(*MAY)
        assert result.value == 4  # 1 on the 5th, 2 on the 6th, 1 on the 25th
        assert result.figures == [
            ("การเข้าชมคลังความรู้", 4, "ครั้ง"),
            ("ดาวน์โหลดจากคลังความรู้", 1, "ครั้ง"),
        ]
        top = result.tables[1]
        assert sorted((row[2], row[3]) for row in top.rows) == [("#1", 2), ("#2", 2)]


def test_downloads(app, stored):
    with app.app_context():
        result = indicators.downloads(*MAY)
        assert result.value == 2
        assert sorted(row[:2] for row in result.tables[0].rows) == [["ข่าวสาร", 1], ["คลังความรู้", 1]]


def test_active_users_by_role(app, stored):
    with app.app_context():
        result = indicators.active_users(*MAY)
        assert result.value == 4  # sup, t1, sd and "early" (1 May in Thailand); not t2 (July)
        rows = {row[0]: row[1:] for row in result.tables[0].rows}
        assert rows["ครู"] == [2, 1, 2, 1]  # 2 accounts, 1 logged in, 2 views (incl. download)
        assert rows["ผู้บริหารสถานศึกษา"] == [1, 1, 2, 1]
        assert rows["ผู้ดูแลระบบ"] == [0, 0, 0, 0]
        assert rows["ผู้เข้าชมทั่วไป (ไม่ได้เข้าสู่ระบบ)"][2:] == [6, 4]


def test_participation_per_school_and_network(app, stored):
    with app.app_context():
        result = indicators.participation(*MAY)
        assert result.value == 2  # schools A and C took part
        networks, schools = result.tables
        assert {row[0]: row[1:] for row in schools.rows} == {
            "โรงเรียนเอ": ["เครือข่ายเหนือ", 1, 1, 2, 1],
            "โรงเรียนซี": ["เครือข่ายใต้", 1, 1, 2, 1],
            "โรงเรียนบี": ["เครือข่ายเหนือ", 1, 0, 0, 0],
        }
        assert {row[0]: row[1:] for row in networks.rows} == {
            "เครือข่ายเหนือ": [2, 2, 1, 2, 1],
            "เครือข่ายใต้": [1, 1, 1, 2, 1],
        }


def test_personal_sites(app, stored):
    with app.app_context():
        result = indicators.personal_sites(*MAY)
        [row] = result.tables[0].rows
        assert row[1:] == [2, 4, 2, 5]  # page views, content views, downloads, visitors
        assert result.value == 6


def test_view_count_spans_rollups_and_raw(app, stored):
    with app.app_context():
        assert view_count("knowledge", 1) == 3  # 5 May, 6 May, 2 June
        assert view_count("knowledge", 2) == 2


def test_rollup_equals_raw_counts(app, known):
    app.config["STATS_RAW_RETENTION_DAYS"] = 100_000
    groupings = [
        ["day"],
        ["content_type", "content_id"],
        ["owner_id", "endpoint"],
        ["content_type"],
    ]
    families = ["site", "type", "owner", "role", "school", "referrer", "device", "item"]
    ranges = [
        (date(2025, 1, 1), date(2025, 12, 31)),  # whole months: month rows
        (date(2025, 4, 30), date(2025, 6, 2)),  # uneven edges: day rows and month rows
        (date(2025, 5, 6), date(2025, 5, 25)),  # inside one month: day rows
    ]
    with app.app_context():

        def snapshot() -> list:
            figures = []
            for period in ranges:
                for dims in groupings:
                    for kind in ("view", "download", None):
                        figures.append(queries.aggregate(dims, *period, kind=kind))
                for family in families:
                    figures.append(queries.slices(family, *period))
                    figures.append(
                        {d: vars(c) for d, c in queries.slices_by_day(family, *period).items()}
                    )
            return figures

        before = snapshot()
        roles = queries.slices("role", *ranges[0])
        assert (roles[""].views, roles[""].downloads, roles[""].visitors) == (7, 1, 6)
        items = queries.slices("item", *ranges[0])
        assert (items["knowledge:1"].views, items["knowledge:1"].visitors) == (3, 3)
        report = roll_up_pending(date(2025, 12, 31))
        assert report.views == 12 == db.session.scalar(select(func.count()).select_from(PageView))
        assert db.session.scalar(select(func.count()).select_from(RolledDay)) == 5
        months = db.session.scalars(select(Slice.day).where(Slice.grain == "m").distinct())
        assert sorted(months) == [date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)]
        assert snapshot() == before
        # Rolling a day up again gives the same rows.
        rows_before = db.session.scalar(select(func.count()).select_from(Slice))
        roll_up_day(date(2025, 5, 6))
        assert db.session.scalar(select(func.count()).select_from(Slice)) == rows_before
        assert snapshot() == before


def test_raw_views_are_purged_after_retention_but_figures_stay(app, known):
    app.config["STATS_RAW_RETENTION_DAYS"] = 30
    with app.app_context():
        before = indicators.site_visitors(*MAY).value
        report = roll_up_pending(date(2025, 6, 20))  # keeps raw views from 21 May on
        assert report.purged == 8  # 30 April (1), 5 May (4) and 6 May (3) were older
        days = set(db.session.scalars(select(PageView.day)))
        assert days == {date(2025, 5, 25), date(2025, 6, 2)}
        assert indicators.site_visitors(*MAY).value == before
        # Rolling up a purged day again keeps its roll-up instead of emptying it.
        assert roll_up_day(date(2025, 5, 5)) is None
        assert indicators.site_visitors(*MAY).value == before


def test_rollup_command(app, known):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["stats", "rollup"])
    assert result.exit_code == 0, result.output
    assert "rolled up 5 day(s), 12 views; purged 12 raw views older than 90 days" in result.output
    result = runner.invoke(args=["stats", "rollup", "--day", "2025-05-06"])
    assert "raw views of 2025-05-06 were already deleted; its roll-up is kept" in result.output
    app.config["STATS_RAW_RETENTION_DAYS"] = 100_000
    with app.app_context():
        insert_views([view(date(2025, 5, 7), "late")])
    result = runner.invoke(args=["stats", "rollup", "--day", "2025-05-07"])
    assert "rolled up 2025-05-07: 1 views" in result.output
    result = runner.invoke(args=["stats", "rollup", "--day", "6/5/2025"])
    assert result.exit_code != 0 and "ISO 8601" in result.output


def test_automatic_rollup_runs_once_a_day_after_midnight(app, known):
    """The "stats.rollup" background job: due at once the first time a runner sees it, then
    at 00:05 Thailand time each day (STATS_ROLLUP_CRON), once late queued views have arrived."""
    from nitet_online.jobs.runner import Runner

    runner = Runner(app)
    assert runner.tick("stats.rollup", datetime(2025, 5, 19, 17, 10))  # 00:10 on 20 May
    with app.app_context():
        assert watermark() == date(2025, 5, 6)
        assert db.session.scalar(select(func.count()).select_from(RolledDay)) == 3
    assert not runner.tick("stats.rollup", datetime(2025, 5, 20, 10, 0))  # later that day
    assert not runner.tick("stats.rollup", datetime(2025, 5, 20, 17, 4))  # 00:04 on 21 May
    assert runner.tick("stats.rollup", datetime(2025, 5, 20, 17, 5))  # 00:05: the next day's
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RolledDay)) == 3


# Periods ------------------------------------------------------------------------------------------
def test_fiscal_year_boundaries(app):
    period = parse_period({"fy": "2570"})
    assert (period.start, period.end) == (date(2026, 10, 1), date(2027, 9, 30))
    assert period.label.startswith("ปีงบประมาณ 2570 (1 ตุลาคม 2569")
    with app.app_context():
        insert_views(
            [
                view(date(2026, 9, 30), "a"),
                view(date(2026, 10, 1), "b"),
                view(date(2026, 10, 1), "c"),
            ]
        )
        last_year = parse_period({"fy": "2569"})
        assert indicators.site_visitors(last_year.start, last_year.end).value == 1
        assert indicators.site_visitors(period.start, period.end).value == 2


def test_academic_year_and_default_period():
    period = parse_period({"ay": "2569"})
    assert (period.start, period.end) == (date(2026, 5, 16), date(2027, 5, 15))
    default = parse_period({}, today=date(2026, 10, 1))
    assert (default.kind, default.year) == ("fiscal", 2570)
    assert parse_period({"fy": "2026"}).year == 2569  # a Gregorian year is understood


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"from": "2026-13-01", "to": "2026-12-31"}, "ไม่มีวันที่"),
        ({"from": "1/10/2026", "to": "2026-12-31"}, "ปี 2026 เป็นปี ค.ศ."),
        ({"from": "พรุ่งนี้", "to": "2026-12-31"}, "กรุณากรอกวันที่แบบ วัน/เดือน/ปี พ.ศ."),
        ({"from": "2026-12-31", "to": "2026-01-01"}, "วันเริ่มต้นต้องไม่อยู่หลังวันสิ้นสุด"),
        ({"from": "2026-01-01"}, "กรุณาระบุทั้งวันเริ่มต้น"),
        ({"fy": "สองพัน"}, "ปีงบประมาณไม่ถูกต้อง"),
    ],
)
def test_bad_periods_get_thai_messages(args, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(args)


def test_buddhist_era_dates_are_accepted():
    assert parse_day("2569-10-01") == date(2026, 10, 1)
