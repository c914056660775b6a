"""Asking, answering, commenting, editing with history, accepting, voting and following.

Every function adds to the current transaction; the view commits once, so a post is saved whole
or not at all. Notifications go out (notifications.services.notify) in the same transaction.
Response-time figures for statistics: `response_times(start, end)` (figures.py)."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from nitet_online.accounts.models import User
from nitet_online.audit.services import record
from nitet_online.extensions import db
from nitet_online.notifications.services import notify
from nitet_online.org.models import GradeLevel, LearningArea
from nitet_online.questions import policy
from nitet_online.questions.figures import ResponseTimes, response_times
from nitet_online.questions.models import (
    Answer,
    Question,
    QuestionComment,
    QuestionFollow,
    QuestionRevision,
    QuestionStatus,
    QuestionTag,
    QuestionVote,
)
from nitet_online.questions.routing import route_question
from nitet_online.services.permissions import SUPERVISING_ROLES
from nitet_online.services.thai import utcnow
from nitet_online.uploads.models import DOCUMENT, IMAGE, Upload
from nitet_online.uploads.services import attach, file_path, save_many

__all__ = [
    "QuestionError",
    "ResponseTimes",
    "accept_answer",
    "ask_question",
    "edit_answer",
    "edit_question",
    "follow",
    "post_answer",
    "post_comment",
    "response_times",
    "store_files",
    "toggle_vote",
    "unaccept_answer",
    "unfollow",
]

MAX_FILES = 10


class QuestionError(ValueError):
    """An action that cannot be done; the message says why, in Thai."""


# Files ------------------------------------------------------------------------------------------
def store_files(files: Iterable[FileStorage], owner_id: int) -> tuple[list[Upload], list[str]]:
    """Stores the files of a post. All or nothing: if any file is refused, the ones already stored
    are removed again and the Thai reasons are returned (the caller keeps the text and asks for
    the files again)."""
    chosen = [f for f in files if f and f.filename]
    if len(chosen) > MAX_FILES:
        return [], [f"แนบไฟล์ได้ไม่เกิน {MAX_FILES} ไฟล์ต่อครั้ง (เลือกมา {len(chosen)} ไฟล์)"]
    uploads, errors = save_many(chosen, owner_id, {IMAGE, DOCUMENT})
    if errors:
        discard_uploads(uploads)
        return [], errors
    return uploads, []


def discard_uploads(uploads: Sequence[Upload]) -> None:
    """Forgets uploads that were stored for a post that is not being saved after all."""
    for upload in uploads:
        folder = file_path(upload).parent
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            folder.parent.rmdir()  # the two-letter folder, when nothing else is in it
        if upload in db.session:
            db.session.expunge(upload)


def _attach_all(target_type: str, target_id: int, uploads: Sequence[Upload]) -> None:
    for upload in uploads:
        attach(target_type, target_id, upload)


# Reference data and tags --------------------------------------------------------------------------
def learning_area_or_error(learning_area_id: int | None) -> LearningArea | None:
    """The learning area chosen (None: a general question, not about one learning area)."""
    if learning_area_id is None:
        return None
    area = db.session.get(LearningArea, learning_area_id)
    if area is None or not area.is_active:
        raise QuestionError("ไม่พบกลุ่มสาระการเรียนรู้ที่เลือก กรุณาเลือกจากรายการ")
    return area


def grade_level_or_none(grade_level_id: int | None) -> GradeLevel | None:
    if not grade_level_id:
        return None
    level = db.session.get(GradeLevel, grade_level_id)
    if level is None:
        raise QuestionError("ไม่พบระดับชั้นที่เลือก กรุณาเลือกจากรายการ")
    return level


def ensure_tags(names: Iterable[str]) -> list[QuestionTag]:
    tags = []
    for name in names:
        tag = db.session.scalar(select(QuestionTag).where(QuestionTag.name == name))
        if tag is None:
            tag = QuestionTag(name=name)
            db.session.add(tag)
        tags.append(tag)
    return tags


def popular_tags(limit: int = 30) -> list[tuple[str, int]]:
    from nitet_online.questions.models import question_tag_links

    rows = db.session.execute(
        select(QuestionTag.name, func.count(question_tag_links.c.question_id))
        .join(question_tag_links, question_tag_links.c.tag_id == QuestionTag.id)
        .join(Question, Question.id == question_tag_links.c.question_id)
        .where(Question.is_hidden.is_(False))
        .group_by(QuestionTag.name)
        .order_by(func.count(question_tag_links.c.question_id).desc(), QuestionTag.name)
        .limit(limit)
    ).all()
    return [(name, count) for name, count in rows]


# Revisions ------------------------------------------------------------------------------------------
def _add_revision(
    post: Question | Answer, editor: User | None, reason: str, now: datetime
) -> QuestionRevision:
    number = (
        db.session.scalar(
            select(func.max(QuestionRevision.number)).where(
                QuestionRevision.target_type == post.kind, QuestionRevision.target_id == post.id
            )
        )
        or 0
    ) + 1
    revision = QuestionRevision(
        target_type=post.kind,
        target_id=post.id,
        number=number,
        title=post.title if isinstance(post, Question) else "",
        body=post.body,
        tags=", ".join(tag.name for tag in post.tags) if isinstance(post, Question) else "",
        editor_id=editor.id if editor else None,
        reason=(reason or "")[:300],
        created_at=now,
    )
    db.session.add(revision)
    return revision


def revisions_of(post: Question | Answer) -> list[QuestionRevision]:
    return list(
        db.session.scalars(
            select(QuestionRevision)
            .where(QuestionRevision.target_type == post.kind, QuestionRevision.target_id == post.id)
            .order_by(QuestionRevision.number)
        )
    )


# Following ------------------------------------------------------------------------------------------
def is_following(question: Question, user: User) -> bool:
    return db.session.get(QuestionFollow, (question.id, user.id)) is not None


def follow(question: Question, user: User) -> bool:
    """Returns True if the user was not following before."""
    if is_following(question, user):
        return False
    db.session.add(QuestionFollow(question_id=question.id, user_id=user.id))
    db.session.flush()
    return True


def unfollow(question: Question, user: User) -> bool:
    existing = db.session.get(QuestionFollow, (question.id, user.id))
    if existing is None:
        return False
    db.session.delete(existing)
    return True


def follower_ids(question: Question) -> list[int]:
    return list(
        db.session.scalars(
            select(QuestionFollow.user_id)
            .where(QuestionFollow.question_id == question.id)
            .order_by(QuestionFollow.created_at)
        )
    )


# Names in notifications -----------------------------------------------------------------------------
def _actor_name(question: Question, user: User) -> str:
    """The actor as named in notifications: the anonymous asker stays anonymous to everyone."""
    if question.is_anonymous and user.id == question.author_id:
        return "ผู้ถาม (ไม่ประสงค์ออกนาม)"
    return user.full_name


def _actor_id(question: Question, user: User) -> int | None:
    return None if question.is_anonymous and user.id == question.author_id else user.id


# Asking -----------------------------------------------------------------------------------------------
def ask_question(
    author: User,
    *,
    title: str,
    body: str,
    learning_area_id: int | None,
    grade_level_id: int | None = None,
    tags: Sequence[str] = (),
    anonymous: bool = False,
    uploads: Sequence[Upload] = (),
    now: datetime | None = None,
) -> Question:
    """Creates the question, routes it to the responsible supervisors and notifies them."""
    now = now or utcnow()
    area = learning_area_or_error(learning_area_id)
    level = grade_level_or_none(grade_level_id)
    question = Question(
        title=title.strip(),
        body=body,
        author=author,
        is_anonymous=anonymous,
        learning_area=area,
        grade_level=level,
        school=author.school,
        created_at=now,
        last_activity_at=now,
    )
    question.tags = ensure_tags(tags)
    db.session.add(question)
    db.session.flush()
    _attach_all("question", question.id, uploads)
    _add_revision(question, author, "", now)
    follow(question, author)
    route_question(question)
    return question


def edit_question(
    question: Question,
    editor: User,
    *,
    title: str,
    body: str,
    learning_area_id: int | None,
    grade_level_id: int | None,
    tags: Sequence[str],
    anonymous: bool | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> bool:
    """Saves a new version (kept in the history). Returns False when nothing changed."""
    now = now or utcnow()
    area = learning_area_or_error(learning_area_id)
    level = grade_level_or_none(grade_level_id)
    by_author = policy.owns(editor, question)
    if not by_author and not (reason or "").strip():
        raise QuestionError("กรุณาระบุเหตุผลที่แก้ไขโพสต์ของผู้อื่น")
    old_tags = [tag.name for tag in question.tags]
    content_changed = (
        title.strip() != question.title or body != question.body or list(tags) != old_tags
    )
    changed = (
        content_changed
        or (area.id if area else None) != question.learning_area_id
        or (level.id if level else None) != question.grade_level_id
        or (anonymous is not None and by_author and anonymous != question.is_anonymous)
    )
    if not changed:
        return False
    question.title, question.body = title.strip(), body
    question.learning_area, question.grade_level = area, level
    question.tags = ensure_tags(tags)
    if anonymous is not None and by_author:
        question.is_anonymous = anonymous
    question.edited_at, question.edited_by_id = now, editor.id
    question.last_activity_at = now
    db.session.flush()
    if content_changed:
        _add_revision(question, editor, reason, now)
    if not by_author:
        record(
            "question.edit",
            question,
            f"แก้ไขคำถาม “{question.title}” เหตุผล: {reason.strip()}",
            actor_id=editor.id,
        )
    return True


# Answering ------------------------------------------------------------------------------------------
def post_answer(
    question: Question,
    author: User,
    body: str,
    uploads: Sequence[Upload] = (),
    now: datetime | None = None,
) -> Answer:
    refusal = policy.answer_refusal(question, author)
    if refusal:
        raise QuestionError(refusal)
    now = now or utcnow()
    answer = Answer(
        question=question,
        author=author,
        body=body,
        by_supervisor=author.role in SUPERVISING_ROLES,
        created_at=now,
    )
    db.session.add(answer)
    db.session.flush()
    _attach_all("answer", answer.id, uploads)
    _add_revision(answer, author, "", now)
    question.last_activity_at = now
    refresh_question(question)
    recipients = follower_ids(question)
    follow(question, author)
    notify(
        recipients,
        "answer",
        f"{_actor_name(question, author)} ตอบคำถาม: {question.title}",
        answer.url,
        _actor_id(question, author),
    )
    return answer


def edit_answer(
    answer: Answer, editor: User, body: str, reason: str = "", now: datetime | None = None
) -> bool:
    now = now or utcnow()
    by_author = policy.owns(editor, answer)
    if not by_author and not (reason or "").strip():
        raise QuestionError("กรุณาระบุเหตุผลที่แก้ไขโพสต์ของผู้อื่น")
    if body == answer.body:
        return False
    answer.body = body
    answer.edited_at, answer.edited_by_id = now, editor.id
    _add_revision(answer, editor, reason, now)
    if not by_author:
        record(
            "answer.edit",
            answer,
            f"แก้ไขคำตอบในคำถาม “{answer.question.title}” เหตุผล: {reason.strip()}",
            actor_id=editor.id,
        )
    return True


# Comments -------------------------------------------------------------------------------------------
def post_comment(
    question: Question,
    author: User,
    body: str,
    answer: Answer | None = None,
    now: datetime | None = None,
) -> QuestionComment:
    refusal = policy.comment_refusal(question, author)
    if refusal:
        raise QuestionError(refusal)
    if answer is not None and (answer.question_id != question.id or answer.is_hidden):
        raise QuestionError("ไม่พบคำตอบที่ต้องการแสดงความคิดเห็น")
    now = now or utcnow()
    comment = QuestionComment(
        question=question, answer=answer, author=author, body=body.strip(), created_at=now
    )
    db.session.add(comment)
    db.session.flush()
    question.last_activity_at = now
    name, actor = _actor_name(question, author), _actor_id(question, author)
    told: set[int] = {author.id}
    if answer is not None and answer.author_id and answer.author_id not in told:
        notify(
            [answer.author_id],
            "comment",
            f"{name} แสดงความคิดเห็นต่อคำตอบของท่านในคำถาม: {question.title}",
            comment.url,
            actor,
        )
        told.add(answer.author_id)
    notify(
        [uid for uid in follower_ids(question) if uid not in told],
        "comment",
        f"{name} แสดงความคิดเห็นในคำถาม: {question.title}",
        comment.url,
        actor,
    )
    return comment


# States --------------------------------------------------------------------------------------------
def refresh_question(question: Question) -> None:
    """Recomputes the counters, the response times and the state from the visible answers:
    no answer → รอคำตอบ, an answer → ตอบแล้ว, an accepted answer → แก้ไขแล้ว (a closed
    question stays ปิด). Hidden answers do not count."""
    visible = [answer for answer in question.answers if not answer.is_hidden]
    question.answer_count = len(visible)
    by_others = [a for a in visible if a.author_id is None or a.author_id != question.author_id]
    question.first_answered_at = min((a.created_at for a in by_others), default=None)
    question.first_supervisor_answered_at = min(
        (a.created_at for a in by_others if a.by_supervisor), default=None
    )
    accepted = next((a for a in visible if a.accepted_at), None)
    question.resolved_at = accepted.accepted_at if accepted else None
    if question.status == QuestionStatus.CLOSED:
        return
    if accepted:
        question.status = QuestionStatus.RESOLVED
    elif visible:
        question.status = QuestionStatus.ANSWERED
    else:
        question.status = QuestionStatus.OPEN


def accept_answer(answer: Answer, by: User, now: datetime | None = None) -> None:
    question = answer.question
    if not policy.can_accept(question, by):
        raise QuestionError("เฉพาะผู้ถามหรือศึกษานิเทศก์เท่านั้นที่เลือกคำตอบที่ดีที่สุดได้")
    if answer.is_hidden:
        raise QuestionError("คำตอบนี้ถูกซ่อนอยู่ จึงเลือกเป็นคำตอบที่ดีที่สุดไม่ได้")
    now = now or utcnow()
    for other in question.answers:
        if other is not answer and other.accepted_at:
            other.accepted_at, other.accepted_by_id = None, None
    answer.accepted_at, answer.accepted_by_id = now, by.id
    question.last_activity_at = now
    refresh_question(question)
    if not policy.owns(by, question):
        record("answer.accept", answer, f"เลือกคำตอบที่ดีที่สุดให้คำถาม “{question.title}”", actor_id=by.id)
    notify(
        [answer.author_id],
        "answer_accepted",
        f"คำตอบของท่านได้รับเลือกเป็นคำตอบที่ดีที่สุด: {question.title}",
        answer.url,
        _actor_id(question, by),
    )
    if not policy.owns(by, question):
        notify(
            [question.author_id],
            "answer_accepted",
            f"{by.full_name} เลือกคำตอบที่ดีที่สุดให้คำถามของท่าน: {question.title}",
            answer.url,
            by.id,
        )


def unaccept_answer(answer: Answer, by: User) -> None:
    question = answer.question
    if not policy.can_accept(question, by):
        raise QuestionError("เฉพาะผู้ถามหรือศึกษานิเทศก์เท่านั้นที่เปลี่ยนคำตอบที่ดีที่สุดได้")
    answer.accepted_at, answer.accepted_by_id = None, None
    refresh_question(question)
    if not policy.owns(by, question):
        record(
            "answer.unaccept", answer, f"ยกเลิกคำตอบที่ดีที่สุดของคำถาม “{question.title}”", actor_id=by.id
        )


# Votes -------------------------------------------------------------------------------------------------
def has_voted(post: Question | Answer, user: User) -> bool:
    return (
        db.session.scalar(
            select(QuestionVote.id).where(
                QuestionVote.target_type == post.kind,
                QuestionVote.target_id == post.id,
                QuestionVote.user_id == user.id,
            )
        )
        is not None
    )


def voted_ids(kind: str, ids: Iterable[int], user: User) -> set[int]:
    ids = list(ids)
    if not ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        db.session.scalars(
            select(QuestionVote.target_id).where(
                QuestionVote.target_type == kind,
                QuestionVote.target_id.in_(ids),
                QuestionVote.user_id == user.id,
            )
        )
    )


def toggle_vote(post: Question | Answer, user: User) -> bool:
    """Adds the user's "helpful" vote, or takes it back. Returns whether the user now votes."""
    refusal = policy.vote_refusal(post, user)
    if refusal:
        raise QuestionError(refusal)
    existing = db.session.scalar(
        select(QuestionVote).where(
            QuestionVote.target_type == post.kind,
            QuestionVote.target_id == post.id,
            QuestionVote.user_id == user.id,
        )
    )
    if existing is None:
        db.session.add(QuestionVote(target_type=post.kind, target_id=post.id, user_id=user.id))
    else:
        db.session.delete(existing)
    db.session.flush()
    post.vote_count = db.session.scalar(
        select(func.count(QuestionVote.id)).where(
            QuestionVote.target_type == post.kind, QuestionVote.target_id == post.id
        )
    )
    return existing is None


