"""Supervisors' personal sites: profiles (made with every supervisor's account), slugs, the page
builder (sub-pages with order and visibility), projects, followers and who may edit what."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from flask import has_app_context
from pythainlp.util import collate
from sqlalchemy import delete, event, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from nitet_online.accounts.models import (
    AccountStatus,
    Role,
    User,
    supervisor_learning_areas,
    supervisor_networks,
)
from nitet_online.extensions import db
from nitet_online.services.slugs import ascii_slug, is_ascii_slug, slugify
from nitet_online.supervisors.models import (
    PAGE_TARGET,
    SupervisorFollow,
    SupervisorPage,
    SupervisorProfile,
    SupervisorProject,
    SupervisorSlugRedirect,
)
from nitet_online.uploads.models import Attachment, attachments_of
from nitet_online.uploads.services import delete_upload

# Addresses under /supervisors/ that a profile slug may not take.
RESERVED_PROFILE_SLUGS = {"me", "new", "edit", "feed", "index", "search", "pages", "admin"}
# Addresses under /supervisors/<slug>/ that a sub-page slug may not take.
RESERVED_PAGE_SLUGS = {"edit", "pages", "projects", "follow", "feed", "photo", "cover", "new"}
SLUG_MIN, SLUG_MAX = 3, 60

# Sub-pages most supervisors start with (the plan's "การสร้างหน้าเพจ").
PAGE_PRESETS: dict[str, tuple[str, str]] = {
    "works": (
        "ผลงาน",
        "## ผลงานทางวิชาการ\n\n- \n\n## การนิเทศ ติดตาม\n\n- ",
    ),
    "downloads": (
        "เอกสารดาวน์โหลด",
        "เอกสารสำหรับครูและผู้บริหารสถานศึกษา แนบไฟล์ไว้ด้านล่างของหน้านี้",
    ),
    "calendar": (
        "ปฏิทินการนิเทศ",
        "| วันที่ | โรงเรียน/กิจกรรม | หมายเหตุ |\n|---|---|---|\n|  |  |  |",
    ),
}

# Thai names of this feature's audit actions (declared in the feature's __init__.py).
AUDIT_LABELS: dict[str, str] = {
    "supervisor_profile.update": "แก้ไขหน้าศึกษานิเทศก์ (โดยผู้ดูแลระบบ)",
    "supervisor_page.delete": "ลบหน้าย่อยของศึกษานิเทศก์ (โดยผู้ดูแลระบบ)",
}


# Who may do what ------------------------------------------------------------------------------
def can_edit(profile: SupervisorProfile, user) -> bool:
    """Only the owner of the page and administrators edit it."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.id == profile.user_id or user.role == Role.ADMIN)
    )


def is_listed(user: User) -> bool:
    return user.role == Role.SUPERVISOR and user.status == AccountStatus.ACTIVE


# Profiles and slugs ---------------------------------------------------------------------------
def slug_taken(slug: str, except_profile_id: int | None = None) -> bool:
    query = select(SupervisorProfile.id).where(func.lower(SupervisorProfile.slug) == slug.lower())
    if except_profile_id:
        query = query.where(SupervisorProfile.id != except_profile_id)
    return db.session.scalar(query) is not None


def unique_profile_slug(base: str, except_profile_id: int | None = None) -> str:
    base = ascii_slug(base, SLUG_MAX - 4) or "supervisor"
    if len(base) < SLUG_MIN:
        base = f"sn-{base}"
    candidate, number = base, 1
    while candidate in RESERVED_PROFILE_SLUGS or slug_taken(candidate, except_profile_id):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def slug_problem(slug: str, profile: SupervisorProfile) -> str | None:
    """Why an owner's chosen address cannot be used (Thai), or None."""
    if not is_ascii_slug(slug, SLUG_MIN, SLUG_MAX):
        return (
            f"ที่อยู่หน้าเว็บต้องยาว {SLUG_MIN}–{SLUG_MAX} ตัว ใช้ได้เฉพาะอักษรภาษาอังกฤษตัวเล็ก "
            "ตัวเลข และขีดกลาง (-) และไม่ขึ้นต้นหรือลงท้ายด้วยขีดกลาง"
        )
    if slug in RESERVED_PROFILE_SLUGS:
        return "ที่อยู่นี้สงวนไว้สำหรับระบบ กรุณาเลือกชื่ออื่น"
    if slug_taken(slug, profile.id):
        return "ที่อยู่นี้มีผู้ใช้แล้ว กรุณาเลือกชื่ออื่น"
    return None


