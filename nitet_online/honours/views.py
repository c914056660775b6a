"""ทำเนียบเกียรติยศ: the honour board, nominations and their approval, per-person and per-school
lists, and the office's certificate (PDF)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from nitet_online.accounts.models import AccountStatus, User
from nitet_online.extensions import db
from nitet_online.honours import services
from nitet_online.honours.certificate import build_certificate
from nitet_online.honours.forms import DecisionForm, HonourForm
from nitet_online.honours.models import REVIEW, Honour, HonourStatus, Level, RecipientType
from nitet_online.org.models import School, active_schools, all_networks
from nitet_online.services.permissions import SUPERVISING_ROLES, login_required, roles_required
from nitet_online.services.thai import be_year, today_bangkok
from nitet_online.stats.services import track_view
from nitet_online.uploads.services import UploadError

bp = Blueprint("honours", __name__, url_prefix="/honours")
CONTENT_TYPE = "honour"


def _get_or_404(honour_id: int) -> Honour:
    honour = db.session.get(Honour, honour_id)
    if honour is None or not services.can_view(current_user, honour):
        abort(404)
    return honour


# The board -------------------------------------------------------------------------------------
@bp.get("")
def index():
    filters = services.BoardFilters.from_args(request.args)
    board = services.board(filters, request.args.get("page", 1, type=int))
    return render_template(
        "honours/index.html",
        board=board,
        groups=board.groups,
        filters=filters,
        years=services.years(),
        levels=list(Level),
        recipient_types=list(RecipientType),
        schools=active_schools(),
        networks=all_networks(),
        can_nominate=services.can_nominate(current_user),
    )


@bp.get("/<int:honour_id>")
def detail(honour_id: int):
    honour = _get_or_404(honour_id)
    if honour.status == HonourStatus.APPROVED:
        track_view(CONTENT_TYPE, honour.id, honour.recipient_user_id)
    return render_template(
        "honours/detail.html",
        honour=honour,
        can_approve=services.can_approve(current_user, honour)
        and honour.status != HonourStatus.REJECTED,
        can_edit=services.can_edit(current_user, honour),
        can_delete=services.can_delete(current_user, honour),
        can_print=services.can_print_certificate(current_user, honour),
        decision_form=DecisionForm(),
    )


@bp.get("/people/<int:user_id>")
def person(user_id: int):
    """Public only for someone with an approved honour: other ids answer 404, so the pages do not
    list every account's name, role and school."""
    user = db.session.get(User, user_id)
    if user is None or user.status != AccountStatus.ACTIVE:
        abort(404)
    honours = services.approved_for_user(user.id)
    if not honours:
        abort(404)
    return render_template("honours/person.html", person=user, groups=services.grouped(honours))


@bp.get("/schools/<int:school_id>")
def school(school_id: int):
    school = db.session.get(School, school_id)
    if school is None or not school.is_active:
        abort(404)
    honours = services.approved_for_school(school.id)
    return render_template("honours/school.html", school=school, groups=services.grouped(honours))


# Nominating ------------------------------------------------------------------------------------
def _choices(form: HonourForm) -> None:
    """What the current person may choose: teachers only themselves, school directors their own
    school, office staff any school."""
    nominator = current_user
    if services.nominates_only_self(nominator):
        form.recipient_type.choices = [(RecipientType.TEACHER.value, RecipientType.TEACHER.label)]
    form.recipient_user.choices = [(0, "— เลือก —")] + [
        (
            user.id,
            f"{user.full_name} · {user.role_label} · {user.school.name if user.school else ''}",
        )
        for user in services.recipient_candidates(nominator)
    ]
    schools = services.school_choices(nominator)
    form.school.choices = [(school.id, school.name) for school in schools]
    own_school_only = services.nominates_for_own_school(nominator)
    practices = services.best_practice_choices([s.id for s in schools] if own_school_only else None)
    form.best_practice.choices = [(0, "— ไม่มี —")] + [
        (practice.id, f"{practice.title} ({practice.school.name})") for practice in practices
    ]


