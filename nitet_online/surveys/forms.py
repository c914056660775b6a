"""Forms of the survey builder."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from nitet_online.services.date_input import DateBounds
from nitet_online.services.forms import ThaiDateField, ThaiForm
from nitet_online.surveys.models import ItemKind, ResponseMode
from nitet_online.surveys.services import ATTACHABLE_TYPES, parse_options

ANSWERING_BOUNDS = DateBounds(
    earliest_days=-365 * 5,
    latest_days=365 * 3,
    earliest_message="วันที่ย้อนหลังได้ไม่เกิน 5 ปี (กรอกปี พ.ศ. เช่น 11/12/2569)",
    latest_message="วันที่ล่วงหน้าได้ไม่เกิน 3 ปี (กรอกปี พ.ศ. เช่น 11/12/2569)",
)


class SurveyForm(ThaiForm):
    title = StringField("ชื่อแบบประเมิน", validators=[DataRequired(), Length(max=255)])
    description = TextAreaField(
        "คำชี้แจง", validators=[Optional(), Length(max=5000)], filters=[lambda v: v or ""]
    )
    response_mode = SelectField(
        "ผู้ตอบ", choices=[(mode.value, mode.label) for mode in ResponseMode], default="anyone"
    )
    opens_on = ThaiDateField("เปิดรับคำตอบตั้งแต่วันที่", validators=[Optional()], bounds=ANSWERING_BOUNDS)
    closes_on = ThaiDateField("ปิดรับคำตอบหลังวันที่", validators=[Optional()], bounds=ANSWERING_BOUNDS)
    attached_type = SelectField(
        "แนบกับเนื้อหา",
        choices=[("", "ไม่แนบ (เผยแพร่แบบประเมินเดี่ยว)"), *ATTACHABLE_TYPES.items()],
        default="",
    )
    attached_id = IntegerField("เลขที่ของเนื้อหา", validators=[Optional(), NumberRange(min=1)])
    is_published = BooleanField("เผยแพร่ (เปิดให้ตอบได้ตามช่วงวันที่)")
    template = SelectField(
        "เริ่มจาก",
        choices=[
            ("satisfaction", "แบบประเมินความพึงพอใจมาตรฐาน (แก้ไขได้)"),
            ("blank", "แบบประเมินว่าง"),
        ],
        default="satisfaction",
    )

    def validate_closes_on(self, field) -> None:
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError("วันปิดรับคำตอบต้องไม่อยู่ก่อนวันเปิดรับคำตอบ")

    def validate_attached_id(self, field) -> None:
        if self.attached_type.data and not field.data:
            raise ValidationError("กรุณาระบุเลขที่ของเนื้อหาที่ต้องการแนบ")


class SectionForm(ThaiForm):
    title = StringField("ชื่อตอน", validators=[DataRequired(), Length(max=255)])
    description = TextAreaField(
        "คำอธิบาย", validators=[Optional(), Length(max=2000)], filters=[lambda v: v or ""]
    )


class ItemForm(ThaiForm):
    section_id = SelectField("อยู่ในตอน", coerce=int)
    kind = SelectField(
        "ชนิดข้อคำถาม", choices=[(kind.value, kind.label) for kind in ItemKind], default="rating"
    )
    prompt = TextAreaField("ข้อคำถาม", validators=[DataRequired(), Length(max=1000)])
    required = BooleanField("ต้องตอบ", default=True)
    options_text = TextAreaField(
        "ตัวเลือก (บรรทัดละ 1 ตัวเลือก)",
        validators=[Optional(), Length(max=5000)],
        filters=[lambda v: v or ""],
    )

    def validate_options_text(self, field) -> None:
        if ItemKind(self.kind.data).has_options and len(parse_options(field.data)) < 2:
            raise ValidationError("ข้อคำถามแบบเลือกตอบต้องมีตัวเลือกอย่างน้อย 2 ตัวเลือก")
