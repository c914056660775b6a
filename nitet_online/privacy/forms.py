"""Forms of the privacy pages."""

from __future__ import annotations

from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from nitet_online.services.forms import ThaiForm


class DeletionRequestForm(ThaiForm):
    reason = TextAreaField(
        "เหตุผลของคำขอ",
        validators=[DataRequired("กรุณาระบุเหตุผลของคำขอ"), Length(max=2000)],
    )
    understood = BooleanField(
        "ข้าพเจ้าเข้าใจว่าเมื่อลบข้อมูลแล้ว บัญชีนี้จะเข้าสู่ระบบไม่ได้อีก และเนื้อหาที่เคยเผยแพร่จะแสดงเป็นผู้ใช้ไม่ระบุชื่อ",
        validators=[DataRequired("กรุณายืนยันว่าเข้าใจผลของการลบข้อมูล")],
    )


class DeclineForm(ThaiForm):
    note = TextAreaField(
        "เหตุผลที่ไม่ดำเนินการ (แจ้งผู้ขอ)",
        validators=[DataRequired("กรุณาระบุเหตุผล"), Length(max=2000)],
    )
