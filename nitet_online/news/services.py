"""News: who may publish and edit, what the public sees (drafts and future-scheduled posts stay
hidden until due), upcoming training events, the home-page block and telling followers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from sqlalchemy import Select, and_, delete, func, or_, select, update

from nitet_online.accounts.models import Role
from nitet_online.extensions import db
from nitet_online.news.models import (
    NEWS_TARGET,
    NewsCategory,
    NewsPost,
    NewsStatus,
)
from nitet_online.notifications.services import notify
from nitet_online.services.permissions import MANAGER_ROLES, SUPERVISING_ROLES
from nitet_online.services.thai import BANGKOK, thai_date, to_bangkok, utcnow
from nitet_online.supervisors.services import follower_ids
from nitet_online.uploads.models import Attachment, attachments_of
from nitet_online.uploads.services import delete_upload

PUBLISHER_ROLES = SUPERVISING_ROLES  # supervisors, directors and administrators publish news
PIN_ROLES = MANAGER_ROLES  # pinning to the top of the news and the home page is an editor's call

# Thai names of this feature's audit actions (declared in the feature's __init__.py).
AUDIT_LABELS: dict[str, str] = {
    "news.delete": "ลบข่าว",
    "news.pin": "ปักหมุดข่าว",
    "news.unpin": "เลิกปักหมุดข่าว",
    "news.update": "แก้ไขข่าวของผู้อื่น",
}


# Who may do what ------------------------------------------------------------------------------
def can_publish(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.role in PUBLISHER_ROLES)


def can_edit(post: NewsPost, user) -> bool:
    """The author (while still allowed to publish) and administrators."""
    if user is None or not user.is_authenticated:
        return False
    return user.role == Role.ADMIN or (post.author_id == user.id and can_publish(user))


def can_pin(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.role in PIN_ROLES)


def can_view(post: NewsPost, user) -> bool:
    """Published and due posts are public; drafts and scheduled ones only for who may edit."""
    return post.is_public or can_edit(post, user)


# Time -----------------------------------------------------------------------------------------
def local_to_utc(moment: datetime | None) -> datetime | None:
    """A time typed in Thailand (datetime-local input) as the naive UTC the database stores."""
    if moment is None:
        return None
    return moment.replace(tzinfo=BANGKOK).astimezone(UTC).replace(tzinfo=None)


def utc_to_local(moment: datetime | None) -> datetime | None:
    """A stored time as naive Thai local time, to fill a datetime-local input."""
    return to_bangkok(moment).replace(tzinfo=None) if moment is not None else None


# What the public sees -------------------------------------------------------------------------
def is_public_clause(now: datetime | None = None):
    return and_(NewsPost.status == NewsStatus.PUBLISHED, NewsPost.publish_at <= (now or utcnow()))


def public_posts(
    category: NewsCategory | None = None, author_id: int | None = None, pinned_first: bool = True
) -> Select:
    query = select(NewsPost).where(is_public_clause())
    if category is not None:
        query = query.where(NewsPost.category == category)
    if author_id is not None:
        query = query.where(NewsPost.author_id == author_id)
    order = [NewsPost.publish_at.desc(), NewsPost.id.desc()]
    if pinned_first:
        order.insert(0, NewsPost.is_pinned.desc())
    return query.order_by(*order)


def latest_by_author(author_id: int, limit: int = 5) -> list[NewsPost]:
    return list(
        db.session.scalars(public_posts(author_id=author_id, pinned_first=False).limit(limit))
    )


def count_by_author(author_id: int) -> int:
    return db.session.scalar(
        select(func.count(NewsPost.id)).where(is_public_clause(), NewsPost.author_id == author_id)
    )


def upcoming_events(limit: int | None = 5) -> list[NewsPost]:
    """Training and seminars not yet over, soonest first."""
    now = utcnow()
    query = (
        select(NewsPost)
        .where(
            is_public_clause(now),
            NewsPost.category == NewsCategory.TRAINING,
            NewsPost.event_start.is_not(None),
            func.coalesce(NewsPost.event_end, NewsPost.event_start) >= now,
        )
        .order_by(NewsPost.event_start, NewsPost.id)
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def posts_for_manager(user, state: str = "") -> Select:
    """The management list: administrators see every post, others their own."""
    query = select(NewsPost).order_by(NewsPost.updated_at.desc(), NewsPost.id.desc())
    if user.role != Role.ADMIN:
        query = query.where(NewsPost.author_id == user.id)
    now = utcnow()
    if state == "draft":
        query = query.where(or_(NewsPost.status == NewsStatus.DRAFT, NewsPost.publish_at.is_(None)))
    elif state == "scheduled":
        query = query.where(NewsPost.status == NewsStatus.PUBLISHED, NewsPost.publish_at > now)
    elif state == "published":
        query = query.where(is_public_clause(now))
    return query


@dataclass
class HomeNews:
    pinned: list[NewsPost]
    latest: list[NewsPost]
    events: list[NewsPost]


def home_news() -> HomeNews:
    pinned = list(
        db.session.scalars(
            select(NewsPost)
            .where(is_public_clause(), NewsPost.is_pinned)
            .order_by(NewsPost.publish_at.desc())
            .limit(3)
        )
    )
    latest = list(
        db.session.scalars(
            public_posts(pinned_first=False).where(NewsPost.is_pinned.is_(False)).limit(6)
        )
    )
    return HomeNews(pinned=pinned, latest=latest, events=upcoming_events(4))


# Publishing ---------------------------------------------------------------------------------
PUBLISH_NOW, SCHEDULE, SAVE_DRAFT = "publish", "schedule", "draft"


def apply_publication(post: NewsPost, choice: str, scheduled_at: datetime | None) -> None:
    """Sets status and publication time from the form's choice. A post already public that is
    saved again keeps its original publication time."""
    now = utcnow()
    if choice == SAVE_DRAFT:
        post.status = NewsStatus.DRAFT
        if post.publish_at is not None and post.publish_at > now:
            post.publish_at = None
    elif choice == SCHEDULE:
        post.status = NewsStatus.PUBLISHED
        post.publish_at = scheduled_at
    else:
        was_public = (
            post.status == NewsStatus.PUBLISHED and post.publish_at and post.publish_at <= now
        )
        post.status = NewsStatus.PUBLISHED
        if not was_public:
            post.publish_at = now


def delete_post(post: NewsPost) -> None:
    """Removes a post with its cover and attached files."""
    for attachment in attachments_of(NEWS_TARGET, post.id):
        delete_upload(attachment.upload)
    db.session.execute(
        delete(Attachment).where(
            Attachment.target_type == NEWS_TARGET, Attachment.target_id == post.id
        )
    )
    cover = post.cover
    db.session.delete(post)
    if cover is not None:
        delete_upload(cover)


# Telling followers ----------------------------------------------------------------------------
def claim_notification(post_id: int) -> bool:
    """Marks the post as told, in the caller's transaction, if nobody did yet: a conditional
    UPDATE, so of two runners (or a runner and an editor publishing) only one gets True and
    tells the followers; a rollback gives the post back. Its "last edited" time is kept."""
    result = db.session.execute(
        update(NewsPost)
        .where(NewsPost.id == post_id, NewsPost.notified_at.is_(None))
        .values(notified_at=utcnow(), updated_at=NewsPost.updated_at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def notify_followers(post: NewsPost) -> None:
    """Once a post is public, followers of its author are told (once). Adds to the session."""
    if post.notified_at is not None or not post.is_public or not claim_notification(post.id):
        return
    db.session.refresh(post, ["notified_at"])
    if post.author_id is None:
        return
    author = post.author
    notify(
        [uid for uid in follower_ids(post.author_id) if uid != post.author_id],
        "news",
        f"{author.full_name} เผยแพร่ข่าว: {post.title}",
        post.url,
        actor_id=post.author_id,
    )


def deliver_due_notifications(limit: int = 100) -> int:
    """Scheduled posts that have become public: tell their authors' followers now, each post in a
    transaction of its own with its claim (see claim_notification). The "news.deliver" job runs
    this (news/jobs.py); pages never do. Returns how many posts were delivered."""
    due = db.session.scalars(
        select(NewsPost.id)
        .where(is_public_clause(), NewsPost.notified_at.is_(None))
        .order_by(NewsPost.publish_at, NewsPost.id)
        .limit(limit)
    ).all()
    delivered = 0
    for post_id in due:
        post = db.session.get(NewsPost, post_id)
        if post is None or post.notified_at is not None:
            continue
        notify_followers(post)
        delivered += post.notified_at is not None
        db.session.commit()
    return delivered


# Sharing ------------------------------------------------------------------------------------
def share_links(url: str) -> dict[str, str]:
    """Plain share links for LINE and Facebook (no third-party script on our pages)."""
    encoded = quote(url, safe="")
    return {
        "line": f"https://social-plugins.line.me/lineit/share?url={encoded}",
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={encoded}",
    }


# Showing event dates --------------------------------------------------------------------------
def _clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def event_when(post: NewsPost) -> str:
    """When a training takes place, in Thai: 15 ธันวาคม 2569 เวลา 08:30–16:30 น.,
    15–17 ธันวาคม 2569, or 30 ธันวาคม 2569 – 2 มกราคม 2570."""
    if post.event_start is None:
        return ""
    start = to_bangkok(post.event_start)
    end = to_bangkok(post.event_end) if post.event_end else None
    timed = (start.hour, start.minute) != (0, 0)
    if end is None or end.date() == start.date():
        text = thai_date(start)
        if timed:
            until = f"–{_clock(end)}" if end and end != start else ""
            text += f" เวลา {_clock(start)}{until} น."
        return text
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{thai_date(end)}"
    return f"{thai_date(start)} – {thai_date(end)}"


def event_date_parts(moment: datetime) -> tuple[str, str]:
    """The day and the short month with year for a calendar block: ("15", "ธ.ค. 69")."""
    day, month, year = thai_date(moment, "short").split(" ")
    return day, f"{month} {year}"


def describe_posts(ids) -> dict[int, tuple[str, str | None]]:
    """Titles and addresses of posts, for the statistics feature's "most read" tables."""
    posts = db.session.scalars(select(NewsPost).where(NewsPost.id.in_(list(ids))))
    return {post.id: (post.title, post.url) for post in posts}
