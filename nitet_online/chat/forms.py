"""Forms of the chat pages (messages themselves travel over Socket.IO)."""

from __future__ import annotations

from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from nitet_online.services.forms import ThaiForm

MUTE_CHOICES = [
    (15, "15 นาที"),
    (60, "1 ชั่วโมง"),
    (60 * 24, "1 วัน"),
    (60 * 24 * 7, "7 วัน"),
]


class GroupRoomForm(ThaiForm):
    name = StringField("ชื่อห้อง", validators=[DataRequired(), Length(max=255)])
    description = TextAreaField("คำอธิบาย", validators=[Optional(), Length(max=500)])
    member_ids = SelectMultipleField("สมาชิกที่เชิญ", coerce=int, validate_choice=True)


class AddMembersForm(ThaiForm):
    member_ids = SelectMultipleField(
        "เพิ่มสมาชิก", coerce=int, validators=[DataRequired(message="กรุณาเลือกผู้ใช้อย่างน้อย 1 คน")]
    )


class MuteForm(ThaiForm):
    minutes = SelectField("ระยะเวลา", coerce=int, choices=MUTE_CHOICES)
