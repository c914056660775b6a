"""Administration pages under /admin: users, schools, networks, learning areas, office settings,
imports and the audit log. Every route is for administrators only."""

from __future__ import annotations

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
from sqlalchemy import func, or_, select

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.accounts.services import approve_user, generate_temporary_password
from nitet_online.admin.forms import (
    ImportForm,
    LearningAreaForm,
    NetworkForm,
    OfficeForm,
    ResetPasswordForm,
    SchoolForm,
    UserForm,
)
from nitet_online.admin.services import (
    SCHOOL_COLUMNS,
    SCHOOL_OPTIONAL_COLUMNS,
    USER_COLUMNS,
    USER_OPTIONAL_COLUMNS,
    apply_user_form,
    import_schools,
    import_users,
    pending_count,
    set_status,
)
from nitet_online.audit.models import AuditEntry
from nitet_online.audit.services import action_label, action_labels, record
from nitet_online.extensions import db
from nitet_online.org.models import LearningArea, Network, Office, School, SchoolSize
from nitet_online.services.exports import CSV_MIMETYPE, csv_bytes
from nitet_online.services.permissions import require_roles
from nitet_online.services.tabular import TableFileError, read_table

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def only_admins():
    return require_roles(Role.ADMIN)


@bp.context_processor
def admin_context() -> dict:
    return {"pending_users": pending_count(), "action_label": action_label}


def _page() -> int:
    return request.args.get("page", 1, type=int)


def _get_or_404(model, object_id: int):
    item = db.session.get(model, object_id)
    if item is None:
        abort(404)
    return item


# Dashboard ------------------------------------------------------------------------------------
@bp.get("/")
def dashboard():
    by_role = dict(
        db.session.execute(
            select(User.role, func.count(User.id))
            .where(User.status == AccountStatus.ACTIVE)
            .group_by(User.role)
        ).all()
    )
    counts = {
        "schools": db.session.scalar(select(func.count(School.id))),
        "networks": db.session.scalar(select(func.count(Network.id))),
        "users": sum(by_role.values()),
    }
    recent = db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.created_at.desc()).limit(10)
    ).all()
    return render_template(
        "admin/dashboard.html", counts=counts, by_role=by_role, recent=recent, roles=list(Role)
    )


