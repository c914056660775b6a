"""Everything the question page shows, gathered for one viewer: visible answers (the accepted one
first, then the most helpful, then the oldest), comments per post, attachments, the viewer's
votes and follow, assignments and what the viewer may do."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from nitet_online.extensions import db
from nitet_online.questions import policy, services
from nitet_online.questions.models import Answer, Question, QuestionComment
from nitet_online.uploads.models import Attachment


@dataclass
class Thread:
    question: Question
    answers: list[Answer]
    comments: dict[int | None, list[QuestionComment]]  # answer id (None: the question) → comments
    attachments: dict[tuple[str, int], list[Attachment]]
    voted_question: bool
    voted_answers: set[int]
    following: bool
    follower_count: int
    hidden_answer_count: int = 0
    can: dict[str, bool] = field(default_factory=dict)  # what the viewer may do here
    refusal: dict[str, str | None] = field(default_factory=dict)  # Thai reason, when they may not

    def comments_of(self, answer: Answer | None = None) -> list[QuestionComment]:
        return self.comments.get(answer.id if answer else None, [])

    def files_of(self, post) -> list[Attachment]:
        return self.attachments.get((post.kind, post.id), [])


def _attachments(question: Question, answers: list[Answer]) -> dict[tuple[str, int], list]:
    targets = [("question", question.id)] + [("answer", a.id) for a in answers]
    found: dict[tuple[str, int], list[Attachment]] = defaultdict(list)
    answer_ids = [a.id for a in answers]
    rows = db.session.scalars(
        select(Attachment)
        .where(
            ((Attachment.target_type == "question") & (Attachment.target_id == question.id))
            | ((Attachment.target_type == "answer") & Attachment.target_id.in_(answer_ids or [0]))
        )
        .order_by(Attachment.position, Attachment.id)
    )
    for attachment in rows:
        found[(attachment.target_type, attachment.target_id)].append(attachment)
    return {target: found.get(target, []) for target in targets}


def _answer_order(answer: Answer) -> tuple:
    return (0 if answer.accepted_at else 1, -answer.vote_count, answer.created_at, answer.id)


def build_thread(question: Question, viewer: Any) -> Thread:
    all_answers = list(question.answers)
    answers = sorted((a for a in all_answers if policy.can_view_post(a, viewer)), key=_answer_order)
    comments: dict[int | None, list[QuestionComment]] = defaultdict(list)
    for comment in db.session.scalars(
        select(QuestionComment)
        .where(QuestionComment.question_id == question.id)
        .order_by(QuestionComment.created_at, QuestionComment.id)
    ):
        if policy.can_view_post(comment, viewer):
            comments[comment.answer_id].append(comment)
    logged_in = getattr(viewer, "is_authenticated", False)
    followers = services.follower_ids(question)
    answer_refusal = policy.answer_refusal(question, viewer)
    comment_refusal = policy.comment_refusal(question, viewer)
    return Thread(
        question=question,
        answers=answers,
        comments=dict(comments),
        attachments=_attachments(question, answers),
        voted_question=logged_in and services.has_voted(question, viewer),
        voted_answers=services.voted_ids("answer", [a.id for a in answers], viewer),
        following=logged_in and viewer.id in followers,
        follower_count=len(followers),
        hidden_answer_count=sum(1 for a in all_answers if a.is_hidden),
        can={
            "answer": answer_refusal is None,
            "comment": comment_refusal is None,
            "accept": policy.can_accept(question, viewer),
            "edit_question": policy.can_edit(question, viewer),
            "moderate": policy.is_moderator(viewer),
            "claim": policy.can_claim(question, viewer),
            "assign": policy.can_assign(viewer),
        },
        refusal={"answer": answer_refusal, "comment": comment_refusal},
    )
