"""Rate limits on asking, answering and commenting, per person (schools share one Internet
address, so limits by address would punish a whole staff room). Uses Flask-Limiter's storage and
strategy: in memory on one machine, Redis in scale-out mode (RATELIMIT_STORAGE_URI).

Settings (config.py): QUESTIONS_RATELIMIT_ASK, _ANSWER, _COMMENT (NITET_RATELIMIT_ASK, ...).
Checked only when RATELIMIT_ENABLED is on (the testing configuration turns it off)."""

from __future__ import annotations

from flask import current_app
from limits import RateLimitItem, parse

from nitet_online.extensions import limiter

ACTION_WORDS = {"ask": "ตั้งคำถาม", "answer": "ส่งคำตอบ", "comment": "แสดงความคิดเห็น"}
PERIODS = {
    "second": "วินาที",
    "minute": "นาที",
    "hour": "ชั่วโมง",
    "day": "วัน",
    "month": "เดือน",
    "year": "ปี",
}


def _item(action: str) -> RateLimitItem:
    return parse(current_app.config[f"QUESTIONS_RATELIMIT_{action.upper()}"])


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def describe(item: RateLimitItem) -> str:
    period = PERIODS.get(item.GRANULARITY.name, item.GRANULARITY.name)
    every = f"{item.multiples} {period}" if item.multiples > 1 else period
    return f"ไม่เกิน {item.amount} ครั้งต่อ{every}"


def refusal(action: str, user_id: int) -> str | None:
    """The Thai reason the user must wait, or None when they may go on."""
    if not _enabled():
        return None
    item = _item(action)
    if limiter.limiter.test(item, "questions", action, str(user_id)):
        return None
    return (
        f"ท่าน{ACTION_WORDS[action]}ถี่เกินกำหนด ({describe(item)}) "
        "กรุณารอสักครู่แล้วส่งอีกครั้ง ข้อความที่พิมพ์ไว้ยังอยู่ในแบบฟอร์ม"
    )


def count(action: str, user_id: int) -> None:
    """Counts one successful post against the user's limit."""
    if _enabled():
        limiter.limiter.hit(_item(action), "questions", action, str(user_id))