# Users ----------------------------------------------------------------------------------------
@bp.get("/users")
def users():
    query = select(User).order_by(User.created_at.desc())
    search = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    status = request.args.get("status", "")
    if search:
        like = f"%{search.lower()}%"
        query = query.where(
            or_(
                func.lower(User.username).like(like),
                func.lower(User.email).like(like),
                func.lower(User.first_name).like(like),
                func.lower(User.last_name).like(like),
            )
        )
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    if status in {s.value for s in AccountStatus}:
        query = query.where(User.status == AccountStatus(status))
    pagination = db.paginate(query, page=_page(), per_page=current_app.config["ITEMS_PER_PAGE"])
    return render_template(
        "admin/users.html",
        pagination=pagination,
        roles=list(Role),
        statuses=list(AccountStatus),
        search=search,
        role=role,
        status=status,
    )


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = UserForm()
    if not form.is_submitted():
        form.status.data = AccountStatus.ACTIVE.value
    if form.validate_on_submit():
        user = User(status=AccountStatus(form.status.data))
        apply_user_form(user, form)
        password = form.password.data or generate_temporary_password()
        user.set_password(password)
        user.must_change_password = not form.password.data
        db.session.add(user)
        record("user.create", user, f"เพิ่มผู้ใช้ {user.username} ({user.role.label})")
        db.session.commit()
        if form.password.data:
            flash(f"เพิ่มผู้ใช้ {user.full_name} เรียบร้อยแล้ว", "success")
        else:
            flash(
                f"เพิ่มผู้ใช้ {user.full_name} เรียบร้อยแล้ว รหัสผ่านชั่วคราว: {password} "
                "(แจ้งผู้ใช้ และผู้ใช้ต้องเปลี่ยนรหัสผ่านเมื่อเข้าสู่ระบบครั้งแรก)",
                "success",
            )
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = _get_or_404(User, user_id)
    form = UserForm(obj=user, editing=user)
    if not form.is_submitted():
        form.role.data = user.role.value
        form.status.data = user.status.value
        form.school_id.data = user.school_id or 0
        form.learning_area_ids.data = [a.id for a in user.learning_areas]
        form.network_ids.data = [n.id for n in user.responsible_networks]
        form.responsible_school_ids.data = [s.id for s in user.responsible_schools]
    if form.validate_on_submit():
        if user.id == current_user.id and Role(form.role.data) != Role.ADMIN:
            flash("ไม่สามารถลดสิทธิ์ผู้ดูแลระบบของบัญชีตนเองได้", "danger")
            return render_template("admin/user_form.html", form=form, user=user)
        apply_user_form(user, form)
        new_status = AccountStatus(form.status.data)
        if new_status != user.status and user.id != current_user.id:
            set_status(user, new_status)
        if form.password.data:
            user.set_password(form.password.data)
        record("user.update", user, f"แก้ไขผู้ใช้ {user.username}")
        db.session.commit()
        flash("บันทึกข้อมูลผู้ใช้เรียบร้อยแล้ว", "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.post("/users/<int:user_id>/approve")
def user_approve(user_id: int):
    user = _get_or_404(User, user_id)
    if user.status != AccountStatus.PENDING:
        flash("บัญชีนี้ไม่ได้อยู่ในสถานะรออนุมัติ", "warning")
    else:
        approve_user(user, current_user)
        db.session.commit()
        flash(f"อนุมัติบัญชี {user.full_name} เรียบร้อยแล้ว", "success")
    return redirect(request.referrer or url_for("admin.users", status="pending"))


@bp.post("/users/<int:user_id>/reject")
def user_reject(user_id: int):
    user = _get_or_404(User, user_id)
    if user.status == AccountStatus.PENDING:
        set_status(user, AccountStatus.REJECTED)
        record("user.reject", user, f"ไม่อนุมัติบัญชี {user.username}")
        db.session.commit()
        flash(f"ไม่อนุมัติบัญชี {user.full_name}", "info")
    return redirect(request.referrer or url_for("admin.users", status="pending"))


@bp.post("/users/<int:user_id>/deactivate")
def user_deactivate(user_id: int):
    user = _get_or_404(User, user_id)
    if user.id == current_user.id:
        flash("ไม่สามารถระงับบัญชีของตนเองได้", "danger")
    else:
        set_status(user, AccountStatus.DEACTIVATED)
        record("user.deactivate", user, f"ระงับการใช้งาน {user.username}")
        db.session.commit()
        flash(f"ระงับการใช้งานบัญชี {user.full_name} แล้ว", "info")
    return redirect(request.referrer or url_for("admin.users"))


@bp.post("/users/<int:user_id>/reactivate")
def user_reactivate(user_id: int):
    user = _get_or_404(User, user_id)
    set_status(user, AccountStatus.ACTIVE)
    record("user.reactivate", user, f"เปิดใช้งาน {user.username} อีกครั้ง")
    db.session.commit()
    flash(f"เปิดใช้งานบัญชี {user.full_name} แล้ว", "success")
    return redirect(request.referrer or url_for("admin.users"))


@bp.route("/users/<int:user_id>/reset-password", methods=["GET", "POST"])
def user_reset_password(user_id: int):
    user = _get_or_404(User, user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        password = form.new_password.data or generate_temporary_password()
        user.set_password(password)
        user.must_change_password = True
        record("user.reset_password", user, f"ตั้งรหัสผ่านใหม่ให้ {user.username}")
        db.session.commit()
        return render_template("admin/password_issued.html", user=user, password=password)
    return render_template("admin/reset_password.html", form=form, user=user)


# Schools --------------------------------------------------------------------------------------
@bp.get("/schools")
def schools():
    query = select(School).order_by(School.name)
    search = request.args.get("q", "").strip()
    network_id = request.args.get("network", 0, type=int)
    if search:
        query = query.where(or_(School.name.contains(search), School.code.contains(search)))
    if network_id:
        query = query.where(School.network_id == network_id)
    pagination = db.paginate(query, page=_page(), per_page=current_app.config["ITEMS_PER_PAGE"])
    networks = db.session.scalars(select(Network).order_by(Network.name)).all()
    return render_template(
        "admin/schools.html",
        pagination=pagination,
        networks=networks,
        search=search,
        network_id=network_id,
    )


def _apply_school_form(school: School, form: SchoolForm) -> None:
    school.code = form.code.data.strip()
    school.name = form.name.data.strip()
    school.district = (form.district.data or "").strip()
    school.subdistrict = (form.subdistrict.data or "").strip()
    school.province = (form.province.data or "").strip()
    school.size = SchoolSize(form.size.data) if form.size.data else None
    school.network_id = form.network_id.data or None
    school.director_name = (form.director_name.data or "").strip()
    school.phone = (form.phone.data or "").strip()
    school.is_active = form.is_active.data


@bp.route("/schools/new", methods=["GET", "POST"])
def school_new():
    form = SchoolForm()
    if form.validate_on_submit():
        school = School()
        _apply_school_form(school, form)
        db.session.add(school)
        record("school.create", school, f"เพิ่มโรงเรียน {school.name}")
        db.session.commit()
        flash(f"เพิ่ม{school.name}เรียบร้อยแล้ว", "success")
        return redirect(url_for("admin.schools"))
    return render_template("admin/school_form.html", form=form, school=None)


@bp.route("/schools/<int:school_id>/edit", methods=["GET", "POST"])
def school_edit(school_id: int):
    school = _get_or_404(School, school_id)
    form = SchoolForm(obj=school, editing=school)
    if not form.is_submitted():
        form.size.data = school.size.value if school.size else ""
        form.network_id.data = school.network_id or 0
    if form.validate_on_submit():
        _apply_school_form(school, form)
        record("school.update", school, f"แก้ไขโรงเรียน {school.name}")
        db.session.commit()
        flash("บันทึกข้อมูลโรงเรียนเรียบร้อยแล้ว", "success")
        return redirect(url_for("admin.schools"))
    return render_template("admin/school_form.html", form=form, school=school)


# Networks -------------------------------------------------------------------------------------
@bp.get("/networks")
def networks():
    rows = db.session.execute(
        select(Network, func.count(School.id))
        .outerjoin(School, School.network_id == Network.id)
        .group_by(Network.id)
        .order_by(Network.name)
    ).all()
    return render_template("admin/networks.html", rows=rows)


@bp.route("/networks/new", methods=["GET", "POST"])
@bp.route("/networks/<int:network_id>/edit", methods=["GET", "POST"])
def network_form(network_id: int | None = None):
    network = _get_or_404(Network, network_id) if network_id else None
    form = NetworkForm(obj=network, editing=network)
    if form.validate_on_submit():
        creating = network is None
        network = network or Network()
        network.name = form.name.data.strip()
        network.description = (form.description.data or "").strip()
        db.session.add(network)
        record(
            "network.create" if creating else "network.update", network, f"เครือข่าย {network.name}"
        )
        db.session.commit()
        flash("บันทึกกลุ่มเครือข่ายเรียบร้อยแล้ว", "success")
        return redirect(url_for("admin.networks"))
    return render_template("admin/network_form.html", form=form, network=network)


@bp.post("/networks/<int:network_id>/delete")
def network_delete(network_id: int):
    network = _get_or_404(Network, network_id)
    if network.schools:
        flash("ลบไม่ได้: ยังมีโรงเรียนในกลุ่มเครือข่ายนี้ กรุณาย้ายโรงเรียนก่อน", "danger")
    else:
        record("network.delete", network, f"ลบเครือข่าย {network.name}")
        db.session.delete(network)
        db.session.commit()
        flash("ลบกลุ่มเครือข่ายเรียบร้อยแล้ว", "info")
    return redirect(url_for("admin.networks"))


# Learning areas -------------------------------------------------------------------------------
@bp.get("/learning-areas")
def learning_areas():
    areas = db.session.scalars(select(LearningArea).order_by(LearningArea.sort_order)).all()
    return render_template("admin/learning_areas.html", areas=areas)


@bp.route("/learning-areas/new", methods=["GET", "POST"])
@bp.route("/learning-areas/<int:area_id>/edit", methods=["GET", "POST"])
def learning_area_form(area_id: int | None = None):
    area = _get_or_404(LearningArea, area_id) if area_id else None
    form = LearningAreaForm(obj=area, editing=area)
    if form.validate_on_submit():
        creating = area is None
        area = area or LearningArea()
        area.code = form.code.data
        area.name = form.name.data.strip()
        area.sort_order = form.sort_order.data or 0
        area.is_active = form.is_active.data
        db.session.add(area)
        record(
            "learning_area.create" if creating else "learning_area.update",
            area,
            f"กลุ่มสาระ {area.name}",
        )
        db.session.commit()
        flash("บันทึกกลุ่มสาระการเรียนรู้เรียบร้อยแล้ว", "success")
        return redirect(url_for("admin.learning_areas"))
    return render_template("admin/learning_area_form.html", form=form, area=area)


# Office ---------------------------------------------------------------------------------------
@bp.route("/office", methods=["GET", "POST"])
def office_settings():
    office = Office.current() or Office(name="", abbreviation="")
    form = OfficeForm(obj=office)
    if form.validate_on_submit():
        form.populate_obj(office)
        db.session.add(office)
        record("office.update", office, "แก้ไขข้อมูลสำนักงาน")
        db.session.commit()
        flash("บันทึกข้อมูลสำนักงานเรียบร้อยแล้ว", "success")
        return redirect(url_for("admin.office_settings"))
    return render_template("admin/office.html", form=form)


# Imports --------------------------------------------------------------------------------------
IMPORT_KINDS = {
    "schools": ("โรงเรียน", SCHOOL_COLUMNS, SCHOOL_OPTIONAL_COLUMNS),
    "users": ("ผู้ใช้", USER_COLUMNS, USER_OPTIONAL_COLUMNS),
}
TEMPLATE_ROWS = {
    "schools": [
        [
            "code",
            "name",
            "district",
            "subdistrict",
            "province",
            "size",
            "network",
            "director",
            "phone",
        ],
        [
            "1093350099",
            "โรงเรียนบ้านตัวอย่าง",
            "ป่าบอน",
            "ป่าบอน",
            "พัทลุง",
            "เล็ก",
            "กลุ่มเครือข่ายป่าบอน",
            "นายสมชาย ใจดี",
            "074-000000",
        ],
    ],
    "users": [
        [
            "username",
            "email",
            "title",
            "first_name",
            "last_name",
            "role",
            "school_code",
            "position",
            "academic_rank",
            "phone",
            "password",
            "learning_areas",
        ],
        [
            "somsri.k",
            "somsri@example.ac.th",
            "นางสาว",
            "สมศรี",
            "ขยันสอน",
            "ครู",
            "1093350099",
            "ครู",
            "ชำนาญการ",
            "",
            "",
            "ภาษาไทย;คณิตศาสตร์",
        ],
    ],
}


@bp.route("/import/<kind>", methods=["GET", "POST"])
def import_data(kind: str):
    if kind not in IMPORT_KINDS:
        abort(404)
    label, required, optional = IMPORT_KINDS[kind]
    form = ImportForm()
    report = issued = None
    file_error = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            rows = read_table(
                upload.stream,
                upload.filename,
                required,
                max_rows=current_app.config["IMPORT_MAX_ROWS"],
            )
        except TableFileError as error:
            file_error = str(error)
        else:
            if kind == "schools":
                report = import_schools(rows)
            else:
                report, issued = import_users(rows)
            db.session.commit()
            flash(
                f"นำเข้า{label}สำเร็จ {report.accepted} แถว ไม่ผ่าน {len(report.errors)} แถว",
                "success" if not report.errors else "warning",
            )
    elif form.is_submitted():
        file_error = "; ".join(form.file.errors) or None
    return render_template(
        "admin/import.html",
        form=form,
        kind=kind,
        label=label,
        required=required,
        optional=optional,
        report=report,
        issued=issued,
        file_error=file_error,
    )


@bp.get("/import/<kind>/template.csv")
def import_template(kind: str):
    if kind not in TEMPLATE_ROWS:
        abort(404)
    return Response(
        csv_bytes(TEMPLATE_ROWS[kind]),
        mimetype=CSV_MIMETYPE,
        headers={"Content-Disposition": f"attachment; filename=nitet-{kind}-template.csv"},
    )


# Features ---------------------------------------------------------------------------------------
@bp.get("/features")
def features():
    """What each enabled feature plugs into (the same list as `flask --app wsgi features`)."""
    from nitet_online.plugins import describe_features

    return render_template("admin/features.html", features=describe_features(current_app))


# Audit log ------------------------------------------------------------------------------------
@bp.get("/audit")
def audit_log():
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    action = request.args.get("action", "")
    if action:
        query = query.where(AuditEntry.action == action)
    pagination = db.paginate(query, page=_page(), per_page=50)
    return render_template(
        "admin/audit.html", pagination=pagination, action=action, actions=action_labels()
    )
