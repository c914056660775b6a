"""Honours: who may nominate, approve and see what; the board queries; files of a nomination."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import groupby

from flask_login import AnonymousUserMixin
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.audit.services import record
from nitet_online.best_practices.models import BestPractice, BestPracticeStatus
from nitet_online.extensions import db
from nitet_online.honours.models import REVIEW, Honour, HonourStatus, Level, RecipientType
from nitet_online.notifications.services import notify
from nitet_online.org.models import Network, School
from nitet_online.services.numbers import int_arg
from nitet_online.services.permissions import MANAGER_ROLES, SUPERVISING_ROLES
from nitet_online.services.thai import utcnow
from nitet_online.uploads.models import DOCUMENT, IMAGE, Upload
from nitet_online.uploads.services import IMAGE_EXTENSIONS, UploadError, delete_upload, save_upload

HOME_LIMIT = 6

# Thai names of this feature's audit actions (declared in the feature's __init__.py).
AUDIT_LABELS: dict[str, str] = {
    "honour.approve": "อนุมัติประกาศเกียรติคุณ",
    "honour.reject": "ไม่อนุมัติประกาศเกียรติคุณ",
    "honour.delete": "ลบประกาศเกียรติคุณ",
}

User_ = User | AnonymousUserMixin


class NotAllowed(Exception):
    """The person may not do this (the view answers 403)."""


class HonourError(ValueError):
    """The step cannot be taken now; the message says why, in Thai."""


# Who may do what -------------------------------------------------------------------------------
def _logged_in(user: User_) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_nominate(user: User_) -> bool:
    """School directors nominate for their school, teachers for themselves; supervisors,
    directors and administrators record honours for any school."""
    if not _logged_in(user):
        return False
    if user.role in (Role.SCHOOL_DIRECTOR, Role.TEACHER):
        return user.school_id is not None
    return user.role in SUPERVISING_ROLES


def nominates_only_self(user: User) -> bool:
    return user.role == Role.TEACHER


def nominates_for_own_school(user: User) -> bool:
    return user.role in (Role.SCHOOL_DIRECTOR, Role.TEACHER)


def can_approve(user: User_, honour: Honour) -> bool:
    """Office directors and administrators; supervisors responsible for the school or its
    network."""
    if not _logged_in(user):
        return False
    if user.role in MANAGER_ROLES:
        return True
    if user.role != Role.SUPERVISOR:
        return False
    school = honour.school
    return any(s.id == honour.school_id for s in user.responsible_schools) or (
        school is not None and any(n.id == school.network_id for n in user.responsible_networks)
    )


def _is_involved(user: User_, honour: Honour) -> bool:
    if not _logged_in(user):
        return False
    return user.id in (honour.nominated_by_id, honour.recipient_user_id)


def can_view(user: User_, honour: Honour) -> bool:
    if honour.status == HonourStatus.APPROVED:
        return True
    return _is_involved(user, honour) or can_approve(user, honour)


def can_edit(user: User_, honour: Honour) -> bool:
    if not _logged_in(user):
        return False
    if user.role == Role.ADMIN:
        return True
    return honour.nominated_by_id == user.id and REVIEW.author_may_edit(honour.status)


def can_delete(user: User_, honour: Honour) -> bool:
    return can_edit(user, honour)


def can_print_certificate(user: User_, honour: Honour) -> bool:
    """The office's certificate, for the people it concerns: the recipient, the nominator, the
    school's director and the approvers."""
    if honour.status != HonourStatus.APPROVED or not _logged_in(user):
        return False
    same_school_director = user.role == Role.SCHOOL_DIRECTOR and user.school_id == honour.school_id
    return _is_involved(user, honour) or same_school_director or can_approve(user, honour)


# Nominating ------------------------------------------------------------------------------------
def recipient_candidates(nominator: User) -> list[User]:
    """People a nominator may name: themselves (teachers), their school's staff (school
    directors), anyone at a school (office staff)."""
    if nominates_only_self(nominator):
        return [nominator]
    query = select(User).where(
        User.status == AccountStatus.ACTIVE, User.role.in_([Role.TEACHER, Role.SCHOOL_DIRECTOR])
    )
    if nominates_for_own_school(nominator):
        query = query.where(User.school_id == nominator.school_id)
    else:
        query = query.where(User.school_id.is_not(None))
    return list(db.session.scalars(query.order_by(User.first_name, User.last_name)))


