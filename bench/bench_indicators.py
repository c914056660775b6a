"""Indicator queries over years with millions of raw views: roll-ups against raw views.

Generates VIEWS raw views (default 5,000,000) over three fiscal years (1 Oct 2566 – 30 Sep 2569)
into SQLite with batched executemany, rolls every day up, then times the whole office dashboard
(every registered indicator) over the three years and over one fiscal year

  rolled  the normal path: roll-ups up to the watermark (all days here)
  raw     the same indicator code with the roll-up watermark removed, so it reads raw views
          (the naive query), in the same run

and checks that both give identical figures.

    .venv/bin/python bench/bench_indicators.py [--views 5000000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

START, END = date(2023, 10, 1), date(2026, 9, 30)
BATCH = 100_000
COLUMNS = (
    "viewed_at, day, kind, content_type, content_id, owner_id, endpoint, visitor, role, "
    "school_id, referrer, device"
)


def build_app(folder: Path):
    os.environ.update(
        NITET_DATA_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'bench.db'}",
        SECRET_KEY="bench-" + "x" * 40,
        STATS_RAW_RETENTION_DAYS="100000",
    )
    from flask_migrate import upgrade

    from nitet_online import create_app
    from nitet_online.demo import seed_organisation, seed_people

    app = create_app("production")
    with app.app_context():
        upgrade()
        seed_organisation()
        seed_people()
        from nitet_online.extensions import db

        db.session.commit()
    return app


def generate(total: int, supervisors: list[int], members: list[tuple[str, int | None]]):
    """Batches of raw view tuples spread evenly over the days, with realistic mixes."""
    rng = random.Random(8)
    days = (END - START).days + 1
    per_day = total // days
    extra = total - per_day * days
    batch: list[tuple] = []
    for index in range(days):
        day = START + timedelta(days=index)
        count = per_day + (1 if index < extra else 0)
        people = max(1, count // 3)
        for _ in range(count):
            person = rng.randrange(people)
            roll = rng.random()
            kind, content_type, content_id, owner, endpoint = (
                "view",
                "page",
                None,
                None,
                "core.home",
            )
            if roll < 0.25:
                content_type, content_id, endpoint = (
                    "knowledge",
                    rng.randrange(1, 500),
                    "knowledge.detail",
                )
                owner = supervisors[content_id % len(supervisors)]
            elif roll < 0.30:
                kind, content_type, content_id, endpoint = (
                    "download",
                    "knowledge",
                    rng.randrange(1, 500),
                    "knowledge.download",
                )
                owner = supervisors[content_id % len(supervisors)]
            elif roll < 0.40:
                owner = rng.choice(supervisors)
                content_type, content_id, endpoint = "supervisor", owner, "supervisors.profile"
            elif roll < 0.50:
                content_type, content_id, endpoint = "news", rng.randrange(1, 300), "news.detail"
                owner = rng.choice(supervisors)
            elif roll < 0.55:
                content_type, content_id, endpoint = (
                    "question",
                    rng.randrange(1, 2000),
                    "questions.detail",
                )
            role, school = members[person % len(members)] if person % 5 < 2 else ("", None)
            moment = datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60))
            batch.append(
                (
                    moment.isoformat(sep=" "),
                    day.isoformat(),
                    kind,
                    content_type,
                    content_id,
                    owner,
                    endpoint,
                    f"{index:05x}{person:027x}",
                    role,
                    school,
                    rng.choice(("direct", "direct", "social", "search", "internal", "other")),
                    rng.choice(("mobile", "mobile", "desktop", "tablet")),
                )
            )
            if len(batch) >= BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def timed(function, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--views", type=int, default=5_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder))
        with app.app_context():
            run(app, args.views)


def run(app, views: int) -> None:
    from sqlalchemy import delete, func, insert, select

    from nitet_online.accounts.models import Role, User
    from nitet_online.extensions import db
    from nitet_online.stats import dashboard
    from nitet_online.stats.models import DailyContentViews, RolledDay, Slice
    from nitet_online.stats.rollup import roll_up_pending
    from nitet_online.stats.services import Period

    supervisors = list(db.session.scalars(select(User.id).where(User.role == Role.SUPERVISOR)))
    members = [
        (role.value, school)
        for role, school in db.session.execute(select(User.role, User.school_id))
    ]
    started = time.perf_counter()
    connection = db.session.connection()
    placeholders = ", ".join("?" * 12)
    for batch in generate(views, supervisors, members):
        connection.exec_driver_sql(
            f"INSERT INTO stats_view ({COLUMNS}) VALUES ({placeholders})", batch
        )
    db.session.commit()
    inserted = time.perf_counter() - started
    print(
        f"raw views: {views:,} over {(END - START).days + 1} days, inserted in {inserted:.1f} s "
        f"({views / inserted:,.0f} rows/s)"
    )

    started = time.perf_counter()
    report = roll_up_pending(END + timedelta(days=1))
    rolled_time = time.perf_counter() - started
    sizes = {
        "per item (stats_daily_content)": db.session.scalar(
            select(func.count()).select_from(DailyContentViews)
        ),
        "slices by day": db.session.scalar(select(func.count()).where(Slice.grain == "d")),
        "slices by month": db.session.scalar(select(func.count()).where(Slice.grain == "m")),
    }
    print(
        f"roll-up of {len(report.days)} days: {rolled_time:.1f} s; roll-up rows: "
        + ", ".join(f"{name} {count:,}" for name, count in sizes.items())
    )

    periods = {
        "3 fiscal years (2567–2569)": Period(START, END),
        "fiscal year 2569": Period(date(2025, 10, 1), END, kind="fiscal", year=2569),
    }
    rolled_days = [dict(row._mapping) for row in db.session.execute(select(RolledDay.__table__))]
    results = {}
    for label, period in periods.items():
        seconds, computed = timed(lambda p=period: dashboard.compute_all(p))
        results[label] = [
            seconds,
            json.dumps(dashboard.summary_json(period, computed), sort_keys=True),
        ]
    # The naive query: the same indicators with no roll-up watermark read every raw view.
    db.session.execute(delete(RolledDay.__table__))
    db.session.commit()
    for label, period in periods.items():
        seconds, computed = timed(lambda p=period: dashboard.compute_all(p), repeat=1)
        same = (
            json.dumps(dashboard.summary_json(period, computed), sort_keys=True)
            == results[label][1]
        )
        rolled_seconds = results[label][0]
        print(
            f"{label}: all {len(computed)} indicators from roll-ups {rolled_seconds:.3f} s, "
            f"from raw views {seconds:.3f} s, ratio raw/rolled {seconds / rolled_seconds:,.0f}×, "
            f"identical figures: {same}"
        )
    db.session.execute(insert(RolledDay.__table__), rolled_days)
    db.session.commit()


if __name__ == "__main__":
    main()
