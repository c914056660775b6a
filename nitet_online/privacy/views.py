"""PDPA pages: a person's own data (/auth/my-data), deletion requests (/auth/delete-request), and
the administrators' list of requests (/admin/privacy/requests)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from nitet_online.audit.services import record
from nitet_online.extensions import db
from nitet_online.privacy.forms import DeclineForm, DeletionRequestForm
from nitet_online.privacy.models import DeletionRequest, RequestStatus
from nitet_online.privacy.services import (
    PrivacyError,
    carry_out,
    decline,
    pending_request_of,
    pending_requests_count,
    personal_data,
    request_deletion,
)
from nitet_online.services.permissions import admin_required, login_required

bp = Blueprint("privacy", __name__)


@bp.route("/auth/my-data", methods=["GET", "POST"])
@login_required
def my_data():
    """GET: what the download holds, with its button. POST: the person's own data as a JSON file
    (always the logged-in user, whatever the request says); the download is recorded in the
    audit log, which is why it is a POST (reading a page writes nothing)."""
    if request.method == "GET":
        return render_template("privacy/my_data.html")
    user = current_user._get_current_object()
    body = json.dumps(personal_data(user), ensure_ascii=False, indent=2)
    record("privacy.export", user, f"{user.username} ดาวน์โหลดข้อมูลส่วนบุคคลของตนเอง")
    db.session.commit()
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f"attachment; filename=nitet-my-data-{user.id}.json",
            "Cache-Control": "no-store",
        },
    )


@bp.route("/auth/delete-request", methods=["GET", "POST"])
@login_required
def delete_request():
    user = current_user._get_current_object()
    pending = pending_request_of(user)
    form = DeletionRequestForm()
    if pending is None and form.validate_on_submit():
        try:
            request_deletion(user, form.reason.data)
        except PrivacyError as error:
            flash(str(error), "warning")
        else:
            db.session.commit()
            flash("ส่งคำขอลบข้อมูลแล้ว ผู้ดูแลระบบจะพิจารณาและดำเนินการ", "success")
        return redirect(url_for("privacy.delete_request"))
    history = db.session.scalars(
        select(DeletionRequest)
        .where(DeletionRequest.user_id == user.id)
        .order_by(DeletionRequest.created_at.desc())
    ).all()
    return render_template(
        "privacy/delete_request.html", form=form, pending=pending, history=history
    )


# Administrators -----------------------------------------------------------------------------
def _request_or_404(request_id: int) -> DeletionRequest:
    item = db.session.get(DeletionRequest, request_id)
    if item is None:
        abort(404)
    return item


@bp.get("/admin/privacy/requests")
@admin_required
def admin_requests():
    status = request.args.get("status", RequestStatus.PENDING.value)
    query = select(DeletionRequest).order_by(DeletionRequest.created_at.desc())
    if status in {s.value for s in RequestStatus}:
        query = query.where(DeletionRequest.status == RequestStatus(status))
    pagination = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=30)
    return render_template(
        "privacy/admin_requests.html",
        pagination=pagination,
        status=status,
        statuses=list(RequestStatus),
    )


@bp.get("/admin/privacy/requests/<int:request_id>")
@admin_required
def admin_request_detail(request_id: int):
    item = _request_or_404(request_id)
    summary = personal_data(item.user) if item.status == RequestStatus.PENDING else None
    return render_template(
        "privacy/admin_request_detail.html", item=item, summary=summary, form=DeclineForm()
    )


@bp.post("/admin/privacy/requests/<int:request_id>/carry-out")
@admin_required
def admin_carry_out(request_id: int):
    item = _request_or_404(request_id)
    try:
        carry_out(item, current_user._get_current_object())
    except PrivacyError as error:
        flash(str(error), "danger")
        return redirect(url_for("privacy.admin_request_detail", request_id=item.id))
    db.session.commit()
    flash("ลบข้อมูลส่วนบุคคลเรียบร้อยแล้ว เนื้อหาของผู้ใช้แสดงเป็นผู้ใช้ไม่ระบุชื่อ", "success")
    return redirect(url_for("privacy.admin_requests"))


@bp.post("/admin/privacy/requests/<int:request_id>/decline")
@admin_required
def admin_decline(request_id: int):
    item = _request_or_404(request_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        summary = personal_data(item.user) if item.status == RequestStatus.PENDING else None
        return render_template(
            "privacy/admin_request_detail.html", item=item, summary=summary, form=form
        ), 400
    try:
        decline(item, current_user._get_current_object(), form.note.data)
    except PrivacyError as error:
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash("บันทึกการไม่ดำเนินการพร้อมเหตุผลแล้ว", "info")
    return redirect(url_for("privacy.admin_requests"))


@bp.app_template_global("privacy_pending_requests")
def privacy_pending_requests() -> int:
    """For the administrators' menu badge."""
    return pending_requests_count()
