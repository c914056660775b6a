"""ถาม-ตอบ under /questions: the list, asking, the question page with answers and comments, edits
with history, accepting, votes, follows, the supervisors' inbox, moderation and figures.
Thin views: permissions from policy.py, work in services/routing/moderation."""

from __future__ import annotations

import logging
from datetime import date

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
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from nitet_online.accounts.models import Role, User
from nitet_online.extensions import db, limiter
from nitet_online.org.models import active_learning_areas, all_grade_levels
from nitet_online.questions import limits, moderation, policy, routing, services
from nitet_online.questions.figures import answers_by_supervisor
from nitet_online.questions.forms import (
    AnswerForm,
    AskForm,
    AssignForm,
    CloseForm,
    CommentForm,
    EditAnswerForm,
    EditQuestionForm,
    HideForm,
    LockForm,
    ReportForm,
)
from nitet_online.questions.models import (
    Answer,
    Question,
    QuestionReport,
    QuestionStatus,
)
from nitet_online.questions.services import QuestionError, discard_uploads, store_files
from nitet_online.questions.similar import similar_questions
from nitet_online.questions.text import diff_html
from nitet_online.questions.thread import build_thread
from nitet_online.services.permissions import (
    MANAGER_ROLES,
    SUPERVISING_ROLES,
    login_required,
    roles_required,
)
from nitet_online.services.thai import fiscal_year, fiscal_year_range, today_bangkok
from nitet_online.stats.services import track_view

bp = Blueprint("questions", __name__, url_prefix="/questions")
log = logging.getLogger(__name__)

moderators_only = roles_required(*SUPERVISING_ROLES)
SAVE_FAILED = "บันทึกไม่สำเร็จเนื่องจากระบบขัดข้องชั่วคราว ข้อความที่พิมพ์ไว้ยังอยู่ กรุณาลองส่งอีกครั้ง"


# Template helpers (also used by the home section and supervisors' pages) ---------------------
@bp.app_template_global()
def poster(question: Question, author: User | None, author_id: int | None):
    """How a post's author appears to the current viewer (anonymous askers stay anonymous)."""
    return policy.poster(question, author, author_id, current_user)


@bp.app_template_global()
def recent_answers_by(user_id: int, limit: int = 5) -> list[Answer]:
    return services.recent_answers_by(user_id, limit)


@bp.app_template_global()
def question_answer_count_by(user_id: int) -> int:
    return services.answer_count_by(user_id)


def home_context() -> dict:
    """The questions block of the home page (declared in the feature's __init__.py)."""
    return {
        "latest_questions": services.latest_public_questions(5),
        "unanswered_questions": services.unanswered_count(),
    }


def describe_questions(ids):
    """Titles and links of questions, for the statistics' "top items" tables."""
    rows = db.session.scalars(select(Question).where(Question.id.in_(list(ids))))
    return {q.id: (q.title, q.url if q.is_public else None) for q in rows}


def _track_view(question: Question) -> None:
    track_view("question", question.id)