def _defaults(form: HonourForm) -> None:
    form.year.data = be_year(today_bangkok().year)
    if current_user.school_id:
        form.school.data = current_user.school_id
    if services.nominates_only_self(current_user):
        form.recipient_user.data = current_user.id


def _load(form: HonourForm, honour: Honour) -> None:
    form.recipient_type.data = honour.recipient_type.value
    form.recipient_user.data = honour.recipient_user_id or 0
    form.school.data = honour.school_id
    form.level.data = honour.level.value
    form.best_practice.data = honour.best_practice_id or 0


def _recipient_problem(form: HonourForm) -> str | None:
    user = db.session.get(User, form.recipient_user.data) if form.recipient_user.data else None
    return services.check_recipient(
        current_user,
        RecipientType(form.recipient_type.data),
        user,
        form.school.data,
        form.recipient_names.data or "",
    )


def _store_files(form: HonourForm) -> tuple[dict, bool]:
    """Saves the photo and certificate; on a refused file, adds the reason to its field."""
    stored, ok = {}, True
    for field, accept in (
        (form.photo, services.IMAGE_ONLY),
        (form.certificate, services.IMAGE_OR_DOCUMENT),
    ):
        try:
            stored[field.name] = services.store_file(field.data, current_user.id, accept)
        except UploadError as error:
            form[field.name].errors = [*form[field.name].errors, str(error)]
            ok = False
    if not ok:
        services.discard_uploads([upload for upload in stored.values() if upload is not None])
    return stored, ok


def _fill(honour: Honour, form: HonourForm, files: dict) -> None:
    kind = RecipientType(form.recipient_type.data)
    honour.recipient_type = kind
    honour.recipient_user_id = (
        form.recipient_user.data
        if kind in (RecipientType.TEACHER, RecipientType.DIRECTOR)
        else None
    )
    honour.recipient_names = (
        (form.recipient_names.data or "").strip() if kind == RecipientType.STUDENT else ""
    )
    honour.school_id = form.school.data
    honour.award_title = form.award_title.data.strip()
    honour.level = Level(form.level.data)
    honour.year = form.year.data
    honour.issuing_body = form.issuing_body.data.strip()
    honour.awarded_on = form.awarded_on.data
    honour.description = (form.description.data or "").strip()
    honour.best_practice_id = form.best_practice.data or None
    services.replace_file(honour, "photo", files.get("photo"), form.remove_photo.data)
    services.replace_file(
        honour, "certificate", files.get("certificate"), form.remove_certificate.data
    )


def _validated(form: HonourForm) -> dict | None:
    """The stored files when the whole form is acceptable, else None (errors on the fields)."""
    if not form.validate_on_submit():
        return None
    problem = _recipient_problem(form)
    if problem:
        form.recipient_user.errors = [*form.recipient_user.errors, problem]
        return None
    files, ok = _store_files(form)
    return files if ok else None


@bp.route("/nominate", methods=["GET", "POST"])
@login_required
def nominate():
    if not services.can_nominate(current_user):
        abort(403, description="เสนอชื่อได้เฉพาะผู้บริหารสถานศึกษา ครู (เสนอชื่อตนเอง) และศึกษานิเทศก์")
    form = HonourForm()
    _choices(form)
    if request.method == "GET":
        _defaults(form)
    files = _validated(form)
    if files is not None:
        honour = Honour(nominated_by_id=current_user.id, status=HonourStatus.PENDING)
        _fill(honour, form, files)
        db.session.add(honour)
        db.session.flush()
        services.announce_nomination(honour, current_user)
        db.session.commit()
        flash("ส่งการเสนอชื่อแล้ว รอศึกษานิเทศก์หรือผู้อำนวยการอนุมัติก่อนเผยแพร่", "success")
        return redirect(url_for(".detail", honour_id=honour.id))
    return render_template("honours/form.html", form=form, honour=None)


