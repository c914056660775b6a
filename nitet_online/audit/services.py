"""Recording to the audit log; every feature calls record() for its administrative actions."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from nitet_online.audit.models import AuditEntry
from nitet_online.extensions import db

# Thai descriptions of the platform's own actions, shown in the audit log page (declared by the
# core feature); each feature declares its own with `plug.audit_labels(...)` (nitet_online/plugins.py).
ACTION_LABELS: dict[str, str] = {
    "user.create": "เพิ่มผู้ใช้",
    "user.update": "แก้ไขผู้ใช้",
    "user.approve": "อนุมัติบัญชี",
    "user.reject": "ไม่อนุมัติบัญชี",
    "user.deactivate": "ระงับการใช้งาน",
    "user.reactivate": "เปิดใช้งานอีกครั้ง",
    "user.reset_password": "ตั้งรหัสผ่านใหม่",
    "user.import": "นำเข้าผู้ใช้",
    "school.create": "เพิ่มโรงเรียน",
    "school.update": "แก้ไขโรงเรียน",
    "school.import": "นำเข้าโรงเรียน",
    "network.create": "เพิ่มเครือข่าย",
    "network.update": "แก้ไขเครือข่าย",
    "network.delete": "ลบเครือข่าย",
    "learning_area.create": "เพิ่มกลุ่มสาระการเรียนรู้",
    "learning_area.update": "แก้ไขกลุ่มสาระการเรียนรู้",
    "office.update": "แก้ไขข้อมูลสำนักงาน",
    "account.locked": "บัญชีถูกล็อกชั่วคราว",  # before the per-address slow-down (kept for history)
    "account.login_throttled": "ชะลอการเข้าสู่ระบบหลังใส่รหัสผ่านผิดหลายครั้ง",
    "account.logout_everywhere": "ออกจากระบบทุกอุปกรณ์",
}


def record(
    action: str,
    target: Any = None,
    summary: str = "",
    details: dict | None = None,
    actor_id: int | None = None,
) -> AuditEntry:
    """Adds an audit entry to the current transaction; the caller's commit makes it durable."""
    if actor_id is None and has_request_context() and current_user.is_authenticated:
        actor_id = current_user.id
    if target is not None and getattr(target, "id", 0) is None:
        db.session.flush()  # a new record gets its id before it is named in the log
    entry = AuditEntry(
        action=action,
        actor_id=actor_id,
        target_type=type(target).__name__.lower() if target is not None else "",
        target_id=getattr(target, "id", None),
        summary=summary,
        details=details,
        ip_address=(request.remote_addr or "") if has_request_context() else "",
    )
    db.session.add(entry)
    return entry


def action_labels() -> dict[str, str]:
    """Every action's Thai name that the app's features declared."""
    from nitet_online.plugins import plugins

    return plugins().audit_labels


def action_label(action: str) -> str:
    return action_labels().get(action, action)