# Helpers ------------------------------------------------------------------------------------------
def _question_or_404(question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or not policy.can_view_question(question, current_user):
        abort(404)
    return question


def _answer_or_404(answer_id: int) -> Answer:
    answer = db.session.get(Answer, answer_id)
    if answer is None or not policy.can_view_question(answer.question, current_user):
        abort(404)
    if not policy.can_view_post(answer, current_user):
        abort(404)
    return answer


def _post_or_404(kind: str, post_id: int):
    post = moderation.find_post(kind, post_id)
    if post is None or not policy.can_view_question(moderation.question_of(post), current_user):
        abort(404)
    return post


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _page() -> int:
    return request.args.get("page", 1, type=int)


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value and value > 0 else None


def _commit_or_fail() -> bool:
    try:
        db.session.commit()
        return True
    except SQLAlchemyError:
        log.exception("saving a Q&A change failed")
        db.session.rollback()
        return False


def _supervisor_choices() -> list[tuple[int, str]]:
    return [(0, "— เลือกศึกษานิเทศก์ —")] + [
        (
            user.id,
            user.full_name
            + (
                f" ({', '.join(a.name for a in user.learning_areas)})"
                if user.learning_areas
                else ""
            ),
        )
        for user in routing.active_supervisors()
    ]


# The list -----------------------------------------------------------------------------------------
@bp.get("/")
def index():
    filters = {
        "status": request.args.get("status", ""),
        "learning_area_id": _int_arg("area"),
        "grade_level_id": _int_arg("grade"),
        "tag": request.args.get("tag", "").strip()[:40],
        "text": request.args.get("q", "").strip()[:100],
        "mine": request.args.get("mine", "") if current_user.is_authenticated else "",
        "sort": request.args.get("sort", "newest"),
    }
    if filters["sort"] not in services.SORTS:
        filters["sort"] = "newest"
    pagination = db.paginate(
        services.list_query(current_user, **filters),
        page=_page(),
        per_page=current_app.config["ITEMS_PER_PAGE"],
    )
    inbox_count = None
    if policy.is_moderator(current_user):
        counts = routing.inbox_counts(current_user)
        inbox_count = counts["mine"] + counts["unassigned"]
    return render_template(
        "questions/index.html",
        pagination=pagination,
        filters=filters,
        sorts=services.SORTS,
        statuses=list(QuestionStatus),
        status_counts=services.status_counts(current_user),
        learning_areas=active_learning_areas(),
        grade_levels=all_grade_levels(),
        popular_tags=services.popular_tags(20),
        inbox_count=inbox_count,
    )


# Asking -------------------------------------------------------------------------------------------
def _render_ask(form: AskForm, status: int = 200):
    return render_template("questions/ask.html", form=form), status


@bp.route("/ask", methods=["GET", "POST"])
@login_required
def ask():
    form = AskForm()
    if not form.is_submitted():
        form.title.data = request.args.get("title", "")[:200]
        form.learning_area_id.data = _int_arg("area") or 0
    if not form.validate_on_submit():
        return _render_ask(form)
    wait = limits.refusal("ask", current_user.id)
    if wait:
        flash(wait, "danger")
        return _render_ask(form, 429)
    uploads, errors = store_files(request.files.getlist(form.files.name), current_user.id)
    if errors:
        db.session.rollback()
        form.files.errors = [*errors, "คำถามยังไม่ได้บันทึก ข้อความที่พิมพ์ไว้ยังอยู่ กรุณาเลือกไฟล์ใหม่แล้วส่งอีกครั้ง"]
        return _render_ask(form)
    try:
        question = services.ask_question(
            current_user,
            title=form.title.data,
            body=form.body.data,
            learning_area_id=form.learning_area,
            grade_level_id=form.grade_level_id.data or None,
            tags=form.tag_names,
            anonymous=form.anonymous.data,
            uploads=uploads,
        )
        names = [a.supervisor.full_name for a in question.assignments]
        db.session.commit()
    except (QuestionError, SQLAlchemyError) as error:
        db.session.rollback()
        discard_uploads(uploads)
        if isinstance(error, SQLAlchemyError):
            log.exception("saving a question failed")
        flash(str(error) if isinstance(error, QuestionError) else SAVE_FAILED, "danger")
        return _render_ask(form)
    limits.count("ask", current_user.id)
    if names:
        flash(f"ส่งคำถามเรียบร้อยแล้ว ศึกษานิเทศก์ผู้รับผิดชอบได้รับแจ้งแล้ว: {', '.join(names)}", "success")
    else:
        flash(
            "ส่งคำถามเรียบร้อยแล้ว ยังไม่มีศึกษานิเทศก์รับผิดชอบโดยตรง คำถามจึงเข้ากล่องกลางที่ศึกษานิเทศก์ทุกท่านเห็น",
            "success",
        )
    return redirect(question.url)


def _similar_rate_limit() -> str:
    return current_app.config["RATELIMIT_SIMILAR"]


def _similar_rate_key() -> str:
    """Per person when signed in (a staff room shares one address), else per address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


@bp.get("/similar")
@limiter.limit(_similar_rate_limit, key_func=_similar_rate_key)
def similar():
    """Questions like the title being typed (JSON for static/js/questions.js)."""
    found = similar_questions(request.args.get("q", ""), current_user, limit=5)
    return jsonify({"results": [item.as_json() for item in found]})


# The question page --------------------------------------------------------------------------------
def _render_detail(question: Question, status: int = 200, **forms):
    thread = build_thread(question, current_user)
    answer_form = forms.get("answer_form") or AnswerForm(formdata=None)
    comment_form = forms.get("comment_form") or CommentForm(formdata=None)
    duplicate_of = question.duplicate_of if question.duplicate_of_id else None
    return (
        render_template(
            "questions/detail.html",
            question=question,
            thread=thread,
            answer_form=answer_form,
            comment_form=comment_form,
            comment_target=forms.get("comment_target"),
            duplicate_of=duplicate_of,
            assignments=question.assignments,
            hide_form=HideForm(formdata=None),
        ),
        status,
    )


@bp.get("/<int:question_id>")
@bp.get("/<int:question_id>-<path:slug>")
def detail(question_id: int, slug: str | None = None):
    question = _question_or_404(question_id)
    if question.slug and slug != question.slug:
        return redirect(question.url, code=301)
    if question.is_public:
        _track_view(question)
    return _render_detail(question)


@bp.post("/<int:question_id>/answers")
@login_required
def answer(question_id: int):
    question = _question_or_404(question_id)
    refusal = policy.answer_refusal(question, current_user)
    if refusal:
        flash(refusal, "warning")
        return redirect(question.url)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _render_detail(question, answer_form=form)
    wait = limits.refusal("answer", current_user.id)
    if wait:
        flash(wait, "danger")
        return _render_detail(question, 429, answer_form=form)
    uploads, errors = store_files(request.files.getlist(form.files.name), current_user.id)
    if errors:
        db.session.rollback()
        form.files.errors = [*errors, "คำตอบยังไม่ได้บันทึก ข้อความที่พิมพ์ไว้ยังอยู่ กรุณาเลือกไฟล์ใหม่แล้วส่งอีกครั้ง"]
        return _render_detail(question, answer_form=form)
    try:
        new_answer = services.post_answer(question, current_user, form.body.data, uploads)
        url = new_answer.url
        db.session.commit()
    except (QuestionError, SQLAlchemyError) as error:
        db.session.rollback()
        discard_uploads(uploads)
        if isinstance(error, SQLAlchemyError):
            log.exception("saving an answer failed")
        flash(str(error) if isinstance(error, QuestionError) else SAVE_FAILED, "danger")
        return _render_detail(db.session.get(Question, question_id), answer_form=form)
    limits.count("answer", current_user.id)
    flash("ส่งคำตอบเรียบร้อยแล้ว ผู้ถามและผู้ติดตามคำถามได้รับแจ้งแล้ว", "success")
    return redirect(url)


@bp.post("/<int:question_id>/comments")
@login_required
def comment(question_id: int):
    question = _question_or_404(question_id)
    form = CommentForm()
    target = None
    if form.answer_id.data:
        target = next((a for a in question.answers if str(a.id) == str(form.answer_id.data)), None)
        if target is None or not policy.can_view_post(target, current_user):
            abort(404)
    refusal = policy.comment_refusal(question, current_user)
    if refusal:
        flash(refusal, "warning")
        return redirect(question.url)
    if not form.validate_on_submit():
        return _render_detail(question, comment_form=form, comment_target=target or question)
    wait = limits.refusal("comment", current_user.id)
    if wait:
        flash(wait, "danger")
        return _render_detail(question, 429, comment_form=form, comment_target=target or question)
    try:
        new_comment = services.post_comment(question, current_user, form.body.data, target)
        url = new_comment.url
        db.session.commit()
    except (QuestionError, SQLAlchemyError) as error:
        db.session.rollback()
        flash(str(error) if isinstance(error, QuestionError) else SAVE_FAILED, "danger")
        question = db.session.get(Question, question_id)
        return _render_detail(question, comment_form=form, comment_target=target or question)
    limits.count("comment", current_user.id)
    return redirect(url)


# Editing and history ------------------------------------------------------------------------------
@bp.route("/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(question_id: int):
    question = _question_or_404(question_id)
    if not policy.can_edit(question, current_user):
        abort(403, description="ท่านแก้ไขได้เฉพาะคำถามของตนเอง (และก่อนคำถามถูกล็อก)")
    form = EditQuestionForm()
    if not form.is_submitted():
        form.title.data, form.body.data = question.title, question.body
        form.tags.data = ", ".join(tag.name for tag in question.tags)
        form.anonymous.data = question.is_anonymous
        form.show_learning_area(question.learning_area_id)
        form.grade_level_id.data = question.grade_level_id or 0
        form.reason.data = ""
    needs_reason = policy.edit_needs_reason(question, current_user)
    if form.validate_on_submit():
        try:
            changed = services.edit_question(
                question,
                current_user,
                title=form.title.data,
                body=form.body.data,
                learning_area_id=form.learning_area,
                grade_level_id=form.grade_level_id.data or None,
                tags=form.tag_names,
                anonymous=form.anonymous.data if not needs_reason else None,
                reason=form.reason.data or "",
            )
        except QuestionError as error:
            db.session.rollback()
            form.reason.errors = [str(error)]
        else:
            if not _commit_or_fail():
                flash(SAVE_FAILED, "danger")
            else:
                flash(
                    "บันทึกการแก้ไขแล้ว (ประวัติการแก้ไขเก็บไว้ครบ)" if changed else "ไม่มีการเปลี่ยนแปลง",
                    "success" if changed else "info",
                )
                return redirect(question.url)
    return render_template(
        "questions/edit.html", form=form, question=question, needs_reason=needs_reason
    )


@bp.route("/answers/<int:answer_id>/edit", methods=["GET", "POST"])
@login_required
def edit_answer(answer_id: int):
    answer = _answer_or_404(answer_id)
    if not policy.can_edit(answer, current_user):
        abort(403, description="ท่านแก้ไขได้เฉพาะคำตอบของตนเอง (และก่อนคำถามถูกล็อก)")
    form = EditAnswerForm()
    if not form.is_submitted():
        form.body.data = answer.body
    needs_reason = policy.edit_needs_reason(answer, current_user)
    if form.validate_on_submit():
        try:
            changed = services.edit_answer(
                answer, current_user, form.body.data, form.reason.data or ""
            )
        except QuestionError as error:
            db.session.rollback()
            form.reason.errors = [str(error)]
        else:
            if not _commit_or_fail():
                flash(SAVE_FAILED, "danger")
            else:
                flash(
                    "บันทึกการแก้ไขแล้ว (ประวัติการแก้ไขเก็บไว้ครบ)" if changed else "ไม่มีการเปลี่ยนแปลง",
                    "success" if changed else "info",
                )
                return redirect(answer.url)
    return render_template(
        "questions/answer_edit.html", form=form, answer=answer, needs_reason=needs_reason
    )


def _history(post, question: Question):
    revisions = services.revisions_of(post)
    steps = []
    for previous, current in zip([None, *revisions[:-1]], revisions, strict=True):
        steps.append(
            {
                "revision": current,
                "title_diff": diff_html(previous.title, current.title)
                if previous and previous.title != current.title
                else None,
                "tags_changed": previous is not None and previous.tags != current.tags,
                "previous_tags": previous.tags if previous else "",
                "body_diff": diff_html(previous.body, current.body) if previous else None,
            }
        )
    return render_template(
        "questions/history.html", post=post, question=question, steps=list(reversed(steps))
    )


@bp.get("/<int:question_id>/history")
def question_history(question_id: int):
    question = _question_or_404(question_id)
    return _history(question, question)


@bp.get("/answers/<int:answer_id>/history")
def answer_history(answer_id: int):
    answer = _answer_or_404(answer_id)
    return _history(answer, answer.question)


# Accepting, votes, follows ------------------------------------------------------------------------
@bp.post("/answers/<int:answer_id>/accept")
@login_required
def accept(answer_id: int):
    answer = _answer_or_404(answer_id)
    if not policy.can_accept(answer.question, current_user):
        abort(403, description="เฉพาะผู้ถามหรือศึกษานิเทศก์เท่านั้นที่เลือกคำตอบที่ดีที่สุดได้")
    try:
        services.accept_answer(answer, current_user)
    except QuestionError as error:
        flash(str(error), "danger")
        return redirect(answer.question.url)
    if _commit_or_fail():
        flash("เลือกเป็นคำตอบที่ดีที่สุดแล้ว คำถามนี้อยู่ในสถานะ “แก้ไขแล้ว”", "success")
    else:
        flash(SAVE_FAILED, "danger")
    return redirect(answer.url)


@bp.post("/answers/<int:answer_id>/unaccept")
@login_required
def unaccept(answer_id: int):
    answer = _answer_or_404(answer_id)
    if not policy.can_accept(answer.question, current_user):
        abort(403, description="เฉพาะผู้ถามหรือศึกษานิเทศก์เท่านั้นที่เปลี่ยนคำตอบที่ดีที่สุดได้")
    services.unaccept_answer(answer, current_user)
    if _commit_or_fail():
        flash("ยกเลิกคำตอบที่ดีที่สุดแล้ว", "info")
    return redirect(answer.url)


@bp.post("/vote/<kind>/<int:post_id>")
@login_required
def vote(kind: str, post_id: int):
    if kind not in ("question", "answer"):
        abort(404)
    post = _post_or_404(kind, post_id)
    if not policy.can_view_post(post, current_user):
        abort(404)
    try:
        voted = services.toggle_vote(post, current_user)
    except QuestionError as error:
        if _wants_json():
            return jsonify({"error": str(error)}), 403
        flash(str(error), "warning")
        return redirect(post.url)
    if not _commit_or_fail():
        return (jsonify({"error": SAVE_FAILED}), 503) if _wants_json() else redirect(post.url)
    if _wants_json():
        return jsonify({"voted": voted, "count": post.vote_count})
    return redirect(post.url)


@bp.post("/<int:question_id>/follow")
@login_required
def toggle_follow(question_id: int):
    question = _question_or_404(question_id)
    if services.is_following(question, current_user):
        services.unfollow(question, current_user)
        message = "เลิกติดตามคำถามนี้แล้ว ท่านจะไม่ได้รับแจ้งเมื่อมีคำตอบใหม่"
        following = False
    else:
        services.follow(question, current_user)
        message = "ติดตามคำถามนี้แล้ว ท่านจะได้รับแจ้งเมื่อมีคำตอบหรือความคิดเห็นใหม่"
        following = True
    _commit_or_fail()
    if _wants_json():
        return jsonify({"following": following, "message": message})
    flash(message, "info")
    return redirect(question.url)


# The supervisors' inbox ---------------------------------------------------------------------------
@bp.get("/inbox")
@moderators_only
def inbox():
    tab = request.args.get("tab", "mine")
    if tab not in routing.INBOX_TABS:
        tab = "mine"
    pagination = db.paginate(
        routing.inbox_query(current_user, tab),
        page=_page(),
        per_page=current_app.config["ITEMS_PER_PAGE"],
    )
    return render_template(
        "questions/inbox.html",
        pagination=pagination,
        tab=tab,
        tabs=routing.INBOX_TABS,
        counts=routing.inbox_counts(current_user),
        report_count=moderation.open_report_count(),
    )


@bp.post("/<int:question_id>/claim")
@moderators_only
def claim(question_id: int):
    question = _question_or_404(question_id)
    if not policy.can_claim(question, current_user):
        flash("รับเรื่องคำถามนี้ไม่ได้ (ต้องเป็นศึกษานิเทศก์ และคำถามยังไม่แก้ไขหรือปิด)", "warning")
        return redirect(question.url)
    routing.claim(question, current_user)
    if _commit_or_fail():
        flash("ท่านรับเรื่องคำถามนี้แล้ว ศึกษานิเทศก์ท่านอื่นจะเห็นว่าท่านกำลังดูแล", "success")
    return redirect(
        request.form.get("next")
        if request.form.get("next") == url_for("questions.inbox")
        else question.url
    )


@bp.route("/<int:question_id>/assign", methods=["GET", "POST"])
@moderators_only
def assign(question_id: int):
    question = _question_or_404(question_id)
    form = AssignForm()
    form.supervisor_id.choices = _supervisor_choices()
    if form.validate_on_submit():
        target = db.session.get(User, form.supervisor_id.data)
        if target is None or target.role != Role.SUPERVISOR:
            form.supervisor_id.errors = ["กรุณาเลือกศึกษานิเทศก์จากรายการ"]
        else:
            if form.mode.data == "reassign":
                routing.reassign(question, target, current_user, form.note.data or "")
                message = f"โอนคำถามให้ {target.full_name} แล้ว"
            else:
                routing.invite(question, target, current_user, form.note.data or "")
                message = f"เชิญ {target.full_name} ร่วมตอบแล้ว"
            if _commit_or_fail():
                flash(message, "success")
                return redirect(question.url)
            flash(SAVE_FAILED, "danger")
    return render_template("questions/assign.html", form=form, question=question)


# Moderation ---------------------------------------------------------------------------------------
def _moderation_done(message: str, question: Question):
    if _commit_or_fail():
        flash(message, "success")
    else:
        flash(SAVE_FAILED, "danger")
    return redirect(question.url)


@bp.route("/<int:question_id>/close", methods=["GET", "POST"])
@moderators_only
def close(question_id: int):
    question = _question_or_404(question_id)
    form = CloseForm()
    if form.validate_on_submit():
        original = None
        if form.reason.data == "duplicate":
            reference = moderation.parse_question_reference(form.duplicate_of.data or "")
            original = db.session.get(Question, reference) if reference else None
        try:
            moderation.close_question(
                question, current_user, form.reason.data, form.note.data or "", original
            )
        except QuestionError as error:
            db.session.rollback()
            (form.duplicate_of if form.reason.data == "duplicate" else form.reason).errors = [
                str(error)
            ]
        else:
            return _moderation_done("ปิดคำถามแล้ว", question)
    return render_template("questions/close.html", form=form, question=question)


@bp.post("/<int:question_id>/reopen")
@moderators_only
def reopen(question_id: int):
    question = _question_or_404(question_id)
    try:
        moderation.reopen_question(question, current_user)
    except QuestionError as error:
        flash(str(error), "warning")
        return redirect(question.url)
    return _moderation_done("เปิดคำถามอีกครั้งแล้ว", question)


@bp.post("/<int:question_id>/lock")
@moderators_only
def lock(question_id: int):
    question = _question_or_404(question_id)
    form = LockForm()
    moderation.lock_question(question, current_user, form.reason.data or "")
    return _moderation_done("ล็อกคำถามแล้ว ไม่รับคำตอบหรือความคิดเห็นใหม่", question)


@bp.post("/<int:question_id>/unlock")
@moderators_only
def unlock(question_id: int):
    question = _question_or_404(question_id)
    moderation.unlock_question(question, current_user)
    return _moderation_done("ปลดล็อกคำถามแล้ว", question)


@bp.route("/moderate/<kind>/<int:post_id>/hide", methods=["GET", "POST"])
@moderators_only
def hide(kind: str, post_id: int):
    post = _post_or_404(kind, post_id)
    question = moderation.question_of(post)
    form = HideForm()
    if form.validate_on_submit():
        try:
            moderation.hide_post(post, current_user, form.reason.data)
        except QuestionError as error:
            db.session.rollback()
            form.reason.errors = [str(error)]
        else:
            return _moderation_done(f"ซ่อน{moderation.POST_LABELS[kind]}แล้ว", question)
    return render_template(
        "questions/hide.html",
        form=form,
        post=post,
        question=question,
        label=moderation.POST_LABELS[kind],
    )


@bp.post("/moderate/<kind>/<int:post_id>/restore")
@moderators_only
def restore(kind: str, post_id: int):
    post = _post_or_404(kind, post_id)
    try:
        moderation.restore_post(post, current_user)
    except QuestionError as error:
        flash(str(error), "warning")
        return redirect(moderation.question_of(post).url)
    return _moderation_done(
        f"แสดง{moderation.POST_LABELS[kind]}อีกครั้งแล้ว", moderation.question_of(post)
    )


@bp.route("/report/<kind>/<int:post_id>", methods=["GET", "POST"])
@login_required
def report(kind: str, post_id: int):
    post = _post_or_404(kind, post_id)
    if not policy.can_view_post(post, current_user):
        abort(404)
    question = moderation.question_of(post)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            moderation.report_post(post, current_user, form.reason.data, form.detail.data or "")
        except QuestionError as error:
            db.session.rollback()
            form.detail.errors = [str(error)]
        else:
            if _commit_or_fail():
                flash("ขอบคุณที่แจ้ง ผู้ดูแลจะตรวจสอบโดยเร็ว", "success")
                return redirect(post.url)
            flash(SAVE_FAILED, "danger")
    return render_template(
        "questions/report.html",
        form=form,
        post=post,
        question=question,
        label=moderation.POST_LABELS[kind],
    )


@bp.get("/reports")
@moderators_only
def reports():
    pagination = db.paginate(
        moderation.open_reports_query(), page=_page(), per_page=current_app.config["ITEMS_PER_PAGE"]
    )
    posts = {
        report.id: moderation.find_post(report.target_type, report.target_id)
        for report in pagination.items
    }
    return render_template("questions/reports.html", pagination=pagination, posts=posts)


@bp.post("/reports/<int:report_id>/dismiss")
@moderators_only
def dismiss_report(report_id: int):
    item = db.session.get(QuestionReport, report_id)
    if item is None:
        abort(404)
    try:
        moderation.dismiss_report(item, current_user)
    except QuestionError as error:
        flash(str(error), "warning")
        return redirect(url_for("questions.reports"))
    if _commit_or_fail():
        flash("ยกเลิกรายงานแล้ว (โพสต์ยังแสดงตามเดิม)", "info")
    return redirect(url_for("questions.reports"))


# Figures ------------------------------------------------------------------------------------------
def _period() -> tuple[date, date, int]:
    year = request.args.get("year", type=int) or fiscal_year(today_bangkok())
    if not 2500 <= year <= 2700:
        year = fiscal_year(today_bangkok())
    start, end = fiscal_year_range(year)
    return start, end, year


@bp.get("/figures")
@roles_required(*MANAGER_ROLES, Role.SUPERVISOR)
def figures():
    start, end, year = _period()
    current = fiscal_year(today_bangkok())
    return render_template(
        "questions/figures.html",
        times=services.response_times(start, end),
        supervisors=answers_by_supervisor(start, end),
        year=year,
        years=list(range(current, current - 5, -1)),
    )


@bp.get("/figures.json")
@roles_required(*MANAGER_ROLES, Role.SUPERVISOR)
def figures_json():
    start, end, _ = _period()
    return jsonify(services.response_times(start, end).as_json())