def school_choices(nominator: User) -> list[School]:
    if nominates_for_own_school(nominator):
        return [nominator.school] if nominator.school else []
    return list(db.session.scalars(select(School).where(School.is_active).order_by(School.name)))


def best_practice_choices(school_ids: list[int] | None) -> list[BestPractice]:
    query = select(BestPractice).where(BestPractice.status == BestPracticeStatus.PUBLISHED)
    if school_ids is not None:
        query = query.where(BestPractice.school_id.in_(school_ids))
    return list(db.session.scalars(query.order_by(BestPractice.title)))


def check_recipient(
    nominator: User, recipient_type: RecipientType, user: User | None, school_id: int, names: str
) -> str | None:
    """The Thai reason the recipient does not fit the nomination, or None when it does."""
    if nominates_for_own_school(nominator) and school_id != nominator.school_id:
        return "เสนอชื่อได้เฉพาะโรงเรียนของท่าน"
    if nominates_only_self(nominator) and (
        recipient_type != RecipientType.TEACHER or user is None or user.id != nominator.id
    ):
        return "ครูเสนอชื่อได้เฉพาะรางวัลของตนเอง"
    if recipient_type in (RecipientType.TEACHER, RecipientType.DIRECTOR):
        expected = Role.TEACHER if recipient_type == RecipientType.TEACHER else Role.SCHOOL_DIRECTOR
        if user is None:
            return "กรุณาเลือกผู้ได้รับรางวัล"
        if user.role != expected:
            return f"ผู้ที่เลือกไม่ใช่{recipient_type.label}"
        if user.school_id != school_id:
            return "ผู้ได้รับรางวัลต้องอยู่ในโรงเรียนที่เลือก"
    if recipient_type == RecipientType.STUDENT and not names.strip():
        return "กรุณากรอกชื่อนักเรียน (บรรทัดละ 1 คน)"
    return None


def store_file(file: FileStorage | None, owner_id: int, accept: set[str]) -> Upload | None:
    """Saves an optional file field (images, or images and PDF); raises UploadError (Thai) for a
    refused file."""
    if file is None or not file.filename:
        return None
    extension = file.filename.lower().rsplit(".", 1)[-1]
    if DOCUMENT in accept and extension != "pdf" and extension not in IMAGE_EXTENSIONS:
        raise UploadError("รับเฉพาะรูปภาพ (JPG, PNG) หรือไฟล์ PDF")
    return save_upload(file, owner_id, accept)


def discard_uploads(uploads: list[Upload]) -> None:
    """Removes files stored earlier in a request whose form was then refused."""
    if not uploads:
        return
    db.session.flush()
    for upload in uploads:
        delete_upload(upload)
    db.session.commit()


def replace_file(honour: Honour, attribute: str, upload: Upload | None, remove: bool) -> None:
    """Sets the photo or certificate; the old file is removed when replaced or removed."""
    old = getattr(honour, attribute)
    if upload is None and not remove:
        return
    setattr(honour, attribute, upload)
    if old is not None:
        delete_upload(old)


IMAGE_ONLY = {IMAGE}
IMAGE_OR_DOCUMENT = {IMAGE, DOCUMENT}


# Review ----------------------------------------------------------------------------------------
def approver_ids(honour: Honour) -> list[int]:
    """Supervisors responsible for the school or its network, and the office directors; the
    administrators when there is nobody else."""
    network_id = honour.school.network_id if honour.school else None
    conditions = [User.responsible_schools.any(School.id == honour.school_id)]
    if network_id:
        conditions.append(User.responsible_networks.any(Network.id == network_id))
    active = User.status == AccountStatus.ACTIVE
    ids = list(
        db.session.scalars(
            select(User.id).where(
                active,
                or_(User.role == Role.DIRECTOR, (User.role == Role.SUPERVISOR) & or_(*conditions)),
            )
        )
    )
    if not ids:
        ids = list(db.session.scalars(select(User.id).where(User.role == Role.ADMIN, active)))
    return ids


