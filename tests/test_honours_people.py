"""ทำเนียบเกียรติยศ per-person pages: only people with an approved (public) honour have one.
Every other account id answers 404, so the pages cannot be walked to list every account's name,
role and school (issue 12, finding 7)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.honours.models import Honour, HonourStatus, Level, RecipientType


def _ids(app) -> tuple[set[int], set[int]]:
    """(ids of people with an approved honour, ids of every other account)."""
    with app.app_context():
        honoured = set(
            db.session.scalars(
                sa.select(Honour.recipient_user_id).where(
                    Honour.status == HonourStatus.APPROVED, Honour.recipient_user_id.is_not(None)
                )
            )
        )
        everyone = set(db.session.scalars(sa.select(User.id)))
    return honoured, everyone - honoured


def test_only_people_with_a_public_honour_have_a_page(demo_app, demo_client):
    honoured, others = _ids(demo_app)
    assert honoured and len(others) > 30
    for user_id in sorted(honoured):
        assert demo_client.get(f"/honours/people/{user_id}").status_code == 200, user_id
    for user_id in sorted(others):
        page = demo_client.get(f"/honours/people/{user_id}")
        assert page.status_code == 404, user_id
    with demo_app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
        name = admin.full_name
    assert name not in demo_client.get(f"/honours/people/{admin.id}").get_data(as_text=True)


def test_a_pending_honour_gives_no_page(demo_app, login_as):
    """Someone whose only honour waits for approval has no public page yet, and their own list of
    honours does not link to one."""
    with demo_app.app_context():
        teacher = db.session.scalar(sa.select(User).where(User.username == "teacher2"))
        for honour in db.session.scalars(
            sa.select(Honour).where(Honour.recipient_user_id == teacher.id)
        ):
            db.session.delete(honour)
        db.session.add(
            Honour(
                recipient_type=RecipientType.TEACHER,
                recipient_user_id=teacher.id,
                school_id=teacher.school_id,
                award_title="รางวัลที่ยังรออนุมัติ",
                level=Level.AREA,
                year=2569,
                status=HonourStatus.PENDING,
                nominated_by_id=teacher.id,
            )
        )
        db.session.commit()
        user_id = teacher.id
    client = login_as("teacher2")
    assert client.get(f"/honours/people/{user_id}").status_code == 404
    mine = client.get("/honours/mine").get_data(as_text=True)
    assert "รางวัลที่ยังรออนุมัติ" in mine
    assert f"/honours/people/{user_id}" not in mine


def test_best_practice_authors_link_only_to_existing_pages(demo_app, demo_client):
    """A best practice names its authors; only those with a public honours page are links."""
    honoured, _ = _ids(demo_app)
    showcase = demo_client.get("/best-practices").get_data(as_text=True)
    linked = set()
    for practice_id in sorted(set(re.findall(r'href="/best-practices/(\d+)', showcase)))[:12]:
        page = demo_client.get(f"/best-practices/{practice_id}").get_data(as_text=True)
        linked |= {int(i) for i in re.findall(r'href="/honours/people/(\d+)"', page)}
    assert linked <= honoured
