"""Administration logic: bulk imports of schools and users, and applying the user form."""

from __future__ import annotations

import re

from blinker import Namespace
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import func, select

from nitet_online.accounts.models import (
    AccountStatus,
    Role,
    User,
    role_from_text,
)
from nitet_online.accounts.services import generate_temporary_password
from nitet_online.audit.services import record
from nitet_online.extensions import db
from nitet_online.org.models import LearningArea, Network, School, school_size_from_text
from nitet_online.services.forms import USERNAME_PATTERN, password_problem
from nitet_online.services.tabular import ImportReport, Row

SCHOOL_COLUMNS = ("code", "name")
SCHOOL_OPTIONAL_COLUMNS = (
    "district",
    "subdistrict",
    "province",
    "size",
    "network",
    "director",
    "phone",
)
USER_COLUMNS = ("username", "email", "first_name", "last_name", "role")
USER_OPTIONAL_COLUMNS = (
    "title",
    "school_code",
    "position",
    "academic_rank",
    "phone",
    "password",
    "learning_areas",
)
SCHOOL_CODE = re.compile(r"^\d{6,10}$")


def pending_count() -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(User.status == AccountStatus.PENDING)
    )


def _network_by_name(name: str, cache: dict[str, Network]) -> Network:
    key = name.strip().lower()
    if key not in cache:
        network = db.session.scalar(select(Network).where(func.lower(Network.name) == key))
        if network is None:
            network = Network(name=name.strip())
            db.session.add(network)
        cache[key] = network
    return cache[key]


def import_schools(rows: list[Row]) -> ImportReport:
    """Creates schools, or updates the school with the same code; a network named in the file is
    created when missing. Bad rows are reported by line and the rest are kept."""
    report = ImportReport()
    networks: dict[str, Network] = {}
    seen_codes: set[str] = set()
    for row in rows:
        code, name = row.get("code"), row.get("name")
        problems = []
        if not SCHOOL_CODE.match(code):
            problems.append("รหัสโรงเรียนต้องเป็นตัวเลข 6–10 หลัก")
        if not name:
            problems.append("ไม่มีชื่อโรงเรียน")
        elif len(name) > 255:
            problems.append("ชื่อโรงเรียนยาวเกิน 255 ตัวอักษร")
        size = None
        if row.get("size"):
            size = school_size_from_text(row.get("size"))
            if size is None:
                problems.append(
                    f"ขนาดโรงเรียน '{row.get('size')}' ไม่ถูกต้อง (ใช้ เล็ก กลาง ใหญ่ ใหญ่พิเศษ)"
                )
        if code in seen_codes:
            problems.append(f"รหัสโรงเรียน {code} ซ้ำกับแถวก่อนหน้าในไฟล์")
        if problems:
            report.reject(row.line, "; ".join(problems))
            continue
        seen_codes.add(code)
        with db.session.begin_nested():
            school = db.session.scalar(select(School).where(School.code == code))
            if school is None:
                school = School(code=code, name=name)
                db.session.add(school)
                report.created += 1
            else:
                school.name = name
                report.updated += 1
            for column, attribute in (
                ("district", "district"),
                ("subdistrict", "subdistrict"),
                ("province", "province"),
                ("director", "director_name"),
                ("phone", "phone"),
            ):
                if row.get(column):
                    setattr(school, attribute, row.get(column))
            if size:
                school.size = size
            if row.get("network"):
                school.network = _network_by_name(row.get("network"), networks)
    record(
        "school.import",
        summary=(
            f"นำเข้าโรงเรียน เพิ่ม {report.created} แก้ไข {report.updated} ไม่ผ่าน {len(report.errors)}"
        ),
    )
    return report


