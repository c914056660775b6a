"""Forms of the page builder: the profile page, sub-pages and projects."""

from __future__ import annotations

from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from nitet_online.services.forms import ThaiForm, validate_phone_text
from nitet_online.supervisors.models import VISIBILITY_LABELS

REQUIRED = "กรุณากรอกข้อมูลช่องนี้"
VISIBILITY_CHOICES = [(v.value, label) for v, label in VISIBILITY_LABELS.items()]
MARKDOWN_MAX = 50_000


class ProfileForm(ThaiForm):
    headline = StringField(
        "คำแนะนำตัวสั้น ๆ",
        validators=[Optional(), Length(max=200)],
        description="แสดงใต้ชื่อ เช่น ศึกษานิเทศก์ผู้รับผิดชอบกลุ่มสาระภาษาไทยและการอ่านออกเขียนได้",
    )
    introduction = TextAreaField(
        "แนะนำตัว", validators=[Optional(), Length(max=MARKDOWN_MAX)], render_kw={"rows": 12}
    )
    slug = StringField(
        "ที่อยู่หน้าเว็บ",
        validators=[DataRequired(REQUIRED), Length(max=60)],
        description="อักษรภาษาอังกฤษตัวเล็ก ตัวเลข และขีดกลาง เช่น wilaiwan-s",
    )
    photo = FileField("รูปประจำตัว")
    remove_photo = BooleanField("ลบรูปประจำตัว")
    cover = FileField("ภาพปก")
    remove_cover = BooleanField("ลบภาพปก")
    contact_phone = StringField("โทรศัพท์", validators=[Optional(), validate_phone_text])
    phone_visibility = SelectField("ผู้ที่เห็นหมายเลขโทรศัพท์", choices=VISIBILITY_CHOICES)
    contact_email = StringField(
        "อีเมล", validators=[Optional(), Email("รูปแบบอีเมลไม่ถูกต้อง"), Length(max=255)]
    )
    email_visibility = SelectField("ผู้ที่เห็นอีเมล", choices=VISIBILITY_CHOICES)
    contact_line_id = StringField("LINE ID", validators=[Optional(), Length(max=100)])
    line_visibility = SelectField("ผู้ที่เห็น LINE ID", choices=VISIBILITY_CHOICES)

    def normalise(self) -> None:
        self.slug.data = (self.slug.data or "").strip().lower()
        for field in (self.headline, self.contact_phone, self.contact_email, self.contact_line_id):
            field.data = (field.data or "").strip()


class PageForm(ThaiForm):
    title = StringField("ชื่อหน้า", validators=[DataRequired(REQUIRED), Length(max=150)])
    slug = StringField(
        "ที่อยู่ของหน้า",
        validators=[Optional(), Length(max=80)],
        description="เว้นว่างไว้ให้ระบบตั้งจากชื่อหน้า",
    )
    body = TextAreaField(
        "เนื้อหา", validators=[Optional(), Length(max=MARKDOWN_MAX)], render_kw={"rows": 16}
    )
    is_hidden = BooleanField("ซ่อนหน้านี้ (เห็นเฉพาะเจ้าของหน้าและผู้ดูแลระบบ)")
    files = MultipleFileField("แนบไฟล์")
    remove_attachment_ids = SelectMultipleField(
        "ไฟล์ที่จะลบ", coerce=int, choices=[], validate_choice=False
    )


class ProjectForm(ThaiForm):
    name = StringField("ชื่อโครงการ", validators=[DataRequired(REQUIRED), Length(max=255)])
    description = TextAreaField(
        "รายละเอียด", validators=[Optional(), Length(max=5000)], render_kw={"rows": 4}
    )
    year = IntegerField(
        "ปี พ.ศ.",
        validators=[Optional(), NumberRange(2500, 2700, "กรุณากรอกปี พ.ศ. เช่น 2569")],
        description="ปีงบประมาณหรือปีการศึกษาของโครงการ (พ.ศ.)",
    )
