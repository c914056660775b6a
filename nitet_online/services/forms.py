"""The base form every feature uses: WTForms' built-in messages in Thai, and shared validators."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_wtf import FlaskForm
from wtforms import Field, ValidationError
from wtforms.widgets import TextInput

from nitet_online.services.date_input import (
    DateBounds,
    ThaiDateError,
    format_thai_date,
    format_thai_datetime,
    parse_thai_date,
    parse_thai_datetime,
)
from nitet_online.services.thai import thai_date

WTFORMS_THAI: dict[str, str] = {
    "This field is required.": "กรุณากรอกข้อมูลช่องนี้",
    "Field must be equal to %(other_name)s.": "ข้อมูลไม่ตรงกับช่อง %(other_name)s",
    "Field must be at least %(min)d character long.": "ต้องมีอย่างน้อย %(min)d ตัวอักษร",
    "Field must be at least %(min)d characters long.": "ต้องมีอย่างน้อย %(min)d ตัวอักษร",
    "Field cannot be longer than %(max)d character.": "ต้องไม่เกิน %(max)d ตัวอักษร",
    "Field cannot be longer than %(max)d characters.": "ต้องไม่เกิน %(max)d ตัวอักษร",
    "Field must be exactly %(max)d character long.": "ต้องมี %(max)d ตัวอักษรพอดี",
    "Field must be exactly %(max)d characters long.": "ต้องมี %(max)d ตัวอักษรพอดี",
    "Field must be between %(min)d and %(max)d characters long.": "ต้องมี %(min)d ถึง %(max)d ตัวอักษร",
    "Number must be at least %(min)s.": "ตัวเลขต้องไม่น้อยกว่า %(min)s",
    "Number must be at most %(max)s.": "ตัวเลขต้องไม่เกิน %(max)s",
    "Number must be between %(min)s and %(max)s.": "ตัวเลขต้องอยู่ระหว่าง %(min)s ถึง %(max)s",
    "Date must be at least %(min)s.": "วันที่ต้องไม่ก่อน %(min)s",
    "Date must be at most %(max)s.": "วันที่ต้องไม่หลัง %(max)s",
    "Date must be between %(min)s and %(max)s.": "วันที่ต้องอยู่ระหว่าง %(min)s ถึง %(max)s",
    "Invalid input.": "ข้อมูลไม่ถูกต้อง",
    "Invalid email address.": "รูปแบบอีเมลไม่ถูกต้อง",
    "Invalid URL.": "รูปแบบที่อยู่เว็บ (URL) ไม่ถูกต้อง",
    "Invalid value, must be one of: %(values)s.": "ค่าต้องเป็นหนึ่งใน: %(values)s",
    "Invalid value, can't be any of: %(values)s.": "ค่านี้ใช้ไม่ได้: %(values)s",
    "Invalid CSRF Token.": "แบบฟอร์มไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
    "CSRF token missing.": "แบบฟอร์มไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
    "CSRF failed.": "แบบฟอร์มไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
    "CSRF token expired.": "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
    "The CSRF token is missing.": "แบบฟอร์มไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
    "The CSRF token is invalid.": "แบบฟอร์มไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
    "The CSRF token has expired.": "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
    "Invalid Choice: could not coerce.": "ตัวเลือกไม่ถูกต้อง",
    "Not a valid choice.": "ตัวเลือกไม่ถูกต้อง",
    "Not a valid choice": "ตัวเลือกไม่ถูกต้อง",
    "Invalid choice(s): one or more data inputs could not be coerced.": "ตัวเลือกไม่ถูกต้อง",
    "'%(value)s' is not a valid choice for this field.": "'%(value)s' ไม่ใช่ตัวเลือกที่ใช้ได้",
    "'%(value)s' are not valid choices for this field.": "'%(value)s' ไม่ใช่ตัวเลือกที่ใช้ได้",
    "Not a valid datetime value.": "รูปแบบวันเวลาไม่ถูกต้อง",
    "Not a valid date value.": "รูปแบบวันที่ไม่ถูกต้อง",
    "Not a valid time value.": "รูปแบบเวลาไม่ถูกต้อง",
    "Not a valid integer value.": "ต้องเป็นจำนวนเต็ม",
    "Not a valid decimal value.": "ต้องเป็นตัวเลข",
    "Not a valid float value.": "ต้องเป็นตัวเลข",
    "File does not have an approved extension: {extensions}": "ชนิดไฟล์ไม่รองรับ (รองรับ: {extensions})",
    "File must be smaller than {max_size}": "ไฟล์ต้องมีขนาดไม่เกิน {max_size}",
}


class ThaiTranslations:
    """The gettext interface WTForms asks its Meta for, answering in Thai."""

    def gettext(self, message: str) -> str:
        return WTFORMS_THAI.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


THAI_TRANSLATIONS = ThaiTranslations()


class ThaiForm(FlaskForm):
    """Base of every form: CSRF from Flask-WTF, messages in Thai."""

    class Meta:
        def get_translations(self, form):
            return THAI_TRANSLATIONS


USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9._-]{3,64}$")
THAI_PHONE_PATTERN = re.compile(r"^[0-9+\-\s()]{9,20}$")


def validate_username_text(form, field) -> None:
    if field.data and not USERNAME_PATTERN.match(field.data.strip()):
        raise ValidationError(
            "ชื่อผู้ใช้ต้องยาว 3–64 ตัว ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข จุด ขีดกลาง และขีดล่าง"
        )


def validate_phone_text(form, field) -> None:
    if field.data and not THAI_PHONE_PATTERN.match(field.data.strip()):
        raise ValidationError("รูปแบบหมายเลขโทรศัพท์ไม่ถูกต้อง")


def password_problem(password: str, min_length: int) -> str | None:
    """The Thai reason a password is too weak, or None when it is acceptable."""
    if len(password) < min_length:
        return f"รหัสผ่านต้องยาวอย่างน้อย {min_length} ตัวอักษร"
    if password.isdigit() or password.isalpha():
        return "รหัสผ่านต้องมีทั้งตัวอักษรและตัวเลข"
    if password.lower() in {"password1", "12345678a", "qwerty123", "nitet1234"}:
        return "รหัสผ่านนี้คาดเดาง่ายเกินไป"
    return None


class ThaiDateField(Field):
    """A date typed or picked day–month–year in พ.ศ. (`services.date_input`); `data` is a `date`.

    `bounds` is the plausible range of this field (an award date is not in the future...); a typed
    Gregorian year or a date outside the range is a Thai error on the field, the text kept."""

    widget = TextInput()
    picker_kind = "date"
    placeholder = "วว/ดด/ปปปป"

    def __init__(self, label=None, validators=None, bounds: DateBounds | None = None, **kwargs):
        render_kw = {
            "data-thai-date": self.picker_kind,
            "placeholder": self.placeholder,
            "autocomplete": "off",
            **(kwargs.pop("render_kw", None) or {}),
        }
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.bounds = bounds

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.format(self.data)

    def format(self, value) -> str:
        return format_thai_date(value)

    def parse(self, text: str):
        return parse_thai_date(text)

    def process_formdata(self, valuelist) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = self.parse(text)
        except ThaiDateError as error:
            self.data = None
            raise ValueError(str(error)) from error

    def pre_validate(self, form) -> None:
        if self.data is not None and self.bounds is not None:
            try:
                self.bounds.check(self.day_of(self.data))
            except ThaiDateError as error:
                raise ValidationError(str(error)) from error

    @staticmethod
    def day_of(value) -> date:
        return value.date() if isinstance(value, datetime) else value

    @property
    def reading(self) -> str:
        """The date as a sentence (วันพฤหัสบดีที่ 11 ธันวาคม พ.ศ. 2569), shown under the field."""
        return thai_date(self.day_of(self.data), "full") if self.data else ""


class ThaiDateTimeField(ThaiDateField):
    """A Thai local date and time, "11/12/2569 14:30"; `data` is a naive datetime in Thai time."""

    picker_kind = "datetime"
    placeholder = "วว/ดด/ปปปป ชช:นน"

    def format(self, value) -> str:
        return format_thai_datetime(value)

    def parse(self, text: str):
        return parse_thai_datetime(text)

    @property
    def reading(self) -> str:
        if not self.data:
            return ""
        return f"{thai_date(self.data.date(), 'full')} เวลา {self.data:%H:%M} น."
