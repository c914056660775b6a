"""ถาม-ตอบ: how long the Q&A pages take with several years of an office's questions.

Demo data plus QUESTIONS questions (spread over three years, every learning area, two thirds
answered, a third of those accepted, routed to the demo supervisors; ANSWERS answers and comments
on the busiest one). Median and p95 of REPEAT requests each (Flask test client), compared with the
manual's front page, a template page that reads almost nothing from the database (baseline):

  /manual/                        baseline
  /questions/                     the list, page 1 (newest)
  /questions/?sort=unanswered     longest waiting first (open questions only)
  /questions/?area=…&page=5       a filtered page deep in the list
  /questions/<id>-<slug>          the busiest question (answers, comments, votes, attachments)
  /questions/inbox                supervisor1's inbox with the counts of its four tabs
  /questions/similar?q=…          similar questions while typing (LIKE fallback or search index)
  response_times(fiscal year)     the statistics figures over a year (function call)
  POST /questions/ask             asking: validation, routing, revision, follow, notifications

    .venv/bin/python bench/bench_questions.py                  # QUESTIONS=5000 REPEAT=30
    .venv/bin/python bench/bench_questions.py --questions 500 --repeat 10
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import page_times, scratch_app  # noqa: E402

WORDS = [
    "การอ่าน", "การเขียน", "เศษส่วน", "โครงงาน", "การวัดผล", "ห้องเรียนรวม", "วิจัยในชั้นเรียน",
    "สื่อการสอน", "PLC", "ลูกเสือ", "O-NET", "การทดลอง", "ภาษาอังกฤษ", "ดนตรี", "สมรรถภาพ",
]  # fmt: skip


def fill(app, count: int, answers: int) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from nitet_online.accounts.models import Role, User
    from nitet_online.demo import seed_demo
    from nitet_online.extensions import db
    from nitet_online.org.models import LearningArea
    from nitet_online.questions import services
    from nitet_online.questions.models import (
        Answer,
        Question,
        QuestionAssignment,
        QuestionComment,
        QuestionStatus,
    )
    from nitet_online.questions.routing import responsible_supervisors
    from nitet_online.services.thai import utcnow

    rng = random.Random(2569)
    with app.app_context():
        upgrade()
        seed_demo()
        teachers = list(db.session.scalars(select(User).where(User.role == Role.TEACHER)))
        areas = list(db.session.scalars(select(LearningArea)))
        routes = {
            (area.id, teacher.school_id): responsible_supervisors(area.id, teacher.school)
            for area in areas
            for teacher in teachers
        }
        now = utcnow()
        for number in range(count):
            asker, area = rng.choice(teachers), rng.choice(areas)
            asked = now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
            words = rng.sample(WORDS, 3)
            question = Question(
                title=f"คำถามที่ {number} เรื่อง{words[0]}และ{words[1]} ควรทำอย่างไร",
                body=f"รายละเอียดเรื่อง **{words[2]}** " * 20,
                author=asker,
                learning_area=area,
                school_id=asker.school_id,
                created_at=asked,
                last_activity_at=asked,
            )
            reasons = routes[(area.id, asker.school_id)]
            question.assignments = [
                QuestionAssignment(supervisor_id=uid, reason=",".join(why))
                for uid, why in reasons.items()
            ]
            if rng.random() < 0.66 and reasons:
                answered = asked + timedelta(hours=rng.randint(1, 72))
                reply = Answer(
                    author_id=next(iter(reasons)),
                    body="คำแนะนำ " * 30,
                    by_supervisor=True,
                    created_at=answered,
                )
                question.answers.append(reply)
                question.first_answered_at = question.first_supervisor_answered_at = answered
                question.answer_count = 1
                question.status = QuestionStatus.ANSWERED
                if rng.random() < 0.33:
                    reply.accepted_at = question.resolved_at = answered + timedelta(hours=5)
                    question.status = QuestionStatus.RESOLVED
            db.session.add(question)
        db.session.commit()
        busiest = db.session.scalar(select(Question).order_by(Question.id))
        supervisors = list(db.session.scalars(select(User).where(User.role == Role.SUPERVISOR)))
        for number in range(answers):
            reply = services.post_answer(busiest, rng.choice(supervisors), f"คำตอบที่ {number} " * 40)
            db.session.add(
                QuestionComment(
                    question=busiest, answer=reply, author=rng.choice(teachers), body="ขอบคุณค่ะ"
                )
            )
            for teacher in rng.sample(teachers, 5):
                services.toggle_vote(reply, teacher)
        db.session.commit()
        return {
            "busiest": busiest.url,
            "area": areas[1].id,
            "asker": "teacher1",
            "thai": next(a.id for a in areas if a.code == "thai"),
        }


def log_in(app, username: str):
    client = app.test_client()
    client.post("/auth/login", data={"login": username, "password": "nitet-demo"})
    return client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--answers", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = scratch_app(Path(folder))
        started = time.perf_counter()
        info = fill(app, args.questions, args.answers)
        print(f"filled {args.questions} questions in {time.perf_counter() - started:.1f} s")
        anonymous, supervisor = app.test_client(), log_in(app, "supervisor1")
        pages = [
            ("/manual/ (baseline)", anonymous, "/manual/"),
            ("/questions/", anonymous, "/questions/"),
            ("/questions/?sort=unanswered", anonymous, "/questions/?sort=unanswered"),
            ("/questions/?area=…&page=5", anonymous, f"/questions/?area={info['area']}&page=5"),
            (f"question with {args.answers} answers", anonymous, info["busiest"]),
            ("/questions/inbox (supervisor1)", supervisor, "/questions/inbox"),
            ("/questions/similar?q=…", anonymous, "/questions/similar?q=นักเรียนอ่านเศษส่วนไม่เข้าใจ"),
        ]
        print(f"{'page':40} {'median ms':>10} {'p95 ms':>10}")
        for label, client, url in pages:
            median, p95 = page_times(client, url, args.repeat)
            print(f"{label:40} {median:10.1f} {p95:10.1f}")
        with app.app_context():
            from nitet_online.questions.services import response_times
            from nitet_online.services.thai import fiscal_year, fiscal_year_range, today_bangkok

            start, end = fiscal_year_range(fiscal_year(today_bangkok()))
            timings = []
            for _ in range(max(3, args.repeat // 5)):
                began = time.perf_counter()
                figures = response_times(start, end)
                timings.append((time.perf_counter() - began) * 1000)
            print(
                f"{'response_times(fiscal year)':40} {statistics.median(timings):10.1f} {max(timings):10.1f}"
                f"   ({figures.asked} questions)"
            )
        teacher = log_in(app, "teacher1")
        timings = []
        for number in range(args.repeat):
            began = time.perf_counter()
            response = teacher.post(
                "/questions/ask",
                data={
                    "title": f"คำถามวัดเวลาข้อที่ {number} เรื่องการอ่านออกเสียง",
                    "body": "รายละเอียด " * 50,
                    "learning_area_id": str(info["thai"]),
                    "grade_level_id": "0",
                    "tags": "การอ่าน, ป.1",
                },
            )
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 302, response.status_code
        timings.sort()
        print(
            f"{'POST /questions/ask':40} {statistics.median(timings):10.1f} {timings[int(len(timings) * 0.95) - 1]:10.1f}"
        )


if __name__ == "__main__":
    main()
