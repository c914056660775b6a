"""PDPA: a person's personal site, follows and news in their data download, and what is removed
when their account is anonymised. The news they published is official information of the office
and stays (shown under the anonymised name); the personal site, its photos and files, and their
follows are deleted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.news.models import NewsPost
from nitet_online.supervisors.models import SupervisorFollow, SupervisorProfile
from nitet_online.supervisors.services import delete_page, replace_image


def _when(moment) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def export_site(user: User) -> dict[str, Any] | None:
    profile = db.session.scalar(
        select(SupervisorProfile).where(SupervisorProfile.user_id == user.id)
    )
    if profile is None:
        return None
    return {
        "address": profile.url,
        "headline": profile.headline,
        "introduction": profile.introduction,
        "contact": {
            "phone": [profile.contact_phone, profile.phone_visibility.value],
            "email": [profile.contact_email, profile.email_visibility.value],
            "line_id": [profile.contact_line_id, profile.line_visibility.value],
        },
        "pages": [
            {"title": p.title, "address": p.url, "hidden": p.is_hidden} for p in profile.pages
        ],
        "projects": [
            {"name": p.name, "description": p.description, "year": p.year} for p in profile.projects
        ],
    }


def export_follows(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(SupervisorFollow, User)
        .join(User, User.id == SupervisorFollow.supervisor_id)
        .where(SupervisorFollow.follower_id == user.id)
        .order_by(SupervisorFollow.created_at, SupervisorFollow.supervisor_id)
    ).all()
    return [{"supervisor": s.full_name, "since": _when(f.created_at)} for f, s in rows]


def export_news(user: User) -> list[dict[str, Any]]:
    posts = db.session.scalars(
        select(NewsPost).where(NewsPost.author_id == user.id).order_by(NewsPost.id)
    )
    return [
        {
            "title": p.title,
            "address": p.url,
            "state": p.state().value,
            "published": _when(p.publish_at),
        }
        for p in posts
    ]


def forget(user: User) -> None:
    db.session.execute(
        delete(SupervisorFollow).where(
            or_(SupervisorFollow.follower_id == user.id, SupervisorFollow.supervisor_id == user.id)
        )
    )
    profile = db.session.scalar(
        select(SupervisorProfile).where(SupervisorProfile.user_id == user.id)
    )
    if profile is None:
        return
    for page in list(profile.pages):
        delete_page(page)
    replace_image(profile, "photo", None)
    replace_image(profile, "cover", None)
    db.session.delete(profile)


def declare(plug) -> None:
    """The supervisors feature's sections of a person's data download and what it forgets."""
    plug.personal_data("supervisor_site", export_site)
    plug.personal_data("following", export_follows)
    plug.personal_data("news", export_news)
    plug.anonymiser(forget)