def import_users(rows: list[Row]) -> tuple[ImportReport, list[tuple[str, str]]]:
    """Creates active accounts. A row without a password gets a temporary one that must be changed
    at first login; those are returned (username, password) for the admin to hand out once."""
    report = ImportReport()
    issued: list[tuple[str, str]] = []
    schools = {s.code: s for s in db.session.scalars(select(School))}
    areas = {a.name: a for a in db.session.scalars(select(LearningArea))}
    areas.update({a.code: a for a in areas.values()})
    seen_usernames: set[str] = set()
    seen_emails: set[str] = set()
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    for row in rows:
        problems: list[str] = []
        username = row.get("username")
        email = row.get("email").lower()
        if not USERNAME_PATTERN.match(username):
            problems.append("ชื่อผู้ใช้ต้องเป็นภาษาอังกฤษ ตัวเลข . _ - ยาว 3–64 ตัว")
        elif username.lower() in seen_usernames or User.username_taken(username):
            problems.append(f"ชื่อผู้ใช้ {username} มีอยู่แล้ว")
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            problems.append(f"อีเมล '{email}' ไม่ถูกต้อง")
        else:
            if email in seen_emails or User.email_taken(email):
                problems.append(f"อีเมล {email} มีผู้ใช้แล้ว")
        if not row.get("first_name") or not row.get("last_name"):
            problems.append("ต้องมีชื่อและนามสกุล")
        role = role_from_text(row.get("role"))
        if role is None:
            problems.append(f"บทบาท '{row.get('role')}' ไม่ถูกต้อง")
        school = None
        if row.get("school_code"):
            school = schools.get(row.get("school_code"))
            if school is None:
                problems.append(f"ไม่พบโรงเรียนรหัส {row.get('school_code')}")
        elif role in (Role.TEACHER, Role.SCHOOL_DIRECTOR):
            problems.append("ครูและผู้บริหารสถานศึกษาต้องมีรหัสโรงเรียน (school_code)")
        password = row.get("password")
        if password and (problem := password_problem(password, min_length)):
            problems.append(problem)
        chosen_areas = []
        for name in filter(None, (part.strip() for part in row.get("learning_areas").split(";"))):
            if name not in areas:
                problems.append(f"ไม่พบกลุ่มสาระ '{name}'")
            else:
                chosen_areas.append(areas[name])
        if problems:
            report.reject(row.line, "; ".join(problems))
            continue
        seen_usernames.add(username.lower())
        seen_emails.add(email)
        with db.session.begin_nested():
            user = User(
                username=username,
                email=email,
                title=row.get("title"),
                first_name=row.get("first_name"),
                last_name=row.get("last_name"),
                role=role,
                school=school,
                position=row.get("position"),
                academic_rank=row.get("academic_rank"),
                phone=row.get("phone"),
                status=AccountStatus.ACTIVE,
            )
            if not password:
                password = generate_temporary_password()
                user.must_change_password = True
                issued.append((username, password))
            user.set_password(password)
            user.learning_areas = chosen_areas
            db.session.add(user)
            report.created += 1
    record(
        "user.import",
        summary=f"นำเข้าผู้ใช้ เพิ่ม {report.created} ไม่ผ่าน {len(report.errors)}",
    )
    return report, issued


def apply_user_form(user: User, form) -> None:
    """Copies the admin user form into the user, responsibilities included."""
    user.title = form.title.data
    user.first_name = form.first_name.data.strip()
    user.last_name = form.last_name.data.strip()
    user.username = form.username.data.strip()
    user.email = form.email.data.strip().lower()
    user.role = Role(form.role.data)
    user.school_id = form.school_id.data or None
    user.position = (form.position.data or "").strip()
    user.academic_rank = form.academic_rank.data or ""
    user.phone = (form.phone.data or "").strip()
    user.line_id = (form.line_id.data or "").strip()
    if user.role == Role.SUPERVISOR:
        user.learning_areas = _by_ids(LearningArea, form.learning_area_ids.data)
        user.responsible_networks = _by_ids(Network, form.network_ids.data)
        user.responsible_schools = _by_ids(School, form.responsible_school_ids.data)
    else:
        user.learning_areas, user.responsible_networks, user.responsible_schools = [], [], []


def _by_ids(model, ids: list[int]) -> list:
    if not ids:
        return []
    return list(db.session.scalars(select(model).where(model.id.in_(ids))))


# Sent by set_status(user, status=...); chat disconnects a deactivated account's live sockets.
account_status_changed = Namespace().signal("account-status-changed")


def set_status(user: User, status: AccountStatus) -> None:
    """Deactivation also rotates the session token, which logs the user out everywhere."""
    user.status = status
    if status != AccountStatus.ACTIVE:
        user.rotate_session_token()
    account_status_changed.send(user, status=status)
