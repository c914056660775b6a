"""Best practices: who may do what, the review workflow, the showcase queries, likes, comments and
the gallery. Views call these; other features may too (the school page, honours, search)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask_login import AnonymousUserMixin
from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from nitet_online.accounts.models import SCHOOL_ROLES, AccountStatus, Role, User
from nitet_online.audit.services import record
from nitet_online.best_practices.models import (
    REVIEW,
    TARGET_TYPE,
    BestPractice,
    BestPracticeComment,
    BestPracticeEvent,
    BestPracticeLike,
    BestPracticeStatus,
)
from nitet_online.extensions import db
from nitet_online.notifications.services import notify
from nitet_online.org.models import GradeLevel, LearningArea, Network, School
from nitet_online.services.numbers import int_arg
from nitet_online.services.permissions import MANAGER_ROLES
from nitet_online.services.thai import utcnow
from nitet_online.uploads.models import DOCUMENT, IMAGE, Attachment, Upload, attachments_of
from nitet_online.uploads.services import attach, delete_upload, safe_display_name, save_many

AUTHOR_ROLES = (Role.TEACHER, Role.SCHOOL_DIRECTOR)
PER_PAGE = 12
HOME_LIMIT = 4
COMMENT_MAX = 5000

# Thai names of this feature's audit actions (declared in the feature's __init__.py).
AUDIT_LABELS: dict[str, str] = {
    "best_practice.publish": "เผยแพร่ผลงานดีเด่น",
    "best_practice.return": "ส่งกลับแก้ไขผลงานดีเด่น",
    "best_practice.feature": "ตั้งเป็นผลงานแนะนำ",
    "best_practice.unfeature": "เลิกแนะนำผลงาน",
    "best_practice.delete": "ลบผลงานดีเด่น",
    "best_practice.comment_delete": "ลบความคิดเห็นในผลงานดีเด่น",
}

User_ = User | AnonymousUserMixin


class NotAllowed(Exception):
    """The person may not do this (the view answers 403)."""


class WorkflowError(ValueError):
    """The step cannot be taken now; the message says why, in Thai."""


# Who may do what -------------------------------------------------------------------------------
def _logged_in(user: User_) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_create(user: User_) -> bool:
    """Teachers and school directors submit best practices for their own school."""
    return _logged_in(user) and user.role in AUTHOR_ROLES and user.school_id is not None


def is_author(user: User_, practice: BestPractice) -> bool:
    if not _logged_in(user):
        return False
    return practice.author_id == user.id or any(c.id == user.id for c in practice.coauthors)


def is_responsible_supervisor(user: User, practice: BestPractice) -> bool:
    """A supervisor responsible for the work's school, its network or its learning area."""
    if user.role != Role.SUPERVISOR:
        return False
    school = practice.school
    return (
        any(s.id == practice.school_id for s in user.responsible_schools)
        or (
            school is not None and any(n.id == school.network_id for n in user.responsible_networks)
        )
        or any(a.id == practice.learning_area_id for a in user.learning_areas)
    )


def can_review(user: User_, practice: BestPractice) -> bool:
    if not _logged_in(user) or is_author(user, practice):
        return False
    return user.role in MANAGER_ROLES or is_responsible_supervisor(user, practice)


def can_view(user: User_, practice: BestPractice) -> bool:
    """Published works are public; a draft is its authors' own (and the administrators'); works
    under review or returned are seen by their authors and reviewers."""
    if practice.status == BestPracticeStatus.PUBLISHED or is_author(user, practice):
        return True
    if practice.status == BestPracticeStatus.DRAFT:
        return _logged_in(user) and user.role == Role.ADMIN
    return can_review(user, practice)


def can_edit(user: User_, practice: BestPractice) -> bool:
    if not _logged_in(user):
        return False
    if user.role == Role.ADMIN:
        return True
    return is_author(user, practice) and REVIEW.author_may_edit(practice.status)


def can_submit(user: User_, practice: BestPractice) -> bool:
    return is_author(user, practice) and REVIEW.allows("submit", practice.status)


def can_delete(user: User_, practice: BestPractice) -> bool:
    if not _logged_in(user):
        return False
    if user.role == Role.ADMIN:
        return True
    return practice.author_id == user.id and practice.status == BestPracticeStatus.DRAFT


