"""The indicators statistics can compute by itself, from views and accounts, and the helpers every
indicator uses. Other features' indicators (questions, best practices, honours, surveys) are
computed in their own package's indicators.py and declared in their setup."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from nitet_online.accounts.models import ROLE_LABELS, AccountStatus, Role, User
from nitet_online.extensions import db
from nitet_online.org.models import Network, School
from nitet_online.services.thai import BANGKOK, MONTHS_SHORT, be_year, today_bangkok
from nitet_online.stats import queries
from nitet_online.stats.classify import DEVICE_LABELS, REFERRER_LABELS
from nitet_online.stats.registry import (
    IndicatorResult,
    StatTable,
    content_type_label,
    describe_items,
)

TOP_ITEMS = 20
DAY = timedelta(hours=24)


# Helpers --------------------------------------------------------------------------------------
def hours(value: timedelta | None) -> float | str:
    return round(value.total_seconds() / 3600, 1) if value is not None else "-"


def share(part: int, whole: int) -> float | str:
    return round(100 * part / whole, 1) if whole else "-"


def median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=statistics.median(v.total_seconds() for v in values))


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Thailand's days [start, end] as naive UTC datetimes [from, until)."""
    begin = datetime.combine(start, time.min, BANGKOK).astimezone(UTC).replace(tzinfo=None)
    stop = datetime.combine(end + timedelta(days=1), time.min, BANGKOK).astimezone(UTC)
    return begin, stop.replace(tzinfo=None)


def month_label(day: date) -> str:
    return f"{MONTHS_SHORT[day.month - 1]} {be_year(day.year)}"


def day_label(day: date) -> str:
    return f"{day.day} {MONTHS_SHORT[day.month - 1]}"


def buckets(start: date, end: date) -> list[tuple[date, str]]:
    """The rows of a time table: days for a period of two months or less, months otherwise;
    none after today (a fiscal year still running does not end in a row of zeros)."""
    last = max(start, min(end, today_bangkok()))
    if daily(start, end):
        return [
            (start + timedelta(days=n), day_label(start + timedelta(days=n)))
            for n in range((last - start).days + 1)
        ]
    result, cursor = [], start.replace(day=1)
    while cursor <= last:
        result.append((cursor, month_label(cursor)))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return result


def daily(start: date, end: date) -> bool:
    return (end - start).days <= 62


def bucket_of(day: date, start: date, end: date) -> date:
    return day if daily(start, end) else day.replace(day=1)


def time_table(
    key: str,
    title: str,
    start: date,
    end: date,
    series: list[tuple[str, dict[date, int]]],
) -> StatTable:
    """One row per day or month, one column per series (each a {day: count} mapping)."""
    sums: list[dict[date, int]] = []
    for _label, per_day in series:
        summed: dict[date, int] = defaultdict(int)
        for day, count in per_day.items():
            summed[bucket_of(day, start, end)] += count
        sums.append(summed)
    rows = [
        [label] + [summed.get(bucket, 0) for summed in sums]
        for bucket, label in buckets(start, end)
    ]
    columns = ["วัน" if daily(start, end) else "เดือน"] + [label for label, _ in series]
    return StatTable(
        key,
        title,
        columns,
        rows,
        chart={"type": "line", "value_columns": list(range(1, len(series) + 1))},
    )


def per_day(family: str, start: date, end: date, key: str = "") -> dict[date, queries.Counts]:
    return queries.slices_by_day(family, start, end, key)


def column(by_day: dict[date, queries.Counts], name: str) -> dict[date, int]:
    return {day: getattr(counts, name) for day, counts in by_day.items()}


def top_items_table(
    key: str, title: str, start: date, end: date, content_type: str | None, kind: str
) -> StatTable:
    prefix = f"{content_type}:" if content_type else None
    items = queries.slices("item", start, end, prefix=prefix)
    measure = "downloads" if kind == "download" else "views"
    ranked = sorted(
        ((name, counts) for name, counts in items.items() if getattr(counts, measure)),
        key=lambda entry: (-getattr(entry[1], measure), entry[0]),
    )[:TOP_ITEMS]
    parsed = [
        (name.rsplit(":", 1)[0], int(name.rsplit(":", 1)[1]), counts) for name, counts in ranked
    ]
    names: dict[str, dict[int, tuple[str, str | None]]] = {}
    for ct in {ct for ct, _, _ in parsed}:
        names[ct] = describe_items(ct, [cid for c, cid, _ in parsed if c == ct])
    rows = [
        [rank, content_type_label(ct), names[ct][cid][0], getattr(counts, measure), counts.visitors]
        for rank, (ct, cid, counts) in enumerate(parsed, start=1)
    ]
    count_label = "ดาวน์โหลด (ครั้ง)" if kind == "download" else "เข้าชม (ครั้ง)"
    return StatTable(key, title, ["อันดับ", "ประเภท", "รายการ", count_label, "ผู้เข้าชม (ราย-วัน)"], rows)


