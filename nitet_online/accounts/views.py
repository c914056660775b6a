"""Log in, log out, register, change password and own profile, under /auth."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from nitet_online.accounts.demo_access import demo_login_refusal
from nitet_online.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
)
from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.accounts.services import authenticate, register_user, safe_next_url
from nitet_online.extensions import db, limiter, login_manager
from nitet_online.privacy.services import record_consent
from nitet_online.services.permissions import login_required
from nitet_online.uploads.models import IMAGE
from nitet_online.uploads.services import UploadError, save_upload

bp = Blueprint("accounts", __name__, url_prefix="/auth")

# Endpoints a user who must change the password may still reach.
PASSWORD_CHANGE_EXEMPT = {"accounts.change_password", "accounts.logout", "static", "core.healthz"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The session stores "id:token"; a rotated token (password change, deactivation) logs out."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.session_token != token or user.status != AccountStatus.ACTIVE:
        return None
    return user


@bp.before_app_request
def force_password_change():
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in PASSWORD_CHANGE_EXEMPT
    ):
        flash("กรุณาตั้งรหัสผ่านใหม่ก่อนใช้งานต่อ", "warning")
        return redirect(url_for("accounts.change_password"))
    return None


def _login_rate_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _register_rate_limit() -> str:
    return current_app.config["RATELIMIT_REGISTER"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        refusal = demo_login_refusal(form.password.data)  # the public demo password, on a network
        if refusal:
            flash(refusal, "danger")
            form.password.data = ""
            return render_template("accounts/login.html", form=form), 403
        result = authenticate(form.login.data, form.password.data)
        if result.user is None:
            flash(result.error, "danger")
            form.password.data = ""
            return render_template("accounts/login.html", form=form), 200
        next_url = safe_next_url(request.args.get("next"))
        # A fresh session on login: nothing an attacker planted before survives.
        session.clear()
        login_user(result.user, remember=form.remember.data)
        flash(f"ยินดีต้อนรับ {result.user.full_name}", "success")
        return redirect(next_url or url_for("core.home"))
    return render_template("accounts/login.html", form=form)


@bp.get("/logout")
def logout_confirm():
    if not current_user.is_authenticated:
        return redirect(url_for("core.home"))
    return render_template("accounts/logout.html")


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash("ออกจากระบบเรียบร้อยแล้ว", "info")
    return redirect(url_for("core.home"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_rate_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = RegistrationForm()
    if form.validate_on_submit():
        user = register_user(
            username=form.username.data,
            email=form.email.data,
            password=form.password.data,
            title=form.title.data,
            first_name=form.first_name.data,
            last_name=form.last_name.data,
            role=Role(form.role.data),
            school_id=form.school_id.data,
            position=form.position.data or "",
            phone=form.phone.data or "",
        )
        record_consent(user)  # the consent box is required: when, and to which notice version
        db.session.commit()
        flash(
            "สมัครสมาชิกเรียบร้อยแล้ว บัญชีจะใช้งานได้เมื่อผู้ดูแลระบบอนุมัติ",
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append("รหัสผ่านปัจจุบันไม่ถูกต้อง")
        else:
            current_user.set_password(form.new_password.data)
            current_user.must_change_password = False
            db.session.commit()
            # The token rotated, so log in again under the new one (other devices are logged out).
            login_user(current_user, fresh=True)
            flash("เปลี่ยนรหัสผ่านเรียบร้อยแล้ว", "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    user: User = current_user._get_current_object()
    form = ProfileForm(obj=user, user=user)
    if form.validate_on_submit() and _save_avatar(form, user):
        user.title = form.title.data
        user.first_name = form.first_name.data.strip()
        user.last_name = form.last_name.data.strip()
        user.email = form.email.data.strip().lower()
        user.position = (form.position.data or "").strip()
        user.phone = (form.phone.data or "").strip()
        user.line_id = (form.line_id.data or "").strip()
        db.session.commit()
        flash("บันทึกข้อมูลส่วนตัวเรียบร้อยแล้ว", "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, user=user)


def _save_avatar(form: ProfileForm, user: User) -> bool:
    """Stores a newly chosen photo; on a refused file the form shows why and nothing is saved."""
    if not form.avatar.data or not form.avatar.data.filename:
        return True
    try:
        user.avatar = save_upload(form.avatar.data, user.id, accept={IMAGE})
    except UploadError as error:
        form.avatar.errors = [str(error)]
        return False
    return True