def can_moderate_comment(user: User_, comment: BestPracticeComment) -> bool:
    if not _logged_in(user):
        return False
    return comment.author_id == user.id or can_review(user, comment.best_practice)


# Creating and editing --------------------------------------------------------------------------
def colleagues_of(user: User) -> list[User]:
    """People of the same school who may be named co-authors."""
    if user.school_id is None:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.school_id == user.school_id,
                User.id != user.id,
                User.status == AccountStatus.ACTIVE,
                User.role.in_(SCHOOL_ROLES),
            )
            .order_by(User.first_name, User.last_name)
        )
    )


def create(author: User) -> BestPractice:
    """A new draft for the author's school; the caller fills it in and commits."""
    if not can_create(author):
        raise NotAllowed
    practice = BestPractice(
        author=author, school_id=author.school_id, status=BestPracticeStatus.DRAFT
    )
    db.session.add(practice)
    practice.events.append(BestPracticeEvent(actor=author, from_status=None, to_status="draft"))
    return practice


def set_coauthors(practice: BestPractice, user_ids: Iterable[int]) -> None:
    allowed = {u.id: u for u in colleagues_of(practice.author)} if practice.author else {}
    practice.coauthors = [allowed[i] for i in user_ids if i in allowed]


def set_grade_levels(practice: BestPractice, level_ids: Iterable[int]) -> None:
    ids = list(level_ids)
    practice.grade_levels = (
        list(db.session.scalars(select(GradeLevel).where(GradeLevel.id.in_(ids)))) if ids else []
    )


# The review workflow ---------------------------------------------------------------------------
def _move(practice: BestPractice, actor: User, to: BestPracticeStatus, comment: str = "") -> None:
    practice.events.append(
        BestPracticeEvent(
            actor=actor, from_status=practice.status.value, to_status=to.value, comment=comment
        )
    )
    practice.status = to
    now = utcnow()
    if to == BestPracticeStatus.PENDING:
        practice.submitted_at = now
    elif to == BestPracticeStatus.PUBLISHED:
        practice.published_at = practice.published_at or now
    else:
        practice.featured = False


def reviewer_ids(practice: BestPractice) -> list[int]:
    """Supervisors responsible for the school, its network or the learning area; when there are
    none, the office directors and administrators."""
    network_id = practice.school.network_id if practice.school else None
    conditions = [User.responsible_schools.any(School.id == practice.school_id)]
    if network_id:
        conditions.append(User.responsible_networks.any(Network.id == network_id))
    if practice.learning_area_id:
        conditions.append(User.learning_areas.any(LearningArea.id == practice.learning_area_id))
    active = User.status == AccountStatus.ACTIVE
    ids = list(
        db.session.scalars(
            select(User.id).where(User.role == Role.SUPERVISOR, active, or_(*conditions))
        )
    )
    if not ids:
        ids = list(db.session.scalars(select(User.id).where(User.role.in_(MANAGER_ROLES), active)))
    return ids


def _author_ids(practice: BestPractice) -> list[int]:
    return [user.id for user in practice.people]


def submit(practice: BestPractice, actor: User) -> None:
    """ฉบับร่าง or ส่งกลับแก้ไข → รอตรวจ, by the author or a co-author, once every section is written."""
    if not is_author(actor, practice):
        raise NotAllowed
    if refusal := REVIEW.refusal("submit", practice.status):
        raise WorkflowError(refusal)
    missing = practice.missing_sections()
    if missing:
        raise WorkflowError("กรุณากรอกหัวข้อต่อไปนี้ก่อนส่งตรวจ: " + ", ".join(missing))
    again = practice.status == BestPracticeStatus.RETURNED
    _move(practice, actor, REVIEW.target("submit"))
    what = "ส่งผลงานที่แก้ไขแล้ว" if again else "มีผลงานดีเด่นรอตรวจ"
    notify(
        reviewer_ids(practice),
        "best_practice.submitted",
        f"{what}: “{practice.title}” ({practice.school.name})",
        practice.url,
        actor.id,
    )
    notify(
        _author_ids(practice),
        "best_practice.submitted",
        f"{actor.full_name} ส่งผลงาน “{practice.title}” เข้ารับการตรวจแล้ว",
        practice.url,
        actor.id,
    )


