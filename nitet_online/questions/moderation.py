"""Moderation by supervisors, the director and administrators: reports, hiding and restoring
posts, locking, closing (also as a duplicate) and reopening. Every action is in the audit log."""

from __future__ import annotations

from sqlalchemy import func, select

from nitet_online.accounts.models import User
from nitet_online.audit.services import record
from nitet_online.extensions import db
from nitet_online.notifications.services import notify
from nitet_online.questions import policy
from nitet_online.questions.models import (
    CLOSE_REASONS,
    REPORT_REASONS,
    Answer,
    Question,
    QuestionComment,
    QuestionReport,
    QuestionStatus,
)
from nitet_online.questions.routing import active_supervisors, assigned_ids
from nitet_online.questions.services import QuestionError, refresh_question
from nitet_online.services.thai import utcnow

Post = Question | Answer | QuestionComment
POST_LABELS = {"question": "คำถาม", "answer": "คำตอบ", "comment": "ความคิดเห็น"}

# Thai names of the moderation and inbox actions in the audit log (declared in the feature's
# __init__.py).
AUDIT_LABELS: dict[str, str] = {
    "question.claim": "รับเรื่องคำถาม",
    "question.reassign": "โอนคำถามให้ศึกษานิเทศก์",
    "question.invite": "เชิญศึกษานิเทศก์ร่วมตอบ",
    "question.edit": "แก้ไขคำถามของผู้อื่น",
    "question.close": "ปิดคำถาม",
    "question.reopen": "เปิดคำถามอีกครั้ง",
    "question.lock": "ล็อกคำถาม",
    "question.unlock": "ปลดล็อกคำถาม",
    "question.hide": "ซ่อนคำถาม",
    "question.restore": "แสดงคำถามอีกครั้ง",
    "answer.edit": "แก้ไขคำตอบของผู้อื่น",
    "answer.accept": "เลือกคำตอบที่ดีที่สุดแทนผู้ถาม",
    "answer.unaccept": "ยกเลิกคำตอบที่ดีที่สุดแทนผู้ถาม",
    "answer.hide": "ซ่อนคำตอบ",
    "answer.restore": "แสดงคำตอบอีกครั้ง",
    "comment.hide": "ซ่อนความคิดเห็น",
    "comment.restore": "แสดงความคิดเห็นอีกครั้ง",
    "post.report": "รายงานโพสต์ไม่เหมาะสม",
    "report.dismiss": "ยกเลิกรายงานโพสต์",
}

POST_MODELS: dict[str, type] = {"question": Question, "answer": Answer, "comment": QuestionComment}


def find_post(kind: str, post_id: int) -> Post | None:
    model = POST_MODELS.get(kind)
    return db.session.get(model, post_id) if model else None


def question_of(post: Post) -> Question:
    return post if isinstance(post, Question) else post.question


def _require_moderator(user: User) -> None:
    if not policy.is_moderator(user):
        raise QuestionError("เฉพาะศึกษานิเทศก์และผู้ดูแลระบบเท่านั้นที่ทำรายการนี้ได้")


def _title(post: Post) -> str:
    return question_of(post).title


# Hide and restore -------------------------------------------------------------------------------
def hide_post(post: Post, by: User, reason: str) -> None:
    _require_moderator(by)
    reason = (reason or "").strip()
    if not reason:
        raise QuestionError("กรุณาระบุเหตุผลที่ซ่อนโพสต์ (ผู้เขียนจะเห็นเหตุผลนี้)")
    if post.is_hidden:
        raise QuestionError("โพสต์นี้ถูกซ่อนอยู่แล้ว")
    post.is_hidden = True
    post.hidden_reason = reason[:500]
    post.hidden_at = utcnow()
    post.hidden_by_id = by.id
    if isinstance(post, Answer):
        refresh_question(post.question)
    _resolve_reports_of(post, by, "hidden")
    label = POST_LABELS[post.kind]
    record(
        f"{post.kind}.hide", post, f"ซ่อน{label}ใน “{_title(post)}” เหตุผล: {reason}", actor_id=by.id
    )
    notify(
        [post.author_id],
        "moderation",
        f"{label}ของท่านใน “{_title(post)}” ถูกซ่อนโดยผู้ดูแล เหตุผล: {reason}",
        post.url,
        by.id,
    )


def restore_post(post: Post, by: User) -> None:
    _require_moderator(by)
    if not post.is_hidden:
        raise QuestionError("โพสต์นี้ไม่ได้ถูกซ่อน")
    post.is_hidden = False
    post.hidden_reason = ""
    post.hidden_at = None
    post.hidden_by_id = None
    if isinstance(post, Answer):
        refresh_question(post.question)
    label = POST_LABELS[post.kind]
    record(f"{post.kind}.restore", post, f"แสดง{label}ใน “{_title(post)}” อีกครั้ง", actor_id=by.id)


# Lock ------------------------------------------------------------------------------------------------
def lock_question(question: Question, by: User, reason: str = "") -> None:
    _require_moderator(by)
    question.is_locked = True
    question.locked_at = utcnow()
    question.locked_by_id = by.id
    note = f" เหตุผล: {reason.strip()}" if reason and reason.strip() else ""
    record("question.lock", question, f"ล็อกคำถาม “{question.title}”{note}", actor_id=by.id)


