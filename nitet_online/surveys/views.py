"""แบบประเมินออนไลน์: answering (/surveys/<id>), and for supervisors and admins building,
sharing (link and QR code) and reading results (/surveys/manage)."""

from __future__ import annotations

import io
import secrets

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from nitet_online.accounts.models import Role
from nitet_online.audit.services import record
from nitet_online.extensions import db
from nitet_online.services.forms import ThaiForm
from nitet_online.services.permissions import SUPERVISING_ROLES, roles_required
from nitet_online.stats.services import track_view
from nitet_online.surveys import exports
from nitet_online.surveys.forms import ItemForm, SectionForm, SurveyForm
from nitet_online.surveys.models import (
    RATING_LEVELS,
    ItemKind,
    ResponseMode,
    Survey,
    SurveyItem,
    SurveySection,
)
from nitet_online.surveys.results import survey_results
from nitet_online.surveys.services import (
    ALREADY_ANSWERED,
    ATTACHABLE_TYPES,
    CLOSED_MESSAGES,
    AlreadyAnswered,
    add_item,
    add_section,
    already_answered,
    apply_satisfaction_template,
    can_build,
    can_manage,
    can_view_results,
    has_responses,
    move,
    open_surveys_for,
    parse_answers,
    parse_options,
    public_open_surveys,
    response_count,
    save_response,
    visible_surveys_query,
)

bp = Blueprint("surveys", __name__, url_prefix="/surveys")

RESPONDENT_COOKIE = "nitet_respondent"
LOCKED_MESSAGE = "แบบประเมินนี้มีผู้ตอบแล้ว จึงแก้ไขข้อคำถามไม่ได้ (ยังแก้ไขชื่อ คำชี้แจง และวันที่ได้)"

# Thai names of this feature's audit actions (declared in the feature's __init__.py).
AUDIT_LABELS: dict[str, str] = {
    "survey.create": "สร้างแบบประเมิน",
    "survey.update": "แก้ไขแบบประเมิน",
    "survey.delete": "ลบแบบประเมิน",
}


def describe_surveys(ids):
    surveys = db.session.scalars(db.select(Survey).where(Survey.id.in_(list(ids))))
    return {s.id: (s.title, url_for("surveys.answer", survey_id=s.id)) for s in surveys}


@bp.record_once
def _set_up(state) -> None:
    state.app.jinja_env.globals["attached_surveys"] = open_surveys_for


