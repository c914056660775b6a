"""Forms of Q&A. Every limit has a Thai message that says what to fix and how far over it is."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Optional

from nitet_online.org.models import active_learning_areas, all_grade_levels
from nitet_online.questions.models import (
    BODY_MAX,
    CLOSE_REASONS,
    COMMENT_MAX,
    REPORT_REASONS,
    TITLE_MAX,
    TITLE_MIN,
)
from nitet_online.questions.text import TagError, parse_tags
from nitet_online.services.forms import ThaiForm


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _int_or_zero(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class Chars:
    """Length in characters with a message that says by how much the text is over or under."""

    def __init__(self, what: str, maximum: int, minimum: int = 0) -> None:
        self.what, self.maximum, self.minimum = what, maximum, minimum

    def __call__(self, form, field) -> None:
        length = len(field.data or "")
        if length > self.maximum:
            raise ValidationError(
                f"{self.what}ยาวเกินไป: ไม่เกิน {self.maximum:,} ตัวอักษร "
                f"(ขณะนี้ {length:,} ตัวอักษร เกินมา {length - self.maximum:,})"
            )
        if length and length < self.minimum:
            raise ValidationError(
                f"{self.what}สั้นเกินไป: อย่างน้อย {self.minimum} ตัวอักษร เพื่อให้ผู้อ่านเข้าใจคำถามได้ชัดเจน"
            )


GENERAL_AREA = -1  # "not one learning area": administration, assessment, general work


def _area_choices() -> list[tuple[int, str]]:
    return [
        (0, "— เลือกกลุ่มสาระการเรียนรู้ —"),
        *[(area.id, area.name) for area in active_learning_areas()],
        (GENERAL_AREA, "ไม่เจาะจงกลุ่มสาระ (การบริหาร การวัดผล งานทั่วไป)"),
    ]


def _grade_choices() -> list[tuple[int, str]]:
    return [(0, "ไม่ระบุ / ทุกระดับชั้น")] + [(g.id, g.name) for g in all_grade_levels()]


class QuestionFieldsForm(ThaiForm):
    title = StringField(
        "หัวข้อคำถาม",
        filters=[_strip],
        validators=[
            DataRequired(message="กรุณาใส่หัวข้อคำถาม"),
            Chars("หัวข้อคำถาม", TITLE_MAX, TITLE_MIN),
        ],
        render_kw={"maxlength": TITLE_MAX, "autocomplete": "off"},
    )
    body = TextAreaField(
        "รายละเอียด",
        validators=[
            DataRequired(message="กรุณาเขียนรายละเอียดของคำถาม เช่น บริบทของห้องเรียนและสิ่งที่ลองทำแล้ว"),
            Chars("รายละเอียด", BODY_MAX),
        ],
    )
    learning_area_id = SelectField("กลุ่มสาระการเรียนรู้", coerce=_int_or_zero, validate_choice=False)
    grade_level_id = SelectField("ระดับชั้น", coerce=_int_or_zero, validate_choice=False)
    tags = StringField(
        "แท็ก",
        filters=[_strip],
        validators=[Optional()],
        render_kw={"placeholder": "เช่น การอ่าน, PLC, วัดผล (คั่นด้วยจุลภาค ไม่เกิน 5 แท็ก)"},
    )
    anonymous = BooleanField("ไม่ประสงค์ออกนาม")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.learning_area_id.choices = _area_choices()
        self.grade_level_id.choices = _grade_choices()

    def validate_learning_area_id(self, field) -> None:
        if not field.data:
            raise ValidationError("กรุณาเลือกกลุ่มสาระการเรียนรู้ เพื่อส่งคำถามถึงศึกษานิเทศก์ที่รับผิดชอบ")
        if field.data not in {value for value, _ in field.choices}:
            raise ValidationError("ไม่พบกลุ่มสาระการเรียนรู้ที่เลือก กรุณาเลือกจากรายการ")

    def validate_grade_level_id(self, field) -> None:
        if field.data and field.data not in {value for value, _ in field.choices}:
            raise ValidationError("ไม่พบระดับชั้นที่เลือก กรุณาเลือกจากรายการ")

    def validate_tags(self, field) -> None:
        try:
            parse_tags(field.data)
        except TagError as error:
            raise ValidationError(str(error)) from error

    @property
    def tag_names(self) -> list[str]:
        return parse_tags(self.tags.data)

    @property
    def learning_area(self) -> int | None:
        """The chosen learning area's id; None for "ไม่เจาะจงกลุ่มสาระ"."""
        return None if self.learning_area_id.data == GENERAL_AREA else self.learning_area_id.data

    def show_learning_area(self, learning_area_id: int | None) -> None:
        self.learning_area_id.data = learning_area_id or GENERAL_AREA


