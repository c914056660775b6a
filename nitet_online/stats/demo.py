"""Demo visits of the last months, rolled up, so the dashboards have something to show.
Idempotent: nothing is added when any statistics exist."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, insert, select

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.extensions import db
from nitet_online.services.thai import BANGKOK, today_bangkok
from nitet_online.stats.models import PageView, RolledDay
from nitet_online.stats.rollup import roll_up_pending

DEMO_DAYS = 75
PAGES = ["core.home", "core.home", "core.home", "manual.index", "surveys.index", "accounts.login"]
REFERRERS = ["direct"] * 5 + ["social"] * 4 + ["search"] * 2 + ["internal"] * 6 + ["other"]
DEVICES = ["mobile"] * 6 + ["desktop"] * 4 + ["tablet"]


def _visitor(rng: random.Random, day_index: int, person: int) -> str:
    return f"{rng.getrandbits(64):016x}{day_index:08x}{person:08x}"


def seed_stats() -> None:
    if db.session.scalar(select(func.count()).select_from(PageView)) or db.session.scalar(
        select(func.count()).select_from(RolledDay)
    ):
        return
    rng = random.Random(2569)
    supervisors = db.session.scalars(
        select(User.id).where(User.role == Role.SUPERVISOR).order_by(User.id)
    ).all()
    members = db.session.execute(
        select(User.role, User.school_id).where(User.status == AccountStatus.ACTIVE)
    ).all()
    from nitet_online.surveys.models import Survey

    surveys = db.session.execute(select(Survey.id, Survey.owner_id)).all()
    today = today_bangkok()
    rows = []
    for back in range(DEMO_DAYS, -1, -1):
        day = today - timedelta(days=back)
        weekday_boost = 1.0 if day.weekday() < 5 else 0.45
        for person in range(int(rng.randint(25, 60) * weekday_boost)):
            visitor = _visitor(rng, back, person)
            member = rng.choice(members) if members and rng.random() < 0.45 else None
            for _ in range(rng.randint(1, 4)):
                rows.append(_row(rng, day, visitor, member, supervisors, surveys))
    db.session.execute(insert(PageView.__table__), rows)
    _recent_logins(rng)
    db.session.flush()
    roll_up_pending(today)


def _recent_logins(rng: random.Random) -> None:
    """Most demo accounts logged in during the last two months (active users by role)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    for user in db.session.scalars(select(User).where(User.last_login_at.is_(None))):
        if rng.random() < 0.75:
            user.last_login_at = now - timedelta(
                days=rng.randint(0, 60), minutes=rng.randint(0, 900)
            )


def _row(rng, day, visitor, member, supervisors, surveys) -> dict:
    local = datetime.combine(day, time(rng.randint(7, 21), rng.randint(0, 59)), BANGKOK)
    content_type, content_id, owner_id, endpoint, kind = (
        "page",
        None,
        None,
        rng.choice(PAGES),
        "view",
    )
    roll = rng.random()
    if roll < 0.35 and supervisors:
        owner_id = rng.choice(supervisors)
        content_type, content_id, endpoint = "supervisor", owner_id, "supervisors.profile"
    elif roll < 0.42 and surveys:
        content_id, owner_id = rng.choice(surveys)
        content_type, endpoint = "survey", "surveys.answer"
    return {
        "viewed_at": local.astimezone(UTC).replace(tzinfo=None),
        "day": day,
        "kind": kind,
        "content_type": content_type,
        "content_id": content_id,
        "owner_id": owner_id,
        "endpoint": endpoint,
        "visitor": visitor,
        "role": member[0].value if member else "",
        "school_id": member[1] if member else None,
        "referrer": rng.choice(REFERRERS),
        "device": rng.choice(DEVICES),
    }
