"""Who answers a question: the supervisors responsible for its learning area and for the asker's
school or network. Nobody responsible → the group inbox every supervisor sees
("ยังไม่มีผู้รับผิดชอบ"). Also the inbox "คำถามรอตอบ" itself, and taking, reassigning, inviting."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import selectinload

from nitet_online.accounts.models import (
    AccountStatus,
    Role,
    User,
    supervisor_learning_areas,
    supervisor_networks,
    supervisor_schools,
)
from nitet_online.audit.services import record
from nitet_online.extensions import db
from nitet_online.notifications.services import notify
from nitet_online.org.models import School
from nitet_online.questions.models import Question, QuestionAssignment, QuestionStatus
from nitet_online.services.thai import utcnow

INBOX_TABS: dict[str, str] = {
    "mine": "รอคำตอบ (ที่ฉันรับผิดชอบ)",
    "unassigned": "ยังไม่มีผู้รับผิดชอบ",
    "answered": "ตอบแล้ว รอผู้ถามยืนยัน",
    "all": "รอคำตอบทั้งหมด",
}


def active_supervisors() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.SUPERVISOR, User.status == AccountStatus.ACTIVE)
            .order_by(User.first_name, User.last_name)
        )
    )


def responsible_supervisors(
    learning_area_id: int | None, school: School | None
) -> dict[int, list[str]]:
    """Supervisor id → why they are responsible (learning_area, school, network), in that order."""
    reasons: dict[int, list[str]] = {}
    queries = []
    if learning_area_id:
        queries.append(
            (
                "learning_area",
                select(supervisor_learning_areas.c.user_id).where(
                    supervisor_learning_areas.c.learning_area_id == learning_area_id
                ),
            )
        )
    if school is not None:
        queries.append(
            (
                "school",
                select(supervisor_schools.c.user_id).where(
                    supervisor_schools.c.school_id == school.id
                ),
            )
        )
        if school.network_id:
            queries.append(
                (
                    "network",
                    select(supervisor_networks.c.user_id).where(
                        supervisor_networks.c.network_id == school.network_id
                    ),
                )
            )
    active = {user.id for user in active_supervisors()}
    for reason, query in queries:
        for user_id in db.session.scalars(query):
            if user_id in active:
                reasons.setdefault(user_id, []).append(reason)
    return reasons


def route_question(question: Question) -> list[QuestionAssignment]:
    """Assigns a new question and tells the people concerned. The asker is never assigned to
    their own question."""
    reasons = responsible_supervisors(question.learning_area_id, question.school)
    reasons.pop(question.author_id, None)
    assignments = [
        QuestionAssignment(question=question, supervisor_id=user_id, reason=",".join(why))
        for user_id, why in reasons.items()
    ]
    db.session.add_all(assignments)
    db.session.flush()
    area = question.learning_area.name if question.learning_area else "งานทั่วไป"
    if assignments:
        notify(
            [a.supervisor_id for a in assignments],
            "question_assigned",
            f"คำถามใหม่ถึงท่าน ({area}): {question.title}",
            question.url,
        )
    else:
        notify(
            [user.id for user in active_supervisors() if user.id != question.author_id],
            "question_unassigned",
            f"คำถามใหม่ที่ยังไม่มีผู้รับผิดชอบ ({area}): {question.title}",
            question.url,
        )
    return assignments


def assigned_ids(question: Question) -> list[int]:
    return [assignment.supervisor_id for assignment in question.assignments]


def _ensure_assignment(
    question: Question, supervisor_id: int, reason: str, by_id: int | None
) -> QuestionAssignment:
    for assignment in question.assignments:
        if assignment.supervisor_id == supervisor_id:
            keys = [key for key in assignment.reason.split(",") if key]
            if reason not in keys:
                assignment.reason = ",".join([*keys, reason])
            return assignment
    assignment = QuestionAssignment(
        supervisor_id=supervisor_id, reason=reason, assigned_by_id=by_id
    )
    question.assignments.append(assignment)
    return assignment


def claim(question: Question, supervisor: User) -> None:
    """A supervisor takes the question (รับเรื่อง): it shows as theirs in every inbox."""
    question.claimed_by_id = supervisor.id
    question.claimed_at = utcnow()
    _ensure_assignment(question, supervisor.id, "claimed", supervisor.id)
    record(
        "question.claim",
        question,
        f"{supervisor.full_name} รับเรื่องคำถาม “{question.title}”",
        actor_id=supervisor.id,
    )


def reassign(question: Question, to_user: User, by: User, note: str = "") -> None:
    """Hands the question over: the chosen supervisor becomes its only assignee."""
    question.assignments.clear()
    db.session.flush()
    question.assignments.append(
        QuestionAssignment(supervisor_id=to_user.id, reason="reassigned", assigned_by_id=by.id)
    )
    question.claimed_by_id = None
    question.claimed_at = None
    record(
        "question.reassign",
        question,
        f"โอนคำถาม “{question.title}” ให้ {to_user.full_name}",
        details={"to": to_user.id, "note": note} if note else {"to": to_user.id},
        actor_id=by.id,
    )
    text = f"{by.full_name} โอนคำถามให้ท่านรับผิดชอบ: {question.title}"
    notify([to_user.id], "question_assigned", _with_note(text, note), question.url, by.id)


def invite(question: Question, to_user: User, by: User, note: str = "") -> None:
    """Adds another supervisor to the question, keeping the current ones."""
    _ensure_assignment(question, to_user.id, "invited", by.id)
    record(
        "question.invite",
        question,
        f"เชิญ {to_user.full_name} ร่วมตอบคำถาม “{question.title}”",
        details={"to": to_user.id},
        actor_id=by.id,
    )
    text = f"{by.full_name} เชิญท่านร่วมตอบคำถาม: {question.title}"
    notify([to_user.id], "question_assigned", _with_note(text, note), question.url, by.id)


def _with_note(text: str, note: str) -> str:
    return f"{text} — “{note.strip()}”" if note and note.strip() else text


# The inbox --------------------------------------------------------------------------------------
def _assigned_to(user_id: int):
    return exists().where(
        and_(
            QuestionAssignment.question_id == Question.id,
            QuestionAssignment.supervisor_id == user_id,
        )
    )


def _unassigned():
    return ~exists().where(QuestionAssignment.question_id == Question.id)


def inbox_query(user: User, tab: str) -> Select:
    """Questions of one inbox tab, oldest first (the longest waiting on top)."""
    query = (
        select(Question)
        .options(
            selectinload(Question.author).selectinload(User.school),
            selectinload(Question.learning_area),
            selectinload(Question.claimed_by),
            selectinload(Question.assignments).selectinload(QuestionAssignment.supervisor),
        )
        .where(Question.is_hidden.is_(False))
    )
    if tab == "unassigned":
        query = query.where(Question.status == QuestionStatus.OPEN, _unassigned())
    elif tab == "answered":
        query = query.where(Question.status == QuestionStatus.ANSWERED, _assigned_to(user.id))
    elif tab == "all":
        query = query.where(Question.status == QuestionStatus.OPEN)
    else:
        query = query.where(Question.status == QuestionStatus.OPEN, _assigned_to(user.id))
    return query.order_by(Question.created_at, Question.id)


def inbox_counts(user: User) -> dict[str, int]:
    return {
        tab: db.session.scalar(
            select(func.count()).select_from(inbox_query(user, tab).order_by(None).subquery())
        )
        for tab in INBOX_TABS
    }


def questions_assigned_to(user_ids: Iterable[int]) -> set[int]:
    ids = list(user_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(QuestionAssignment.question_id).where(QuestionAssignment.supervisor_id.in_(ids))
        )
    )