# Lists ------------------------------------------------------------------------------------------------
SORTS: dict[str, str] = {
    "newest": "ใหม่ล่าสุด",
    "active": "มีความเคลื่อนไหวล่าสุด",
    "helpful": "มีประโยชน์มากที่สุด",
    "unanswered": "รอคำตอบนานที่สุด",
}


LIST_LOADING = (
    selectinload(Question.author).selectinload(User.school),
    selectinload(Question.learning_area),
    selectinload(Question.grade_level),
    selectinload(Question.tags),
)


def visibility(user):
    """Which questions a user may see in lists: hidden ones only for moderators and their asker."""
    if policy.is_moderator(user):
        return true()
    if getattr(user, "is_authenticated", False):
        return or_(Question.is_hidden.is_(False), Question.author_id == user.id)
    return Question.is_hidden.is_(False)


def visible_questions(user):
    return select(Question).options(*LIST_LOADING).where(visibility(user))


def list_query(
    user,
    *,
    status: str = "",
    learning_area_id: int | None = None,
    grade_level_id: int | None = None,
    tag: str = "",
    text: str = "",
    mine: str = "",
    sort: str = "newest",
):
    query = visible_questions(user)
    if status in {s.value for s in QuestionStatus}:
        query = query.where(Question.status == QuestionStatus(status))
    if sort == "unanswered":
        query = query.where(Question.status == QuestionStatus.OPEN)
    if learning_area_id:
        query = query.where(Question.learning_area_id == learning_area_id)
    if grade_level_id:
        query = query.where(Question.grade_level_id == grade_level_id)
    if tag:
        query = query.where(Question.tags.any(QuestionTag.name == tag))
    if text:
        like = f"%{text.lower()}%"
        query = query.where(
            or_(func.lower(Question.title).like(like), func.lower(Question.body).like(like))
        )
    if mine and getattr(user, "is_authenticated", False):
        if mine == "asked":
            query = query.where(Question.author_id == user.id)
        elif mine == "following":
            query = query.where(
                Question.id.in_(
                    select(QuestionFollow.question_id).where(QuestionFollow.user_id == user.id)
                )
            )
        elif mine == "answered":
            query = query.where(
                Question.id.in_(select(Answer.question_id).where(Answer.author_id == user.id))
            )
    order = {
        "active": (Question.last_activity_at.desc(), Question.id.desc()),
        "helpful": (Question.vote_count.desc(), Question.answer_count.desc(), Question.id.desc()),
        "unanswered": (Question.created_at, Question.id),
    }.get(sort, (Question.created_at.desc(), Question.id.desc()))
    return query.order_by(*order)


