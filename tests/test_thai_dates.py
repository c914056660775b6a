"""Dates typed the Thai way (day–month–year, พ.ศ.) in every form; the other era never stored."""

from __future__ import annotations

import importlib.util
import re
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from nitet_online.extensions import db
from nitet_online.honours.models import Honour
from nitet_online.news.models import NewsPost
from nitet_online.services.date_input import (
    DateBounds,
    ThaiDateError,
    format_thai_date,
    parse_iso_date,
    parse_thai_date,
    parse_thai_datetime,
)
from nitet_online.services.thai import today_bangkok
from nitet_online.surveys.models import Survey
from tests.conftest import PROJECT_ROOT, login


# Reading what people type ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed",
    [
        "11/12/2569",
        "11-12-2569",
        "11.12.2569",
        " 11 / 12 / 2569 ",
        "11/12/69",
        "๑๑/๑๒/๒๕๖๙",
        "11 ธันวาคม 2569",
        "11 ธ.ค. 69",
        "11 ธ.ค. พ.ศ. 2569",
        "วันศุกร์ที่ 11 ธันวาคม 2569",
        "2569-12-11",
    ],
)
def test_a_buddhist_era_date_is_read_in_every_usual_form(typed):
    assert parse_thai_date(typed) == date(2026, 12, 11)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("11/12/2026", "ปี 2026 เป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (ปี 2569)"),
        ("2026-12-11", "ปี 2026 เป็นปี ค.ศ."),
        ("11 ธันวาคม 2026", "ปี 2026 เป็นปี ค.ศ."),
        ("12/31/2569", "ไม่มีเดือนที่ 31 กรุณากรอกวันก่อนเดือน"),
        ("31/02/2569", "ไม่มีวันที่ 31 กุมภาพันธ์ 2569"),
        ("11/12/3112", "ปี 3112 ไม่ถูกต้อง"),
        ("พรุ่งนี้", "กรุณากรอกวันที่แบบ วัน/เดือน/ปี พ.ศ."),
        ("", "กรุณากรอกวันที่"),
    ],
)
def test_the_other_era_and_impossible_dates_get_a_thai_message(typed, message):
    with pytest.raises(ThaiDateError, match=re.escape(message)):
        parse_thai_date(typed)


@pytest.mark.parametrize("typed", ["T" * 20_000 + "1", "1" + " " * 20_000 + "x", "1" * 100_000])
def test_a_long_text_is_refused_before_any_pattern_reads_it(typed, monkeypatch):
    import nitet_online.services.date_input as date_input

    def never(*args, **kwargs):
        raise AssertionError("a pattern read the long text")

    monkeypatch.setattr(date_input, "_SPLIT_TIME", type("P", (), {"match": never})())
    monkeypatch.setattr(date_input, "_NUMERIC_DAY_FIRST", type("P", (), {"match": never})())
    for parse in (parse_thai_date, parse_thai_datetime):
        with pytest.raises(ThaiDateError, match="กรุณากรอกวันที่แบบ"):
            parse(typed)


def test_a_date_and_time_is_read_with_the_thai_clock():
    assert parse_thai_datetime("11/12/2569 14:30") == datetime(2026, 12, 11, 14, 30)
    assert parse_thai_datetime("11/12/2569 เวลา 9.05 น.") == datetime(2026, 12, 11, 9, 5)
    with pytest.raises(ThaiDateError, match="กรุณากรอกเวลาด้วย"):
        parse_thai_datetime("11/12/2569")
    with pytest.raises(ThaiDateError, match="ชั่วโมง:นาที"):
        parse_thai_datetime("11/12/2569 25:00")


def test_the_typed_form_round_trips():
    day = date(2026, 2, 3)
    assert format_thai_date(day) == "03/02/2569"
    assert parse_thai_date(format_thai_date(day)) == day


def test_api_dates_are_iso_with_the_gregorian_year_only():
    assert parse_iso_date("2026-10-01") == date(2026, 10, 1)
    for text in ("2569-10-01", "01/10/2569", "2026-13-01"):
        with pytest.raises(ThaiDateError):
            parse_iso_date(text)


def test_bounds_say_what_range_is_allowed():
    bounds = DateBounds(latest_days=0, latest_message="ต้องไม่อยู่ในอนาคต")
    today = date(2026, 12, 7)
    bounds.check(today, today)
    with pytest.raises(ThaiDateError, match="ต้องไม่อยู่ในอนาคต"):
        bounds.check(today + timedelta(days=1), today)


