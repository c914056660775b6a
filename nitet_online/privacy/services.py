"""PDPA logic: consent, the export of a person's own data, deletion requests and anonymisation.

Other features plug in here:
- `plug.personal_data("questions", fn)` (fn(user) -> JSON-able) in a feature's setup adds a
  section to the download (nitet_online/plugins.py);
- `plug.anonymiser(fn)` (fn(user)) scrubs a feature's own personal data when an account is
  anonymised (content that the office must keep stays, shown as by ผู้ใช้ที่ลบข้อมูลแล้ว).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update

from nitet_online.accounts.models import AccountStatus, User
from nitet_online.audit.models import AuditEntry
from nitet_online.audit.services import record
from nitet_online.extensions import db
from nitet_online.plugins import plugins
from nitet_online.privacy.models import DeletionRequest, RequestStatus
from nitet_online.services.thai import utcnow

# Bump when the notice (templates/core/privacy.html) changes in substance; consent records which
# version a person agreed to.
NOTICE_VERSION = "2569.1"
ANONYMOUS_NAME = "ผู้ใช้ที่ลบข้อมูลแล้ว"


# Thai names of this feature's audit actions (declared in the feature's __init__.py).
AUDIT_LABELS: dict[str, str] = {
    "privacy.consent": "ให้ความยินยอมตามประกาศความเป็นส่วนตัว",
    "privacy.export": "ดาวน์โหลดข้อมูลส่วนบุคคลของตนเอง",
    "privacy.delete_request": "ยื่นคำขอลบข้อมูลส่วนบุคคล",
    "privacy.anonymise": "ลบข้อมูลส่วนบุคคลตามคำขอ",
    "privacy.decline": "ไม่ดำเนินการตามคำขอลบข้อมูล",
}


class PrivacyError(ValueError):
    """The action cannot be done; the message says why, in Thai."""


# Consent ----------------------------------------------------------------------------------------
def record_consent(user: User) -> None:
    """The moment and the notice version a person agreed to (at registration)."""
    user.consented_at = utcnow()
    user.consent_version = NOTICE_VERSION
    db.session.flush()
    record(
        "privacy.consent",
        user,
        f"{user.username} ยินยอมตามประกาศความเป็นส่วนตัวฉบับ {NOTICE_VERSION}",
        actor_id=user.id,
    )


# Export -----------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value") and hasattr(value, "name"):  # enums
        return value.value
    return value


def _account(user: User) -> dict[str, Any]:
    fields = (
        "username",
        "email",
        "title",
        "first_name",
        "last_name",
        "role",
        "status",
        "position",
        "academic_rank",
        "phone",
        "line_id",
        "created_at",
        "approved_at",
        "last_login_at",
        "consented_at",
        "consent_version",
    )
    data = {name: _plain(getattr(user, name)) for name in fields}
    data["school"] = user.school.name if user.school else None
    data["learning_areas"] = [area.name for area in user.learning_areas]
    data["responsible_schools"] = [school.name for school in user.responsible_schools]
    data["responsible_networks"] = [network.name for network in user.responsible_networks]
    return data


def _uploads(user: User) -> list[dict[str, Any]]:
    from nitet_online.uploads.models import Upload

    uploads = db.session.scalars(
        select(Upload).where(Upload.owner_id == user.id).order_by(Upload.id)
    )
    return [
        {
            "name": upload.original_name,
            "type": upload.content_type,
            "size": upload.size,
            "created_at": _plain(upload.created_at),
            "url": upload.url(),
        }
        for upload in uploads
    ]


def _activity(user: User) -> list[dict[str, Any]]:
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.actor_id == user.id).order_by(AuditEntry.id)
    )
    return [
        {
            "at": _plain(entry.created_at),
            "action": entry.action,
            "summary": entry.summary,
            "ip_address": entry.ip_address,
        }
        for entry in entries
    ]


def _requests(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(DeletionRequest)
        .where(DeletionRequest.user_id == user.id)
        .order_by(DeletionRequest.id)
    )
    return [
        {"created_at": _plain(r.created_at), "reason": r.reason, "status": r.status.value}
        for r in rows
    ]


def personal_data(user: User) -> dict[str, Any]:
    """Everything the system keeps about one person, for the person (a JSON download)."""
    data: dict[str, Any] = {
        "exported_at": _plain(utcnow()),
        "notice_version": NOTICE_VERSION,
        "account": _account(user),
        "uploads": _uploads(user),
        "activity_log": _activity(user),
        "deletion_requests": _requests(user),
    }
    for section, exporter in plugins().privacy_exporters.items():
        data[section] = exporter(user)
    return data


# Deletion requests ------------------------------------------------------------------------------
def pending_request_of(user: User) -> DeletionRequest | None:
    return db.session.scalar(
        select(DeletionRequest).where(
            DeletionRequest.user_id == user.id, DeletionRequest.status == RequestStatus.PENDING
        )
    )


def request_deletion(user: User, reason: str) -> DeletionRequest:
    if pending_request_of(user):
        raise PrivacyError("ท่านมีคำขอลบข้อมูลที่รอดำเนินการอยู่แล้ว")
    request = DeletionRequest(user_id=user.id, reason=reason.strip(), status=RequestStatus.PENDING)
    db.session.add(request)
    record("privacy.delete_request", user, f"{user.username} ขอให้ลบข้อมูลส่วนบุคคล")
    return request


def pending_requests_count() -> int:
    return len(
        db.session.scalars(
            select(DeletionRequest.id).where(DeletionRequest.status == RequestStatus.PENDING)
        ).all()
    )


def anonymise(user: User) -> None:
    """Scrubs the account: name, contact details, login and photo; the account is deactivated and
    can never log in again. Content the person made stays, shown under ANONYMOUS_NAME."""
    from nitet_online.uploads.services import delete_upload

    placeholder = f"deleted-{user.id}"
    user.title = ""
    user.first_name = ANONYMOUS_NAME
    user.last_name = ""
    user.username = placeholder
    user.email = f"{placeholder}@deleted.invalid"
    user.phone = ""
    user.line_id = ""
    user.position = ""
    user.academic_rank = ""
    user.school_id = None
    user.learning_areas = []
    user.responsible_schools = []
    user.responsible_networks = []
    if user.avatar is not None:
        avatar = user.avatar
        user.avatar_upload_id = None
        delete_upload(avatar)
    user.set_password(secrets.token_urlsafe(32))  # unknown to anyone; also rotates the sessions
    user.status = AccountStatus.DEACTIVATED
    db.session.execute(
        update(AuditEntry).where(AuditEntry.actor_id == user.id).values(ip_address="")
    )
    for anonymiser in plugins().anonymisers:
        anonymiser(user)


def carry_out(request: DeletionRequest, admin: User) -> None:
    if request.status != RequestStatus.PENDING:
        raise PrivacyError("คำขอนี้ดำเนินการไปแล้ว")
    if request.user_id == admin.id:
        raise PrivacyError("ผู้ดูแลระบบไม่สามารถลบข้อมูลบัญชีของตนเองได้ ให้ผู้ดูแลระบบคนอื่นดำเนินการ")
    username = request.user.username
    anonymise(request.user)
    request.status = RequestStatus.DONE
    request.handled_at = utcnow()
    request.handled_by_id = admin.id
    request.reason = ""  # the reason may itself hold personal details
    record("privacy.anonymise", request.user, f"ลบข้อมูลส่วนบุคคลของ {username} ตามคำขอ")


def decline(request: DeletionRequest, admin: User, note: str) -> None:
    if request.status != RequestStatus.PENDING:
        raise PrivacyError("คำขอนี้ดำเนินการไปแล้ว")
    request.status = RequestStatus.DECLINED
    request.handled_at = utcnow()
    request.handled_by_id = admin.id
    request.admin_note = note.strip()
    record(
        "privacy.decline",
        request.user,
        f"ไม่ดำเนินการตามคำขอลบข้อมูลของ {request.user.username}: {request.admin_note}",
    )


# Demo -------------------------------------------------------------------------------------------
DEMO_REQUESTER = "t044"
DEMO_REASON = "ย้ายไปสังกัดเขตพื้นที่การศึกษาอื่นแล้ว ขอให้ลบข้อมูลส่วนตัวออกจากระบบ"


def seed_demo_request() -> None:
    """A pending request from one of the demo teachers (not a named demo account)."""
    user = db.session.scalar(select(User).where(User.username == DEMO_REQUESTER))
    if user is None:
        return
    exists = db.session.scalar(select(DeletionRequest.id).where(DeletionRequest.user_id == user.id))
    if exists is None:
        db.session.add(DeletionRequest(user_id=user.id, reason=DEMO_REASON))
        db.session.commit()


def demo_deletion_request_id() -> int:
    seed_demo_request()
    return db.session.scalar(
        select(DeletionRequest.id)
        .where(DeletionRequest.status == RequestStatus.PENDING)
        .order_by(DeletionRequest.id)
    )
