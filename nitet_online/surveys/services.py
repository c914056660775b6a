"""Surveys: building a form, answering it once per person, and what other features call.

Other features: `open_surveys_for(attached_type, attached_id)` lists the open surveys attached to
an item (also the Jinja global `attached_surveys`, shown by including
"surveys/_attached.html" with `attached_type`/`attached_id` set).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from nitet_online.accounts.models import Role, User
from nitet_online.extensions import db
from nitet_online.services.thai import today_bangkok
from nitet_online.surveys.models import (
    ItemKind,
    ResponseMode,
    Survey,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
    SurveySection,
)

# Content a survey can be attached to (attached_type → Thai label); features add theirs.
ATTACHABLE_TYPES: dict[str, str] = {
    "news": "ข่าวสาร",
    "training": "การอบรม/สัมมนา",
    "knowledge": "คลังความรู้",
    "best_practice": "ผลงานดีเด่น",
}
BUILDER_ROLES = (Role.ADMIN, Role.SUPERVISOR)
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 5000

CLOSED_MESSAGES = {
    "draft": "แบบประเมินนี้ยังไม่เผยแพร่",
    "scheduled": "แบบประเมินนี้ยังไม่เปิดรับคำตอบ",
    "closed": "แบบประเมินนี้ปิดรับคำตอบแล้ว",
}
ALREADY_ANSWERED = "ท่านได้ตอบแบบประเมินนี้แล้ว ระบบรับคำตอบได้คนละ 1 ครั้ง ขอบคุณที่ร่วมตอบแบบประเมิน"


# Permissions ------------------------------------------------------------------------------------
def can_build(user) -> bool:
    return bool(user.is_authenticated and user.role in BUILDER_ROLES)


def can_manage(user, survey: Survey) -> bool:
    """Edit, share and delete: its owner and administrators."""
    return bool(user.is_authenticated and (user.role == Role.ADMIN or survey.owner_id == user.id))


def can_view_results(user, survey: Survey) -> bool:
    """Results: those who manage it, and office directors (who see every indicator)."""
    return can_manage(user, survey) or bool(user.is_authenticated and user.role == Role.DIRECTOR)


def visible_surveys_query(user):
    query = select(Survey).order_by(Survey.created_at.desc())
    if user.role in (Role.ADMIN, Role.DIRECTOR):
        return query
    return query.where(Survey.owner_id == user.id)


def has_responses(survey: Survey) -> bool:
    return bool(
        db.session.scalar(
            select(func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == survey.id)
        )
    )


def response_count(survey: Survey) -> int:
    return (
        db.session.scalar(
            select(func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == survey.id)
        )
        or 0
    )


def open_surveys_for(attached_type: str, attached_id: int) -> list[Survey]:
    surveys = db.session.scalars(
        select(Survey).where(
            Survey.attached_type == attached_type,
            Survey.attached_id == attached_id,
            Survey.is_published,
        )
    ).all()
    return [survey for survey in surveys if survey.is_open()]


def public_open_surveys(today: date | None = None) -> list[Survey]:
    today = today or today_bangkok()
    query = (
        select(Survey)
        .where(
            Survey.is_published,
            or_(Survey.opens_on.is_(None), Survey.opens_on <= today),
            or_(Survey.closes_on.is_(None), Survey.closes_on >= today),
        )
        .order_by(Survey.closes_on.is_(None), Survey.closes_on, Survey.id.desc())
    )
    return list(db.session.scalars(query))


# Building -------------------------------------------------------------------------------------
def parse_options(text: str) -> list[str]:
    """One option per line; blank lines and repeats dropped."""
    seen: list[str] = []
    for line in (text or "").splitlines():
        option = line.strip()
        if option and option not in seen:
            seen.append(option)
    return seen


def next_position(items) -> int:
    return max((item.position for item in items), default=0) + 1


def add_section(survey: Survey, title: str, description: str = "") -> SurveySection:
    section = SurveySection(
        survey=survey, title=title, description=description, position=next_position(survey.sections)
    )
    db.session.add(section)
    return section


def add_item(
    section: SurveySection,
    kind: ItemKind,
    prompt: str,
    required: bool = True,
    options: list[str] | None = None,
) -> SurveyItem:
    item = SurveyItem(
        section=section,
        kind=kind,
        prompt=prompt,
        required=required,
        options=options if kind.has_options else [],
        position=next_position(section.items),
    )
    db.session.add(item)
    return item


def move(siblings: list, target, direction: int) -> None:
    """Swaps `target` with its neighbour in `siblings` (ordered by position)."""
    ordered = sorted(siblings, key=lambda entry: entry.position)
    for position, entry in enumerate(ordered, start=1):
        entry.position = position
    index = ordered.index(target)
    other = index + direction
    if 0 <= other < len(ordered):
        ordered[index].position, ordered[other].position = (
            ordered[other].position,
            ordered[index].position,
        )


SATISFACTION_TEMPLATE: list[tuple[str, list[str]]] = [
    (
        "ด้านเนื้อหาและข้อมูล",
        [
            "เนื้อหาตรงกับความต้องการและนำไปใช้ได้จริง",
            "ข้อมูลถูกต้อง ชัดเจน และเป็นปัจจุบัน",
            "ความหลากหลายของสื่อและเอกสารที่เผยแพร่",
        ],
    ),
    (
        "ด้านการใช้งานระบบ",
        [
            "ความสะดวกในการเข้าถึงและใช้งานระบบ",
            "ความรวดเร็วในการตอบคำถามของศึกษานิเทศก์",
            "ความเหมาะสมของรูปแบบและการจัดวางหน้าเว็บ",
        ],
    ),
    (
        "ด้านประโยชน์ที่ได้รับ",
        [
            "นำความรู้ไปพัฒนาการจัดการเรียนรู้ได้",
            "ได้รับการนิเทศ ติดตามอย่างต่อเนื่องและทั่วถึง",
            "ความพึงพอใจโดยรวมต่อระบบนิเทศ Online",
        ],
    ),
]


def apply_satisfaction_template(survey: Survey) -> None:
    """The usual satisfaction form: respondent status, three rated sections, suggestions."""
    general = add_section(survey, "ข้อมูลทั่วไปของผู้ตอบ")
    add_item(
        general,
        ItemKind.SINGLE,
        "สถานภาพของผู้ตอบ",
        options=["ครู", "ผู้บริหารสถานศึกษา", "บุคลากรทางการศึกษา", "ผู้ปกครอง/ผู้สนใจทั่วไป"],
    )
    for title, prompts in SATISFACTION_TEMPLATE:
        section = add_section(survey, title)
        for prompt in prompts:
            add_item(section, ItemKind.RATING, prompt)
    suggestions = add_section(survey, "ข้อเสนอแนะ")
    add_item(
        suggestions,
        ItemKind.MULTIPLE,
        "ช่องทางที่ท่านใช้ติดตามข่าวสารการนิเทศ (ตอบได้หลายข้อ)",
        required=False,
        options=["เว็บไซต์นิเทศ Online", "LINE", "Facebook", "หนังสือราชการ"],
    )
    add_item(suggestions, ItemKind.LONG_TEXT, "ข้อเสนอแนะเพิ่มเติม", required=False)


# Answering ------------------------------------------------------------------------------------
@dataclass
class ParsedAnswers:
    numbers: dict[int, list[int]] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)


def _ints(values: list[str]) -> list[int] | None:
    try:
        return [int(value) for value in values]
    except ValueError:
        return None


def parse_answers(survey: Survey, form: MultiDict) -> ParsedAnswers:
    """Checks every item's answer; errors are Thai, keyed by item id."""
    parsed = ParsedAnswers()
    for item in survey.items:
        name = f"item-{item.id}"
        if item.kind.is_text:
            text = (form.get(name) or "").strip()
            limit = SHORT_TEXT_MAX if item.kind == ItemKind.SHORT_TEXT else LONG_TEXT_MAX
            if not text and item.required:
                parsed.errors[item.id] = "กรุณากรอกคำตอบข้อนี้"
            elif len(text) > limit:
                parsed.errors[item.id] = f"คำตอบต้องไม่เกิน {limit:,} ตัวอักษร"
            elif text:
                parsed.texts[item.id] = text
            continue
        values = _ints([value for value in form.getlist(name) if value != ""])
        if values is None:
            parsed.errors[item.id] = "คำตอบไม่ถูกต้อง กรุณาเลือกใหม่"
            continue
        options = len(item.options or [])
        allowed = range(1, 6) if item.kind == ItemKind.RATING else range(options)
        if any(value not in allowed for value in values) or (
            item.kind != ItemKind.MULTIPLE and len(values) > 1
        ):
            parsed.errors[item.id] = "คำตอบไม่ถูกต้อง กรุณาเลือกใหม่"
        elif not values and item.required:
            parsed.errors[item.id] = (
                "กรุณาเลือกระดับความคิดเห็น"
                if item.kind == ItemKind.RATING
                else "กรุณาเลือกอย่างน้อย 1 ข้อ"
                if item.kind == ItemKind.MULTIPLE
                else "กรุณาเลือกคำตอบ"
            )
        elif values:
            parsed.numbers[item.id] = sorted(set(values))
    return parsed