@bp.route("/<int:honour_id>/edit", methods=["GET", "POST"])
@login_required
def edit(honour_id: int):
    honour = _get_or_404(honour_id)
    if not services.can_edit(current_user, honour):
        abort(403, description="แก้ไขได้เฉพาะผู้เสนอชื่อ ก่อนได้รับการอนุมัติ")
    form = HonourForm(obj=honour if request.method == "GET" else None)
    _choices(form)
    if request.method == "GET":
        _load(form, honour)
    files = _validated(form)
    if files is not None:
        again = REVIEW.allows("resubmit", honour.status)
        _fill(honour, form, files)
        if again:
            honour.status = REVIEW.target("resubmit")
            honour.rejection_reason = ""
            services.announce_nomination(honour, current_user, again=True)
        db.session.commit()
        flash("บันทึกแล้ว" + (" และส่งให้พิจารณาอีกครั้ง" if again else ""), "success")
        return redirect(url_for(".detail", honour_id=honour.id))
    return render_template("honours/form.html", form=form, honour=honour)


# Approval --------------------------------------------------------------------------------------
@bp.post("/<int:honour_id>/decision")
@roles_required(*SUPERVISING_ROLES)
def decide(honour_id: int):
    honour = _get_or_404(honour_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash("เหตุผลยาวเกินไป (ไม่เกิน 2,000 ตัวอักษร)", "danger")
        return redirect(url_for(".detail", honour_id=honour.id))
    decision = request.form.get("decision")
    try:
        if decision == "approve":
            services.approve(honour, current_user)
            message = "อนุมัติแล้ว รายการนี้แสดงในทำเนียบเกียรติยศ"
        elif decision == "reject":
            services.reject(honour, current_user, form.reason.data or "")
            message = "บันทึกผลไม่อนุมัติ และแจ้งผู้เสนอชื่อแล้ว"
        else:
            abort(400)
    except services.NotAllowed:
        abort(403)
    except services.HonourError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for(".detail", honour_id=honour.id, _anchor="decision"))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".detail", honour_id=honour.id))


@bp.post("/<int:honour_id>/delete")
@login_required
def delete(honour_id: int):
    honour = _get_or_404(honour_id)
    try:
        services.delete(honour, current_user)
    except services.NotAllowed:
        abort(403)
    db.session.commit()
    flash("ลบรายการแล้ว", "success")
    return redirect(url_for(".mine"))


@bp.get("/<int:honour_id>/certificate.pdf")
@login_required
def certificate(honour_id: int):
    honour = _get_or_404(honour_id)
    if not services.can_print_certificate(current_user, honour):
        abort(403, description="พิมพ์เกียรติบัตรได้เฉพาะผู้ได้รับรางวัล ผู้เสนอชื่อ ผู้บริหารโรงเรียน และผู้อนุมัติ")
    pdf = build_certificate(honour)
    name = quote(f"เกียรติบัตร-{honour.id}.pdf")
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f"inline; filename=\"certificate-{honour.id}.pdf\"; filename*=UTF-8''{name}",
            "Cache-Control": "private, no-store",
        },
    )


# Personal lists --------------------------------------------------------------------------------
@bp.get("/mine")
@login_required
def mine():
    return render_template(
        "honours/mine.html",
        honours=services.mine(current_user),
        can_nominate=services.can_nominate(current_user),
    )


@bp.get("/review")
@roles_required(*SUPERVISING_ROLES)
def review_queue():
    return render_template("honours/review_queue.html", honours=services.review_queue(current_user))


# Home page -------------------------------------------------------------------------------------
def home_context() -> dict:
    return {"honours": services.latest()}


def describe_honours(ids) -> dict[int, tuple[str, str | None]]:
    rows = db.session.scalars(select(Honour).where(Honour.id.in_(list(ids))))
    return {honour.id: (honour.title, honour.url) for honour in rows}
