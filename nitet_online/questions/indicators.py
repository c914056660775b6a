"""The Q&A indicator of the statistics dashboards: how many questions supervisors answered, how
fast, and per supervisor (declared in the feature's setup)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.questions.models import Answer, Question
from nitet_online.stats.indicators import DAY, hours, median, share, utc_bounds
from nitet_online.stats.registry import IndicatorResult, StatTable


@dataclass
class FirstAnswers:
    """Per supervisor: the questions of the period they answered first, and how fast."""

    waits: dict[int, list[timedelta]]
    users: dict[int, User]


def first_supervisor_answers(start: date, end: date) -> FirstAnswers:
    """Which supervisor gave each question of the period its first supervisor answer."""
    begin, until = utc_bounds(start, end)
    rows = db.session.execute(
        select(Answer.question_id, Answer.author_id, Answer.created_at, Question.created_at)
        .join(Question, Question.id == Answer.question_id)
        .where(
            Question.created_at >= begin,
            Question.created_at < until,
            Question.is_hidden.is_(False),
            Answer.by_supervisor.is_(True),
            Answer.is_hidden.is_(False),
            Answer.author_id.is_not(None),
        )
        .order_by(Answer.question_id, Answer.created_at)
    ).all()
    first: dict[int, tuple[int, datetime, datetime]] = {}
    for question_id, author_id, answered_at, asked_at in rows:
        first.setdefault(question_id, (author_id, answered_at, asked_at))
    waits: dict[int, list[timedelta]] = defaultdict(list)
    for author_id, answered_at, asked_at in first.values():
        waits[author_id].append(answered_at - asked_at)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(waits))))}
    return FirstAnswers(dict(waits), users)


def questions_indicator(start: date, end: date) -> IndicatorResult:
    from nitet_online.questions.figures import answers_by_supervisor, response_times

    times = response_times(start, end)
    areas = StatTable(
        "questions_by_area",
        "คำถามและเวลาตอบแยกตามกลุ่มสาระการเรียนรู้",
        [
            "กลุ่มสาระการเรียนรู้",
            "คำถาม",
            "ตอบแล้ว",
            "แก้ปัญหาแล้ว",
            "มัธยฐานเวลาตอบครั้งแรก (ชม.)",
            "ตอบภายใน 24 ชม. (%)",
        ],
        [
            [
                area.learning_area,
                area.asked,
                area.answered,
                area.resolved,
                area.first_answer.median_hours if area.first_answer.count else "-",
                share(
                    sum(
                        1
                        for q in times.questions
                        if q.learning_area == area.learning_area
                        and q.first_answer is not None
                        and q.first_answer <= DAY
                    ),
                    area.asked,
                ),
            ]
            for area in times.by_learning_area
        ],
        chart={"type": "bar", "value_columns": [1, 2]},
    )
    first = first_supervisor_answers(start, end)
    written = {entry.user.id: entry for entry in answers_by_supervisor(start, end)}
    supervisor_rows = []
    for user_id in sorted(
        set(first.waits) | set(written), key=lambda i: -len(first.waits.get(i, []))
    ):
        user = first.users.get(user_id) or written[user_id].user
        waits = first.waits.get(user_id, [])
        entry = written.get(user_id)
        supervisor_rows.append(
            [
                user.full_name,
                entry.answers if entry else 0,
                entry.accepted if entry else 0,
                len(waits),
                hours(median(waits)),
                share(sum(1 for w in waits if w <= DAY), len(waits)),
            ]
        )
    supervisors = StatTable(
        "questions_by_supervisor",
        "การตอบคำถามของศึกษานิเทศก์",
        [
            "ศึกษานิเทศก์",
            "คำตอบ",
            "คำตอบที่ดีที่สุด",
            "ตอบเป็นคนแรก (คำถาม)",
            "มัธยฐานเวลาตอบครั้งแรก (ชม.)",
            "ตอบภายใน 24 ชม. (%)",
        ],
        supervisor_rows,
    )
    return IndicatorResult(
        value=times.asked,
        unit="คำถาม",
        note="นับคำถามที่ตั้งในช่วงเวลานี้ เวลาตอบนับจากเวลาที่ตั้งคำถามถึงคำตอบแรก",
        figures=[
            ("ตอบแล้ว", times.answered, "คำถาม"),
            ("ศึกษานิเทศก์ตอบ", times.supervisor_answered, "คำถาม"),
            ("แก้ปัญหาแล้ว", times.resolved, "คำถาม"),
            ("มัธยฐานเวลาตอบครั้งแรก", hours(times.first_answer.median), "ชั่วโมง"),
            ("ตอบภายใน 24 ชั่วโมง", share(times.answered_within_24h, times.asked), "%"),
        ],
        tables=[areas, supervisors],
    )


def my_questions_indicator(user_id: int, start: date, end: date) -> IndicatorResult:
    from nitet_online.questions.figures import answers_by_supervisor

    waits = first_supervisor_answers(start, end).waits.get(user_id, [])
    mine = next((e for e in answers_by_supervisor(start, end) if e.user.id == user_id), None)
    return IndicatorResult(
        value=mine.answers if mine else 0,
        unit="คำตอบ",
        figures=[
            ("คำถามที่ตอบ", mine.questions if mine else 0, "คำถาม"),
            ("คำตอบที่ได้รับเลือกเป็นคำตอบที่ดีที่สุด", mine.accepted if mine else 0, "คำตอบ"),
            ("ตอบเป็นคนแรก", len(waits), "คำถาม"),
            ("มัธยฐานเวลาตอบครั้งแรก", hours(median(waits)), "ชั่วโมง"),
            ("ตอบภายใน 24 ชั่วโมง", share(sum(1 for w in waits if w <= DAY), len(waits)), "%"),
        ],
    )
