"""Home page and the health check."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, render_template, request
from sqlalchemy import func, select, text

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.extensions import db
from nitet_online.org.models import Network, School
from nitet_online.plugins import plugins
from nitet_online.services.markdown import render_markdown
from nitet_online.services.permissions import login_required

bp = Blueprint("core", __name__)
MARKDOWN_PREVIEW_LIMIT = 100_000
log = logging.getLogger(__name__)


def database_answers() -> None:
    db.session.execute(text("SELECT 1"))


@bp.get("/")
def home():
    counts = {
        "schools": db.session.scalar(select(func.count(School.id)).where(School.is_active)),
        "networks": db.session.scalar(select(func.count(Network.id))),
        "supervisors": _active_users_with_role(Role.SUPERVISOR),
        "teachers": _active_users_with_role(Role.TEACHER),
    }
    sections = [
        (section.template, section.context()) for section in plugins().ordered_home_sections()
    ]
    return render_template("core/home.html", counts=counts, sections=sections)


def _active_users_with_role(role: Role) -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(User.role == role, User.status == AccountStatus.ACTIVE)
    )


@bp.post("/markdown/preview")
@login_required
def markdown_preview():
    """The editor's preview tab: the same rendering and sanitising as the saved page."""
    text = (request.get_json(silent=True) or {}).get("text", "")
    if not isinstance(text, str) or len(text) > MARKDOWN_PREVIEW_LIMIT:
        return jsonify({"error": "ข้อความยาวเกินกว่าจะแสดงตัวอย่างได้"}), 400
    return jsonify({"html": str(render_markdown(text))})


@bp.get("/privacy")
def privacy():
    """The PDPA privacy notice (ประกาศความเป็นส่วนตัว); consent records its version."""
    from nitet_online.privacy.services import NOTICE_VERSION

    return render_template("core/privacy.html", notice_version=NOTICE_VERSION)


@bp.get("/healthz")
def healthz():
    registry = plugins()
    checks: dict[str, str] = {}
    for name, health_check in registry.health_checks.items():
        try:
            health_check.check()
            checks[name] = "ok"
        except Exception:
            log.exception("health check %s failed", name)
            checks[name] = "error"
            db.session.rollback()
    failed = {name for name, state in checks.items() if state == "error"}
    if failed - registry.degrading_checks:
        return jsonify({"status": "error", "checks": checks}), 503
    return jsonify({"status": "degraded" if failed else "ok", "checks": checks}), 200
