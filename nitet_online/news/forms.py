"""The news form: content, category, cover, attachments, publication and training details."""

from __future__ import annotations

from urllib.parse import urlparse

from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from nitet_online.news.models import CATEGORY_LABELS, NewsCategory
from nitet_online.news.services import PUBLISH_NOW, SAVE_DRAFT, SCHEDULE, local_to_utc
from nitet_online.services.date_input import DateBounds
from nitet_online.services.forms import ThaiDateTimeField, ThaiForm
from nitet_online.services.thai import utcnow

REQUIRED = "กรุณากรอกข้อมูลช่องนี้"
SCHEDULE_BOUNDS = DateBounds(
    earliest_days=0,
    latest_days=365 * 3,
    latest_message="ตั้งเวลาเผยแพร่ล่วงหน้าได้ไม่เกิน 3 ปี (กรอกปี พ.ศ. เช่น 11/12/2569 09:00)",
)
EVENT_BOUNDS = DateBounds(
    earliest_days=-365 * 5,
    latest_days=365 * 5,
    earliest_message="วันกิจกรรมย้อนหลังได้ไม่เกิน 5 ปี (กรอกปี พ.ศ. เช่น 11/12/2569 09:00)",
    latest_message="วันกิจกรรมล่วงหน้าได้ไม่เกิน 5 ปี (กรอกปี พ.ศ. เช่น 11/12/2569 09:00)",
)


class NewsForm(ThaiForm):
    title = StringField("หัวข้อข่าว", validators=[DataRequired(REQUIRED), Length(max=200)])
    category = SelectField(
        "ประเภทข่าว", choices=[(c.value, label) for c, label in CATEGORY_LABELS.items()]
    )
    summary = TextAreaField(
        "สรุปย่อ",
        validators=[Optional(), Length(max=500)],
        render_kw={"rows": 2},
        description="แสดงในรายการข่าวและเมื่อแชร์ลิงก์ทาง LINE หรือ Facebook (เว้นว่างได้ ระบบจะตัดจากเนื้อข่าว)",
    )
    body = TextAreaField(
        "เนื้อข่าว",
        validators=[DataRequired("กรุณาเขียนเนื้อข่าว"), Length(max=50_000)],
        render_kw={"rows": 14},
    )
    cover = FileField("ภาพปก")
    remove_cover = BooleanField("ลบภาพปก")
    attachments = MultipleFileField("ไฟล์แนบ (PDF, Word, Excel, PowerPoint)")
    remove_attachment_ids = SelectMultipleField(
        "ไฟล์ที่จะลบ", coerce=int, choices=[], validate_choice=False
    )
    publication = RadioField(
        "การเผยแพร่",
        choices=[
            (SAVE_DRAFT, "บันทึกเป็นฉบับร่าง (ยังไม่แสดงต่อสาธารณะ)"),
            (PUBLISH_NOW, "เผยแพร่ทันที"),
            (SCHEDULE, "ตั้งเวลาเผยแพร่"),
        ],
        default=PUBLISH_NOW,
    )
    publish_at = ThaiDateTimeField(
        "วันเวลาที่จะเผยแพร่", validators=[Optional()], bounds=SCHEDULE_BOUNDS
    )
    is_pinned = BooleanField("ปักหมุดไว้บนสุดของหน้าข่าวและหน้าแรก")
    event_start = ThaiDateTimeField("วันเวลาเริ่มกิจกรรม", validators=[Optional()], bounds=EVENT_BOUNDS)
    event_end = ThaiDateTimeField("วันเวลาสิ้นสุด", validators=[Optional()], bounds=EVENT_BOUNDS)
    event_place = StringField("สถานที่", validators=[Optional(), Length(max=255)])
    registration_url = StringField(
        "ลิงก์ลงทะเบียน",
        validators=[Optional(), Length(max=500)],
        description="เช่น แบบฟอร์มลงทะเบียนออนไลน์ (ขึ้นต้นด้วย https://)",
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.publication.data == SCHEDULE:
            valid &= self._check_schedule()
        if self.category.data == NewsCategory.TRAINING.value:
            valid &= self._check_event()
        if self.registration_url.data:
            valid &= self._check_url()
        return valid

    def _check_schedule(self) -> bool:
        if self.publish_at.data is None:
            if not self.publish_at.errors:
                self.publish_at.errors = ["กรุณาระบุวันเวลาที่จะเผยแพร่"]
            return False
        if local_to_utc(self.publish_at.data) <= utcnow():
            self.publish_at.errors = [
                "เวลาที่ตั้งต้องเป็นเวลาในอนาคต หากต้องการเผยแพร่ตอนนี้ให้เลือก “เผยแพร่ทันที”"
            ]
            return False
        return True

    def _check_event(self) -> bool:
        ok = True
        if self.event_start.data is None:
            if not self.event_start.errors:
                self.event_start.errors = ["ข่าวอบรม/สัมมนาต้องระบุวันเวลาเริ่มกิจกรรม"]
            ok = False
        if not (self.event_place.data or "").strip():
            self.event_place.errors = ["ข่าวอบรม/สัมมนาต้องระบุสถานที่ (หรือ “ออนไลน์”)"]
            ok = False
        if (
            self.event_start.data
            and self.event_end.data
            and self.event_end.data < self.event_start.data
        ):
            self.event_end.errors = ["วันเวลาสิ้นสุดต้องไม่ก่อนวันเวลาเริ่ม"]
            ok = False
        return ok

    def _check_url(self) -> bool:
        url = self.registration_url.data.strip()
        parsed = urlparse(url)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            self.registration_url.errors = ["ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https://"]
            return False
        self.registration_url.data = url
        return True
