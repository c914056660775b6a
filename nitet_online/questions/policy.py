"""Who may do what in Q&A, and whose name a viewer may see. Views call these on the server for
every action; templates call them to decide which buttons to show.

`user` is a User or Flask-Login's anonymous user (is_authenticated False)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nitet_online.accounts.models import Role, User
from nitet_online.questions.models import ANONYMOUS_NAME, Answer, Question, QuestionStatus
from nitet_online.services.permissions import SUPERVISING_ROLES


def _logged_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_moderator(user: Any) -> bool:
    """Supervisors, the director and administrators moderate Q&A (and see hidden posts and the
    names of anonymous askers)."""
    return _logged_in(user) and user.role in SUPERVISING_ROLES


def is_supervisor(user: Any) -> bool:
    return _logged_in(user) and user.role == Role.SUPERVISOR


def owns(user: Any, post: Any) -> bool:
    return _logged_in(user) and post.author_id is not None and post.author_id == user.id


def can_ask(user: Any) -> bool:
    return _logged_in(user)


def can_view_question(question: Question, user: Any) -> bool:
    return not question.is_hidden or is_moderator(user) or owns(user, question)


def can_view_post(post: Any, user: Any) -> bool:
    """An answer or comment: hidden ones only for moderators and their author."""
    return not post.is_hidden or is_moderator(user) or owns(user, post)


def answer_refusal(question: Question, user: Any) -> str | None:
    """The Thai reason a user may not answer now, or None when they may."""
    if not _logged_in(user):
        return "กรุณาเข้าสู่ระบบเพื่อตอบคำถาม"
    if question.is_hidden:
        return "คำถามนี้ถูกซ่อนอยู่ จึงตอบไม่ได้"
    if question.is_locked:
        return "คำถามนี้ถูกล็อกแล้ว ไม่รับคำตอบหรือความคิดเห็นใหม่"
    if question.status == QuestionStatus.CLOSED:
        return "คำถามนี้ปิดแล้ว ไม่รับคำตอบใหม่"
    return None


def comment_refusal(question: Question, user: Any) -> str | None:
    if not _logged_in(user):
        return "กรุณาเข้าสู่ระบบเพื่อแสดงความคิดเห็น"
    if question.is_hidden:
        return "คำถามนี้ถูกซ่อนอยู่ จึงแสดงความคิดเห็นไม่ได้"
    if question.is_locked:
        return "คำถามนี้ถูกล็อกแล้ว ไม่รับคำตอบหรือความคิดเห็นใหม่"
    return None


def can_edit(post: Question | Answer, user: Any) -> bool:
    """Authors edit their own posts (not once locked); moderators edit any post, with a reason."""
    if is_moderator(user):
        return True
    question = post if isinstance(post, Question) else post.question
    return owns(user, post) and not question.is_locked


def edit_needs_reason(post: Question | Answer, user: Any) -> bool:
    return not owns(user, post)


def can_accept(question: Question, user: Any) -> bool:
    """The asker or a moderator chooses the best answer (คำตอบที่ดีที่สุด)."""
    if question.is_hidden or question.status == QuestionStatus.CLOSED:
        return False
    return owns(user, question) or is_moderator(user)


def vote_refusal(post: Question | Answer, user: Any) -> str | None:
    if not _logged_in(user):
        return "กรุณาเข้าสู่ระบบเพื่อโหวตว่ามีประโยชน์"
    if owns(user, post):
        return "โหวตโพสต์ของตนเองไม่ได้"
    if post.is_hidden:
        return "โพสต์นี้ถูกซ่อนอยู่"
    return None


def can_claim(question: Question, user: Any) -> bool:
    return (
        is_supervisor(user)
        and not question.is_hidden
        and question.status in (QuestionStatus.OPEN, QuestionStatus.ANSWERED)
        and question.claimed_by_id != user.id
    )


def can_assign(user: Any) -> bool:
    """Reassign a question or invite another supervisor."""
    return is_moderator(user)


# Identity -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Poster:
    """How a post's author appears to one viewer."""

    name: str
    user: User | None  # None when the viewer may not know who it is
    anonymous: bool  # the asker asked not to be named publicly
    revealed: bool  # anonymous, yet this viewer (a moderator or the asker) sees the name

    @property
    def note(self) -> str:
        return f"แสดงต่อสาธารณะว่า “{ANONYMOUS_NAME}”" if self.revealed else ""


def poster(question: Question, author: User | None, author_id: int | None, viewer: Any) -> Poster:
    """The asker's own posts in an anonymous question's thread stay anonymous to the public;
    moderators and the asker see the name."""
    anonymous = question.is_anonymous and author_id is not None and author_id == question.author_id
    if author is None:
        return Poster(ANONYMOUS_NAME if anonymous else "ผู้ใช้ที่ไม่อยู่ในระบบแล้ว", None, anonymous, False)
    if not anonymous:
        return Poster(author.full_name, author, False, False)
    if is_moderator(viewer) or owns(viewer, question):
        return Poster(author.full_name, author, True, True)
    return Poster(ANONYMOUS_NAME, None, True, False)
