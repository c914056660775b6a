"""Demo surveys with responses, so the results pages have content. Idempotent."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from nitet_online.accounts.models import Role, User
from nitet_online.extensions import db
from nitet_online.services.thai import today_bangkok, utcnow
from nitet_online.surveys.models import ItemKind, ResponseMode, Survey, SurveyAnswer, SurveyResponse
from nitet_online.surveys.services import add_item, add_section, apply_satisfaction_template

SATISFACTION_TITLE = "แบบประเมินความพึงพอใจต่อการใช้งานระบบนิเทศ Online"
WORKSHOP_TITLE = "แบบประเมินการอบรมเชิงปฏิบัติการ การจัดการเรียนรู้เชิงรุก (Active Learning)"
SUGGESTIONS = [
    "อยากให้มีคลิปตัวอย่างการสอนเพิ่มขึ้น",
    "ระบบใช้งานง่าย ตอบคำถามรวดเร็วมากค่ะ",
    "ขอให้แจ้งข่าวการอบรมผ่าน LINE ด้วย",
    "ควรมีคู่มือการวัดและประเมินผลแยกตามกลุ่มสาระ",
    "ขอบคุณศึกษานิเทศก์ที่ให้คำแนะนำอย่างต่อเนื่อง",
    "อยากให้เปิดห้องสนทนาสำหรับครูโรงเรียนขนาดเล็ก",
]


def _answers_for(survey: Survey, rng: random.Random, tilt: float) -> list[SurveyAnswer]:
    answers = []
    for item in survey.items:
        if item.kind == ItemKind.RATING:
            level = 5 if rng.random() < tilt else rng.choice([4, 4, 4, 3, 5, 3, 2])
            answers.append(SurveyAnswer(item_id=item.id, number=level))
        elif item.kind == ItemKind.SINGLE:
            answers.append(SurveyAnswer(item_id=item.id, number=rng.choice([0, 0, 0, 1, 2, 3])))
        elif item.kind == ItemKind.MULTIPLE:
            for index in sorted(rng.sample(range(len(item.options)), rng.randint(1, 3))):
                answers.append(SurveyAnswer(item_id=item.id, number=index))
        elif rng.random() < 0.35:
            answers.append(SurveyAnswer(item_id=item.id, text=rng.choice(SUGGESTIONS)))
    return answers


def _respond(
    survey: Survey, count: int, days: tuple[int, int], rng: random.Random, tilt: float, users=()
):
    now = utcnow()
    for number in range(count):
        user = users[number] if number < len(users) else None
        response = SurveyResponse(
            survey=survey,
            user_id=user.id if user and survey.response_mode == ResponseMode.LOGIN else None,
            respondent_token=None if user else f"demo-{survey.id}-{number:03d}".ljust(64, "0"),
            role=user.role.value
            if user
            else rng.choice(["teacher", "teacher", "school_director", ""]),
            submitted_at=now - timedelta(days=rng.randint(*days), minutes=rng.randint(0, 600)),
        )
        response.answers = _answers_for(survey, rng, tilt)
        db.session.add(response)


def seed_surveys() -> None:
    if db.session.scalar(select(Survey.id).where(Survey.title == SATISFACTION_TITLE)):
        return
    owner = db.session.scalar(select(User).where(User.username == "supervisor1"))
    if owner is None:
        return
    today = today_bangkok()
    rng = random.Random(2570)
    satisfaction = Survey(
        title=SATISFACTION_TITLE,
        description="ขอความร่วมมือครู ผู้บริหาร และผู้ใช้งานทุกท่านประเมินความพึงพอใจ เพื่อนำผลไปพัฒนาระบบและการนิเทศ",
        owner_id=owner.id,
        response_mode=ResponseMode.ANYONE,
        is_published=True,
        opens_on=today - timedelta(days=30),
        closes_on=today + timedelta(days=60),
    )
    db.session.add(satisfaction)
    apply_satisfaction_template(satisfaction)
    db.session.flush()
    _respond(satisfaction, 28, (1, 29), rng, tilt=0.5)

    workshop = Survey(
        title=WORKSHOP_TITLE,
        description="สำหรับผู้เข้าร่วมอบรม ณ ห้องประชุมสำนักงานเขตพื้นที่ฯ",
        owner_id=owner.id,
        attached_type="training",
        attached_id=1,
        response_mode=ResponseMode.LOGIN,
        is_published=True,
        opens_on=today - timedelta(days=40),
        closes_on=today - timedelta(days=10),
    )
    db.session.add(workshop)
    section = add_section(workshop, "ความพึงพอใจต่อการอบรม")
    for prompt in (
        "วิทยากรถ่ายทอดความรู้ได้ชัดเจน",
        "กิจกรรมเหมาะสมกับเวลา",
        "นำความรู้ไปใช้ในห้องเรียนได้",
    ):
        add_item(section, ItemKind.RATING, prompt)
    add_item(section, ItemKind.SHORT_TEXT, "สิ่งที่ได้เรียนรู้มากที่สุด", required=False)
    db.session.flush()
    teachers = db.session.scalars(
        select(User).where(User.role == Role.TEACHER).order_by(User.username).limit(12)
    ).all()
    _respond(workshop, len(teachers), (11, 38), rng, tilt=0.4, users=teachers)
    db.session.flush()