def _new_profile(user: User, taken: set[str] | None = None) -> SupervisorProfile:
    """A supervisor's page with the username as its address and the account's contact
    details (not added to the session). `taken`: addresses handed out in this flush."""
    slug = unique_profile_slug(user.username)
    number = 1
    while taken is not None and slug in taken:
        number += 1
        slug = unique_profile_slug(f"{user.username}-{number}")
    if taken is not None:
        taken.add(slug)
    return SupervisorProfile(
        user=user,
        slug=slug,
        contact_phone=user.phone or "",
        contact_email=user.email or "",
        contact_line_id=user.line_id or "",
        headline="",
        introduction="",
    )


def ensure_profile(user: User) -> SupervisorProfile:
    """The supervisor's profile, made if missing (in the caller's transaction). Safe when two
    transactions make it at the same moment."""
    profile = db.session.scalar(
        select(SupervisorProfile).where(SupervisorProfile.user_id == user.id)
    )
    if profile is not None:
        return profile
    profile = _new_profile(user)
    try:
        with db.session.begin_nested():
            db.session.add(profile)
    except IntegrityError:
        profile = db.session.scalar(
            select(SupervisorProfile).where(SupervisorProfile.user_id == user.id)
        )
        if profile is None:
            raise
    return profile


def profile_of(user: User | None) -> SupervisorProfile | None:
    """The page of a listed supervisor, None for anyone else (reads only: pages are made with
    the account, see make_profiles_with_accounts)."""
    if user is None or not is_listed(user):
        return None
    return db.session.scalar(select(SupervisorProfile).where(SupervisorProfile.user_id == user.id))


def ensure_all_profiles() -> int:
    """Makes the missing profiles of active supervisors (accounts from before pages were made
    with the account); the "supervisors.profiles" job runs it. Returns how many it made."""
    missing = db.session.scalars(
        select(User).where(
            User.role == Role.SUPERVISOR,
            User.status == AccountStatus.ACTIVE,
            ~select(SupervisorProfile.id).where(SupervisorProfile.user_id == User.id).exists(),
        )
    ).all()
    for user in missing:
        ensure_profile(user)
    if missing:
        db.session.commit()
    return len(missing)


def _make_missing_profiles(session: Session, flush_context, instances) -> None:
    """Before a flush: every account that is (now) an active supervisor and has no page gets
    one in the same transaction, whichever feature made or changed the account."""
    users = [
        item
        for item in chain(session.new, session.dirty)
        if isinstance(item, User) and is_listed(item)
    ]
    if not users or not has_app_context():
        return
    with session.no_autoflush:
        made = [item for item in session.new if isinstance(item, SupervisorProfile)]
        coming = {id(item.user) for item in made}
        taken = {item.slug for item in made}
        for user in users:
            if id(user) in coming:
                continue
            if user.id is not None and session.scalar(
                select(SupervisorProfile.id).where(SupervisorProfile.user_id == user.id)
            ):
                continue
            session.add(_new_profile(user, taken))


_installed = False


def make_profiles_with_accounts() -> None:
    """Installs the before-flush hook above (once per process)."""
    global _installed
    if not _installed:
        event.listen(Session, "before_flush", _make_missing_profiles)
        _installed = True


@dataclass
class Lookup:
    """The profile at an address; `moved_to` when the address is an old one (the username after
    the owner chose another slug), so the view can redirect."""

    profile: SupervisorProfile | None
    moved_to: str | None = None


def change_slug(profile: SupervisorProfile, new_slug: str) -> None:
    """Gives the site a new address; the old one keeps leading to it (unless another site takes
    it later)."""
    old_slug = profile.slug
    if new_slug == old_slug:
        return
    db.session.execute(
        delete(SupervisorSlugRedirect).where(SupervisorSlugRedirect.slug == new_slug)
    )
    redirect = db.session.get(SupervisorSlugRedirect, old_slug)
    if redirect is None:
        db.session.add(SupervisorSlugRedirect(slug=old_slug, profile_id=profile.id))
    else:
        redirect.profile_id = profile.id
    profile.slug = new_slug