def token_hash(token: str | None) -> str | None:
    return hashlib.sha256(token.encode()).hexdigest() if token else None


def already_answered(survey: Survey, user: User | None, respondent_token: str | None) -> bool:
    """One response per person: per account when a login is needed; otherwise per browser, known
    by its random respondent cookie (stored hashed). Never per address and browser make: a
    training room's identical phones behind one router are different people."""
    query = select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id)
    if survey.response_mode == ResponseMode.LOGIN:
        if user is None:
            return False
        return db.session.scalar(query.where(SurveyResponse.user_id == user.id)) is not None
    if not respondent_token:
        return False
    found = query.where(SurveyResponse.respondent_token == token_hash(respondent_token))
    return db.session.scalar(found.limit(1)) is not None


class AlreadyAnswered(Exception):
    pass


def save_response(
    survey: Survey,
    parsed: ParsedAnswers,
    user: User | None,
    respondent_token: str | None,
) -> SurveyResponse:
    """Stores the answers; a second answer by the same person (even racing) is refused."""
    login_mode = survey.response_mode == ResponseMode.LOGIN
    response = SurveyResponse(
        survey=survey,
        user_id=user.id if login_mode and user else None,
        respondent_token=None if login_mode else token_hash(respondent_token),
        role=user.role.value if user is not None else "",
    )
    db.session.add(response)
    for item_id, numbers in parsed.numbers.items():
        for number in numbers:
            response.answers.append(SurveyAnswer(item_id=item_id, number=number))
    for item_id, text in parsed.texts.items():
        response.answers.append(SurveyAnswer(item_id=item_id, text=text))
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise AlreadyAnswered from error
    return response