def _labelled_table(
    key: str, title: str, label: str, labels: dict[str, str], family: str, start: date, end: date
) -> StatTable:
    found = queries.slices(family, start, end)
    rows = []
    for code, text in labels.items():
        counts = found.get(code, queries.ZERO)
        rows.append([text, counts.views, counts.visitors])
    return StatTable(
        key,
        title,
        [label, "การเข้าชม (ครั้ง)", "ผู้เข้าชม (ราย-วัน)"],
        rows,
        chart={"type": "doughnut", "value_columns": [1]},
    )


# Indicators -----------------------------------------------------------------------------------
def site_visitors(start: date, end: date) -> IndicatorResult:
    days = per_day("site", start, end)
    visitors, views = column(days, "visitors"), column(days, "views")
    sources = _labelled_table(
        "site_sources", "ที่มาของผู้เข้าชม", "ที่มา", REFERRER_LABELS, "referrer", start, end
    )
    devices = _labelled_table(
        "site_devices", "อุปกรณ์ที่ใช้เข้าชม", "อุปกรณ์", DEVICE_LABELS, "device", start, end
    )
    trend = time_table(
        "site_trend",
        "ผู้เข้าชมและการเข้าชมเว็บไซต์",
        start,
        end,
        [("ผู้เข้าชม (ราย-วัน)", visitors), ("การเข้าชม (ครั้ง)", views)],
    )
    return IndicatorResult(
        value=sum(visitors.values()),
        unit="ราย-วัน",
        note="ผู้เข้าชมนับรายวัน: ผู้เข้าชมคนเดียวกันในวันเดียวกันนับ 1 ราย (ไม่เก็บข้อมูลระบุตัวบุคคล)",
        figures=[("การเข้าชมทั้งหมด", sum(views.values()), "ครั้ง")],
        tables=[trend, sources, devices],
    )


def knowledge_repository(start: date, end: date) -> IndicatorResult:
    days = per_day("type", start, end, "knowledge")
    visitors, views, downloads = (column(days, name) for name in ("visitors", "views", "downloads"))
    trend = time_table(
        "knowledge_trend",
        "ผู้เข้าชมคลังความรู้",
        start,
        end,
        [
            ("ผู้เข้าชม (ราย-วัน)", visitors),
            ("การเข้าชม (ครั้ง)", views),
            ("ดาวน์โหลด (ครั้ง)", downloads),
        ],
    )
    top = top_items_table(
        "knowledge_top", "คลังความรู้ที่มีผู้เข้าชมมากที่สุด", start, end, "knowledge", "view"
    )
    return IndicatorResult(
        value=sum(visitors.values()),
        unit="ราย-วัน",
        figures=[
            ("การเข้าชมคลังความรู้", sum(views.values()), "ครั้ง"),
            ("ดาวน์โหลดจากคลังความรู้", sum(downloads.values()), "ครั้ง"),
        ],
        tables=[trend, top],
    )


def downloads(start: date, end: date) -> IndicatorResult:
    by_type = queries.slices("type", start, end)
    rows = sorted(
        (
            [content_type_label(ct), counts.downloads]
            for ct, counts in by_type.items()
            if counts.downloads
        ),
        key=lambda row: (-row[1], row[0]),
    )
    table = StatTable(
        "downloads_by_type",
        "การดาวน์โหลดแยกตามประเภท",
        ["ประเภท", "ดาวน์โหลด (ครั้ง)"],
        rows,
        chart={"type": "bar", "value_columns": [1]},
    )
    top = top_items_table("downloads_top", "รายการที่ดาวน์โหลดมากที่สุด", start, end, None, "download")
    return IndicatorResult(value=sum(row[1] for row in rows), unit="ครั้ง", tables=[table, top])


def _logins_in(start: date, end: date, group_column) -> dict:
    begin, until = utc_bounds(start, end)
    query = (
        select(group_column, func.count(User.id))
        .where(User.last_login_at >= begin, User.last_login_at < until)
        .group_by(group_column)
    )
    return dict(db.session.execute(query).all())


def _registered(group_column) -> dict:
    query = (
        select(group_column, func.count(User.id))
        .where(User.status == AccountStatus.ACTIVE)
        .group_by(group_column)
    )
    return dict(db.session.execute(query).all())


def active_users(start: date, end: date) -> IndicatorResult:
    logged_in = _logins_in(start, end, User.role)
    registered = _registered(User.role)
    by_role = queries.slices("role", start, end)
    rows = []
    for role in Role:
        counts = by_role.get(role.value, queries.ZERO)
        rows.append(
            [
                ROLE_LABELS[role],
                registered.get(role, 0),
                logged_in.get(role, 0),
                counts.views + counts.downloads,
                counts.visitors,
            ]
        )
    anonymous = by_role.get("", queries.ZERO)
    rows.append(
        [
            "ผู้เข้าชมทั่วไป (ไม่ได้เข้าสู่ระบบ)",
            "",
            "",
            anonymous.views + anonymous.downloads,
            anonymous.visitors,
        ]
    )
    table = StatTable(
        "active_users_by_role",
        "ผู้ใช้งานแยกตามบทบาท",
        ["บทบาท", "บัญชีที่ใช้งานได้", "เข้าสู่ระบบในช่วงนี้", "การเข้าชม (ครั้ง)", "ผู้เข้าชม (ราย-วัน)"],
        rows,
        chart={"type": "bar", "value_columns": [3]},
    )
    return IndicatorResult(
        value=sum(logged_in.values()),
        unit="คน",
        note="นับบัญชีที่เข้าสู่ระบบครั้งล่าสุดภายในช่วงเวลาที่เลือก",
        tables=[table],
    )