def find_profile(slug: str) -> Lookup:
    """The site at an address: its current slug, an old slug, or its owner's username."""
    slug = slug.lower()
    profile = db.session.scalar(
        select(SupervisorProfile).where(func.lower(SupervisorProfile.slug) == slug)
    )
    if profile is None:
        redirect = db.session.get(SupervisorSlugRedirect, slug)
        profile = db.session.get(SupervisorProfile, redirect.profile_id) if redirect else None
    if profile is not None:
        if not is_listed(profile.user):
            return Lookup(None)
        return Lookup(profile, moved_to=profile.slug if profile.slug != slug else None)
    user = db.session.scalar(
        select(User).where(func.lower(User.username) == slug.lower(), User.role == Role.SUPERVISOR)
    )
    profile = profile_of(user) if user is not None else None
    if profile is None:
        return Lookup(None)
    return Lookup(profile, moved_to=profile.slug if profile.slug != slug else None)


def directory(
    learning_area_id: int | None = None, network_id: int | None = None, text: str = ""
) -> list[SupervisorProfile]:
    """Profiles of active supervisors, filtered, in Thai dictionary order of first names."""
    query = (
        select(SupervisorProfile)
        .join(SupervisorProfile.user)
        .where(User.role == Role.SUPERVISOR, User.status == AccountStatus.ACTIVE)
    )
    if learning_area_id:
        query = query.where(
            select(supervisor_learning_areas.c.user_id)
            .where(
                supervisor_learning_areas.c.user_id == User.id,
                supervisor_learning_areas.c.learning_area_id == learning_area_id,
            )
            .exists()
        )
    if network_id:
        query = query.where(
            select(supervisor_networks.c.user_id)
            .where(
                supervisor_networks.c.user_id == User.id,
                supervisor_networks.c.network_id == network_id,
            )
            .exists()
        )
    text = text.strip()
    if text:
        like = f"%{text.lower()}%"
        query = query.where(
            or_(
                func.lower(User.first_name).like(like),
                func.lower(User.last_name).like(like),
                func.lower(SupervisorProfile.headline).like(like),
            )
        )
    profiles = list(db.session.scalars(query))
    order = {
        name: index for index, name in enumerate(collate([p.user.first_name for p in profiles]))
    }
    return sorted(profiles, key=lambda p: (order[p.user.first_name], p.user.last_name))


# Updating the profile -----------------------------------------------------------------------
def replace_image(profile: SupervisorProfile, field: str, upload) -> None:
    """Sets the photo or cover to a new upload (or None), deleting the old file."""
    old = getattr(profile, field)
    setattr(profile, field, upload)
    if old is not None and old is not upload:
        delete_upload(old)


# Sub-pages ----------------------------------------------------------------------------------
def page_slug_problem(slug: str, profile: SupervisorProfile, page_id: int | None) -> str | None:
    if not slug:
        return "กรุณาตั้งชื่อที่อยู่ของหน้า"
    if slug in RESERVED_PAGE_SLUGS:
        return "ชื่อนี้สงวนไว้สำหรับระบบ กรุณาใช้ชื่ออื่น"
    if any(page.slug == slug and (page_id is None or page.id != page_id) for page in profile.pages):
        return "มีหน้าอื่นใช้ที่อยู่นี้แล้ว กรุณาใช้ชื่ออื่น"
    return None


def unique_page_slug(profile: SupervisorProfile, title: str, page_id: int | None = None) -> str:
    base = slugify(title, 70) or "page"
    others = [page for page in profile.pages if page_id is None or page.id != page_id]
    taken = {page.slug for page in others} | RESERVED_PAGE_SLUGS
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def find_page(profile: SupervisorProfile, page_slug: str) -> SupervisorPage | None:
    return next((page for page in profile.pages if page.slug == page_slug), None)


def page_of(profile: SupervisorProfile, page_id: int) -> SupervisorPage | None:
    return next((page for page in profile.pages if page.id == page_id), None)