# Every form with a date ----------------------------------------------------------------------
def _school_director_nomination(app, **changes) -> dict:
    from nitet_online.accounts.models import User

    with app.app_context():
        director = db.session.scalar(sa.select(User).filter_by(username="schooldirector1"))
        teacher = db.session.scalar(sa.select(User).filter_by(username="teacher1"))
        data = {
            "recipient_type": "teacher",
            "recipient_user": str(teacher.id),
            "recipient_names": "",
            "school": str(director.school_id),
            "award_title": "ครูดีศรีเขตพื้นที่",
            "level": "area",
            "year": "2569",
            "issuing_body": "สำนักงานเขตพื้นที่การศึกษา",
            "description": "",
            "best_practice": "0",
        }
    data.update(changes)
    return data


def _stored_honours(app, title: str) -> list[Honour]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Honour).filter_by(award_title=title)))


def test_award_date_typed_in_the_buddhist_era_is_stored_in_the_gregorian_calendar(
    demo_app, login_as
):
    client = login_as("schooldirector1")
    response = client.post(
        "/honours/nominate",
        data=_school_director_nomination(demo_app, awarded_on="01/09/2569"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    (honour,) = _stored_honours(demo_app, "ครูดีศรีเขตพื้นที่")
    assert honour.awarded_on == date(2026, 9, 1)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 กันยายน 2569" in page
    assert "3112" not in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("11/09/2026", "ปี 2026 เป็นปี ค.ศ."),
        ("2026-09-11", "ปี 2026 เป็นปี ค.ศ."),
        ("01/01/2571", "วันที่ได้รับรางวัลต้องไม่อยู่ในอนาคต"),
        ("01/09/2568", "ไม่ตรงกับปีที่ได้รับรางวัล (2569)"),
    ],
)
def test_award_date_in_the_other_era_or_the_future_is_refused_and_kept(
    demo_app, login_as, typed, message
):
    client = login_as("schooldirector1")
    response = client.post(
        "/honours/nominate", data=_school_director_nomination(demo_app, awarded_on=typed)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert f'value="{typed}"' in page  # what was typed stays in the field
    assert _stored_honours(demo_app, "ครูดีศรีเขตพื้นที่") == []


def test_award_year_in_the_future_is_refused(demo_app, login_as):
    client = login_as("schooldirector1")
    next_year = today_bangkok().year + 543 + 1
    response = client.post(
        "/honours/nominate", data=_school_director_nomination(demo_app, year=str(next_year))
    )
    assert "ปีที่ได้รับรางวัลต้องไม่เกินปีนี้" in response.get_data(as_text=True)


def _news(**changes) -> dict:
    data = {
        "title": "อบรมการอ่านออกเขียนได้",
        "category": "training",
        "summary": "",
        "body": "รายละเอียดการอบรม",
        "publication": "now",
        "publish_at": "",
        "event_start": "",
        "event_end": "",
        "event_place": "ห้องประชุมเขต",
        "registration_url": "",
    }
    data.update(changes)
    return data


def _stored_news(app, title: str) -> list[NewsPost]:
    with app.app_context():
        return list(db.session.scalars(sa.select(NewsPost).filter_by(title=title)))


def _thai_typed(moment: datetime) -> str:
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year + 543} {moment:%H:%M}"


def test_training_times_and_schedule_typed_in_the_buddhist_era(demo_app, login_as):
    client = login_as("supervisor1")
    start = datetime.combine(today_bangkok() + timedelta(days=20), datetime.min.time()).replace(
        hour=9
    )
    due = start - timedelta(days=10)
    response = client.post(
        "/news/new",
        data=_news(
            publication="schedule",
            publish_at=_thai_typed(due),
            event_start=_thai_typed(start),
            event_end=_thai_typed(start + timedelta(hours=7)),
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    (post,) = _stored_news(demo_app, "อบรมการอ่านออกเขียนได้")
    # Typed in Thailand's time (UTC+7), stored in UTC.
    assert post.event_start == start - timedelta(hours=7)
    assert post.event_end == start
    assert post.publish_at == due - timedelta(hours=7)
    edit = client.get(f"/news/{post.id}/edit").get_data(as_text=True)
    assert f'value="{_thai_typed(start)}"' in edit


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("event_start", "10/12/2026 09:00", "ปี 2026 เป็นปี ค.ศ."),
        ("event_start", "10/12/2580 09:00", "วันกิจกรรมล่วงหน้าได้ไม่เกิน 5 ปี"),
        ("event_start", "10/12/2569", "กรุณากรอกเวลาด้วย"),
        ("publish_at", "10/12/2026 09:00", "ปี 2026 เป็นปี ค.ศ."),
        ("publish_at", "10/12/2575 09:00", "ตั้งเวลาเผยแพร่ล่วงหน้าได้ไม่เกิน 3 ปี"),
    ],
)
def test_news_dates_in_the_other_era_are_refused(demo_app, login_as, field, typed, message):
    client = login_as("supervisor1")
    fields = {"event_start": "10/12/2569 09:00", "publication": "schedule"}
    fields["publish_at"] = _thai_typed(datetime.now() + timedelta(days=2))
    fields[field] = typed
    response = client.post("/news/new", data=_news(**fields))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert f'value="{typed}"' in page
    assert _stored_news(demo_app, "อบรมการอ่านออกเขียนได้") == []


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        ("01/01/2026", "", "ปี 2026 เป็นปี ค.ศ."),
        ("", "31/12/2026", "ปี 2026 เป็นปี ค.ศ."),
        ("", "31/12/2580", "วันที่ล่วงหน้าได้ไม่เกิน 3 ปี"),
    ],
)
def test_survey_period_in_the_other_era_is_refused(demo_app, opens, closes, message):
    client = demo_app.test_client()
    login(client, "supervisor2")
    form = {"title": "แบบประเมินทดสอบวันที่", "response_mode": "login", "template": "blank"}
    response = client.post("/surveys/new", data={**form, "opens_on": opens, "closes_on": closes})
    assert message in response.get_data(as_text=True)
    with demo_app.app_context():
        assert db.session.scalar(sa.select(Survey).filter_by(title=form["title"])) is None


