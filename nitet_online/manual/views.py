"""คู่มือการใช้งาน: the user manual, one page per role. Each feature adds its section to
templates/manual/sections/ and includes it in the role pages that use it."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from nitet_online.accounts.models import Role

bp = Blueprint("manual", __name__, url_prefix="/manual")

# The manual's pages: one per role plus one for the public.
MANUAL_PAGES: dict[str, str] = {
    "public": "ผู้สนใจทั่วไป",
    Role.TEACHER.value: Role.TEACHER.label,
    Role.SCHOOL_DIRECTOR.value: Role.SCHOOL_DIRECTOR.label,
    Role.STAFF.value: Role.STAFF.label,
    Role.SUPERVISOR.value: Role.SUPERVISOR.label,
    Role.DIRECTOR.value: Role.DIRECTOR.label,
    Role.ADMIN.value: Role.ADMIN.label,
}


@bp.get("/")
def index():
    mine = current_user.role.value if current_user.is_authenticated else "public"
    return render_template("manual/index.html", pages=MANUAL_PAGES, mine=mine)


@bp.get("/<role>")
def page(role: str):
    if role not in MANUAL_PAGES:
        abort(404)
    return render_template(
        f"manual/{role}.html", pages=MANUAL_PAGES, role=role, title=MANUAL_PAGES[role]
    )
