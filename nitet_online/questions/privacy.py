"""PDPA: a person's Q&A and notifications in their own-data download, and what is removed when
their account is anonymised (the questions and answers stay for the office, shown under the
anonymised name, and votes keep counting; follows and notifications go)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.notifications.models import Notification
from nitet_online.questions.models import (
    Answer,
    Question,
    QuestionComment,
    QuestionFollow,
)


def export_questions(user: User) -> dict[str, Any]:
    def stamp(moment) -> str | None:
        return moment.isoformat() + "Z" if moment else None

    asked = db.session.scalars(
        select(Question).where(Question.author_id == user.id).order_by(Question.id)
    )
    answers = db.session.scalars(
        select(Answer).where(Answer.author_id == user.id).order_by(Answer.id)
    )
    comments = db.session.scalars(
        select(QuestionComment)
        .where(QuestionComment.author_id == user.id)
        .order_by(QuestionComment.id)
    )
    return {
        "questions": [
            {
                "id": q.id,
                "title": q.title,
                "body": q.body,
                "anonymous": q.is_anonymous,
                "status": q.status.value,
                "created_at": stamp(q.created_at),
                "url": q.url,
            }
            for q in asked
        ],
        "answers": [
            {
                "id": a.id,
                "question_id": a.question_id,
                "body": a.body,
                "created_at": stamp(a.created_at),
            }
            for a in answers
        ],
        "comments": [
            {
                "id": c.id,
                "question_id": c.question_id,
                "body": c.body,
                "created_at": stamp(c.created_at),
            }
            for c in comments
        ],
        "following": list(
            db.session.scalars(
                select(QuestionFollow.question_id)
                .where(QuestionFollow.user_id == user.id)
                .order_by(QuestionFollow.question_id)
            )
        ),
    }


def export_notifications(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    return [
        {"kind": n.kind, "text": n.text, "url": n.url, "created_at": n.created_at.isoformat() + "Z"}
        for n in rows
    ]


def forget(user: User) -> None:
    for model in (QuestionFollow, Notification):
        db.session.execute(delete(model).where(model.user_id == user.id))


def declare(plug) -> None:
    """The questions feature's sections of a person's data download and what it forgets."""
    plug.personal_data("questions", export_questions)
    plug.personal_data("notifications", export_notifications)
    plug.anonymiser(forget)
