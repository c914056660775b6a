"""Thai conventions used everywhere: Buddhist-era dates, Thai time, relative times, the academic and
fiscal years of a date, and names with their title.

Times are stored in UTC (naive datetimes in the database mean UTC) and shown in Thailand's time,
which is UTC+7 all year (no daylight saving), so a fixed offset is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")
BUDDHIST_ERA_OFFSET = 543

MONTHS_LONG = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")


def utcnow() -> datetime:
    """Now as a naive UTC datetime, the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_bangkok(moment: datetime) -> datetime:
    """A stored (naive UTC) or aware datetime as Thailand's local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BANGKOK)


def today_bangkok() -> date:
    return datetime.now(BANGKOK).date()


def be_year(year: int) -> int:
    return year + BUDDHIST_ERA_OFFSET


def _as_local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return to_bangkok(value).date()
    return value


def thai_date(value: date | datetime | None, style: str = "long") -> str:
    """22 พฤศจิกายน 2569 (long), 22 พ.ย. 69 (short), วันอาทิตย์ที่ 22 พฤศจิกายน พ.ศ. 2569 (full)."""
    if value is None:
        return ""
    day = _as_local_date(value)
    year = be_year(day.year)
    if style == "short":
        return f"{day.day} {MONTHS_SHORT[day.month - 1]} {year % 100:02d}"
    if style == "full":
        weekday = WEEKDAYS[day.weekday()]
        return f"วัน{weekday}ที่ {day.day} {MONTHS_LONG[day.month - 1]} พ.ศ. {year}"
    return f"{day.day} {MONTHS_LONG[day.month - 1]} {year}"


def thai_time(value: datetime | None) -> str:
    """14:30 น."""
    if value is None:
        return ""
    local = to_bangkok(value)
    return f"{local:%H:%M} น."


def thai_datetime(value: datetime | None, style: str = "long") -> str:
    """22 พฤศจิกายน 2569 เวลา 14:30 น. (long) or 22 พ.ย. 69 14:30 น. (short)."""
    if value is None:
        return ""
    joiner = " เวลา " if style == "long" else " "
    return f"{thai_date(value, style)}{joiner}{thai_time(value)}"


def relative_time(value: datetime | None, now: datetime | None = None) -> str:
    """เมื่อสักครู่, 5 นาทีที่แล้ว, 3 ชั่วโมงที่แล้ว, เมื่อวาน, 4 วันที่แล้ว, then the short date."""
    if value is None:
        return ""
    now = now or utcnow()
    seconds = (now - value).total_seconds()
    if seconds < 0:
        return thai_datetime(value, "short")
    if seconds < 60:
        return "เมื่อสักครู่"
    if seconds < 3600:
        return f"{int(seconds // 60)} นาทีที่แล้ว"
    if seconds < 86400:
        return f"{int(seconds // 3600)} ชั่วโมงที่แล้ว"
    days_apart = (to_bangkok(now).date() - to_bangkok(value).date()).days
    if days_apart == 1:
        return "เมื่อวาน"
    if days_apart < 7:
        return f"{days_apart} วันที่แล้ว"
    return thai_date(value, "short")


def duration_text(delta: timedelta | None) -> str:
    """A span of time in Thai words: 2 วัน 3 ชั่วโมง, 45 นาที, ไม่ถึง 1 นาที."""
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "ไม่ถึง 1 นาที"
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} วัน")
    if hours:
        parts.append(f"{hours} ชั่วโมง")
    if minutes and not days:
        parts.append(f"{minutes} นาที")
    return " ".join(parts)


@dataclass(frozen=True)
class AcademicTerm:
    """ปีการศึกษา (Buddhist era) and ภาคเรียน of a date."""

    year: int
    semester: int

    @property
    def label(self) -> str:
        return f"ภาคเรียนที่ {self.semester}/{self.year}"


ACADEMIC_YEAR_START = (5, 16)  # 16 May
SECOND_SEMESTER_START = (11, 1)  # 1 November


def academic_term(value: date | datetime) -> AcademicTerm:
    """The academic year starts on 16 May; the second semester on 1 November.

    15 May 2569 still belongs to ปีการศึกษา 2568 (semester 2); 16 May 2569 opens ปีการศึกษา 2569.
    """
    day = _as_local_date(value)
    start_year = day.year if (day.month, day.day) >= ACADEMIC_YEAR_START else day.year - 1
    in_first = (
        date(start_year, *ACADEMIC_YEAR_START) <= day < date(start_year, *SECOND_SEMESTER_START)
    )
    return AcademicTerm(year=be_year(start_year), semester=1 if in_first else 2)


def academic_year(value: date | datetime) -> int:
    return academic_term(value).year


def academic_year_range(year_be: int) -> tuple[date, date]:
    """First and last day of ปีการศึกษา year_be."""
    start = date(year_be - BUDDHIST_ERA_OFFSET, *ACADEMIC_YEAR_START)
    return start, date(start.year + 1, 5, 15)


def fiscal_year(value: date | datetime) -> int:
    """ปีงบประมาณ runs 1 October – 30 September, named by the (Buddhist-era) year it ends in."""
    day = _as_local_date(value)
    ending = day.year + 1 if day.month >= 10 else day.year
    return be_year(ending)


def fiscal_year_range(year_be: int) -> tuple[date, date]:
    """First and last day of ปีงบประมาณ year_be: 2570 → 1 Oct 2026 – 30 Sep 2027 (1 ต.ค. 2569 – 30 ก.ย. 2570)."""
    ending = year_be - BUDDHIST_ERA_OFFSET
    return date(ending - 1, 10, 1), date(ending, 9, 30)


def display_name(title: str | None, first_name: str, last_name: str) -> str:
    """นางสาวสมใจ ใจดี: Thai writes the title straight before the first name, without a space."""
    title = (title or "").strip()
    return f"{title}{first_name} {last_name}".strip()


THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def thai_digits(text: object) -> str:
    return str(text).translate(THAI_DIGITS)


def thai_number(value: int | float | Decimal) -> str:
    """Thousands separated with commas, the way Thai offices print counts; a Decimal keeps its
    places (a survey's x̄ 4.50)."""
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"