def test_survey_period_typed_in_the_buddhist_era_is_stored(demo_app):
    client = demo_app.test_client()
    login(client, "supervisor2")
    response = client.post(
        "/surveys/new",
        data={
            "title": "แบบประเมินทดสอบวันที่",
            "response_mode": "login",
            "template": "blank",
            "opens_on": "1 ธ.ค. 69",
            "closes_on": "31/12/2569",
        },
    )
    assert response.status_code == 302
    with demo_app.app_context():
        survey = db.session.scalar(sa.select(Survey).filter_by(title="แบบประเมินทดสอบวันที่"))
        assert (survey.opens_on, survey.closes_on) == (date(2026, 12, 1), date(2026, 12, 31))


def test_statistics_period_typed_in_the_buddhist_era(demo_app, login_as):
    client = login_as("director1")
    page = client.get("/stats?from=01/10/2568&to=30/09/2569").get_data(as_text=True)
    assert 'value="01/10/2568"' in page and 'value="30/09/2569"' in page
    refused = client.get("/stats?from=01/10/2025&to=30/09/2026")
    assert refused.status_code == 400
    assert "ปี 2025 เป็นปี ค.ศ." in refused.get_data(as_text=True)


def test_statistics_api_takes_iso_dates_only_and_says_so(demo_app, login_as):
    client = login_as("director1")
    assert client.get("/api/v1/stats/summary?from=2025-10-01&to=2026-09-30").status_code == 200
    for query in ("from=2568-10-01&to=2569-09-30", "from=01/10/2568&to=30/09/2569"):
        response = client.get(f"/api/v1/stats/summary?{query}")
        assert response.status_code == 400
        assert "ISO 8601" in response.get_data(as_text=True)


# Repairing what was stored before ------------------------------------------------------------
def _repair_migration():
    path = PROJECT_ROOT / "migrations/versions/0010_repair_buddhist_era_dates.py"
    spec = importlib.util.spec_from_file_location("repair_buddhist_era_dates", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_repair_migration_moves_dates_stored_543_years_ahead_back(demo_app):
    migration = _repair_migration()
    with demo_app.app_context():
        honour = db.session.scalars(sa.select(Honour).where(Honour.awarded_on.is_not(None))).first()
        right_award = honour.awarded_on
        honour.awarded_on = right_award.replace(year=right_award.year + 543)
        post = db.session.scalars(
            sa.select(NewsPost).where(NewsPost.event_start.is_not(None))
        ).first()
        right_start = post.event_start
        post.event_start = right_start.replace(year=right_start.year + 543)
        untouched = db.session.scalars(sa.select(NewsPost).where(NewsPost.id != post.id)).first()
        untouched_publish = untouched.publish_at
        db.session.commit()
        ids = honour.id, post.id, untouched.id

        with db.engine.begin() as connection:
            assert migration.repair(connection, "honour", "awarded_on") == 1
            assert migration.repair(connection, "news_post", "event_start") == 1
            assert migration.repair(connection, "news_post", "publish_at") == 0
        db.session.expire_all()
        assert db.session.get(Honour, ids[0]).awarded_on == right_award
        assert db.session.get(NewsPost, ids[1]).event_start == right_start
        assert db.session.get(NewsPost, ids[2]).publish_at == untouched_publish


def test_the_repair_keeps_29_february_valid():
    migration = _repair_migration()
    assert migration.gregorian(date(2568, 2, 29)) == date(2025, 2, 28)
    assert migration.gregorian(datetime(2569, 12, 10, 2, 0)) == datetime(2026, 12, 10, 2, 0)