def publish(practice: BestPractice, actor: User, comment: str = "") -> None:
    """รอตรวจ → เผยแพร่, by a reviewer."""
    if not can_review(actor, practice):
        raise NotAllowed
    if refusal := REVIEW.refusal("publish", practice.status):
        raise WorkflowError(refusal)
    _move(practice, actor, REVIEW.target("publish"), comment.strip())
    record("best_practice.publish", practice, practice.title)
    notify(
        _author_ids(practice),
        "best_practice.published",
        f"ผลงาน “{practice.title}” ได้รับการเผยแพร่แล้ว",
        practice.url,
        actor.id,
    )


def return_for_revision(practice: BestPractice, actor: User, comment: str) -> None:
    """รอตรวจ (or เผยแพร่) → ส่งกลับแก้ไข with the reviewer's comment, by a reviewer."""
    if not can_review(actor, practice):
        raise NotAllowed
    if refusal := REVIEW.refusal("return", practice.status):
        raise WorkflowError(refusal)
    comment = (comment or "").strip()
    if not comment:
        raise WorkflowError("กรุณาระบุสิ่งที่ต้องแก้ไขในช่องความเห็นของผู้ตรวจ")
    _move(practice, actor, REVIEW.target("return"), comment)
    record("best_practice.return", practice, f"{practice.title}: {comment[:200]}")
    notify(
        _author_ids(practice),
        "best_practice.returned",
        f"ผลงาน “{practice.title}” ถูกส่งกลับแก้ไข: {comment[:120]}",
        practice.url,
        actor.id,
    )


def toggle_featured(practice: BestPractice, actor: User) -> bool:
    if not can_review(actor, practice):
        raise NotAllowed
    if practice.status != BestPracticeStatus.PUBLISHED:
        raise WorkflowError("ตั้งเป็นผลงานแนะนำได้เฉพาะผลงานที่เผยแพร่แล้ว")
    practice.featured = not practice.featured
    practice.featured_at = utcnow() if practice.featured else None
    action = "best_practice.feature" if practice.featured else "best_practice.unfeature"
    record(action, practice, practice.title)
    return practice.featured


def delete(practice: BestPractice, actor: User) -> None:
    if not can_delete(actor, practice):
        raise NotAllowed
    for attachment in attachments_of(TARGET_TYPE, practice.id):
        upload = attachment.upload
        db.session.delete(attachment)
        delete_upload(upload)
    if actor.role == Role.ADMIN:
        record("best_practice.delete", practice, practice.title)
    db.session.delete(practice)


# Gallery and PDF attachments -------------------------------------------------------------------
@dataclass
class Files:
    images: list[Attachment] = field(default_factory=list)
    documents: list[Attachment] = field(default_factory=list)


def files_of(practice: BestPractice) -> Files:
    files = Files()
    for attachment in attachments_of(TARGET_TYPE, practice.id):
        (files.images if attachment.upload.is_image else files.documents).append(attachment)
    return files


def add_files(
    practice: BestPractice,
    photos: Iterable[FileStorage],
    documents: Iterable[FileStorage],
    owner_id: int,
) -> list[str]:
    """Stores new gallery photos and PDF files; returns the Thai reasons of refused files."""
    errors: list[str] = []
    pdfs: list[FileStorage] = []
    for file in documents:
        if not file or not file.filename:
            continue
        if not file.filename.lower().endswith(".pdf"):
            errors.append(f"{safe_display_name(file.filename)}: รับเฉพาะไฟล์ PDF")
        else:
            pdfs.append(file)
    images, image_errors = save_many(photos, owner_id, {IMAGE})
    stored_pdfs, pdf_errors = save_many(pdfs, owner_id, {DOCUMENT})
    db.session.flush()
    for upload in [*images, *stored_pdfs]:
        attach(TARGET_TYPE, practice.id, upload, caption=_caption_from_name(upload))
        db.session.flush()
    return errors + image_errors + pdf_errors


def _caption_from_name(upload: Upload) -> str:
    if upload.is_image:
        return ""
    return upload.original_name.rsplit(".", 1)[0]