class AskForm(QuestionFieldsForm):
    files = MultipleFileField("รูปภาพและไฟล์แนบ")


class EditQuestionForm(QuestionFieldsForm):
    reason = StringField(
        "สรุปการแก้ไข",
        filters=[_strip],
        validators=[Optional(), Chars("สรุปการแก้ไข", 300)],
        render_kw={"placeholder": "เช่น เพิ่มรายละเอียดระดับชั้น แก้คำผิด"},
    )


class AnswerForm(ThaiForm):
    body = TextAreaField(
        "คำตอบของท่าน",
        validators=[DataRequired(message="กรุณาเขียนคำตอบ"), Chars("คำตอบ", BODY_MAX)],
    )
    files = MultipleFileField("รูปภาพและไฟล์แนบ")


class EditAnswerForm(ThaiForm):
    body = TextAreaField(
        "คำตอบ", validators=[DataRequired(message="กรุณาเขียนคำตอบ"), Chars("คำตอบ", BODY_MAX)]
    )
    reason = StringField(
        "สรุปการแก้ไข",
        filters=[_strip],
        validators=[Optional(), Chars("สรุปการแก้ไข", 300)],
    )


class CommentForm(ThaiForm):
    body = TextAreaField(
        "ความคิดเห็น",
        filters=[_strip],
        validators=[
            DataRequired(message="กรุณาพิมพ์ความคิดเห็น"),
            Chars("ความคิดเห็น", COMMENT_MAX, 2),
        ],
    )
    answer_id = HiddenField()


class CloseForm(ThaiForm):
    reason = RadioField(
        "เหตุผลที่ปิด",
        choices=list(CLOSE_REASONS.items()),
        validators=[DataRequired(message="กรุณาเลือกเหตุผลที่ปิดคำถาม")],
    )
    duplicate_of = StringField(
        "คำถามต้นฉบับ (กรณีคำถามซ้ำ)",
        filters=[_strip],
        render_kw={"placeholder": "เลขที่คำถาม หรือวางลิงก์ของคำถาม"},
    )
    note = TextAreaField(
        "หมายเหตุถึงผู้ถาม", filters=[_strip], validators=[Optional(), Chars("หมายเหตุ", 500)]
    )


class AssignForm(ThaiForm):
    supervisor_id = SelectField("ศึกษานิเทศก์", coerce=_int_or_zero, validate_choice=False)
    mode = RadioField(
        "วิธีมอบหมาย",
        choices=[
            ("invite", "เชิญร่วมตอบ (ผู้รับผิดชอบเดิมยังอยู่)"),
            ("reassign", "โอนให้รับผิดชอบแทนทั้งหมด"),
        ],
        default="invite",
    )
    note = StringField(
        "ข้อความถึงผู้รับ", filters=[_strip], validators=[Optional(), Chars("ข้อความ", 300)]
    )

    def validate_supervisor_id(self, field) -> None:
        if field.data not in {value for value, _ in field.choices if value}:
            raise ValidationError("กรุณาเลือกศึกษานิเทศก์จากรายการ")


class HideForm(ThaiForm):
    reason = TextAreaField(
        "เหตุผลที่ซ่อน (ผู้เขียนจะเห็นเหตุผลนี้)",
        filters=[_strip],
        validators=[
            DataRequired(message="กรุณาระบุเหตุผลที่ซ่อนโพสต์"),
            Chars("เหตุผล", 500),
        ],
    )


class LockForm(ThaiForm):
    reason = StringField("เหตุผล", filters=[_strip], validators=[Optional(), Chars("เหตุผล", 300)])


class ReportForm(ThaiForm):
    reason = RadioField(
        "เหตุผลที่รายงาน",
        choices=list(REPORT_REASONS.items()),
        validators=[DataRequired(message="กรุณาเลือกเหตุผลที่รายงาน")],
    )
    detail = TextAreaField(
        "รายละเอียดเพิ่มเติม", filters=[_strip], validators=[Optional(), Chars("รายละเอียด", 1000)]
    )