def _survey_or_404(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        abort(404)
    return survey


def _managed(survey_id: int) -> Survey:
    survey = _survey_or_404(survey_id)
    if not can_manage(current_user, survey):
        abort(403)
    return survey


def _managed_unlocked(survey_id: int) -> Survey | None:
    """The survey whose questions may change; None (with a Thai message) once answered."""
    survey = _managed(survey_id)
    if has_responses(survey):
        flash(LOCKED_MESSAGE, "warning")
        return None
    return survey


# Public ---------------------------------------------------------------------------------------
@bp.get("/")
def index():
    return render_template("surveys/index.html", surveys=public_open_surveys())


def _respondent_state(survey: Survey) -> tuple[str | None, str | None]:
    """Why this visitor cannot answer now (Thai), and the closed/answered state."""
    state = survey.state()
    if state != "open":
        return CLOSED_MESSAGES[state], state
    user = current_user if current_user.is_authenticated else None
    if survey.response_mode == ResponseMode.LOGIN and user is None:
        return "แบบประเมินนี้สำหรับผู้ที่เข้าสู่ระบบ กรุณาเข้าสู่ระบบก่อนตอบ", "login"
    if already_answered(survey, user, request.cookies.get(RESPONDENT_COOKIE)):
        return ALREADY_ANSWERED, "answered"
    return None, None


def _public_or_404(survey_id: int) -> Survey:
    """A survey this visitor may see: published, or a draft they manage (its preview)."""
    survey = _survey_or_404(survey_id)
    if not survey.is_published and not can_manage(current_user, survey):
        abort(404)
    return survey


@bp.route("/<int:survey_id>", methods=["GET", "POST"])
def answer(survey_id: int):
    survey = _public_or_404(survey_id)
    csrf_form = ThaiForm()
    message, state = _respondent_state(survey)
    if request.method == "GET":
        track_view("survey", survey.id, owner_id=survey.owner_id)
        return _answer_page(survey, csrf_form, message, state)
    if message:
        if state == "login":
            return current_app.login_manager.unauthorized()
        return _answer_page(survey, csrf_form, message, state, status=403)
    if not csrf_form.validate_on_submit():
        flash("แบบฟอร์มหมดอายุ กรุณาตอบอีกครั้ง", "danger")
        return _answer_page(survey, csrf_form, None, None, values=request.form, status=400)
    parsed = parse_answers(survey, request.form)
    if parsed.errors:
        return _answer_page(
            survey, csrf_form, None, None, values=request.form, errors=parsed.errors, status=400
        )
    token = request.cookies.get(RESPONDENT_COOKIE) or secrets.token_urlsafe(24)
    user = current_user if current_user.is_authenticated else None
    try:
        save_response(survey, parsed, user, token)
    except AlreadyAnswered:
        return _answer_page(survey, csrf_form, ALREADY_ANSWERED, "answered", status=403)
    response = redirect(url_for("surveys.thanks", survey_id=survey.id))
    response.set_cookie(
        RESPONDENT_COOKIE,
        token,
        max_age=60 * 60 * 24 * 365 * 2,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response


def _answer_page(survey, csrf_form, message, state, values=None, errors=None, status=200):
    return (
        render_template(
            "surveys/answer.html",
            survey=survey,
            form=csrf_form,
            message=message,
            state=state,
            values=values,
            errors=errors or {},
            levels=RATING_LEVELS,
            ItemKind=ItemKind,
        ),
        status,
    )


@bp.get("/<int:survey_id>/thanks")
def thanks(survey_id: int):
    return render_template("surveys/thanks.html", survey=_public_or_404(survey_id))


# Managing -------------------------------------------------------------------------------------
@bp.get("/manage")
@roles_required(*SUPERVISING_ROLES)
def manage():
    surveys = db.session.scalars(visible_surveys_query(current_user)).all()
    counts = {survey.id: response_count(survey) for survey in surveys}
    return render_template(
        "surveys/manage.html",
        surveys=surveys,
        counts=counts,
        can_build=can_build(current_user),
        can_manage=can_manage,
    )


def _apply_form(survey: Survey, form: SurveyForm) -> None:
    survey.title = form.title.data.strip()
    survey.description = form.description.data.strip()
    survey.response_mode = ResponseMode(form.response_mode.data)
    survey.opens_on = form.opens_on.data
    survey.closes_on = form.closes_on.data
    survey.attached_type = form.attached_type.data or None
    survey.attached_id = form.attached_id.data if form.attached_type.data else None
    survey.is_published = form.is_published.data


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.SUPERVISOR)
def create():
    form = SurveyForm()
    if form.validate_on_submit():
        survey = Survey(owner_id=current_user.id)
        _apply_form(survey, form)
        db.session.add(survey)
        if form.template.data == "satisfaction":
            apply_satisfaction_template(survey)
        record("survey.create", survey, survey.title)
        db.session.commit()
        flash("สร้างแบบประเมินแล้ว เพิ่มหรือแก้ไขข้อคำถามได้ที่หน้านี้", "success")
        return redirect(url_for("surveys.builder", survey_id=survey.id))
    return render_template("surveys/edit.html", form=form, survey=None)


@bp.route("/<int:survey_id>/edit", methods=["GET", "POST"])
@roles_required(*SUPERVISING_ROLES)
def edit(survey_id: int):
    survey = _managed(survey_id)
    form = SurveyForm(obj=survey)
    del form.template
    if request.method == "GET":
        form.response_mode.data = survey.response_mode.value
        form.attached_type.data = survey.attached_type or ""
    if form.validate_on_submit():
        _apply_form(survey, form)
        record("survey.update", survey, survey.title)
        db.session.commit()
        flash("บันทึกการตั้งค่าแบบประเมินแล้ว", "success")
        return redirect(url_for("surveys.manage"))
    return render_template("surveys/edit.html", form=form, survey=survey)


@bp.post("/<int:survey_id>/delete")
@roles_required(*SUPERVISING_ROLES)
def delete(survey_id: int):
    survey = _managed(survey_id)
    if not ThaiForm().validate_on_submit():
        abort(400)
    record("survey.delete", survey, survey.title)
    db.session.delete(survey)
    db.session.commit()
    flash("ลบแบบประเมินแล้ว", "info")
    return redirect(url_for("surveys.manage"))


@bp.get("/<int:survey_id>/builder")
@roles_required(*SUPERVISING_ROLES)
def builder(survey_id: int):
    survey = _managed(survey_id)
    return _builder_page(survey)


def _builder_page(survey, section_form=None, item_form=None, status=200):
    item_form = item_form or ItemForm()
    item_form.section_id.choices = [(s.id, s.title) for s in survey.sections]
    return (
        render_template(
            "surveys/builder.html",
            survey=survey,
            section_form=section_form or SectionForm(),
            item_form=item_form,
            locked=has_responses(survey),
            action_form=ThaiForm(),
        ),
        status,
    )


@bp.post("/<int:survey_id>/sections")
@roles_required(*SUPERVISING_ROLES)
def add_section_view(survey_id: int):
    survey = _managed_unlocked(survey_id)
    if survey is None:
        return redirect(url_for("surveys.builder", survey_id=survey_id))
    form = SectionForm()
    if not form.validate_on_submit():
        return _builder_page(survey, section_form=form, status=400)
    add_section(survey, form.title.data.strip(), form.description.data.strip())
    db.session.commit()
    flash("เพิ่มตอนแล้ว", "success")
    return redirect(url_for("surveys.builder", survey_id=survey.id))


def _section_of(survey: Survey, section_id: int) -> SurveySection:
    section = db.session.get(SurveySection, section_id)
    if section is None or section.survey_id != survey.id:
        abort(404)
    return section


def _item_of(survey: Survey, item_id: int) -> SurveyItem:
    item = db.session.get(SurveyItem, item_id)
    if item is None or item.section.survey_id != survey.id:
        abort(404)
    return item


@bp.post("/<int:survey_id>/sections/<int:section_id>/<action>")
@roles_required(*SUPERVISING_ROLES)
def section_action(survey_id: int, section_id: int, action: str):
    if action not in ("delete", "up", "down"):
        abort(404)
    survey = _managed_unlocked(survey_id)
    if survey is not None and ThaiForm().validate_on_submit():
        section = _section_of(survey, section_id)
        if action == "delete":
            survey.sections.remove(section)
        else:
            move(survey.sections, section, -1 if action == "up" else 1)
        db.session.commit()
    return redirect(url_for("surveys.builder", survey_id=survey_id))


@bp.post("/<int:survey_id>/items")
@roles_required(*SUPERVISING_ROLES)
def add_item_view(survey_id: int):
    survey = _managed_unlocked(survey_id)
    if survey is None:
        return redirect(url_for("surveys.builder", survey_id=survey_id))
    form = ItemForm()
    form.section_id.choices = [(s.id, s.title) for s in survey.sections]
    if not survey.sections:
        flash("กรุณาเพิ่มตอนก่อนเพิ่มข้อคำถาม", "warning")
        return redirect(url_for("surveys.builder", survey_id=survey.id))
    if not form.validate_on_submit():
        return _builder_page(survey, item_form=form, status=400)
    section = _section_of(survey, form.section_id.data)
    add_item(
        section,
        ItemKind(form.kind.data),
        form.prompt.data.strip(),
        form.required.data,
        parse_options(form.options_text.data),
    )
    db.session.commit()
    flash("เพิ่มข้อคำถามแล้ว", "success")
    return redirect(
        url_for("surveys.builder", survey_id=survey.id, _anchor=f"section-{section.id}")
    )


@bp.route("/<int:survey_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(*SUPERVISING_ROLES)
def edit_item(survey_id: int, item_id: int):
    survey = _managed_unlocked(survey_id)
    if survey is None:
        return redirect(url_for("surveys.builder", survey_id=survey_id))
    item = _item_of(survey, item_id)
    form = ItemForm(obj=item)
    form.section_id.choices = [(s.id, s.title) for s in survey.sections]
    if request.method == "GET":
        form.kind.data = item.kind.value
        form.options_text.data = "\n".join(item.options or [])
    if form.validate_on_submit():
        section = _section_of(survey, form.section_id.data)
        item.section = section
        item.kind = ItemKind(form.kind.data)
        item.prompt = form.prompt.data.strip()
        item.required = form.required.data
        item.options = parse_options(form.options_text.data) if item.kind.has_options else []
        db.session.commit()
        flash("บันทึกข้อคำถามแล้ว", "success")
        return redirect(url_for("surveys.builder", survey_id=survey.id, _anchor=f"item-{item.id}"))
    return render_template("surveys/item_form.html", survey=survey, item=item, form=form)


@bp.post("/<int:survey_id>/items/<int:item_id>/<action>")
@roles_required(*SUPERVISING_ROLES)
def item_action(survey_id: int, item_id: int, action: str):
    if action not in ("delete", "up", "down"):
        abort(404)
    survey = _managed_unlocked(survey_id)
    if survey is not None and ThaiForm().validate_on_submit():
        item = _item_of(survey, item_id)
        if action == "delete":
            item.section.items.remove(item)
        else:
            move(item.section.items, item, -1 if action == "up" else 1)
        db.session.commit()
    return redirect(url_for("surveys.builder", survey_id=survey_id))


# Sharing and results ----------------------------------------------------------------------------
def _public_link(survey: Survey) -> str:
    return url_for("surveys.answer", survey_id=survey.id, _external=True)


@bp.get("/<int:survey_id>/share")
@roles_required(*SUPERVISING_ROLES)
def share(survey_id: int):
    survey = _managed(survey_id)
    return render_template("surveys/share.html", survey=survey, link=_public_link(survey))


@bp.get("/<int:survey_id>/qr.png")
@roles_required(*SUPERVISING_ROLES)
def qr_code(survey_id: int):
    survey = _managed(survey_id)
    buffer = io.BytesIO()
    segno.make(_public_link(survey), error="m").save(buffer, kind="png", scale=8, border=2)
    download = request.args.get("download") == "1"
    headers = {"Cache-Control": "private, max-age=300"}
    if download:
        headers["Content-Disposition"] = f'attachment; filename="survey-{survey.id}-qr.png"'
    return Response(buffer.getvalue(), mimetype="image/png", headers=headers)


def _viewable(survey_id: int) -> Survey:
    survey = _survey_or_404(survey_id)
    if not can_view_results(current_user, survey):
        abort(403)
    return survey


@bp.get("/<int:survey_id>/results")
@roles_required(*SUPERVISING_ROLES)
def results(survey_id: int):
    survey = _viewable(survey_id)
    outcome = survey_results(survey)
    return render_template(
        "surveys/results.html",
        survey=survey,
        results=outcome,
        charts=exports.chart_specs(outcome),
        levels=RATING_LEVELS,
        ItemKind=ItemKind,
        attachable=ATTACHABLE_TYPES,
    )


@bp.get("/<int:survey_id>/results.xlsx")
@roles_required(*SUPERVISING_ROLES)
def results_excel(survey_id: int):
    survey = _viewable(survey_id)
    body = exports.results_workbook(survey, survey_results(survey))
    return Response(
        body,
        mimetype=exports.XLSX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="survey-{survey.id}-results.xlsx"'},
    )