def update_gallery(practice: BestPractice, form: Mapping[str, str]) -> None:
    """Captions (caption-<id>), order (position-<id>) and removal (remove-<id>) of attached files."""
    for attachment in attachments_of(TARGET_TYPE, practice.id):
        key = str(attachment.id)
        if form.get(f"remove-{key}"):
            upload = attachment.upload
            db.session.delete(attachment)
            delete_upload(upload)
            continue
        if f"caption-{key}" in form:
            attachment.caption = form[f"caption-{key}"].strip()[:255]
        position = form.get(f"position-{key}", "").strip()
        if position.isdigit():
            attachment.position = int(position)


def covers_of(practice_ids: Iterable[int]) -> dict[int, Upload]:
    """The first gallery image of each work, for cards."""
    ids = list(practice_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Attachment.target_id, Upload)
        .join(Upload, Attachment.upload_id == Upload.id)
        .where(
            Attachment.target_type == TARGET_TYPE,
            Attachment.target_id.in_(ids),
            Upload.kind == IMAGE,
        )
        .order_by(Attachment.target_id, Attachment.position, Attachment.id)
    )
    covers: dict[int, Upload] = {}
    for target_id, upload in rows:
        covers.setdefault(target_id, upload)
    return covers


# Showcase --------------------------------------------------------------------------------------
def _int_arg(args: Mapping[str, str], name: str) -> int | None:
    value = int_arg(args, name)
    return value if value and value > 0 else None


@dataclass
class ShowcaseFilters:
    learning_area: int | None = None
    stage: str = ""
    network: int | None = None
    school: int | None = None
    year: int | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ShowcaseFilters:
        return cls(
            learning_area=_int_arg(args, "learning_area"),
            stage=(args.get("stage") or "").strip()[:100],
            network=_int_arg(args, "network"),
            school=_int_arg(args, "school"),
            year=_int_arg(args, "year"),
            q=(args.get("q") or "").strip()[:200],
        )

    @property
    def active(self) -> bool:
        return any([self.learning_area, self.stage, self.network, self.school, self.year, self.q])


CARD_LOADS = (
    selectinload(BestPractice.school),
    selectinload(BestPractice.learning_area),
    selectinload(BestPractice.grade_levels),
)


def published() -> Select:
    """Published works, with what their cards show loaded in a few queries."""
    return (
        select(BestPractice)
        .where(BestPractice.status == BestPracticeStatus.PUBLISHED)
        .options(*CARD_LOADS)
    )


def showcase_query(filters: ShowcaseFilters) -> Select:
    query = published()
    if filters.learning_area:
        query = query.where(BestPractice.learning_area_id == filters.learning_area)
    if filters.stage:
        query = query.where(BestPractice.grade_levels.any(GradeLevel.stage == filters.stage))
    if filters.school:
        query = query.where(BestPractice.school_id == filters.school)
    if filters.network:
        query = query.where(
            BestPractice.school_id.in_(
                select(School.id).where(School.network_id == filters.network)
            )
        )
    if filters.year:
        query = query.where(BestPractice.academic_year == filters.year)
    if filters.q:
        pattern = f"%{filters.q}%"
        query = query.where(
            or_(BestPractice.title.ilike(pattern), BestPractice.summary.ilike(pattern))
        )
    return query.order_by(BestPractice.published_at.desc(), BestPractice.id.desc())


def academic_years() -> list[int]:
    """The academic years that have published works, newest first (for the filter)."""
    return list(
        db.session.scalars(
            select(BestPractice.academic_year)
            .where(BestPractice.status == BestPracticeStatus.PUBLISHED)
            .distinct()
            .order_by(BestPractice.academic_year.desc())
        )
    )


def featured(limit: int = HOME_LIMIT) -> list[BestPractice]:
    return list(
        db.session.scalars(
            published()
            .where(BestPractice.featured)
            .order_by(BestPractice.featured_at.desc(), BestPractice.id.desc())
            .limit(limit)
        )
    )


def for_home(limit: int = HOME_LIMIT) -> list[BestPractice]:
    """Featured works first, then the latest published, up to `limit`."""
    chosen = featured(limit)
    if len(chosen) < limit:
        seen = [p.id for p in chosen]
        query = published().order_by(BestPractice.published_at.desc(), BestPractice.id.desc())
        if seen:
            query = query.where(BestPractice.id.not_in(seen))
        chosen += list(db.session.scalars(query.limit(limit - len(chosen))))
    return chosen