def participation(start: date, end: date) -> IndicatorResult:
    by_school = queries.slices("school", start, end)
    registered = _registered(User.school_id)
    logged_in = _logins_in(start, end, User.school_id)
    schools = db.session.scalars(select(School).where(School.is_active).order_by(School.code)).all()
    networks = {network.id: network.name for network in db.session.scalars(select(Network))}
    school_rows = []
    per_network: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for school in schools:
        row = [
            school.name,
            networks.get(school.network_id, "-"),
            registered.get(school.id, 0),
            logged_in.get(school.id, 0),
            by_school.get(str(school.id), queries.ZERO).views
            + by_school.get(str(school.id), queries.ZERO).downloads,
            by_school.get(str(school.id), queries.ZERO).visitors,
        ]
        school_rows.append(row)
        totals = per_network[row[1]]
        for index, value in enumerate([1, row[2], row[3], row[4], 1 if row[4] else 0]):
            totals[index] += value
    school_rows.sort(key=lambda row: (-row[4], row[0]))
    network_rows = [[name, *values] for name, values in sorted(per_network.items())]
    school_table = StatTable(
        "participation_schools",
        "การมีส่วนร่วมรายโรงเรียน",
        [
            "โรงเรียน",
            "กลุ่มเครือข่าย",
            "ผู้ใช้ในระบบ",
            "เข้าสู่ระบบในช่วงนี้",
            "การเข้าชม (ครั้ง)",
            "ผู้เข้าชม (ราย-วัน)",
        ],
        school_rows,
    )
    network_table = StatTable(
        "participation_networks",
        "การมีส่วนร่วมรายกลุ่มเครือข่าย",
        [
            "กลุ่มเครือข่าย",
            "โรงเรียน",
            "ผู้ใช้ในระบบ",
            "เข้าสู่ระบบในช่วงนี้",
            "การเข้าชม (ครั้ง)",
            "โรงเรียนที่เข้าใช้งาน",
        ],
        network_rows,
        chart={"type": "bar", "value_columns": [4]},
    )
    return IndicatorResult(
        value=sum(1 for row in school_rows if row[4]),
        unit="โรงเรียน",
        note="นับการเข้าชมของผู้ใช้ที่เข้าสู่ระบบและสังกัดโรงเรียน",
        figures=[("โรงเรียนทั้งหมด", len(schools), "โรงเรียน")],
        tables=[network_table, school_table],
    )


def personal_sites(start: date, end: date) -> IndicatorResult:
    supervisors = db.session.scalars(
        select(User)
        .where(User.role == Role.SUPERVISOR, User.status == AccountStatus.ACTIVE)
        .order_by(User.first_name)
    ).all()
    owners = queries.slices("owner", start, end, keys=[str(user.id) for user in supervisors])
    pages = queries.slices(
        "item", start, end, keys=[f"supervisor:{user.id}" for user in supervisors]
    )
    rows = []
    for user in supervisors:
        owned = owners.get(str(user.id), queries.ZERO)
        page = pages.get(f"supervisor:{user.id}", queries.ZERO).views
        rows.append([user.full_name, page, owned.views - page, owned.downloads, owned.visitors])
    rows.sort(key=lambda row: (-(row[1] + row[2]), row[0]))
    table = StatTable(
        "personal_sites",
        "ความเคลื่อนไหวของเว็บไซต์บุคคล (ศึกษานิเทศก์)",
        ["ศึกษานิเทศก์", "เข้าชมหน้าส่วนตัว", "เข้าชมผลงาน/เนื้อหา", "ดาวน์โหลด", "ผู้เข้าชม (ราย-วัน)"],
        rows,
        chart={"type": "bar", "value_columns": [1, 2], "horizontal": True},
    )
    return IndicatorResult(value=sum(row[1] + row[2] for row in rows), unit="ครั้ง", tables=[table])


def declare(plug) -> None:
    """The indicators of the statistics feature's own data (called from its setup)."""
    plug.indicator("site_visitors", "ผู้เข้าชมเว็บไซต์", site_visitors, order=10)
    plug.indicator("knowledge_visitors", "ผู้เข้าชมคลังความรู้ (ขุมความรู้)", knowledge_repository, order=20)
    plug.indicator("downloads", "การดาวน์โหลด", downloads, order=30)
    plug.indicator("active_users", "ผู้ใช้งานตามบทบาท", active_users, order=40)
    plug.indicator("personal_sites", "ความเคลื่อนไหวของเว็บไซต์บุคคล", personal_sites, order=45)
    plug.indicator("participation", "การมีส่วนร่วมของโรงเรียนและเครือข่าย", participation, order=80)
