"""ถาม-ตอบ: routing to the responsible supervisors (learning area, school, network, nobody → the
group inbox), the inbox, every state change, permissions, anonymous askers, notification fan-out,
edit history, moderation with the audit log, response times, bad input and rate limits."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from nitet_online.accounts.models import AccountStatus, User
from nitet_online.audit.models import AuditEntry
from nitet_online.extensions import db
from nitet_online.notifications.models import Notification
from nitet_online.org.models import LearningArea
from nitet_online.questions import moderation, routing, services
from nitet_online.questions.demo import QUESTIONS, seed_questions
from nitet_online.questions.models import (
    Answer,
    Question,
    QuestionComment,
    QuestionRevision,
    QuestionStatus,
)
from nitet_online.questions.services import QuestionError
from nitet_online.services.thai import utcnow
from nitet_online.uploads.models import Upload, attachments_of
from tests.conftest import build_app, login
from tests.files import jpeg_with_exif
from tests.htmlcheck import injections
from tests.test_security_xss import PAYLOADS

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


# Helpers --------------------------------------------------------------------------------------
def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def area_id(code: str) -> int:
    return db.session.scalar(select(LearningArea.id).where(LearningArea.code == code))


def ask(username: str = "teacher1", area: str | None = "thai", **fields) -> Question:
    values = {
        "title": "ทดสอบคำถาม: นักเรียนไม่ส่งการบ้านควรทำอย่างไร",
        "body": "รายละเอียดของคำถามทดสอบ",
        "learning_area_id": area_id(area) if area else None,
    }
    values.update(fields)
    question = services.ask_question(user(username), **values)
    db.session.commit()
    return question


def answer(question: Question, username: str, body: str = "คำตอบทดสอบ", **kw) -> Answer:
    result = services.post_answer(question, user(username), body, **kw)
    db.session.commit()
    return result


def assigned(question: Question) -> set[str]:
    return {a.supervisor.username for a in question.assignments}


def notified(username: str, kind: str | None = None, since: int = 0) -> list[Notification]:
    query = select(Notification).where(
        Notification.user_id == user(username).id, Notification.id > since
    )
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))


def last_notification_id() -> int:
    return db.session.scalar(select(func.max(Notification.id))) or 0


def form(**changes) -> dict:
    data = {
        "title": "นักเรียน ป.2 เขียนตามคำบอกไม่ได้ ควรฝึกอย่างไร",
        "body": "นักเรียน 5 คนเขียนตามคำบอกผิดเกินครึ่ง **ขอคำแนะนำ**",
        "learning_area_id": "",
        "grade_level_id": "0",
        "tags": "การเขียน, ป.2",
    }
    data.update(changes)
    return data


def post_ask(app, client, **changes):
    with app.app_context():
        data = form(learning_area_id=str(area_id("thai")), **changes)
    return client.post("/questions/ask", data=data, content_type="multipart/form-data")


def question_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Question.id)))


def html(response) -> str:
    return response.get_data(as_text=True)


# Routing ----------------------------------------------------------------------------------------
def test_routing_by_learning_area_school_and_network(app_context):
    question = ask("teacher1", "thai")  # บ้านควนขนุน, network เขาชัยสน
    reasons = {a.supervisor.username: set(a.reason.split(",")) for a in question.assignments}
    # supervisor1: ภาษาไทย, the school itself and its network; supervisor4: the network only.
    assert reasons == {
        "supervisor1": {"learning_area", "school", "network"},
        "supervisor4": {"network"},
    }


def test_routing_adds_the_learning_area_supervisors_of_another_network(app_context):
    question = ask("teacher2", "arts")  # บ้านโคกทราย, network ป่าบอน-โคกทราย
    assert assigned(question) == {"supervisor4", "supervisor2", "supervisor5"}
    reasons = {a.supervisor.username: a.reason for a in question.assignments}
    assert reasons["supervisor4"] == "learning_area"
    assert set(reasons["supervisor2"].split(",")) == {"school", "network"}
    assert reasons["supervisor5"] == "network"


def test_routing_by_learning_area_alone_for_staff_without_a_school(app_context):
    assert assigned(ask("staff1", "math")) == {"supervisor2", "supervisor6"}


def test_nobody_responsible_goes_to_the_group_inbox(app_context):
    since = last_notification_id()
    question = ask("staff1", None, title="ย้ายนักเรียนกลางปีต้องใช้เอกสารอะไรบ้าง")
    assert question.assignments == []
    supervisors = routing.active_supervisors()
    for supervisor in supervisors:
        (note,) = notified(supervisor.username, "question_unassigned", since)
        assert "ยังไม่มีผู้รับผิดชอบ" in note.text
        ids = [q.id for q in db.session.scalars(routing.inbox_query(supervisor, "unassigned"))]
        assert question.id in ids
        assert question.id not in [
            q.id for q in db.session.scalars(routing.inbox_query(supervisor, "mine"))
        ]


def test_inactive_supervisors_and_the_asker_are_not_assigned(app_context):
    user("supervisor4").status = AccountStatus.DEACTIVATED
    db.session.commit()
    assert assigned(ask("teacher1", "thai")) == {"supervisor1"}
    assert (
        assigned(ask("supervisor1", "thai")) == set()
    )  # a supervisor asking is not their own helper


def test_the_group_inbox_page_says_nobody_is_responsible(demo_app, login_as):
    with demo_app.app_context():
        question = ask("staff1", None, title="คำถามที่ยังไม่มีใครรับผิดชอบเลยสักคน")
        url = question.url
    client = login_as("supervisor3")
    page = html(client.get("/questions/inbox?tab=unassigned"))
    assert "คำถามที่ยังไม่มีใครรับผิดชอบเลยสักคน" in page and "ยังไม่มีผู้รับผิดชอบ" in page
    assert "ยังไม่มีผู้รับผิดชอบ" in html(client.get(url))


def test_inbox_is_oldest_first_with_counts(demo_app, login_as):
    with demo_app.app_context():
        newer = ask(
            "teacher1", "thai", title="คำถามใหม่กว่า รอคำตอบอยู่", now=utcnow() - timedelta(hours=1)
        )
        older = ask(
            "teacher1", "thai", title="คำถามเก่ากว่า รอคำตอบมานาน", now=utcnow() - timedelta(days=9)
        )
        mine = [q.id for q in db.session.scalars(routing.inbox_query(user("supervisor1"), "mine"))]
        assert mine.index(older.id) < mine.index(newer.id)
        counts = routing.inbox_counts(user("supervisor1"))
        assert counts["mine"] == len(mine)
    page = html(login_as("supervisor1").get("/questions/inbox"))
    assert page.index("คำถามเก่ากว่า รอคำตอบมานาน") < page.index("คำถามใหม่กว่า รอคำตอบอยู่")
    assert f">{counts['mine']}</span>" in page
    assert "รอ 9 วัน" in page


def test_claim_reassign_and_invite(app_context):
    question = ask("teacher1", "thai")
    since = last_notification_id()
    routing.claim(question, user("supervisor4"))
    db.session.commit()
    assert question.claimed_by.username == "supervisor4"
    assert "claimed" in next(
        a.reason for a in question.assignments if a.supervisor.username == "supervisor4"
    )

    routing.invite(question, user("supervisor3"), user("supervisor1"), "ช่วยดูด้วยครับ")
    db.session.commit()
    assert assigned(question) == {"supervisor1", "supervisor4", "supervisor3"}
    (note,) = notified("supervisor3", "question_assigned", since)
    assert "เชิญท่านร่วมตอบ" in note.text and "ช่วยดูด้วยครับ" in note.text

    routing.reassign(question, user("supervisor6"), user("director1"))
    db.session.commit()
    assert assigned(question) == {"supervisor6"} and question.claimed_by_id is None
    assert notified("supervisor6", "question_assigned", since)
    actions = set(
        db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_id == question.id))
    )
    assert {"question.claim", "question.invite", "question.reassign"} <= actions


def test_reassign_through_the_page_and_a_teacher_cannot(demo_app, login_as):
    with demo_app.app_context():
        question = ask("teacher1", "thai")
        question_id, target = question.id, user("supervisor5").id
    assert login_as("teacher1").post(f"/questions/{question_id}/assign").status_code == 403
    client = login_as("supervisor1")
    response = client.post(
        f"/questions/{question_id}/assign",
        data={"supervisor_id": str(target), "mode": "reassign", "note": ""},
    )
    assert response.status_code == 302
    with demo_app.app_context():
        assert assigned(db.session.get(Question, question_id)) == {"supervisor5"}


# States -----------------------------------------------------------------------------------------
def test_every_state_change(app_context):
    question = ask("teacher1", "thai")
    assert question.status == QuestionStatus.OPEN and question.status.label == "รอคำตอบ"

    first = answer(question, "supervisor1")
    assert question.status == QuestionStatus.ANSWERED and question.status.label == "ตอบแล้ว"
    assert question.answer_count == 1

    services.accept_answer(first, user("teacher1"))
    db.session.commit()
    assert question.status == QuestionStatus.RESOLVED and question.status.label == "แก้ไขแล้ว"
    assert question.resolved_at == first.accepted_at

    second = answer(question, "t003")
    services.accept_answer(second, user("teacher1"))  # choosing another answer moves the mark
    db.session.commit()
    assert first.accepted_at is None and second.is_accepted

    services.unaccept_answer(second, user("teacher1"))
    db.session.commit()
    assert question.status == QuestionStatus.ANSWERED and question.resolved_at is None

    original = ask("teacher2", "thai", title="คำถามต้นฉบับเรื่องการอ่านออกเสียง")
    moderation.close_question(question, user("supervisor1"), "duplicate", "", original)
    db.session.commit()
    assert question.status == QuestionStatus.CLOSED and question.status.label == "ปิด"
    assert question.duplicate_of_id == original.id
    with pytest.raises(QuestionError, match="ปิดแล้ว"):
        services.post_answer(question, user("supervisor4"), "ตอบหลังปิด")

    moderation.reopen_question(question, user("supervisor1"))
    db.session.commit()
    assert question.status == QuestionStatus.ANSWERED and question.duplicate_of_id is None


def test_hiding_the_only_answer_reopens_and_restoring_brings_it_back(app_context):
    question = ask("teacher1", "thai")
    only = answer(question, "supervisor1")
    services.accept_answer(only, user("teacher1"))
    db.session.commit()
    moderation.hide_post(only, user("supervisor4"), "ข้อมูลคลาดเคลื่อน")
    db.session.commit()
    assert question.status == QuestionStatus.OPEN and question.answer_count == 0
    assert question.first_answered_at is None
    moderation.restore_post(only, user("supervisor4"))
    db.session.commit()
    assert (
        question.status == QuestionStatus.RESOLVED and question.first_answered_at == only.created_at
    )


def test_closed_duplicate_links_to_the_original(demo_app, demo_client):
    with demo_app.app_context():
        duplicate = db.session.scalar(
            select(Question).where(Question.status == QuestionStatus.CLOSED)
        )
        url, original = duplicate.url, duplicate.duplicate_of
        original_url, original_title = original.url, original.title
    page = html(demo_client.get(url))
    assert "คำถามนี้ปิดแล้ว" in page and "ซ้ำกับคำถามที่มีอยู่แล้ว" in page
    assert f'href="{original_url}"' in page and original_title in page


def test_close_as_duplicate_needs_the_original(demo_app, login_as):
    with demo_app.app_context():
        question_id = ask("teacher1", "thai").id
    client = login_as("supervisor1")
    page = html(
        client.post(
            f"/questions/{question_id}/close", data={"reason": "duplicate", "duplicate_of": ""}
        )
    )
    assert "กรุณาระบุคำถามต้นฉบับ" in page
    page = html(
        client.post(
            f"/questions/{question_id}/close",
            data={"reason": "duplicate", "duplicate_of": str(question_id)},
        )
    )
    assert "ซ้ำกับตัวเองไม่ได้" in page
    with demo_app.app_context():
        assert db.session.get(Question, question_id).status == QuestionStatus.OPEN


def test_locked_question_takes_no_answers_or_comments(demo_app, login_as):
    with demo_app.app_context():
        question = ask("teacher1", "thai")
        moderation.lock_question(question, user("supervisor1"), "ตอบครบแล้ว")
        db.session.commit()
        question_id, url = question.id, question.url
    client = login_as("teacher2")
    client.post(f"/questions/{question_id}/answers", data={"body": "ตอบหลังล็อก"})
    client.post(f"/questions/{question_id}/comments", data={"body": "ความเห็นหลังล็อก"})
    page = html(client.get(url))
    assert "คำถามนี้ถูกล็อก" in page and "ตอบหลังล็อก" not in page
    with demo_app.app_context():
        assert (
            db.session.scalar(
                select(func.count(Answer.id)).where(Answer.question_id == question_id)
            )
            == 0
        )
        assert (
            db.session.scalar(
                select(func.count(QuestionComment.id)).where(
                    QuestionComment.question_id == question_id
                )
            )
            == 0
        )
    # The asker may not edit a locked question either.
    assert login_as("teacher1").get(f"/questions/{question_id}/edit").status_code == 403


# Response times --------------------------------------------------------------------------------------
def test_first_answer_and_first_supervisor_answer_are_both_kept(app_context):
    asked = utcnow() - timedelta(days=2)
    question = ask("teacher1", "thai", now=asked)
    answer(question, "teacher1", "ขอเพิ่มเติมเอง", now=asked + timedelta(minutes=30))  # the asker
    answer(question, "t003", now=asked + timedelta(hours=1))
    supervisor_answer = answer(question, "supervisor1", now=asked + timedelta(hours=3))
    services.accept_answer(supervisor_answer, user("teacher1"), now=asked + timedelta(hours=5))
    db.session.commit()
    assert question.time_to_first_answer == timedelta(hours=1)  # the asker's own does not count
    assert question.time_to_supervisor_answer == timedelta(hours=3)
    assert question.time_to_resolution == timedelta(hours=5)


def test_response_times_for_statistics(app_context):
    start = date(2020, 1, 6)
    base = utcnow().replace(year=2020, month=1, day=6, hour=3, minute=0, second=0, microsecond=0)
    fast = ask("teacher1", "thai", now=base, title="คำถามที่ตอบเร็วภายในสองชั่วโมง")
    answer(fast, "supervisor1", now=base + timedelta(hours=2))
    slow = ask("teacher2", "math", now=base + timedelta(hours=1), title="คำถามที่ตอบช้าสามสิบชั่วโมง")
    late = answer(slow, "supervisor2", now=base + timedelta(hours=31))
    services.accept_answer(late, user("teacher2"), now=base + timedelta(hours=41))
    ask("teacher2", "math", now=base + timedelta(hours=2), title="คำถามที่ยังไม่มีใครตอบเลย")
    hidden = ask("teacher2", "math", now=base + timedelta(hours=3), title="คำถามที่ถูกซ่อนไม่นับ")
    moderation.hide_post(hidden, user("supervisor2"), "ทดสอบ")
    db.session.commit()

    times = services.response_times(start, start)
    assert (times.asked, times.answered, times.supervisor_answered, times.resolved) == (3, 2, 2, 1)
    assert times.still_open == 1 and times.answered_within_24h == 1
    assert times.first_answer.median == timedelta(hours=16)  # median of 2 h and 30 h
    assert times.first_answer.mean_hours == 16.0
    assert times.resolution.median == timedelta(hours=40)
    math_row = next(row for row in times.by_learning_area if row.learning_area == "คณิตศาสตร์")
    assert (math_row.asked, math_row.answered, math_row.resolved) == (2, 1, 1)
    assert times.as_json()["first_answer"] == {"count": 2, "median_hours": 16.0, "mean_hours": 16.0}
    assert services.response_times(start + timedelta(days=1), start + timedelta(days=2)).asked == 0


def test_figures_page_is_for_supervisors_and_managers(demo_app, login_as):
    assert login_as("teacher1").get("/questions/figures").status_code == 403
    page = html(login_as("director1").get("/questions/figures"))
    assert "ระยะเวลาตอบคำถาม" in page and "ตอบครั้งแรก (ค่ากลาง)" in page
    data = login_as("supervisor1").get("/questions/figures.json").json
    assert data["asked"] >= 15 and data["answered"] >= 10


def test_resolved_question_shows_time_to_first_answer(demo_app, demo_client):
    with demo_app.app_context():
        question = ask("teacher1", "thai", now=utcnow() - timedelta(hours=5))
        first = answer(question, "supervisor1", now=utcnow() - timedelta(hours=3))
        services.accept_answer(first, user("teacher1"))
        db.session.commit()
        url = question.url
    page = html(demo_client.get(url))
    assert "แก้ไขแล้ว" in page and "ตอบครั้งแรกภายใน 2 ชั่วโมง" in page and "คำตอบที่ดีที่สุด" in page


# Permissions ------------------------------------------------------------------------------------
@pytest.fixture
def thread(demo_app):
    """teacher1's question with supervisor1's answer."""
    with demo_app.app_context():
        question = ask("teacher1", "thai")
        reply = answer(question, "supervisor1", "คำตอบของศึกษานิเทศก์")
        return {"question_id": question.id, "answer_id": reply.id, "url": question.url}


def test_a_teacher_cannot_accept_on_someone_elses_question(demo_app, login_as, thread):
    response = login_as("teacher2").post(f"/questions/answers/{thread['answer_id']}/accept")
    assert response.status_code == 403
    assert "เฉพาะผู้ถามหรือศึกษานิเทศก์" in html(response)
    with demo_app.app_context():
        assert db.session.get(Question, thread["question_id"]).status == QuestionStatus.ANSWERED
    assert (
        login_as("teacher1").post(f"/questions/answers/{thread['answer_id']}/accept").status_code
        == 302
    )
    with demo_app.app_context():
        assert db.session.get(Question, thread["question_id"]).status == QuestionStatus.RESOLVED


def test_a_supervisor_may_accept_for_the_asker_and_it_is_audited(demo_app, login_as, thread):
    assert (
        login_as("supervisor4").post(f"/questions/answers/{thread['answer_id']}/accept").status_code
        == 302
    )
    with demo_app.app_context():
        assert (
            db.session.scalar(
                select(func.count(AuditEntry.id)).where(
                    AuditEntry.action == "answer.accept",
                    AuditEntry.target_id == thread["answer_id"],
                )
            )
            == 1
        )


def test_a_teacher_cannot_edit_others_answers_or_questions(demo_app, login_as, thread):
    client = login_as("teacher2")
    assert client.get(f"/questions/answers/{thread['answer_id']}/edit").status_code == 403
    response = client.post(
        f"/questions/answers/{thread['answer_id']}/edit", data={"body": "แก้แทน", "reason": "x"}
    )
    assert response.status_code == 403
    assert (
        client.post(
            f"/questions/{thread['question_id']}/edit", data=form(learning_area_id="1")
        ).status_code
        == 403
    )
    with demo_app.app_context():
        assert db.session.get(Answer, thread["answer_id"]).body == "คำตอบของศึกษานิเทศก์"


def test_teachers_cannot_moderate_or_see_the_inbox(login_as, thread):
    client = login_as("teacher1")
    assert client.get("/questions/inbox").status_code == 403
    assert client.get("/questions/reports").status_code == 403
    for action in ("lock", "reopen", "claim"):
        assert client.post(f"/questions/{thread['question_id']}/{action}").status_code == 403
    assert (
        client.post(
            f"/questions/moderate/answer/{thread['answer_id']}/hide", data={"reason": "ไม่ชอบ"}
        ).status_code
        == 403
    )


def test_anonymous_visitors_read_but_must_log_in_to_post(demo_client, thread):
    assert demo_client.get(thread["url"]).status_code == 200
    for path in (
        "/questions/ask",
        f"/questions/{thread['question_id']}/answers",
        f"/questions/vote/answer/{thread['answer_id']}",
    ):
        response = demo_client.post(path, data={})
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_hidden_posts_are_invisible_to_others(demo_app, login_as, thread):
    with demo_app.app_context():
        hidden_answer = answer(
            db.session.get(Question, thread["question_id"]), "t003", "คำตอบที่จะถูกซ่อน"
        )
        moderation.hide_post(hidden_answer, user("supervisor1"), "โฆษณาแฝง")
        db.session.commit()
    page = html(login_as("teacher2").get(thread["url"]))
    assert "คำตอบที่จะถูกซ่อน" not in page and "คำตอบของศึกษานิเทศก์" in page
    author_view = html(login_as("t003").get(thread["url"]))
    assert (
        "คำตอบที่จะถูกซ่อน" in author_view
        and "ถูกซ่อนโดยผู้ดูแล" in author_view
        and "โฆษณาแฝง" in author_view
    )
    assert "คำตอบที่จะถูกซ่อน" in html(login_as("supervisor2").get(thread["url"]))

    with demo_app.app_context():
        question = db.session.get(Question, thread["question_id"])
        moderation.hide_post(question, user("supervisor1"), "ข้อมูลส่วนบุคคลของนักเรียน")
        db.session.commit()
    client = login_as("teacher2")
    assert client.get(thread["url"]).status_code == 404
    assert "ทดสอบคำถาม: นักเรียนไม่ส่งการบ้าน" not in html(client.get("/questions/"))
    asker_view = login_as("teacher1").get(thread["url"])
    assert asker_view.status_code == 200 and "คำถามนี้ถูกซ่อนโดยผู้ดูแล" in html(asker_view)
    assert login_as("director1").get(thread["url"]).status_code == 200
    with demo_app.app_context():
        (note,) = notified("teacher1", "moderation")[-1:]
        assert "ถูกซ่อน" in note.text and "ข้อมูลส่วนบุคคลของนักเรียน" in note.text


def test_votes_one_per_person_never_on_own_posts(demo_app, login_as, thread):
    vote = f"/questions/vote/answer/{thread['answer_id']}"
    json = {"Accept": "application/json"}
    assert login_as("supervisor1").post(vote, headers=json).status_code == 403  # own answer
    client = login_as("teacher2")
    assert client.post(vote, headers=json).json == {"voted": True, "count": 1}
    assert client.post(vote, headers=json).json == {"voted": False, "count": 0}  # taken back
    client.post(vote, headers=json)
    assert login_as("teacher1").post(vote, headers=json).json == {"voted": True, "count": 2}


def test_follow_and_unfollow(demo_app, login_as, thread):
    client = login_as("teacher2")
    assert client.post(
        f"/questions/{thread['question_id']}/follow", headers={"Accept": "application/json"}
    ).json["following"]
    with demo_app.app_context():
        since = last_notification_id()
        answer(db.session.get(Question, thread["question_id"]), "supervisor4")
        assert len(notified("teacher2", "answer", since)) == 1
    client.post(f"/questions/{thread['question_id']}/follow")
    with demo_app.app_context():
        since = last_notification_id()
        answer(db.session.get(Question, thread["question_id"]), "supervisor2")
        assert notified("teacher2", "answer", since) == []


# Anonymous askers ------------------------------------------------------------------------------
@pytest.fixture
def anonymous_question(demo_app):
    with demo_app.app_context():
        question = ask(
            "teacher1",
            "thai",
            title="ถูกผู้ปกครองต่อว่าในกลุ่มไลน์ ควรรับมืออย่างไร",
            body="ขอไม่เปิดเผยชื่อค่ะ",
            anonymous=True,
        )
        services.post_comment(question, user("teacher1"), "ขอเสริมว่าเป็นห้อง ป.3 ค่ะ")
        answer(question, "supervisor1", "แนะนำให้พูดคุยกับผู้บริหารก่อน")
        db.session.commit()
        return {"id": question.id, "url": question.url}


NAME, SCHOOL = "สมใจ ใจดี", "โรงเรียนบ้านควนขนุน"


def test_public_sees_anonymous_and_never_the_name_or_school(
    demo_app, demo_client, login_as, anonymous_question
):
    for client in (demo_client, login_as("teacher2")):
        page = html(client.get(anonymous_question["url"]))
        assert "ไม่ประสงค์ออกนาม" in page
        assert NAME not in page and SCHOOL not in page
        listing = html(client.get("/questions/?q=ถูกผู้ปกครองต่อว่า"))
        assert "ถูกผู้ปกครองต่อว่า" in listing and NAME not in listing
    home = html(demo_client.get("/"))
    item = home[home.index(anonymous_question["url"]) :]
    item = item[: item.index("</a>")]
    assert "ไม่ประสงค์ออกนาม" in item and NAME not in item


def test_supervisors_and_the_asker_see_the_name(login_as, anonymous_question):
    page = html(login_as("supervisor4").get(anonymous_question["url"]))
    assert NAME in page and "ไม่ประสงค์ออกนามต่อสาธารณะ" in page
    assert NAME in html(login_as("admin").get(anonymous_question["url"]))
    own = html(login_as("teacher1").get(anonymous_question["url"]))
    assert "ไม่ประสงค์ออกนามต่อสาธารณะ" in own


def test_json_and_notifications_do_not_leak_the_name(demo_app, demo_client, anonymous_question):
    response = demo_client.get("/questions/similar?q=ผู้ปกครองต่อว่าในกลุ่มไลน์")
    similar = json.dumps(response.json, ensure_ascii=False)
    assert "ถูกผู้ปกครองต่อว่า" in similar
    assert "สมใจ" not in similar and "ใจดี" not in similar and "ควนขนุน" not in similar
    with demo_app.app_context():
        question = db.session.get(Question, anonymous_question["id"])
        assert question.public_author_name == "ไม่ประสงค์ออกนาม"
        texts = db.session.scalars(
            select(Notification.text).where(Notification.text.contains("ถูกผู้ปกครองต่อว่า"))
        ).all()
        assert texts and all(NAME not in text for text in texts)
        comment_notes = db.session.scalars(
            select(Notification).where(
                Notification.kind == "comment", Notification.text.contains("ถูกผู้ปกครอง")
            )
        ).all()
        assert all(note.actor_id is None for note in comment_notes)


# Notification fan-out ---------------------------------------------------------------------------
def test_who_is_told_what(app_context):
    since = last_notification_id()
    question = ask("teacher1", "thai")
    assert len(notified("supervisor1", "question_assigned", since)) == 1
    assert len(notified("supervisor4", "question_assigned", since)) == 1
    assert notified("teacher1", since=since) == [] and notified("supervisor2", since=since) == []

    services.follow(question, user("teacher2"))
    since = last_notification_id()
    reply = answer(question, "supervisor1")
    assert [n.kind for n in notified("teacher1", since=since)] == ["answer"]
    assert [n.kind for n in notified("teacher2", since=since)] == ["answer"]
    assert notified("supervisor1", since=since) == [] and notified("supervisor4", since=since) == []
    assert notified("teacher1", since=since)[0].url.endswith(f"#answer-{reply.id}")

    since = last_notification_id()
    services.post_comment(question, user("teacher2"), "ขอบคุณครับ", reply)
    db.session.commit()
    (to_answerer,) = notified("supervisor1", since=since)  # once, though also a follower
    assert "ต่อคำตอบของท่าน" in to_answerer.text
    assert len(notified("teacher1", "comment", since)) == 1
    assert notified("teacher2", since=since) == []

    since = last_notification_id()
    services.accept_answer(reply, user("teacher1"))
    db.session.commit()
    assert [n.kind for n in notified("supervisor1", since=since)] == ["answer_accepted"]
    assert notified("teacher1", since=since) == [] and notified("teacher2", since=since) == []

    second = answer(question, "t003")
    since = last_notification_id()
    services.accept_answer(second, user("supervisor4"))  # a supervisor accepts for the asker
    db.session.commit()
    assert [n.kind for n in notified("t003", since=since)] == ["answer_accepted"]
    assert [n.kind for n in notified("teacher1", since=since)] == ["answer_accepted"]


# Edits keep history ---------------------------------------------------------------------------
def test_edits_keep_every_version(demo_app, login_as, thread):
    client = login_as("teacher1")
    with demo_app.app_context():
        data = form(learning_area_id=str(area_id("thai")))
    data.update(
        title="ทดสอบคำถาม: นักเรียนไม่ส่งการบ้านควรทำอย่างไร (ป.4)",
        body="รายละเอียดใหม่ชัดเจนขึ้น",
        tags="การบ้าน",
        reason="เพิ่มระดับชั้น",
    )
    assert client.post(f"/questions/{thread['question_id']}/edit", data=data).status_code == 302
    data.update(body="รายละเอียดใหม่ชัดเจนขึ้นอีก")
    client.post(f"/questions/{thread['question_id']}/edit", data=data)
    with demo_app.app_context():
        question = db.session.get(Question, thread["question_id"])
        versions = services.revisions_of(question)
        assert [v.number for v in versions] == [1, 2, 3]
        assert versions[0].body == "รายละเอียดของคำถามทดสอบ"
        assert versions[1].reason == "เพิ่มระดับชั้น" and versions[2].body == "รายละเอียดใหม่ชัดเจนขึ้นอีก"
        assert question.edited_at is not None
    page = html(client.get(f"/questions/{thread['question_id']}/history"))
    assert "ฉบับที่ 3" in page and "ฉบับที่ 1 (ต้นฉบับ)" in page and "เพิ่มระดับชั้น" in page
    assert "<ins>อีก</ins>" in page  # the characters added are marked


def test_a_supervisor_edit_needs_a_reason_and_is_audited(demo_app, login_as, thread):
    client = login_as("supervisor4")
    url = f"/questions/answers/{thread['answer_id']}/edit"
    page = html(client.post(url, data={"body": "คำตอบที่แก้แล้ว", "reason": ""}))
    assert "กรุณาระบุเหตุผลที่แก้ไขโพสต์ของผู้อื่น" in page and "คำตอบที่แก้แล้ว" in page
    assert (
        client.post(url, data={"body": "คำตอบที่แก้แล้ว", "reason": "แก้ชื่อหนังสืออ้างอิง"}).status_code
        == 302
    )
    with demo_app.app_context():
        reply = db.session.get(Answer, thread["answer_id"])
        assert reply.body == "คำตอบที่แก้แล้ว"
        assert [v.body for v in services.revisions_of(reply)] == [
            "คำตอบของศึกษานิเทศก์",
            "คำตอบที่แก้แล้ว",
        ]
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "answer.edit"))
        assert "แก้ชื่อหนังสืออ้างอิง" in entry.summary and entry.actor.username == "supervisor4"
    assert "แก้ชื่อหนังสืออ้างอิง" in html(client.get(f"/questions/answers/{thread['answer_id']}/history"))


# Moderation and the audit log -------------------------------------------------------------------
def test_report_then_hide_resolves_the_report_and_everything_is_audited(demo_app, login_as, thread):
    client = login_as("teacher2")
    report_url = f"/questions/report/answer/{thread['answer_id']}"
    assert "กรุณาเลือกเหตุผลที่รายงาน" in html(client.post(report_url, data={}))
    assert (
        client.post(report_url, data={"reason": "wrong", "detail": "อ้างระเบียบเก่า"}).status_code
        == 302
    )
    assert "รายงานโพสต์นี้ไว้แล้ว" in html(client.post(report_url, data={"reason": "wrong"}))
    supervisor = login_as("supervisor1")
    assert "อ้างระเบียบเก่า" in html(supervisor.get("/questions/reports"))
    supervisor.post(
        f"/questions/moderate/answer/{thread['answer_id']}/hide", data={"reason": "ข้อมูลล้าสมัย"}
    )
    assert "ไม่มีรายงานค้าง" not in html(supervisor.get("/questions/reports"))  # the demo report stays
    supervisor.post(f"/questions/moderate/answer/{thread['answer_id']}/restore")
    supervisor.post(f"/questions/{thread['question_id']}/lock")
    supervisor.post(f"/questions/{thread['question_id']}/unlock")
    with demo_app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        for action in (
            "post.report",
            "answer.hide",
            "answer.restore",
            "question.lock",
            "question.unlock",
        ):
            assert action in actions
    admin_page = html(login_as("admin").get("/admin/audit"))
    assert "ซ่อนคำตอบ" in admin_page and "ล็อกคำถาม" in admin_page


def test_hiding_needs_a_reason(demo_app, login_as, thread):
    page = html(
        login_as("supervisor1").post(
            f"/questions/moderate/answer/{thread['answer_id']}/hide", data={"reason": " "}
        )
    )
    assert "กรุณาระบุเหตุผลที่ซ่อนโพสต์" in page
    with demo_app.app_context():
        assert not db.session.get(Answer, thread["answer_id"]).is_hidden


def test_dismissing_a_report(demo_app, login_as):
    with demo_app.app_context():
        report = db.session.scalars(moderation.open_reports_query()).first()
        report_id = report.id
    client = login_as("supervisor2")
    assert client.post(f"/questions/reports/{report_id}/dismiss").status_code == 302
    with demo_app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(moderation.open_reports_query().subquery())
            )
            == 0
        )


# Asking through the form: good and bad input -----------------------------------------------------
def test_asking_with_a_photo_routes_and_shows_it(demo_app, login_as):
    client = login_as("teacher1")
    with demo_app.app_context():
        data = form(learning_area_id=str(area_id("thai")))
    data["files"] = [(io.BytesIO(jpeg_with_exif(640, 480)), "ใบงาน.jpg")]
    response = client.post("/questions/ask", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    page = html(client.get(response.headers["Location"], follow_redirects=True))
    assert "ส่งคำถามเรียบร้อยแล้ว" in page and "วิไลวรรณ" in page  # supervisor1 named in the message
    with demo_app.app_context():
        question = db.session.scalar(select(Question).order_by(Question.id.desc()))
        (attachment,) = attachments_of("question", question.id)
        assert attachment.upload.is_image and attachment.upload.url("thumb") in page
        assert {t.name for t in question.tags} == {"ป.2", "การเขียน"}


def test_empty_title_is_refused_in_thai_and_the_text_is_kept(demo_app, login_as):
    before = question_count(demo_app)
    response = post_ask(demo_app, login_as("teacher1"), title="   ")
    page = html(response)
    assert response.status_code == 200 and "กรุณาใส่หัวข้อคำถาม" in page
    assert "นักเรียน 5 คนเขียนตามคำบอกผิดเกินครึ่ง" in page  # the body typed is still there
    assert question_count(demo_app) == before


def test_a_50000_character_body_is_refused_and_nothing_is_saved(demo_app, login_as):
    before = question_count(demo_app)
    page = html(post_ask(demo_app, login_as("teacher1"), body="ก" * 50_000))
    assert "ไม่เกิน 20,000 ตัวอักษร" in page and "ขณะนี้ 50,000 ตัวอักษร" in page
    assert question_count(demo_app) == before


def test_too_short_and_too_long_titles(demo_app, login_as):
    client = login_as("teacher1")
    assert "สั้นเกินไป" in html(post_ask(demo_app, client, title="ช่วยด้วย"))
    assert "ไม่เกิน 200 ตัวอักษร" in html(post_ask(demo_app, client, title="ก" * 201))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("999999", "ไม่พบกลุ่มสาระการเรียนรู้ที่เลือก"),
        ("", "กรุณาเลือกกลุ่มสาระการเรียนรู้"),
        ("abc", "กรุณาเลือกกลุ่มสาระการเรียนรู้"),
    ],
)
def test_unknown_learning_area(demo_app, login_as, value, message):
    before = question_count(demo_app)
    response = login_as("teacher1").post("/questions/ask", data=form(learning_area_id=value))
    assert message in html(response) and "เขียนตามคำบอกไม่ได้" in html(response)
    assert question_count(demo_app) == before


def test_unknown_learning_area_refused_by_the_service_too(app_context):
    with pytest.raises(QuestionError, match="ไม่พบกลุ่มสาระการเรียนรู้"):
        services.ask_question(
            user("teacher1"), title="คำถามที่ไม่มีกลุ่มสาระจริง", body="x", learning_area_id=987654
        )


def test_a_general_question_has_no_learning_area(demo_app, login_as):
    response = login_as("schooldirector1").post("/questions/ask", data=form(learning_area_id="-1"))
    assert response.status_code == 302
    with demo_app.app_context():
        question = db.session.scalar(select(Question).order_by(Question.id.desc()))
        assert question.learning_area_id is None
        assert assigned(question) == {"supervisor1", "supervisor4"}  # the school and its network


def test_too_many_tags(demo_app, login_as):
    page = html(post_ask(demo_app, login_as("teacher1"), tags="ก1, ก2, ก3, ก4, ก5, ก6"))
    assert "ใส่แท็กได้ไม่เกิน 5 แท็ก" in page


def test_a_refused_file_saves_nothing_and_keeps_the_text(demo_app, login_as):
    before = question_count(demo_app)
    with demo_app.app_context():
        uploads_before = db.session.scalar(select(func.count(Upload.id)))
        data = form(learning_area_id=str(area_id("thai")))
        upload_dir = Path(demo_app.config["UPLOAD_DIR"])
    files_before = stored_files(upload_dir)
    data["files"] = [
        (io.BytesIO(jpeg_with_exif(320, 240)), "ดี.jpg"),
        (io.BytesIO(b"MZ\x90\x00 not a picture"), "โปรแกรม.jpg"),
    ]
    response = login_as("teacher1").post(
        "/questions/ask", data=data, content_type="multipart/form-data"
    )
    page = html(response)
    assert response.status_code == 200
    assert "โปรแกรม.jpg: ไม่อนุญาตให้อัปโหลดไฟล์โปรแกรมหรือสคริปต์" in page
    assert "คำถามยังไม่ได้บันทึก" in page and "เขียนตามคำบอกไม่ได้" in page
    assert question_count(demo_app) == before
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(Upload.id))) == uploads_before
    assert stored_files(upload_dir) == files_before


def stored_files(upload_dir: Path) -> set[Path]:
    """Files under UPLOAD_DIR but the lock files of the staging area (.incoming/<process>.lock:
    one per process that stores uploads; files staged there still count)."""
    return {p for p in upload_dir.rglob("*") if p.is_file() and p.parent.name != ".incoming"}


def test_script_in_markdown_is_shown_as_text(demo_app, demo_client, login_as):
    client = login_as("teacher1")
    body = "ลองแล้ว <script>alert('qxss1')</script> และ [ลิงก์](javascript:alert('qxss2'))"
    response = post_ask(demo_app, client, body=body)
    assert response.status_code == 302
    url = response.headers["Location"]
    page = html(demo_client.get(url))
    for marker in ("qxss1", "qxss2"):
        assert injections(page, marker) == ([], True)
    assert "&lt;script&gt;alert" in page  # shown as the text that was typed
    assert 'href="javascript:' not in page
    # Answers with the shared attack payloads come back as text too.
    supervisor = login_as("supervisor1")
    with demo_app.app_context():
        question_id = db.session.scalar(select(Question.id).order_by(Question.id.desc()))
    for index, payload in enumerate(PAYLOADS):
        marker = f"qaxss{index:02d}q"
        supervisor.post(
            f"/questions/{question_id}/answers", data={"body": payload.format(m=marker)}
        )
        supervisor.post(
            f"/questions/{question_id}/comments", data={"body": payload.format(m=marker + "c")}
        )
        shown = html(demo_client.get(url))
        for mark in (marker, marker + "c"):
            problems, seen = injections(shown, mark)
            assert problems == [] and seen, (payload, problems)


def test_answer_and_comment_errors_keep_the_text(demo_app, login_as, thread):
    client = login_as("supervisor4")
    page = html(
        client.post(f"/questions/{thread['question_id']}/answers", data={"body": "ข" * 20_001})
    )
    assert "คำตอบยาวเกินไป" in page and "ข" * 100 in page
    page = html(
        client.post(
            f"/questions/{thread['question_id']}/comments",
            data={"body": "ค" * 1001, "answer_id": str(thread["answer_id"])},
        )
    )
    assert "ความคิดเห็นยาวเกินไป" in page and "ค" * 1001 in page
    page = html(client.post(f"/questions/{thread['question_id']}/answers", data={"body": ""}))
    assert "กรุณาเขียนคำตอบ" in page


# Rate limits ----------------------------------------------------------------------------------------
def test_asking_is_rate_limited_per_person(databases, tmp_path):
    app = build_app(
        tmp_path / "data",
        databases.fresh(with_demo=True),
        RATELIMIT_ENABLED=True,
        QUESTIONS_RATELIMIT_ASK="2 per hour",
        QUESTIONS_RATELIMIT_ANSWER="1 per hour",
    )
    try:
        client = app.test_client()
        login(client, "teacher1")
        for number in range(2):
            assert (
                post_ask(app, client, title=f"คำถามเรื่องการอ่านข้อที่ {number + 1}").status_code == 302
            )
        response = post_ask(app, client, title="คำถามเรื่องการอ่านข้อที่สาม")
        page = html(response)
        assert response.status_code == 429
        assert "ตั้งคำถามถี่เกินกำหนด (ไม่เกิน 2 ครั้งต่อชั่วโมง)" in page
        assert "คำถามเรื่องการอ่านข้อที่สาม" in page  # what was typed is still in the form
        # Another person is not held back by teacher1's limit.
        other = app.test_client()
        login(other, "teacher2")
        assert post_ask(app, other, title="คำถามของครูอีกท่านหนึ่ง").status_code == 302
        with app.app_context():
            question_id = db.session.scalar(select(Question.id).order_by(Question.id.desc()))
        supervisor = app.test_client()
        login(supervisor, "supervisor2")
        assert (
            supervisor.post(
                f"/questions/{question_id}/answers", data={"body": "คำตอบแรก"}
            ).status_code
            == 302
        )
        limited = supervisor.post(f"/questions/{question_id}/answers", data={"body": "คำตอบที่สอง"})
        assert limited.status_code == 429 and "คำตอบที่สอง" in html(limited)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


# Lists, search, home page, supervisors' pages, demo data ----------------------------------------------
def test_filters_and_sorting(demo_app, demo_client):
    with demo_app.app_context():
        thai = area_id("thai")
    resolved = html(demo_client.get("/questions/?status=resolved"))
    assert "รอคำตอบมานาน" not in resolved and "qa-status status-open" not in resolved
    by_area = html(demo_client.get(f"/questions/?area={thai}"))
    assert "อ่านสะกดคำไม่คล่อง" in by_area and "เศษส่วน" not in by_area
    longest = html(demo_client.get("/questions/?sort=unanswered"))
    assert "status-answered" not in longest and "status-resolved" not in longest
    assert longest.index("เด็กอนุบาลไม่ยอมนอนกลางวัน") < longest.index("การวัดผลการอ่านจับใจความ")
    helpful = html(demo_client.get("/questions/?sort=helpful"))
    assert helpful.index("อ่านสะกดคำไม่คล่อง") < helpful.index("ย้ายนักเรียนกลางภาคเรียน")
    assert "เศษส่วน" in html(demo_client.get("/questions/?tag=เศษส่วน"))


def test_pagination(demo_app, demo_client):
    demo_app.config["ITEMS_PER_PAGE"] = 5
    first, second = (
        html(demo_client.get("/questions/")),
        html(demo_client.get("/questions/?page=2")),
    )
    assert "หน้า 1 จาก" in first and "หน้า 2 จาก" in second


def test_similar_questions_while_typing(demo_client):
    results = demo_client.get("/questions/similar?q=สอนเศษส่วนอย่างไรให้เข้าใจ").json["results"]
    assert results and "เศษส่วน" in results[0]["title"]
    assert set(results[0]) == {"id", "title", "url", "status", "status_label", "answer_count"}
    assert demo_client.get("/questions/similar?q=ก").json == {"results": []}


def test_both_addresses_work_and_a_wrong_slug_redirects(demo_app, demo_client):
    with demo_app.app_context():
        question = db.session.scalar(select(Question).order_by(Question.id))
        question_id, url = question.id, question.url
    assert demo_client.get(url).status_code == 200
    for wrong in (f"/questions/{question_id}", f"/questions/{question_id}-wrong"):
        response = demo_client.get(wrong)
        assert response.status_code == 301 and unquote(response.headers["Location"]) == url
    assert demo_client.get("/questions/999999").status_code == 404


def test_home_page_lists_latest_questions_and_unanswered_count(demo_app, demo_client):
    with demo_app.app_context():
        waiting = services.unanswered_count()
        latest = services.latest_public_questions(1)[0].title
    page = html(demo_client.get("/"))
    assert "ถาม-ตอบล่าสุด" in page and latest in page and f"รอคำตอบ {waiting} คำถาม" in page


def test_supervisor_activity_partial_lists_recent_answers(demo_app):
    from flask import render_template_string

    with demo_app.test_request_context("/"):
        supervisor = user("supervisor2")
        out = render_template_string(
            '{% include "supervisors/_activity_questions.html" %}', supervisor=supervisor
        )
    assert "คำตอบล่าสุด" in out and "เศษส่วน" in out and "คำตอบที่ดีที่สุด" in out


def test_demo_data_is_realistic_and_idempotent(app_context):
    count = db.session.scalar(select(func.count(Question.id)))
    assert 15 <= count <= 25 and count == len(QUESTIONS)
    statuses = db.session.scalars(select(Question.status)).all()
    assert statuses.count(QuestionStatus.RESOLVED) >= 5 and QuestionStatus.OPEN in statuses
    old_open = db.session.scalar(
        select(func.count(Question.id)).where(
            Question.status == QuestionStatus.OPEN,
            Question.created_at < utcnow() - timedelta(days=7),
        )
    )
    assert old_open >= 1
    assert db.session.scalar(select(func.count(QuestionComment.id))) >= 5
    assert db.session.scalar(select(func.count(Notification.id))) >= 50
    assert db.session.scalar(select(func.count(QuestionRevision.id))) >= count
    seed_questions()
    db.session.commit()
    assert db.session.scalar(select(func.count(Question.id))) == count


def test_own_data_download_and_anonymising(app_context):
    from nitet_online.privacy.services import anonymise, personal_data

    question = ask("teacher2", "science", title="คำถามของครูที่ขอลบข้อมูลภายหลัง")
    answer(question, "supervisor2")
    data = personal_data(user("teacher2"))
    titles = [q["title"] for q in data["questions"]["questions"]]
    assert "คำถามของครูที่ขอลบข้อมูลภายหลัง" in titles
    assert question.id in data["questions"]["following"]
    assert any("คำถามของครูที่ขอลบข้อมูลภายหลัง" in n["text"] for n in data["notifications"])
    person = user("teacher2")
    anonymise(person)
    db.session.commit()
    assert db.session.scalar(select(func.count()).where(Notification.user_id == person.id)) == 0
    assert not services.is_following(question, person)
    assert db.session.get(Question, question.id).title == "คำถามของครูที่ขอลบข้อมูลภายหลัง"


def test_thread_permissions_are_plain_booleans_and_a_refusal_carries_its_reason(app_context):
    """thread.can["answer"] used to hold the refusal text, truthy exactly when answering was refused."""
    from nitet_online.questions.thread import build_thread

    question = ask()
    db.session.commit()
    open_thread = build_thread(question, user("supervisor1"))
    assert open_thread.can["answer"] is True and open_thread.can["comment"] is True
    assert open_thread.refusal == {"answer": None, "comment": None}
    question.is_locked = True
    locked = build_thread(question, user("supervisor1"))
    assert locked.can["answer"] is False and locked.can["comment"] is False
    assert locked.refusal["answer"] == "คำถามนี้ถูกล็อกแล้ว ไม่รับคำตอบหรือความคิดเห็นใหม่"
    assert all(isinstance(value, bool) for value in locked.can.values())
