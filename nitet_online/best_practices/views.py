"""ผลงานดีเด่น: the showcase, a work's page, submitting and editing, review, likes and comments, and
the per-school page that lists a school's best practices and honours."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from nitet_online.accounts.models import Role
from nitet_online.best_practices import services
from nitet_online.best_practices.forms import BestPracticeForm, CommentForm, ReviewForm
from nitet_online.best_practices.models import (
    SECTIONS,
    TARGET_TYPE,
    BestPractice,
    BestPracticeComment,
    BestPracticeStatus,
)
from nitet_online.extensions import db
from nitet_online.org.models import (
    School,
    active_learning_areas,
    active_schools,
    all_grade_levels,
    all_networks,
)
from nitet_online.org.reference import (
    STAGE_EARLY,
    STAGE_LOWER_SECONDARY,
    STAGE_PRIMARY,
    STAGE_UPPER_SECONDARY,
)
from nitet_online.services.permissions import SUPERVISING_ROLES, login_required, roles_required
from nitet_online.services.thai import academic_year, today_bangkok
from nitet_online.stats.services import track_view, view_count

bp = Blueprint("best_practices", __name__)

STAGES = (STAGE_EARLY, STAGE_PRIMARY, STAGE_LOWER_SECONDARY, STAGE_UPPER_SECONDARY)


def _get_or_404(practice_id: int) -> BestPractice:
    practice = db.session.get(BestPractice, practice_id)
    if practice is None:
        abort(404)
    return practice


def _viewable_or_404(practice_id: int) -> BestPractice:
    """Drafts and works under review are hidden from everyone else as if they did not exist."""
    practice = _get_or_404(practice_id)
    if not services.can_view(current_user, practice):
        abort(404)
    return practice


def _card_data(practices: list[BestPractice]) -> dict:
    ids = [p.id for p in practices]
    return {
        "covers": services.covers_of(ids),
        "likes": services.like_counts(ids),
        "comment_counts": services.comment_counts(ids),
    }


# The showcase ----------------------------------------------------------------------------------
@bp.get("/best-practices")
def index():
    filters = services.ShowcaseFilters.from_args(request.args)
    page = db.paginate(
        services.showcase_query(filters), per_page=services.PER_PAGE, max_per_page=48
    )
    show_featured = not filters.active and page.page == 1
    featured = services.featured(6) if show_featured else []
    return render_template(
        "best_practices/index.html",
        page=page,
        filters=filters,
        featured=featured,
        learning_areas=active_learning_areas(),
        stages=STAGES,
        networks=all_networks(),
        schools=active_schools(),
        years=services.academic_years(),
        can_create=services.can_create(current_user),
        **_card_data(list(page.items) + featured),
    )


@bp.get("/best-practices/<int:practice_id>")
def detail(practice_id: int):
    practice = _viewable_or_404(practice_id)
    if practice.status == BestPracticeStatus.PUBLISHED:
        track_view(TARGET_TYPE, practice.id, practice.author_id)
    return _render_detail(practice, CommentForm())


def _render_detail(practice: BestPractice, comment_form: CommentForm, status: int = 200):
    from nitet_online.honours.services import people_with_public_page

    files = services.files_of(practice)
    published = practice.status == BestPracticeStatus.PUBLISHED
    page = render_template(
        "best_practices/detail.html",
        practice=practice,
        # authors are links only to the honours pages that exist (approved honours)
        honours_pages=people_with_public_page(person.id for person in practice.people),
        sections=SECTIONS,
        images=files.images,
        documents=files.documents,
        likes=services.like_count(practice),
        liked=services.has_liked(current_user, practice),
        views=view_count(TARGET_TYPE, practice.id) if published else None,
        can_edit=services.can_edit(current_user, practice),
        can_submit=services.can_submit(current_user, practice),
        can_review=services.can_review(current_user, practice),
        can_delete=services.can_delete(current_user, practice),
        is_author=services.is_author(current_user, practice),
        can_moderate=lambda comment: services.can_moderate_comment(current_user, comment),
        review_form=ReviewForm(),
        comment_form=comment_form,
    )
    return page, status


# Writing ---------------------------------------------------------------------------------------
def _form_choices(form: BestPracticeForm, practice: BestPractice | None) -> None:
    form.learning_area.choices = [(0, "— เลือกกลุ่มสาระการเรียนรู้ —")] + [
        (area.id, area.name) for area in active_learning_areas()
    ]
    form.grade_levels.choices = [(level.id, level.code) for level in all_grade_levels()]
    author = practice.author if practice is not None and practice.author else current_user
    form.coauthors.choices = [
        (user.id, f"{user.full_name} ({user.position or user.role_label})")
        for user in services.colleagues_of(author)
    ]


def _fill(practice: BestPractice, form: BestPracticeForm) -> None:
    practice.title = form.title.data.strip()
    practice.learning_area_id = form.learning_area.data or None
    practice.academic_year = form.academic_year.data
    practice.summary = form.summary.data.strip()
    for attribute, _ in SECTIONS:
        setattr(practice, attribute, (getattr(form, attribute).data or "").strip())
    practice.video_url = form.video_url.data or ""
    services.set_grade_levels(practice, form.grade_levels.data or [])
    services.set_coauthors(practice, form.coauthors.data or [])


def _save(practice: BestPractice, form: BestPracticeForm):
    """Saves the form; stores the files; sends for review when asked. Returns the redirect."""
    _fill(practice, form)
    db.session.flush()
    services.update_gallery(practice, request.form)
    errors = services.add_files(
        practice,
        request.files.getlist(form.photos.name),
        request.files.getlist(form.documents.name),
        current_user.id,
    )
    db.session.commit()
    for error in errors:
        flash(f"ไฟล์ที่ไม่ได้บันทึก — {error}", "warning")
    if request.form.get("action") == "submit":
        try:
            services.submit(practice, current_user)
        except services.WorkflowError as error:
            flash(f"บันทึกแล้ว แต่ยังส่งตรวจไม่ได้: {error}", "warning")
            return redirect(url_for(".edit", practice_id=practice.id))
        db.session.commit()
        flash("ส่งผลงานให้ศึกษานิเทศก์ตรวจแล้ว", "success")
        return redirect(url_for(".detail", practice_id=practice.id))
    flash("บันทึกผลงานเรียบร้อยแล้ว", "success")
    if errors or request.form.get("action") == "stay":
        return redirect(url_for(".edit", practice_id=practice.id))
    return redirect(url_for(".detail", practice_id=practice.id))


@bp.route("/best-practices/new", methods=["GET", "POST"])
@roles_required(Role.TEACHER, Role.SCHOOL_DIRECTOR)
def create():
    if not services.can_create(current_user):
        abort(403, description="บัญชีของท่านยังไม่ได้ระบุโรงเรียน จึงยังส่งผลงานไม่ได้ โปรดติดต่อผู้ดูแลระบบ")
    form = BestPracticeForm()
    _form_choices(form, None)
    if request.method == "GET":
        form.academic_year.data = academic_year(today_bangkok())
    if form.validate_on_submit():
        practice = services.create(current_user)
        return _save(practice, form)
    return render_template(
        "best_practices/form.html", form=form, practice=None, school=current_user.school
    )


@bp.route("/best-practices/<int:practice_id>/edit", methods=["GET", "POST"])
@login_required
def edit(practice_id: int):
    practice = _viewable_or_404(practice_id)
    if not services.can_edit(current_user, practice):
        abort(403, description="แก้ไขได้เฉพาะผู้จัดทำ เมื่อผลงานเป็นฉบับร่างหรือถูกส่งกลับแก้ไข")
    form = BestPracticeForm(obj=practice if request.method == "GET" else None)
    _form_choices(form, practice)
    if request.method == "GET":
        form.learning_area.data = practice.learning_area_id or 0
        form.grade_levels.data = [level.id for level in practice.grade_levels]
        form.coauthors.data = [user.id for user in practice.coauthors]
    if form.validate_on_submit():
        return _save(practice, form)
    files = services.files_of(practice)
    return render_template(
        "best_practices/form.html",
        form=form,
        practice=practice,
        school=practice.school,
        images=files.images,
        documents=files.documents,
    )


# Workflow --------------------------------------------------------------------------------------
@bp.post("/best-practices/<int:practice_id>/submit")
@login_required
def submit(practice_id: int):
    practice = _viewable_or_404(practice_id)
    try:
        services.submit(practice, current_user)
    except services.NotAllowed:
        abort(403)
    except services.WorkflowError as error:
        flash(str(error), "danger")
        target = ".edit" if services.can_edit(current_user, practice) else ".detail"
        return redirect(url_for(target, practice_id=practice.id))
    db.session.commit()
    flash("ส่งผลงานให้ศึกษานิเทศก์ตรวจแล้ว", "success")
    return redirect(url_for(".detail", practice_id=practice.id))


@bp.post("/best-practices/<int:practice_id>/review")
@roles_required(*SUPERVISING_ROLES)
def review(practice_id: int):
    practice = _viewable_or_404(practice_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        flash("ความเห็นยาวเกินไป (ไม่เกิน 5,000 ตัวอักษร)", "danger")
        return redirect(url_for(".detail", practice_id=practice.id))
    decision = request.form.get("decision")
    comment = form.comment.data or ""
    try:
        if decision == "publish":
            services.publish(practice, current_user, comment)
            message = "เผยแพร่ผลงานแล้ว"
        elif decision == "return":
            services.return_for_revision(practice, current_user, comment)
            message = "ส่งกลับให้ผู้จัดทำแก้ไขแล้ว"
        else:
            abort(400)
    except services.NotAllowed:
        abort(403)
    except services.WorkflowError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for(".detail", practice_id=practice.id, _anchor="review"))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".detail", practice_id=practice.id))


@bp.post("/best-practices/<int:practice_id>/feature")
@roles_required(*SUPERVISING_ROLES)
def feature(practice_id: int):
    practice = _viewable_or_404(practice_id)
    try:
        now_featured = services.toggle_featured(practice, current_user)
    except services.NotAllowed:
        abort(403)
    except services.WorkflowError as error:
        flash(str(error), "danger")
        return redirect(url_for(".detail", practice_id=practice.id))
    db.session.commit()
    flash("ตั้งเป็นผลงานแนะนำแล้ว" if now_featured else "เลิกแนะนำผลงานนี้แล้ว", "success")
    return redirect(url_for(".detail", practice_id=practice.id))


@bp.post("/best-practices/<int:practice_id>/delete")
@login_required
def delete(practice_id: int):
    practice = _viewable_or_404(practice_id)
    try:
        services.delete(practice, current_user)
    except services.NotAllowed:
        abort(403)
    db.session.commit()
    flash("ลบผลงานแล้ว", "success")
    return redirect(url_for(".mine"))


# Likes and comments ----------------------------------------------------------------------------
def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.post("/best-practices/<int:practice_id>/like")
@login_required
def like(practice_id: int):
    practice = _viewable_or_404(practice_id)
    wanted = request.form.get("liked", "1") != "0"
    try:
        liked, count = services.set_like(practice, current_user, wanted)
    except services.WorkflowError as error:
        if _wants_json():
            return jsonify({"error": str(error)}), 400
        flash(str(error), "danger")
        return redirect(url_for(".detail", practice_id=practice.id))
    db.session.commit()
    if _wants_json():
        return jsonify({"liked": liked, "count": count})
    flash("ชื่นชมผลงานนี้แล้ว" if liked else "ยกเลิกการชื่นชมแล้ว", "success")
    return redirect(url_for(".detail", practice_id=practice.id, _anchor="likes"))


@bp.post("/best-practices/<int:practice_id>/comments")
@login_required
def comment(practice_id: int):
    practice = _viewable_or_404(practice_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            services.add_comment(practice, current_user, form.body.data)
        except services.WorkflowError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash("เพิ่มความคิดเห็นแล้ว", "success")
            return redirect(url_for(".detail", practice_id=practice.id, _anchor="comments"))
    return _render_detail(practice, form, 400)


@bp.post("/best-practices/comments/<int:comment_id>/delete")
@login_required
def delete_comment(comment_id: int):
    comment = db.session.get(BestPracticeComment, comment_id)
    if comment is None or not services.can_view(current_user, comment.best_practice):
        abort(404)
    practice_id = comment.best_practice_id
    try:
        services.delete_comment(comment, current_user)
    except services.NotAllowed:
        abort(403)
    db.session.commit()
    flash("ลบความคิดเห็นแล้ว", "success")
    return redirect(url_for(".detail", practice_id=practice_id, _anchor="comments"))


# Personal lists --------------------------------------------------------------------------------
@bp.get("/best-practices/mine")
@login_required
def mine():
    practices = services.mine(current_user)
    return render_template(
        "best_practices/mine.html",
        practices=practices,
        can_create=services.can_create(current_user),
        **_card_data(practices),
    )


@bp.get("/best-practices/review")
@roles_required(*SUPERVISING_ROLES)
def review_queue():
    pending, published = services.review_queue(current_user)
    return render_template(
        "best_practices/review_queue.html",
        pending=pending,
        published=published,
        **_card_data(pending + published),
    )


# The school page -------------------------------------------------------------------------------
@bp.get("/schools/<int:school_id>")
def school_page(school_id: int):
    school = db.session.get(School, school_id)
    if school is None or not school.is_active:
        abort(404)
    from nitet_online.honours.services import approved_for_school

    practices = services.for_school(school.id)
    return render_template(
        "best_practices/school.html",
        school=school,
        practices=practices,
        honours=approved_for_school(school.id),
        **_card_data(practices),
    )


# Home page -------------------------------------------------------------------------------------
def home_context() -> dict:
    practices = services.for_home()
    return {"practices": practices, **_card_data(practices)}


def describe_practices(ids) -> dict[int, tuple[str, str | None]]:
    rows = db.session.execute(
        select(BestPractice.id, BestPractice.title).where(BestPractice.id.in_(list(ids)))
    )
    return {row.id: (row.title, f"/best-practices/{row.id}") for row in rows}
