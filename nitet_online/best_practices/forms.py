"""Forms of the best-practice pages (Thai messages from ThaiForm)."""

from __future__ import annotations

from wtforms import (
    IntegerField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from nitet_online.services.forms import ThaiForm
from nitet_online.services.youtube import canonical_url, youtube_id

SECTION_MAX = 20000
SUMMARY_MAX = 2000
ACADEMIC_YEAR_RANGE = (2540, 2700)


def validate_youtube(form, field) -> None:
    text = (field.data or "").strip()
    if not text:
        field.data = ""
        return
    video = youtube_id(text)
    if video is None:
        raise ValidationError(
            "รองรับเฉพาะลิงก์วิดีโอ YouTube เช่น https://www.youtube.com/watch?v=xxxxxxxxxxx "
            "หรือ https://youtu.be/xxxxxxxxxxx"
        )
    field.data = canonical_url(video)


def _section(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Optional(), Length(max=SECTION_MAX)],
        render_kw={"data-markdown-editor": True},
    )


class BestPracticeForm(ThaiForm):
    title = StringField("ชื่อผลงาน", validators=[DataRequired(), Length(max=255)])
    learning_area = SelectField(
        "กลุ่มสาระการเรียนรู้", coerce=int, validators=[InputRequired(message="กรุณาเลือกกลุ่มสาระการเรียนรู้")]
    )
    grade_levels = SelectMultipleField(
        "ระดับชั้น", coerce=int, validators=[DataRequired(message="กรุณาเลือกระดับชั้นอย่างน้อย 1 ระดับ")]
    )
    academic_year = IntegerField(
        "ปีการศึกษา (พ.ศ.)",
        validators=[
            InputRequired(message="กรุณากรอกปีการศึกษาเป็นตัวเลข พ.ศ. เช่น 2569"),
            NumberRange(*ACADEMIC_YEAR_RANGE, message="ปีการศึกษาต้องเป็นปี พ.ศ. เช่น 2569"),
        ],
    )
    summary = TextAreaField("บทคัดย่อ/สรุปย่อ", validators=[DataRequired(), Length(max=SUMMARY_MAX)])
    background = _section("ความเป็นมาและความสำคัญ")
    objectives = _section("วัตถุประสงค์")
    implementation = _section("กระบวนการดำเนินงาน")
    results = _section("ผลการดำเนินงาน")
    success_factors = _section("ปัจจัยความสำเร็จ")
    lessons = _section("บทเรียนที่ได้รับ")
    video_url = StringField("ลิงก์วิดีโอ YouTube", validators=[Length(max=255), validate_youtube])
    coauthors = SelectMultipleField("ผู้ร่วมจัดทำ (บุคลากรในโรงเรียนเดียวกัน)", coerce=int)
    photos = MultipleFileField("เพิ่มรูปภาพ (เลือกได้หลายรูปพร้อมกัน)")
    documents = MultipleFileField("เพิ่มไฟล์ PDF")


class ReviewForm(ThaiForm):
    comment = TextAreaField("ความเห็นของผู้ตรวจ", validators=[Length(max=5000)], render_kw={"rows": 4})


class CommentForm(ThaiForm):
    body = TextAreaField(
        "แสดงความคิดเห็น", validators=[DataRequired(), Length(max=5000)], render_kw={"rows": 3}
    )