def for_school(school_id: int) -> list[BestPractice]:
    return list(
        db.session.scalars(
            published()
            .where(BestPractice.school_id == school_id)
            .order_by(BestPractice.academic_year.desc(), BestPractice.published_at.desc())
        )
    )


def mine(user: User) -> list[BestPractice]:
    return list(
        db.session.scalars(
            select(BestPractice)
            .where(
                or_(
                    BestPractice.author_id == user.id,
                    BestPractice.coauthors.any(User.id == user.id),
                )
            )
            .order_by(BestPractice.updated_at.desc())
        )
    )


def review_queue(user: User) -> tuple[list[BestPractice], list[BestPractice]]:
    """Works waiting for this reviewer, and the published ones they are responsible for."""
    candidates = db.session.scalars(
        select(BestPractice)
        .where(BestPractice.status.in_([BestPracticeStatus.PENDING, BestPracticeStatus.PUBLISHED]))
        .order_by(BestPractice.submitted_at.desc())
    )
    pending, published_ = [], []
    for practice in candidates:
        if can_review(user, practice):
            (pending if practice.status == BestPracticeStatus.PENDING else published_).append(
                practice
            )
    return pending, published_


# Likes and comments ----------------------------------------------------------------------------
def like_counts(practice_ids: Iterable[int]) -> dict[int, int]:
    ids = list(practice_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(BestPracticeLike.best_practice_id, func.count())
        .where(BestPracticeLike.best_practice_id.in_(ids))
        .group_by(BestPracticeLike.best_practice_id)
    )
    return {key: count for key, count in rows}


def like_count(practice: BestPractice) -> int:
    return like_counts([practice.id]).get(practice.id, 0)


def has_liked(user: User_, practice: BestPractice) -> bool:
    if not _logged_in(user):
        return False
    return db.session.get(BestPracticeLike, (practice.id, user.id)) is not None


def set_like(practice: BestPractice, user: User, liked: bool) -> tuple[bool, int]:
    """Likes (ชื่นชม) or un-likes a published work; one like per person. Returns (liked, count)."""
    if practice.status != BestPracticeStatus.PUBLISHED:
        raise WorkflowError("ชื่นชมได้เฉพาะผลงานที่เผยแพร่แล้ว")
    existing = db.session.get(BestPracticeLike, (practice.id, user.id))
    if liked and existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(BestPracticeLike(best_practice_id=practice.id, user_id=user.id))
        except IntegrityError:
            pass  # a second click that raced the first: the like is there already
    elif not liked and existing is not None:
        db.session.delete(existing)
    db.session.flush()
    return liked, like_count(practice)


def add_comment(practice: BestPractice, author: User, body: str) -> BestPracticeComment:
    if practice.status != BestPracticeStatus.PUBLISHED:
        raise WorkflowError("แสดงความคิดเห็นได้เฉพาะผลงานที่เผยแพร่แล้ว")
    body = (body or "").strip()
    if not body:
        raise WorkflowError("กรุณาพิมพ์ความคิดเห็น")
    if len(body) > COMMENT_MAX:
        raise WorkflowError(f"ความคิดเห็นยาวเกิน {COMMENT_MAX:,} ตัวอักษร")
    comment = BestPracticeComment(best_practice=practice, author=author, body=body)
    db.session.add(comment)
    notify(
        _author_ids(practice),
        "best_practice.comment",
        f"{author.full_name} แสดงความคิดเห็นในผลงาน “{practice.title}”",
        practice.url,
        author.id,
    )
    return comment


def delete_comment(comment: BestPracticeComment, actor: User) -> None:
    if not can_moderate_comment(actor, comment):
        raise NotAllowed
    if comment.author_id != actor.id:
        record("best_practice.comment_delete", comment.best_practice, comment.body[:200])
    db.session.delete(comment)


def comment_counts(practice_ids: Iterable[int]) -> dict[int, int]:
    ids = list(practice_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(BestPracticeComment.best_practice_id, func.count())
        .where(BestPracticeComment.best_practice_id.in_(ids))
        .group_by(BestPracticeComment.best_practice_id)
    )
    return {key: count for key, count in rows}
