"""Forms of คลังความรู้."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, Optional

from nitet_online.knowledge.models import KIND_LABELS, LICENCES, Kind
from nitet_online.knowledge.services import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    ItemData,
    KnowledgeError,
    parse_links,
    parse_tags,
)
from nitet_online.org.models import active_learning_areas, all_grade_levels
from nitet_online.services.forms import ThaiForm

BODY_MAX = 200_000


def _strip(value: str | None) -> str:
    return (value or "").strip()


def _int_or_zero(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class KnowledgeForm(ThaiForm):
    kind = SelectField(
        "ประเภท",
        choices=[(kind.value, label) for kind, label in KIND_LABELS.items()],
        validators=[DataRequired(message="กรุณาเลือกประเภท")],
    )
    title = StringField(
        "ชื่อเรื่อง",
        filters=[_strip],
        validators=[DataRequired(message="กรุณาใส่ชื่อเรื่อง"), Length(max=TITLE_MAX)],
        render_kw={"maxlength": TITLE_MAX},
    )
    description = TextAreaField(
        "คำอธิบายย่อ",
        filters=[_strip],
        validators=[Length(max=DESCRIPTION_MAX)],
        render_kw={"rows": 2, "maxlength": DESCRIPTION_MAX},
    )
    body = TextAreaField(
        "เนื้อหา",
        validators=[Length(max=BODY_MAX)],
        render_kw={"data-markdown-editor": "", "rows": 12},
    )
    learning_area_id = SelectField("กลุ่มสาระการเรียนรู้", coerce=_int_or_zero, validate_choice=False)
    grade_level_ids = SelectMultipleField("ระดับชั้น", coerce=int, validate_choice=False)
    tags = StringField(
        "แท็ก",
        filters=[_strip],
        validators=[Optional()],
        render_kw={"placeholder": "เช่น การอ่าน, PLC, สะเต็มศึกษา (คั่นด้วยจุลภาค)"},
    )
    co_authors = TextAreaField(
        "ผู้ร่วมจัดทำ",
        filters=[_strip],
        validators=[Length(max=2000)],
        render_kw={"rows": 2, "placeholder": "หนึ่งชื่อต่อหนึ่งบรรทัด"},
    )
    links = TextAreaField(
        "ลิงก์และวิดีโอ",
        filters=[_strip],
        validators=[Length(max=6000)],
        render_kw={"rows": 3, "placeholder": "https://www.youtube.com/watch?v=... คลิปตัวอย่างการสอน"},
    )
    licence = SelectField("สิทธิ์การใช้งาน", choices=list(LICENCES.items()), default="education")
    rights_note = StringField(
        "หมายเหตุลิขสิทธิ์/แหล่งที่มา", filters=[_strip], validators=[Length(max=500)]
    )
    files = MultipleFileField("แนบไฟล์ (PDF, Word, Excel, PowerPoint, รูปภาพ)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.learning_area_id.choices = [(0, "— ไม่ระบุ / ทุกกลุ่มสาระ —")] + [
            (area.id, area.name) for area in active_learning_areas()
        ]
        self.grade_level_ids.choices = [(level.id, level.name) for level in all_grade_levels()]

    def validate_learning_area_id(self, field) -> None:
        if field.data and field.data not in {value for value, _ in field.choices}:
            raise ValidationError("ไม่พบกลุ่มสาระการเรียนรู้ที่เลือก กรุณาเลือกจากรายการ")

    def validate_grade_level_ids(self, field) -> None:
        known = {value for value, _ in field.choices}
        if any(value not in known for value in field.data or []):
            raise ValidationError("ไม่พบระดับชั้นที่เลือก")

    def validate_tags(self, field) -> None:
        try:
            parse_tags(field.data)
        except KnowledgeError as error:
            raise ValidationError(str(error)) from error

    def validate_links(self, field) -> None:
        try:
            parse_links(field.data)
        except KnowledgeError as error:
            raise ValidationError(str(error)) from error

    def item_data(self) -> ItemData:
        return ItemData(
            kind=Kind(self.kind.data),
            title=self.title.data,
            description=self.description.data or "",
            body=self.body.data or "",
            learning_area_id=self.learning_area_id.data or None,
            grade_level_ids=list(self.grade_level_ids.data or []),
            tags=self.tags.data or "",
            co_authors=self.co_authors.data or "",
            licence=self.licence.data,
            rights_note=self.rights_note.data or "",
            links=self.links.data or "",
        )


class ReturnForm(ThaiForm):
    note = TextAreaField(
        "สิ่งที่ควรแก้ไข",
        filters=[_strip],
        validators=[DataRequired(message="กรุณาบอกสิ่งที่ควรแก้ไข"), Length(max=500)],
        render_kw={"rows": 3},
    )


class ImportForm(ThaiForm):
    file = FileField(
        "ไฟล์ .csv หรือ .jsonl",
        validators=[
            FileRequired(message="กรุณาเลือกไฟล์"),
            FileAllowed(["csv", "jsonl"], message="รองรับเฉพาะไฟล์ .csv และ .jsonl"),
        ],
    )
