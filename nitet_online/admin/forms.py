"""Forms of the administration pages."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from nitet_online.accounts.forms import REQUIRED, PersonNameFields, StrongPassword, school_choices
from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.extensions import db
from nitet_online.org.models import (
    SCHOOL_SIZE_LABELS,
    LearningArea,
    Network,
    School,
    active_learning_areas,
    active_schools,
    all_networks,
)
from nitet_online.org.reference import ACADEMIC_RANKS
from nitet_online.services.forms import ThaiForm, validate_phone_text, validate_username_text


class UserForm(PersonNameFields):
    username = StringField("ชื่อผู้ใช้", validators=[DataRequired(REQUIRED), validate_username_text])
    email = StringField(
        "อีเมล", validators=[DataRequired(REQUIRED), Email("รูปแบบอีเมลไม่ถูกต้อง"), Length(max=255)]
    )
    role = SelectField("บทบาท", choices=[(role.value, role.label) for role in Role])
    status = SelectField("สถานะบัญชี", choices=[(s.value, s.label) for s in AccountStatus])
    school_id = SelectField("โรงเรียนที่สังกัด", coerce=int, choices=[])
    position = StringField("ตำแหน่ง", validators=[Optional(), Length(max=255)])
    academic_rank = SelectField("วิทยฐานะ", choices=[])
    phone = StringField("โทรศัพท์", validators=[Optional(), validate_phone_text])
    line_id = StringField("LINE ID", validators=[Optional(), Length(max=100)])
    password = PasswordField(
        "รหัสผ่านเริ่มต้น (เว้นว่างให้ระบบสร้างให้)", validators=[Optional(), StrongPassword()]
    )
    learning_area_ids = SelectMultipleField("กลุ่มสาระการเรียนรู้ที่รับผิดชอบ", coerce=int, choices=[])
    network_ids = SelectMultipleField("เครือข่ายที่รับผิดชอบ", coerce=int, choices=[])
    responsible_school_ids = SelectMultipleField("โรงเรียนที่รับผิดชอบ", coerce=int, choices=[])

    def __init__(self, *args, editing: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._editing = editing
        self.school_id.choices = school_choices("— ไม่สังกัดโรงเรียน —")
        self.academic_rank.choices = [("", "— ไม่มี —"), *[(r, r) for r in ACADEMIC_RANKS]]
        self.learning_area_ids.choices = [(a.id, a.name) for a in active_learning_areas()]
        self.network_ids.choices = [(n.id, n.name) for n in all_networks()]
        self.responsible_school_ids.choices = [(s.id, s.name) for s in active_schools()]

    def validate_username(self, field) -> None:
        if User.username_taken(field.data, except_id=self._editing.id if self._editing else None):
            raise ValidationError("ชื่อผู้ใช้นี้มีผู้ใช้แล้ว")

    def validate_email(self, field) -> None:
        if User.email_taken(field.data, except_id=self._editing.id if self._editing else None):
            raise ValidationError("อีเมลนี้มีผู้ใช้แล้ว")

    def validate_school_id(self, field) -> None:
        # role.data is the submitted text (None when missing); Role is a StrEnum, so compare as text.
        if self.role.data in (Role.SCHOOL_DIRECTOR, Role.TEACHER) and not field.data:
            raise ValidationError("ครูและผู้บริหารสถานศึกษาต้องระบุโรงเรียนที่สังกัด")


class ResetPasswordForm(ThaiForm):
    new_password = PasswordField(
        "รหัสผ่านใหม่ (เว้นว่างให้ระบบสร้างให้)", validators=[Optional(), StrongPassword()]
    )


class SchoolForm(ThaiForm):
    code = StringField(
        "รหัสโรงเรียน",
        validators=[
            DataRequired(REQUIRED),
            Regexp(r"^\d{6,10}$", message="รหัสโรงเรียนต้องเป็นตัวเลข 6–10 หลัก"),
        ],
    )
    name = StringField("ชื่อโรงเรียน", validators=[DataRequired(REQUIRED), Length(max=255)])
    district = StringField("อำเภอ", validators=[Optional(), Length(max=100)])
    subdistrict = StringField("ตำบล", validators=[Optional(), Length(max=100)])
    province = StringField("จังหวัด", validators=[Optional(), Length(max=100)])
    size = SelectField(
        "ขนาดโรงเรียน",
        choices=[("", "— ไม่ระบุ —"), *[(s.value, label) for s, label in SCHOOL_SIZE_LABELS.items()]],
    )
    network_id = SelectField("กลุ่มเครือข่าย", coerce=int, choices=[])
    director_name = StringField("ผู้อำนวยการโรงเรียน", validators=[Optional(), Length(max=255)])
    phone = StringField("โทรศัพท์", validators=[Optional(), validate_phone_text])
    is_active = BooleanField("เปิดใช้งาน", default=True)

    def __init__(self, *args, editing: School | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._editing = editing
        self.network_id.choices = [(0, "— ไม่สังกัดเครือข่าย —")] + [
            (n.id, n.name) for n in all_networks()
        ]

    def validate_code(self, field) -> None:
        query = select(School.id).where(School.code == field.data.strip())
        if self._editing:
            query = query.where(School.id != self._editing.id)
        if db.session.scalar(query):
            raise ValidationError("รหัสโรงเรียนนี้มีอยู่แล้ว")


class NetworkForm(ThaiForm):
    name = StringField("ชื่อกลุ่มเครือข่าย", validators=[DataRequired(REQUIRED), Length(max=255)])
    description = TextAreaField("รายละเอียด", validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, editing: Network | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._editing = editing

    def validate_name(self, field) -> None:
        # lower() on both sides in the database: SQLite lowers only ASCII, Python lowers every
        # letter, and a mismatch let a duplicate through to the unique constraint (a 500).
        query = select(Network.id).where(func.lower(Network.name) == func.lower(field.data.strip()))
        if self._editing:
            query = query.where(Network.id != self._editing.id)
        if db.session.scalar(query):
            raise ValidationError("ชื่อกลุ่มเครือข่ายนี้มีอยู่แล้ว")


class LearningAreaForm(ThaiForm):
    code = StringField(
        "รหัส (ภาษาอังกฤษ)",
        validators=[
            DataRequired(REQUIRED),
            Regexp(r"^[a-z0-9_-]{2,30}$", message="ใช้ a–z ตัวเลข ขีดกลาง ขีดล่าง 2–30 ตัว"),
        ],
    )
    name = StringField("ชื่อกลุ่มสาระ", validators=[DataRequired(REQUIRED), Length(max=255)])
    sort_order = IntegerField("ลำดับ", default=50, validators=[Optional(), NumberRange(0, 999)])
    is_active = BooleanField("เปิดใช้งาน", default=True)

    def __init__(self, *args, editing: LearningArea | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._editing = editing

    def validate_code(self, field) -> None:
        self._unique(LearningArea.code, field.data, "รหัสนี้มีอยู่แล้ว")

    def validate_name(self, field) -> None:
        self._unique(LearningArea.name, field.data.strip(), "ชื่อกลุ่มสาระนี้มีอยู่แล้ว")

    def _unique(self, column, value: str, message: str) -> None:
        query = select(LearningArea.id).where(column == value)
        if self._editing:
            query = query.where(LearningArea.id != self._editing.id)
        if db.session.scalar(query):
            raise ValidationError(message)


class OfficeForm(ThaiForm):
    name = StringField("ชื่อสำนักงาน", validators=[DataRequired(REQUIRED), Length(max=255)])
    abbreviation = StringField("ชื่อย่อ", validators=[DataRequired(REQUIRED), Length(max=100)])
    group_name = StringField("ชื่อกลุ่มงาน", validators=[DataRequired(REQUIRED), Length(max=255)])
    address = TextAreaField("ที่อยู่", validators=[Optional(), Length(max=2000)])
    phone = StringField("โทรศัพท์", validators=[Optional(), validate_phone_text])
    email = StringField("อีเมล", validators=[Optional(), Email("รูปแบบอีเมลไม่ถูกต้อง")])
    website = StringField("เว็บไซต์", validators=[Optional(), URL(message="รูปแบบที่อยู่เว็บไม่ถูกต้อง")])
    line_id = StringField("LINE ID / LINE OA", validators=[Optional(), Length(max=100)])


class ImportForm(ThaiForm):
    file = FileField("ไฟล์ CSV หรือ Excel (.xlsx)", validators=[FileRequired("กรุณาเลือกไฟล์")])