def announce_nomination(honour: Honour, actor: User, again: bool = False) -> None:
    what = "แก้ไขการเสนอชื่อแล้ว รออนุมัติ" if again else "มีการเสนอชื่อรับประกาศเกียรติคุณ"
    notify(
        approver_ids(honour),
        "honour.nominated",
        f"{what}: {honour.award_title} — {honour.recipient_display}",
        honour.url,
        actor.id,
    )


def approve(honour: Honour, actor: User) -> None:
    if not can_approve(actor, honour):
        raise NotAllowed
    if refusal := REVIEW.refusal("approve", honour.status):
        raise HonourError(refusal)
    honour.status = REVIEW.target("approve")
    honour.reviewed_by = actor
    honour.reviewed_at = utcnow()
    honour.rejection_reason = ""
    record("honour.approve", honour, honour.title)
    notify(
        [honour.nominated_by_id, honour.recipient_user_id],
        "honour.approved",
        f"ประกาศเกียรติคุณ “{honour.award_title}” ได้รับการอนุมัติและเผยแพร่แล้ว",
        honour.url,
        actor.id,
    )


def reject(honour: Honour, actor: User, reason: str) -> None:
    if not can_approve(actor, honour):
        raise NotAllowed
    if refusal := REVIEW.refusal("reject", honour.status):
        raise HonourError(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise HonourError("กรุณาระบุเหตุผลที่ไม่อนุมัติ")
    honour.status = REVIEW.target("reject")
    honour.reviewed_by = actor
    honour.reviewed_at = utcnow()
    honour.rejection_reason = reason
    record("honour.reject", honour, f"{honour.title}: {reason[:200]}")
    notify(
        [honour.nominated_by_id, honour.recipient_user_id],
        "honour.rejected",
        f"การเสนอชื่อ “{honour.award_title}” ไม่ได้รับการอนุมัติ: {reason[:120]}",
        honour.url,
        actor.id,
    )


def delete(honour: Honour, actor: User) -> None:
    if not can_delete(actor, honour):
        raise NotAllowed
    for upload in (honour.photo, honour.certificate):
        if upload is not None:
            delete_upload(upload)
    if actor.role == Role.ADMIN:
        record("honour.delete", honour, honour.title)
    db.session.delete(honour)


# The board -------------------------------------------------------------------------------------
def _int_arg(args: Mapping[str, str], name: str) -> int | None:
    value = int_arg(args, name)
    return value if value and value > 0 else None


def _enum_arg(args: Mapping[str, str], name: str, enum_class):
    value = (args.get(name) or "").strip()
    return enum_class(value) if value in {m.value for m in enum_class} else None


@dataclass
class BoardFilters:
    year: int | None = None
    level: Level | None = None
    recipient_type: RecipientType | None = None
    school: int | None = None
    network: int | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> BoardFilters:
        return cls(
            year=_int_arg(args, "year"),
            level=_enum_arg(args, "level", Level),
            recipient_type=_enum_arg(args, "type", RecipientType),
            school=_int_arg(args, "school"),
            network=_int_arg(args, "network"),
            q=(args.get("q") or "").strip()[:200],
        )

    @property
    def active(self) -> bool:
        return any([self.year, self.level, self.recipient_type, self.school, self.network, self.q])


LIST_LOADS = (
    selectinload(Honour.recipient_user),
    selectinload(Honour.school),
    selectinload(Honour.photo),
)


def approved() -> Select:
    """Approved honours, with what their list items show loaded in a few queries."""
    return select(Honour).where(Honour.status == HonourStatus.APPROVED).options(*LIST_LOADS)


def board_query(filters: BoardFilters, query: Select | None = None) -> Select:
    """Approved honours (or `query`, a select over Honour) narrowed by the board's filters."""
    query = approved() if query is None else query
    if filters.year:
        query = query.where(Honour.year == filters.year)
    if filters.level:
        query = query.where(Honour.level == filters.level)
    if filters.recipient_type:
        query = query.where(Honour.recipient_type == filters.recipient_type)
    if filters.school:
        query = query.where(Honour.school_id == filters.school)
    if filters.network:
        query = query.where(
            Honour.school_id.in_(select(School.id).where(School.network_id == filters.network))
        )
    if filters.q:
        pattern = f"%{filters.q}%"
        query = query.where(
            or_(
                Honour.award_title.ilike(pattern),
                Honour.recipient_names.ilike(pattern),
                Honour.issuing_body.ilike(pattern),
                Honour.recipient_user_id.in_(
                    select(User.id).where(
                        or_(User.first_name.ilike(pattern), User.last_name.ilike(pattern))
                    )
                ),
            )
        )
    return query


@dataclass
class YearGroup:
    year: int
    levels: list[tuple[Level, list[Honour]]]

    @property
    def count(self) -> int:
        return sum(len(honours) for _, honours in self.levels)


def grouped(honours: list[Honour]) -> list[YearGroup]:
    """By year (newest first), then by level (widest first), then by date."""

    def key(honour: Honour):
        return (
            -honour.year,
            -honour.level.rank,
            -(honour.awarded_on.toordinal() if honour.awarded_on else 0),
            -honour.id,
        )

    ordered = sorted(honours, key=key)
    groups = []
    for year, in_year in groupby(ordered, key=lambda h: h.year):
        levels = [(level, list(items)) for level, items in groupby(in_year, key=lambda h: h.level)]
        groups.append(YearGroup(year, levels))
    return groups


YEARS_PER_PAGE = 2


@dataclass
class BoardPage:
    """The years shown on one page of the board (newest first) and every year with entries."""

    groups: list[YearGroup]
    years: list[int]
    page: int
    pages: int

    @property
    def shown_years(self) -> list[int]:
        return [group.year for group in self.groups]

    def page_of(self, year: int) -> int:
        return self.years.index(year) // YEARS_PER_PAGE + 1


def board(filters: BoardFilters, page: int = 1) -> BoardPage:
    """The board a year range at a time: YEARS_PER_PAGE years per page, or the chosen year."""
    base = select(Honour.year).where(Honour.status == HonourStatus.APPROVED)
    years = list(
        db.session.scalars(board_query(filters, base).distinct().order_by(Honour.year.desc()))
    )
    pages = max(1, -(-len(years) // YEARS_PER_PAGE))
    page = min(max(page, 1), pages)
    shown = years[(page - 1) * YEARS_PER_PAGE : page * YEARS_PER_PAGE]
    honours = (
        db.session.scalars(board_query(filters).where(Honour.year.in_(shown))) if shown else []
    )
    return BoardPage(grouped(list(honours)), years, page, pages)


def years() -> list[int]:
    return list(
        db.session.scalars(
            select(Honour.year)
            .where(Honour.status == HonourStatus.APPROVED)
            .distinct()
            .order_by(Honour.year.desc())
        )
    )


def approved_for_school(school_id: int) -> list[Honour]:
    return list(
        db.session.scalars(
            approved()
            .where(Honour.school_id == school_id)
            .order_by(Honour.year.desc(), Honour.id.desc())
        )
    )


def approved_for_user(user_id: int) -> list[Honour]:
    return list(
        db.session.scalars(
            approved()
            .where(Honour.recipient_user_id == user_id)
            .order_by(Honour.year.desc(), Honour.id.desc())
        )
    )


def people_with_public_page(user_ids: Iterable[int]) -> set[int]:
    """Those of the users who have a public page (/honours/people/<id>): an approved honour."""
    wanted = {user_id for user_id in user_ids if user_id}
    if not wanted:
        return set()
    return set(
        db.session.scalars(
            select(Honour.recipient_user_id)
            .where(Honour.status == HonourStatus.APPROVED, Honour.recipient_user_id.in_(wanted))
            .distinct()
        )
    )


def latest(limit: int = HOME_LIMIT) -> list[Honour]:
    return list(
        db.session.scalars(
            approved().order_by(Honour.reviewed_at.desc(), Honour.id.desc()).limit(limit)
        )
    )


def mine(user: User) -> list[Honour]:
    return list(
        db.session.scalars(
            select(Honour)
            .where(or_(Honour.nominated_by_id == user.id, Honour.recipient_user_id == user.id))
            .order_by(Honour.updated_at.desc())
        )
    )


def review_queue(user: User) -> list[Honour]:
    candidates = db.session.scalars(
        select(Honour).where(Honour.status == HonourStatus.PENDING).order_by(Honour.created_at)
    )
    return [honour for honour in candidates if can_approve(user, honour)]
