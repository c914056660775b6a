"""สถิติ: the office dashboard (/stats, directors and admins), a supervisor's own dashboard
(/stats/me), the printable report, Excel/CSV exports and GET /api/v1/stats/summary."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from nitet_online.accounts.models import Role
from nitet_online.services.permissions import (
    MANAGER_ROLES,
    SUPERVISING_ROLES,
    roles_required,
    user_has_role,
)
from nitet_online.services.thai import today_bangkok
from nitet_online.stats import dashboard, exports
from nitet_online.stats.services import (
    Period,
    PeriodError,
    parse_period,
    public_counters,
    recent_academic_years,
    recent_fiscal_years,
    view_count,
)
from nitet_online.stats.tracking import (
    ViewRecorder,
    flush_after_request,
    track_page_after_request,
)

bp = Blueprint("stats", __name__)


@bp.record_once
def _set_up(state) -> None:
    app = state.app
    app.extensions["stats_recorder"] = ViewRecorder(app)
    app.after_request(track_page_after_request)
    app.teardown_request(flush_after_request)
    app.jinja_env.globals["view_count"] = view_count


def home_counters() -> dict:
    """The visitor counters at the foot of the home page (declared in the feature's setup)."""
    return {"visitor_counters": public_counters()}


def _period_or_400(api: bool = False) -> Period:
    try:
        return parse_period(request.args, api=api)
    except PeriodError as error:
        abort(400, description=str(error))


def _period_choices() -> dict:
    return {"fiscal_years": recent_fiscal_years(), "academic_years": recent_academic_years()}


@bp.get("/stats")
@roles_required(*SUPERVISING_ROLES)
def index():
    if current_user.role == Role.SUPERVISOR:
        return redirect(url_for("stats.mine"))
    period = _period_or_400()
    computed = dashboard.compute_all(period)
    return render_template(
        "stats/dashboard.html", period=period, computed=computed, **_period_choices()
    )


@bp.get("/stats/report")
@roles_required(*MANAGER_ROLES)
def report():
    period = _period_or_400()
    computed = dashboard.compute_all(period)
    return render_template("stats/report.html", period=period, computed=computed)


@bp.get("/stats/export.<fmt>")
@roles_required(*MANAGER_ROLES)
def export(fmt: str):
    if fmt not in ("xlsx", "csv"):
        abort(404)
    period = _period_or_400()
    computed = dashboard.compute_all(period)
    key = request.args.get("table", "")
    if key:
        table = dashboard.find_table(computed, key)
        if table is None:
            abort(404, description="ไม่พบตารางที่ต้องการส่งออก")
        tables = [table]
    elif fmt == "csv":
        abort(400, description="กรุณาเลือกตารางที่ต้องการส่งออกเป็น CSV")
    else:
        tables = dashboard.all_tables(computed)
    name = (
        f"nitet-stats-{period.start.isoformat()}-{period.end.isoformat()}{'-' + key if key else ''}"
    )
    if fmt == "csv":
        body, mimetype = exports.csv_bytes(tables[0]), "text/csv; charset=utf-8"
    else:
        heading = ["สถิติและตัวชี้วัด นิเทศ Online", period.label]
        body, mimetype = exports.workbook_bytes(tables, heading), exports.XLSX_MIMETYPE
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@bp.get("/stats/me")
@roles_required(*SUPERVISING_ROLES)
def mine():
    today = today_bangkok()
    days = request.args.get("days", type=int)
    if days in (7, 30, 90, 365):
        period = dashboard.recent_period(days, today)
    elif request.args:
        period = _period_or_400()
    else:
        days = 30
        period = dashboard.recent_period(days, today)
    data = dashboard.supervisor_dashboard(current_user.id, period.start, period.end)
    return render_template(
        "stats/mine.html", period=period, data=data, days=days, **_period_choices()
    )


@bp.get("/api/v1/stats/summary")
def summary_api():
    if not user_has_role(*MANAGER_ROLES):
        abort(403, description="เฉพาะผู้อำนวยการและผู้ดูแลระบบเท่านั้นที่ดูตัวชี้วัดได้")
    period = _period_or_400(api=True)
    return jsonify(dashboard.summary_json(period, dashboard.compute_all(period)))
