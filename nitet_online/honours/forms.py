"""Forms of the honour pages."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from nitet_online.honours.models import Level, RecipientType
from nitet_online.services.date_input import DateBounds
from nitet_online.services.forms import ThaiDateField, ThaiForm
from nitet_online.services.thai import be_year, today_bangkok

YEAR_RANGE = (2500, 2700)
AWARD_DATE_BOUNDS = DateBounds(
    earliest_days=-365 * 60,
    latest_days=0,
    latest_message="วันที่ได้รับรางวัลต้องไม่อยู่ในอนาคต (กรอกปี พ.ศ. เช่น 11/12/2569)",
)


class HonourForm(ThaiForm):
    recipient_type = SelectField("ผู้ได้รับรางวัล", choices=[(t.value, t.label) for t in RecipientType])
    recipient_user = SelectField("ชื่อครูหรือผู้บริหาร", coerce=int, validate_choice=True)
    recipient_names = TextAreaField(
        "ชื่อนักเรียน (บรรทัดละ 1 คน)", validators=[Length(max=3000)], render_kw={"rows": 3}
    )
    school = SelectField("โรงเรียน", coerce=int)
    award_title = StringField("ชื่อรางวัล", validators=[DataRequired(), Length(max=255)])
    level = SelectField("ระดับรางวัล", choices=[(level.value, level.label) for level in Level])
    year = IntegerField(
        "ปี พ.ศ. ที่ได้รับรางวัล",
        validators=[
            InputRequired(message="กรุณากรอกปี พ.ศ. เป็นตัวเลข เช่น 2569"),
            NumberRange(*YEAR_RANGE, message="กรุณากรอกปี พ.ศ. เช่น 2569"),
        ],
    )
    issuing_body = StringField("หน่วยงานที่มอบรางวัล", validators=[DataRequired(), Length(max=255)])
    awarded_on = ThaiDateField(
        "วันที่ได้รับรางวัล",
        validators=[Optional()],
        bounds=AWARD_DATE_BOUNDS,
    )
    description = TextAreaField(
        "รายละเอียด", validators=[Length(max=10000)], render_kw={"data-markdown-editor": True}
    )
    photo = FileField("ภาพประกอบ (รูปภาพ)")
    remove_photo = BooleanField("ลบภาพประกอบเดิม")
    certificate = FileField("เกียรติบัตร/หลักฐาน (รูปภาพหรือ PDF)")
    remove_certificate = BooleanField("ลบไฟล์เกียรติบัตรเดิม")
    best_practice = SelectField("ผลงานดีเด่นที่เกี่ยวข้อง", coerce=int)

    def validate_year(self, field) -> None:
        this_year = be_year(today_bangkok().year)
        if field.data is not None and field.data > this_year:
            raise ValidationError(f"ปีที่ได้รับรางวัลต้องไม่เกินปีนี้ (พ.ศ. {this_year})")

    def validate_awarded_on(self, field) -> None:
        if field.data and self.year.data and be_year(field.data.year) != self.year.data:
            raise ValidationError(
                f"วันที่ได้รับรางวัลอยู่ในปี พ.ศ. {be_year(field.data.year)} "
                f"ไม่ตรงกับปีที่ได้รับรางวัล ({self.year.data})"
            )


class DecisionForm(ThaiForm):
    reason = TextAreaField(
        "เหตุผล (กรณีไม่อนุมัติ)", validators=[Length(max=2000)], render_kw={"rows": 3}
    )
