"""Forms of the account pages: log in, register, change password, own profile."""

from __future__ import annotations

from flask import current_app
from flask_wtf.file import FileField
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from nitet_online.accounts.models import SELF_REGISTER_ROLES, User
from nitet_online.org.models import active_schools
from nitet_online.org.reference import TITLES
from nitet_online.services.forms import (
    ThaiForm,
    password_problem,
    validate_phone_text,
    validate_username_text,
)

REQUIRED = "กรุณากรอกข้อมูลช่องนี้"


def title_choices() -> list[tuple[str, str]]:
    return [("", "— ไม่ระบุ —"), *[(title, title) for title in TITLES]]


def school_choices(blank_label: str = "— เลือกโรงเรียน —") -> list[tuple[int, str]]:
    return [(0, blank_label), *[(school.id, school.name) for school in active_schools()]]


class StrongPassword:
    """The password policy, with the minimum length from the configuration."""

    def __call__(self, form, field) -> None:
        problem = password_problem(field.data or "", current_app.config["PASSWORD_MIN_LENGTH"])
        if problem:
            raise ValidationError(problem)


class LoginForm(ThaiForm):
    login = StringField("ชื่อผู้ใช้หรืออีเมล", validators=[DataRequired(REQUIRED), Length(max=255)])
    password = PasswordField("รหัสผ่าน", validators=[DataRequired("กรุณากรอกรหัสผ่าน")])
    remember = BooleanField("จดจำการเข้าสู่ระบบในเครื่องนี้")


class PersonNameFields(ThaiForm):
    title = SelectField("คำนำหน้า", choices=[], validate_choice=False)
    first_name = StringField("ชื่อ", validators=[DataRequired(REQUIRED), Length(max=100)])
    last_name = StringField("นามสกุล", validators=[DataRequired(REQUIRED), Length(max=100)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.title.choices = title_choices()

    def validate_title(self, field) -> None:
        if field.data and len(field.data) > 50:
            raise ValidationError("คำนำหน้ายาวเกินไป")


class RegistrationForm(PersonNameFields):
    username = StringField(
        "ชื่อผู้ใช้ (ภาษาอังกฤษ)",
        validators=[DataRequired(REQUIRED), validate_username_text],
    )
    email = StringField(
        "อีเมล", validators=[DataRequired(REQUIRED), Email("รูปแบบอีเมลไม่ถูกต้อง"), Length(max=255)]
    )
    role = SelectField(
        "สถานะ",
        choices=[(role.value, role.label) for role in SELF_REGISTER_ROLES],
    )
    school_id = SelectField("โรงเรียน", coerce=int, choices=[])
    position = StringField("ตำแหน่ง", validators=[Optional(), Length(max=255)])
    phone = StringField("โทรศัพท์", validators=[Optional(), validate_phone_text])
    password = PasswordField("รหัสผ่าน", validators=[DataRequired("กรุณาตั้งรหัสผ่าน"), StrongPassword()])
    confirm = PasswordField(
        "ยืนยันรหัสผ่าน",
        validators=[DataRequired("กรุณายืนยันรหัสผ่าน"), EqualTo("password", "รหัสผ่านทั้งสองช่องไม่ตรงกัน")],
    )
    consent = BooleanField(
        "ข้าพเจ้ายินยอมให้เก็บและใช้ข้อมูลส่วนบุคคลตามประกาศความเป็นส่วนตัว",
        validators=[DataRequired("กรุณาให้ความยินยอมก่อนสมัครสมาชิก")],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.school_id.choices = school_choices()

    # Whether the username or the e-mail address is taken is checked by the view, once the rest
    # is valid, with one message for both (accounts.views.register).

    def validate_school_id(self, field) -> None:
        if not field.data:
            raise ValidationError("กรุณาเลือกโรงเรียนที่สังกัด")


class ChangePasswordForm(ThaiForm):
    current_password = PasswordField(
        "รหัสผ่านปัจจุบัน", validators=[DataRequired("กรุณากรอกรหัสผ่านปัจจุบัน")]
    )
    new_password = PasswordField(
        "รหัสผ่านใหม่", validators=[DataRequired("กรุณาตั้งรหัสผ่านใหม่"), StrongPassword()]
    )
    confirm = PasswordField(
        "ยืนยันรหัสผ่านใหม่",
        validators=[
            DataRequired("กรุณายืนยันรหัสผ่านใหม่"),
            EqualTo("new_password", "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน"),
        ],
    )


class ProfileForm(PersonNameFields):
    avatar = FileField("รูปประจำตัว (JPG หรือ PNG)")
    email = StringField(
        "อีเมล", validators=[DataRequired(REQUIRED), Email("รูปแบบอีเมลไม่ถูกต้อง"), Length(max=255)]
    )
    position = StringField("ตำแหน่ง", validators=[Optional(), Length(max=255)])
    phone = StringField("โทรศัพท์", validators=[Optional(), validate_phone_text])
    line_id = StringField("LINE ID", validators=[Optional(), Length(max=100)])

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._user = user

    def validate_email(self, field) -> None:
        if User.email_taken(field.data, except_id=self._user.id):
            raise ValidationError("อีเมลนี้มีผู้ใช้อื่นใช้อยู่แล้ว")