def unlock_question(question: Question, by: User) -> None:
    _require_moderator(by)
    question.is_locked = False
    question.locked_at = None
    question.locked_by_id = None
    record("question.unlock", question, f"ปลดล็อกคำถาม “{question.title}”", actor_id=by.id)


# Close and reopen ---------------------------------------------------------------------------------
def parse_question_reference(text: str) -> int | None:
    """ "123", "#123" or a pasted address like https://…/questions/123-ชื่อ → 123."""
    import re

    match = re.search(r"(?:questions/)?#?(\d+)", (text or "").strip())
    return int(match.group(1)) if match else None


def close_question(
    question: Question, by: User, reason: str, note: str = "", duplicate_of: Question | None = None
) -> None:
    _require_moderator(by)
    if reason not in CLOSE_REASONS:
        raise QuestionError("กรุณาเลือกเหตุผลที่ปิดคำถาม")
    if reason == "duplicate":
        if duplicate_of is None or duplicate_of.is_hidden:
            raise QuestionError("กรุณาระบุคำถามต้นฉบับที่คำถามนี้ซ้ำ (เลขที่หรือลิงก์ของคำถาม)")
        if duplicate_of.id == question.id:
            raise QuestionError("คำถามซ้ำกับตัวเองไม่ได้ กรุณาระบุคำถามต้นฉบับอื่น")
    question.status = QuestionStatus.CLOSED
    question.close_reason = reason
    question.close_note = (note or "").strip()[:500]
    question.duplicate_of = duplicate_of if reason == "duplicate" else None
    question.closed_at = utcnow()
    question.closed_by_id = by.id
    summary = f"ปิดคำถาม “{question.title}” ({CLOSE_REASONS[reason]})"
    if question.duplicate_of:
        summary += f" ซ้ำกับคำถาม #{question.duplicate_of.id}"
    record("question.close", question, summary, actor_id=by.id)
    notify(
        [question.author_id],
        "moderation",
        f"คำถามของท่านถูกปิด ({CLOSE_REASONS[reason]}): {question.title}",
        question.url,
        by.id,
    )


def reopen_question(question: Question, by: User) -> None:
    _require_moderator(by)
    if question.status != QuestionStatus.CLOSED:
        raise QuestionError("คำถามนี้ไม่ได้ปิดอยู่")
    question.status = QuestionStatus.OPEN
    question.close_reason = ""
    question.close_note = ""
    question.duplicate_of = None
    question.closed_at = None
    question.closed_by_id = None
    refresh_question(question)
    record("question.reopen", question, f"เปิดคำถาม “{question.title}” อีกครั้ง", actor_id=by.id)


# Reports ------------------------------------------------------------------------------------------
def report_post(post: Post, reporter: User, reason: str, detail: str = "") -> QuestionReport:
    if reason not in REPORT_REASONS:
        raise QuestionError("กรุณาเลือกเหตุผลที่รายงาน")
    if reason == "other" and not (detail or "").strip():
        raise QuestionError("กรุณาอธิบายเหตุผลที่รายงาน")
    question = question_of(post)
    already = db.session.scalar(
        select(QuestionReport.id).where(
            QuestionReport.target_type == post.kind,
            QuestionReport.target_id == post.id,
            QuestionReport.reporter_id == reporter.id,
            QuestionReport.resolved_at.is_(None),
        )
    )
    if already:
        raise QuestionError("ท่านรายงานโพสต์นี้ไว้แล้ว ผู้ดูแลกำลังตรวจสอบ")
    report = QuestionReport(
        question=question,
        target_type=post.kind,
        target_id=post.id,
        reporter_id=reporter.id,
        reason=reason,
        detail=(detail or "").strip()[:1000],
    )
    db.session.add(report)
    record(
        "post.report",
        report,
        f"รายงาน{POST_LABELS[post.kind]}ใน “{question.title}”: {REPORT_REASONS[reason]}",
        actor_id=reporter.id,
    )
    moderators = assigned_ids(question) or [user.id for user in active_supervisors()]
    notify(
        moderators,
        "report",
        f"มีผู้รายงาน{POST_LABELS[post.kind]}ไม่เหมาะสมใน “{question.title}”: {REPORT_REASONS[reason]}",
        "/questions/reports",
        None,
    )
    return report


def _resolve_reports_of(post: Post, by: User, resolution: str) -> None:
    for report in db.session.scalars(
        select(QuestionReport).where(
            QuestionReport.target_type == post.kind,
            QuestionReport.target_id == post.id,
            QuestionReport.resolved_at.is_(None),
        )
    ):
        report.resolved_at = utcnow()
        report.resolved_by_id = by.id
        report.resolution = resolution


def dismiss_report(report: QuestionReport, by: User) -> None:
    _require_moderator(by)
    if report.resolved_at is not None:
        raise QuestionError("รายงานนี้ได้รับการจัดการแล้ว")
    report.resolved_at = utcnow()
    report.resolved_by_id = by.id
    report.resolution = "dismissed"
    record(
        "report.dismiss",
        report,
        f"ยกเลิกรายงานใน “{report.question.title}” (ไม่พบปัญหา)",
        actor_id=by.id,
    )


def open_reports_query():
    return (
        select(QuestionReport)
        .where(QuestionReport.resolved_at.is_(None))
        .order_by(QuestionReport.created_at)
    )


def open_report_count() -> int:
    return db.session.scalar(
        select(func.count(QuestionReport.id)).where(QuestionReport.resolved_at.is_(None))
    )