def status_counts(user) -> dict[str, int]:
    rows = db.session.execute(
        select(Question.status, func.count()).where(visibility(user)).group_by(Question.status)
    ).all()
    counts = {status.value: 0 for status in QuestionStatus}
    for status, count in rows:
        counts[QuestionStatus(status).value] = count
    return counts


def latest_public_questions(limit: int = 5) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question)
            .options(*LIST_LOADING)
            .where(Question.is_hidden.is_(False))
            .order_by(Question.created_at.desc(), Question.id.desc())
            .limit(limit)
        )
    )


def unanswered_count() -> int:
    return db.session.scalar(
        select(func.count(Question.id)).where(
            Question.is_hidden.is_(False), Question.status == QuestionStatus.OPEN
        )
    )


def recent_answers_by(user_id: int, limit: int = 5) -> list[Answer]:
    """A supervisor's latest public answers (their personal page's "คำตอบล่าสุด")."""
    return list(
        db.session.scalars(
            select(Answer)
            .join(Question, Question.id == Answer.question_id)
            .where(
                Answer.author_id == user_id,
                Answer.is_hidden.is_(False),
                Question.is_hidden.is_(False),
            )
            .order_by(Answer.created_at.desc(), Answer.id.desc())
            .limit(limit)
        )
    )


def answer_count_by(user_id: int) -> int:
    return db.session.scalar(
        select(func.count(Answer.id)).where(
            Answer.author_id == user_id, Answer.is_hidden.is_(False)
        )
    )