def add_page(profile: SupervisorProfile, title: str, body: str, slug: str = "") -> SupervisorPage:
    position = max((page.position for page in profile.pages), default=-1) + 1
    page = SupervisorPage(
        title=title.strip(),
        slug=slug or unique_page_slug(profile, title),
        body=body,
        position=position,
    )
    profile.pages.append(page)
    return page


def _renumber(pages: Sequence[SupervisorPage]) -> None:
    for index, page in enumerate(pages):
        page.position = index


def move_page(profile: SupervisorProfile, page: SupervisorPage, direction: str) -> bool:
    """Moves a sub-page one place up or down; False when it is already at that end."""
    pages = list(profile.pages)
    index = pages.index(page)
    target = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"} or not 0 <= target < len(pages):
        return False
    pages[index], pages[target] = pages[target], pages[index]
    _renumber(pages)
    return True


def reorder_pages(profile: SupervisorProfile, page_ids: Iterable[int]) -> bool:
    """Sets the order from a dragged list; it must name each sub-page exactly once."""
    wanted = list(page_ids)
    by_id = {page.id: page for page in profile.pages}
    if sorted(wanted) != sorted(by_id):
        return False
    _renumber([by_id[page_id] for page_id in wanted])
    return True


def delete_page(page: SupervisorPage) -> None:
    """Removes a sub-page with its attached files."""
    for attachment in attachments_of(PAGE_TARGET, page.id):
        delete_upload(attachment.upload)
    db.session.execute(
        delete(Attachment).where(
            Attachment.target_type == PAGE_TARGET, Attachment.target_id == page.id
        )
    )
    profile = page.profile
    profile.pages.remove(page)
    _renumber(profile.pages)


def remove_attachments(target_type: str, target_id: int, attachment_ids: Iterable[int]) -> int:
    """Deletes the chosen attachments of one item (ids of other items are ignored)."""
    wanted = set(attachment_ids)
    removed = 0
    for attachment in attachments_of(target_type, target_id):
        if attachment.id in wanted:
            upload = attachment.upload
            db.session.delete(attachment)
            delete_upload(upload)
            removed += 1
    return removed


# Projects -----------------------------------------------------------------------------------
def sorted_projects(profile: SupervisorProfile) -> list[SupervisorProject]:
    """Newest year first; projects without a year last."""
    return sorted(profile.projects, key=lambda p: (p.year is None, -(p.year or 0), p.id))


def project_of(profile: SupervisorProfile, project_id: int) -> SupervisorProject | None:
    return next((project for project in profile.projects if project.id == project_id), None)


# Followers ----------------------------------------------------------------------------------
def is_following(follower_id: int, supervisor_id: int) -> bool:
    return db.session.get(SupervisorFollow, (follower_id, supervisor_id)) is not None


def toggle_follow(follower_id: int, supervisor_id: int) -> bool:
    """Follows or stops following; returns whether the member now follows."""
    existing = db.session.get(SupervisorFollow, (follower_id, supervisor_id))
    if existing is not None:
        db.session.delete(existing)
        return False
    db.session.add(SupervisorFollow(follower_id=follower_id, supervisor_id=supervisor_id))
    return True


def follower_count(supervisor_id: int) -> int:
    return db.session.scalar(
        select(func.count()).where(SupervisorFollow.supervisor_id == supervisor_id)
    )


def follower_ids(supervisor_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(SupervisorFollow.follower_id)
            .join(User, User.id == SupervisorFollow.follower_id)
            .where(
                SupervisorFollow.supervisor_id == supervisor_id,
                User.status == AccountStatus.ACTIVE,
            )
        )
    )


def followed_supervisor_ids(follower_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(SupervisorFollow.supervisor_id).where(
                SupervisorFollow.follower_id == follower_id
            )
        )
    )


def describe_sites(user_ids) -> dict[int, tuple[str, str | None]]:
    """Names and addresses of supervisors' sites by user id, for the statistics feature."""
    profiles = db.session.scalars(
        select(SupervisorProfile).where(SupervisorProfile.user_id.in_(list(user_ids)))
    )
    return {p.user_id: (f"เว็บไซต์ของ{p.user.full_name}", p.url) for p in profiles}
