"""/notifications: the list, opening one (marks it read and follows it), mark all read, and the
bell menu's data for every page."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from nitet_online.extensions import db
from nitet_online.notifications import services
from nitet_online.services.permissions import login_required

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_template_global()
def notification_menu() -> dict:
    """Unread count and latest items for the bell (templates/partials/nav_notifications.html)."""
    if not current_user.is_authenticated:
        return {"unread": 0, "items": []}
    return {
        "unread": services.unread_count(current_user.id),
        "items": services.latest(current_user.id),
    }


@bp.get("/")
@login_required
def index():
    unread_only = request.args.get("show") == "unread"
    pagination = db.paginate(
        services.list_query(current_user.id, unread_only),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["ITEMS_PER_PAGE"],
    )
    return render_template(
        "notifications/index.html",
        pagination=pagination,
        unread_only=unread_only,
        unread=services.unread_count(current_user.id),
    )


@bp.post("/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int):
    notification = services.get_own(notification_id, current_user.id)
    if notification is None:
        abort(404)
    services.mark_read(notification)
    db.session.commit()
    return redirect(services.safe_target(notification.url) or url_for("notifications.index"))


@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    notification = services.get_own(notification_id, current_user.id)
    if notification is None:
        abort(404)
    services.mark_read(notification)
    db.session.commit()
    if _wants_json():
        return jsonify({"unread": services.unread_count(current_user.id)})
    return redirect(_back())


@bp.post("/read-all")
@login_required
def mark_all_read():
    count = services.mark_all_read(current_user.id)
    db.session.commit()
    if _wants_json():
        return jsonify({"unread": 0, "marked": count})
    flash("ทำเครื่องหมายว่าอ่านแล้วทั้งหมด" if count else "ไม่มีการแจ้งเตือนที่ยังไม่ได้อ่าน", "info")
    return redirect(_back())


@bp.get("/summary.json")
@login_required
def summary():
    """The bell's data as JSON (unread count and latest items), for live updates."""
    items = services.latest(current_user.id)
    return jsonify(
        {
            "unread": services.unread_count(current_user.id),
            "items": [
                {
                    "id": item.id,
                    "kind": item.kind,
                    "text": item.text,
                    "url": item.url,
                    "read": item.is_read,
                    "created_at": item.created_at.isoformat() + "Z",
                }
                for item in items
            ],
        }
    )


def _back() -> str:
    """Where a form posted from the bell or the list returns to: its `next` field, if local."""
    return services.safe_target(request.form.get("next")) or url_for("notifications.index")


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.is_json
