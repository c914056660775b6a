"""Log in, log out, register, change password and own profile, under /auth."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, logout_user
from sqlalchemy.exc import IntegrityError

from nitet_online.accounts import sessions
from nitet_online.accounts.demo_access import demo_login_refusal
from nitet_online.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
)
from nitet_online.accounts.models import Role, User
from nitet_online.accounts.services import authenticate, register_user, safe_next_url
from nitet_online.audit.services import record
from nitet_online.extensions import db, limiter, login_manager
from nitet_online.privacy.services import record_consent
from nitet_online.services.permissions import login_required
from nitet_online.uploads.models import IMAGE
from nitet_online.uploads.services import UploadError, save_upload

bp = Blueprint("accounts", __name__, url_prefix="/auth")

# Endpoints a user who must change the password may still reach.
PASSWORD_CHANGE_EXEMPT = {
    "accounts.change_password",
    "accounts.logout",
    "accounts.logout_everywhere",
    "static",
    "core.healthz",
}
# One answer whether the username, the e-mail address or both are taken (see register()).
REGISTRATION_CLASH = (
    "ไม่สามารถสมัครด้วยชื่อผู้ใช้หรืออีเมลนี้ได้ กรุณาเลือกชื่อผู้ใช้อื่น "
    "หากท่านเคยสมัครไว้แล้ว ให้เข้าสู่ระบบด้วยบัญชีเดิม หรือติดต่อผู้ดูแลระบบหากลืมรหัสผ่าน"
)


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """The session and the remember cookie name one login; an ended one logs nobody in."""
    return sessions.user_for(identity)


@bp.after_app_request
def no_store_for_logged_in(response):
    """Pages made for a logged-in person stay out of the browser's cache and any proxy's, so the
    next person at a shared computer cannot page back through them after logout. Responses that
    chose their own caching (files, exports) keep it. The user is the one this request already
    loaded (force_password_change does for every request): no second look-up, none that could
    fail after an error page."""
    user = g.get("_login_user")
    if (
        user is not None
        and user.is_authenticated
        and request.endpoint != "static"
        and "Cache-Control" not in response.headers
    ):
        response.headers["Cache-Control"] = "no-store"
    return response


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
        result = authenticate(form.login.data, form.password.data, request.remote_addr)
        if result.user is None:
            flash(result.error, "danger")
            form.password.data = ""
            if result.retry_after:
                page = render_template("accounts/login.html", form=form)
                return page, 429, {"Retry-After": str(result.retry_after)}
            return render_template("accounts/login.html", form=form), 200
        next_url = safe_next_url(request.args.get("next"))
        # A fresh session on login: nothing an attacker planted before survives.
        session.clear()
        sessions.start(result.user, remember=bool(form.remember.data))
        db.session.commit()
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
    """Ends this device's login on the server (copies of its cookies stop working, its live
    connections close) and deletes the remember cookie."""
    if current_user.is_authenticated:
        sessions.end(current_user._get_current_object())
        db.session.commit()
    _forget_login()
    flash("ออกจากระบบเรียบร้อยแล้ว", "info")
    return redirect(url_for("core.home"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    """Ends every login of the account: the computer in the staff room one forgot, the phone,
    this device too."""
    user: User = current_user._get_current_object()
    sessions.end_all(user)
    record("account.logout_everywhere", user, f"{user.username} ออกจากระบบทุกอุปกรณ์")
    db.session.commit()
    _forget_login()
    flash("ออกจากระบบจากทุกอุปกรณ์แล้ว", "info")
    return redirect(url_for("core.home"))


def _forget_login() -> None:
    """Flask-Login's logout, a fresh session, and the remember cookie deleted in this response
    (session["_remember"] = "clear" is Flask-Login's instruction to do so; clearing the session
    after logout_user() had dropped it)."""
    logout_user()
    session.clear()
    session["_remember"] = "clear"


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_rate_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = RegistrationForm()
    if form.validate_on_submit():
        # Whether a username or an e-mail address is registered is said in one message for both,
        # only once everything else is right, at most as often as the rate limit allows.
        if User.username_taken(form.username.data) or User.email_taken(form.email.data):
            return _registration_clash(form)
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
        try:
            db.session.commit()
        except IntegrityError:  # the same name registered at the same moment
            db.session.rollback()
            return _registration_clash(form)
        flash(
            "สมัครสมาชิกเรียบร้อยแล้ว บัญชีจะใช้งานได้เมื่อผู้ดูแลระบบอนุมัติ",
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form)


def _registration_clash(form: RegistrationForm):
    flash(REGISTRATION_CLASH, "danger")
    return render_template("accounts/register.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append("รหัสผ่านปัจจุบันไม่ถูกต้อง")
        else:
            user: User = current_user._get_current_object()
            remembered = bool(user.current_login and user.current_login.remember)
            user.set_password(form.new_password.data)  # ends every login, this one too
            user.must_change_password = False
            sessions.start(user, remember=remembered)  # a new login for this device only
            db.session.commit()
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
    return render_template(
        "accounts/profile.html", form=form, user=user, logins=sessions.active_count(user)
    )


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
