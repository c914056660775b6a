"""Dates as Thai people type them: day–month–year in the Buddhist era.

Every date a person types goes through `parse_thai_date` / `parse_thai_datetime`: "11/12/2569",
"11-12-2569", "11 ธ.ค. 69", "๑๑ ธันวาคม ๒๕๖๙", "2569-12-11" and, with a time, "11/12/2569 14:30"
(or "14.30 น."). A four-digit year in the 2400s–2600s is read as พ.ศ. and converted; a year that is
plainly Gregorian (1900s–2100s) is refused with a Thai message naming the พ.ศ. year meant, so the
other era never reaches the database. Two-digit years are พ.ศ. (69 → 2569), as in "22 พ.ย. 69".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from nitet_online.services.thai import (
    BUDDHIST_ERA_OFFSET,
    MONTHS_LONG,
    MONTHS_SHORT,
    thai_date,
    today_bangkok,
)

BE_YEARS = range(2400, 2700)
GREGORIAN_YEARS = range(1800, 2300)
EXAMPLE = "เช่น 11/12/2569"
FORMAT_MESSAGE = f"กรุณากรอกวันที่แบบ วัน/เดือน/ปี พ.ศ. {EXAMPLE}"
TIME_MESSAGE = "กรุณากรอกเวลาแบบ ชั่วโมง:นาที เช่น 14:30"

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_MONTH_NAMES: dict[str, int] = {}
for _number, (_long, _short) in enumerate(zip(MONTHS_LONG, MONTHS_SHORT, strict=True), start=1):
    _MONTH_NAMES[_long] = _number
    _MONTH_NAMES[_short] = _number
    _MONTH_NAMES[_short.replace(".", "")] = _number
_MONTH_PATTERN = "|".join(sorted((re.escape(name) for name in _MONTH_NAMES), key=len, reverse=True))

_NUMERIC_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2}|\d{4})$")
ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WITH_MONTH_NAME = re.compile(
    rf"^(\d{{1,2}})\s*({_MONTH_PATTERN})\s*(?:พ\.?ศ\.?)?\s*(\d{{2}}|\d{{4}})$"
)
_TIME = re.compile(r"^(\d{1,2})\s*[:.]\s*(\d{2})$")
_SPLIT_TIME = re.compile(r"^(?P<date>.*?)[\sT,]+(?:เวลา\s*)?(?P<time>\d{1,2}\s*[:.]\s*\d{2})$")


class ThaiDateError(ValueError):
    """A typed date that cannot be read; the message is Thai and meant for the person."""


@dataclass(frozen=True)
class DateBounds:
    """The plausible range of one date field, relative to today (Thailand)."""

    earliest_days: int | None = None  # days from today; negative is the past
    latest_days: int | None = None
    earliest_message: str = ""
    latest_message: str = ""

    def check(self, day: date, today: date | None = None) -> None:
        today = today or today_bangkok()
        if self.earliest_days is not None:
            earliest = today + timedelta(days=self.earliest_days)
            if day < earliest:
                raise ThaiDateError(self.earliest_message or f"วันที่ต้องไม่ก่อน {thai_date(earliest)}")
        if self.latest_days is not None:
            latest = today + timedelta(days=self.latest_days)
            if day > latest:
                raise ThaiDateError(self.latest_message or f"วันที่ต้องไม่หลัง {thai_date(latest)}")


# The longest way to write a date and time ("วันพฤหัสบดีที่ 11 ธันวาคม พ.ศ. 2569 เวลา 14:30 น.") fits
# well within this; a longer text is refused before any pattern reads it (a field of spaces or
# "T"s made the date-and-time pattern backtrack quadratically: 5 s for 20,000 characters).
MAX_TYPED_LENGTH = 80


def _normalise(text: str) -> str:
    if len(text or "") > MAX_TYPED_LENGTH:
        raise ThaiDateError(FORMAT_MESSAGE)
    text = (text or "").translate(_THAI_DIGITS).strip()
    text = re.sub(r"\s*น\.?$", "", text)  # "14:30 น."
    text = re.sub(r"^วัน\S*ที่\s*", "", text)  # "วันพฤหัสบดีที่ 11 ..."
    return re.sub(r"\s+", " ", text)


def gregorian_year(typed: str) -> int:
    """The Gregorian year of a typed Buddhist-era year ("2569" or "69")."""
    year = int(typed)
    if len(typed) == 2:
        return year + 2500 - BUDDHIST_ERA_OFFSET
    if year in BE_YEARS:
        return year - BUDDHIST_ERA_OFFSET
    if year in GREGORIAN_YEARS:
        raise ThaiDateError(f"ปี {year} เป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (ปี {year + BUDDHIST_ERA_OFFSET})")
    raise ThaiDateError(f"ปี {year} ไม่ถูกต้อง กรุณากรอกปี พ.ศ. {EXAMPLE}")


def _make_date(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise ThaiDateError(f"ไม่มีเดือนที่ {month} กรุณากรอกวันก่อนเดือน แบบ วัน/เดือน/ปี {EXAMPLE}")
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ThaiDateError(
            f"ไม่มีวันที่ {day} {MONTHS_LONG[month - 1]} {year + BUDDHIST_ERA_OFFSET} ในปฏิทิน"
        ) from error


def parse_thai_date(text: str) -> date:
    """A date typed day–month–year in พ.ศ. (see the module's description)."""
    text = _normalise(text)
    if not text:
        raise ThaiDateError(FORMAT_MESSAGE)
    if match := _NUMERIC_DAY_FIRST.match(text):
        day, month, year = match.groups()
        return _make_date(gregorian_year(year), int(month), int(day))
    if match := _WITH_MONTH_NAME.match(text):
        day, month_name, year = match.groups()
        return _make_date(gregorian_year(year), _MONTH_NAMES[month_name], int(day))
    if match := ISO_DAY.match(text):
        year, month, day = match.groups()
        return _make_date(gregorian_year(year), int(month), int(day))
    raise ThaiDateError(FORMAT_MESSAGE)


def parse_time(text: str) -> time:
    match = _TIME.match(_normalise(text))
    if not match:
        raise ThaiDateError(TIME_MESSAGE)
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ThaiDateError(TIME_MESSAGE)
    return time(hour, minute)


def parse_thai_datetime(text: str) -> datetime:
    """A Thai local date and time typed as "11/12/2569 14:30" (naive, Thailand's time)."""
    text = _normalise(text)
    match = _SPLIT_TIME.match(text)
    if not match:
        if text and _looks_like_date(text):
            raise ThaiDateError(f"กรุณากรอกเวลาด้วย {EXAMPLE} 14:30")
        raise ThaiDateError(f"{FORMAT_MESSAGE} 14:30")
    return datetime.combine(parse_thai_date(match["date"]), parse_time(match["time"]))


def _looks_like_date(text: str) -> bool:
    try:
        parse_thai_date(text)
    except ThaiDateError:
        return False
    return True


def format_thai_date(value: date | None) -> str:
    """The typed form: 11/12/2569."""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year + BUDDHIST_ERA_OFFSET}"


def format_thai_datetime(value: datetime | None) -> str:
    """The typed form of a local time: 11/12/2569 14:30."""
    if value is None:
        return ""
    return f"{format_thai_date(value.date())} {value:%H:%M}"


def parse_iso_date(text: str) -> date:
    """An API date: ISO 8601 (YYYY-MM-DD) with a Gregorian year only."""
    match = ISO_DAY.match((text or "").strip())
    if not match:
        raise ThaiDateError(
            "API รับวันที่แบบ ISO 8601 เท่านั้น (YYYY-MM-DD ปี ค.ศ. เช่น 2026-10-01); "
            "dates must be ISO 8601 (YYYY-MM-DD)"
        )
    year, month, day = (int(part) for part in match.groups())
    if year not in GREGORIAN_YEARS:
        raise ThaiDateError(
            f"API ใช้ปี ค.ศ. ในรูปแบบ ISO 8601 (ปี {year} ดูเหมือนปี พ.ศ.); "
            "ISO 8601 dates use the Gregorian year"
        )
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ThaiDateError(f"ไม่มีวันที่ {text} ในปฏิทิน; no such date") from error
