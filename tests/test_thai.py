"""Thai conventions on boundary dates: Buddhist era, fiscal year (1 Oct), academic year (16 May)."""

from datetime import date, datetime, timedelta

import pytest

from nitet_online.services import thai


@pytest.mark.parametrize(
    ("day", "expected_fiscal_year"),
    [
        (date(2026, 9, 30), 2569),
        (date(2026, 10, 1), 2570),
        (date(2025, 12, 31), 2569),
        (date(2026, 1, 1), 2569),
        (date(2026, 5, 15), 2569),
        (date(2026, 5, 16), 2569),
    ],
)
def test_fiscal_year_turns_on_1_october(day, expected_fiscal_year):
    assert thai.fiscal_year(day) == expected_fiscal_year


def test_fiscal_year_range_is_1_october_to_30_september():
    # ปีงบประมาณ 2570 = 1 ต.ค. 2569 – 30 ก.ย. 2570
    assert thai.fiscal_year_range(2570) == (date(2026, 10, 1), date(2027, 9, 30))
    start, end = thai.fiscal_year_range(2570)
    assert thai.fiscal_year(start) == thai.fiscal_year(end) == 2570
    assert thai.fiscal_year(start - timedelta(days=1)) == 2569
    assert thai.fiscal_year(end + timedelta(days=1)) == 2571


@pytest.mark.parametrize(
    ("day", "year", "semester"),
    [
        (date(2026, 5, 15), 2568, 2),
        (date(2026, 5, 16), 2569, 1),
        (date(2026, 10, 31), 2569, 1),
        (date(2026, 11, 1), 2569, 2),
        (date(2026, 12, 31), 2569, 2),
        (date(2027, 1, 1), 2569, 2),
    ],
)
def test_academic_year_starts_16_may(day, year, semester):
    term = thai.academic_term(day)
    assert (term.year, term.semester) == (year, semester)
    assert term.label == f"ภาคเรียนที่ {semester}/{year}"


def test_academic_year_range():
    assert thai.academic_year_range(2569) == (date(2026, 5, 16), date(2027, 5, 15))


def test_buddhist_era_dates_long_short_and_full():
    day = date(2026, 11, 22)
    assert thai.thai_date(day) == "22 พฤศจิกายน 2569"
    assert thai.thai_date(day, "short") == "22 พ.ย. 69"
    assert thai.thai_date(day, "full") == "วันอาทิตย์ที่ 22 พฤศจิกายน พ.ศ. 2569"
    assert thai.thai_date(date(2026, 12, 31)) == "31 ธันวาคม 2569"
    assert thai.thai_date(date(2027, 1, 1), "short") == "1 ม.ค. 70"


def test_stored_utc_times_are_shown_in_thailand_time():
    # 23:30 UTC on 31 Dec is already 06:30 on 1 Jan in Thailand: the date and the year change.
    moment = datetime(2026, 12, 31, 23, 30)
    assert thai.thai_time(moment) == "06:30 น."
    assert thai.thai_date(moment) == "1 มกราคม 2570"
    assert thai.thai_datetime(moment) == "1 มกราคม 2570 เวลา 06:30 น."
    # The fiscal year of a stored timestamp is that of its Thai date.
    assert thai.fiscal_year(datetime(2026, 9, 30, 18, 0)) == 2570


def test_relative_times_in_thai():
    now = datetime(2026, 11, 22, 7, 0)
    assert thai.relative_time(now - timedelta(seconds=20), now) == "เมื่อสักครู่"
    assert thai.relative_time(now - timedelta(minutes=5), now) == "5 นาทีที่แล้ว"
    assert thai.relative_time(now - timedelta(hours=3), now) == "3 ชั่วโมงที่แล้ว"
    assert thai.relative_time(now - timedelta(days=1, hours=2), now) == "เมื่อวาน"
    assert thai.relative_time(now - timedelta(days=4), now) == "4 วันที่แล้ว"
    assert thai.relative_time(now - timedelta(days=30), now) == "23 ต.ค. 69"


def test_names_with_title_and_durations():
    assert thai.display_name("นางสาว", "สมใจ", "ใจดี") == "นางสาวสมใจ ใจดี"
    assert thai.display_name("", "สมใจ", "ใจดี") == "สมใจ ใจดี"
    assert thai.duration_text(timedelta(hours=26, minutes=5)) == "1 วัน 2 ชั่วโมง"
    assert thai.duration_text(timedelta(minutes=45)) == "45 นาที"
    assert thai.duration_text(timedelta(seconds=10)) == "ไม่ถึง 1 นาที"
    assert thai.thai_number(1234567) == "1,234,567"
    assert thai.thai_digits(2569) == "๒๕๖๙"
