"""One review-state helper (services/review.py) for best practices, honours and knowledge
(issue 13): each declares its states' Thai labels, its steps and who takes them once."""

from __future__ import annotations

import pytest

from nitet_online.best_practices.models import REVIEW as PRACTICE_REVIEW
from nitet_online.best_practices.models import BestPracticeStatus
from nitet_online.honours.models import REVIEW as HONOUR_REVIEW
from nitet_online.honours.models import HonourStatus
from nitet_online.knowledge.models import REVIEW as KNOWLEDGE_REVIEW
from nitet_online.knowledge.models import KnowledgeStatus
from nitet_online.services.review import Actor, ReviewFlow, Step


def test_a_flow_answers_labels_steps_refusals_and_who_acts():
    flow = ReviewFlow(
        labels={"draft": "ฉบับร่าง", "pending": "รอตรวจ", "done": "เผยแพร่"},
        steps=(
            Step("submit", {"draft"}, "pending", Actor.AUTHOR, "ส่งแล้ว"),
            Step("publish", ["pending"], "done", Actor.REVIEWER, "ยังไม่ได้ส่ง"),
        ),
        editable={"draft"},
    )
    assert flow.label("pending") == "รอตรวจ"
    assert flow.allows("submit", "draft") and not flow.allows("submit", "pending")
    assert flow.refusal("submit", "draft") is None
    assert flow.refusal("publish", "draft") == "ยังไม่ได้ส่ง"
    assert flow.target("publish") == "done" and flow.by("publish") == Actor.REVIEWER
    assert flow.actions("draft", Actor.AUTHOR) == ["submit"]
    assert flow.actions("pending", Actor.AUTHOR) == []
    assert flow.actions("pending", Actor.REVIEWER) == ["publish"]
    assert flow.author_may_edit("draft") and not flow.author_may_edit("done")


def test_a_step_to_an_unlabelled_state_is_refused_when_declared():
    with pytest.raises(ValueError):
        ReviewFlow(labels={"a": "ก"}, steps=(Step("go", {"a"}, "b", Actor.AUTHOR, ""),))


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (BestPracticeStatus.DRAFT, "ฉบับร่าง"),
        (BestPracticeStatus.PENDING, "รอตรวจ"),
        (BestPracticeStatus.PUBLISHED, "เผยแพร่"),
        (BestPracticeStatus.RETURNED, "ส่งกลับแก้ไข"),
        (HonourStatus.PENDING, "รออนุมัติ"),
        (HonourStatus.APPROVED, "อนุมัติแล้ว"),
        (HonourStatus.REJECTED, "ไม่อนุมัติ"),
        (KnowledgeStatus.DRAFT, "ฉบับร่าง"),
        (KnowledgeStatus.PENDING, "รอตรวจ"),
        (KnowledgeStatus.PUBLISHED, "เผยแพร่แล้ว"),
    ],
)
def test_the_thai_labels_are_unchanged(status, label):
    assert status.label == label


def test_best_practice_workflow():
    s = BestPracticeStatus
    assert PRACTICE_REVIEW.actions(s.DRAFT, Actor.AUTHOR) == ["submit"]
    assert PRACTICE_REVIEW.actions(s.RETURNED, Actor.AUTHOR) == ["submit"]
    assert PRACTICE_REVIEW.actions(s.PENDING, Actor.REVIEWER) == ["publish", "return"]
    assert PRACTICE_REVIEW.actions(s.PUBLISHED, Actor.REVIEWER) == ["return"]
    assert PRACTICE_REVIEW.refusal("submit", s.PENDING) == "ผลงานนี้ส่งตรวจแล้ว ไม่ต้องส่งซ้ำ"
    assert {x for x in s if PRACTICE_REVIEW.author_may_edit(x)} == {s.DRAFT, s.RETURNED}


def test_honour_workflow():
    s = HonourStatus
    assert HONOUR_REVIEW.actions(s.PENDING, Actor.REVIEWER) == ["approve", "reject"]
    assert HONOUR_REVIEW.actions(s.APPROVED, Actor.REVIEWER) == ["reject"]
    assert HONOUR_REVIEW.refusal("reject", s.REJECTED) == "รายการนี้ไม่อนุมัติไปแล้ว"
    assert HONOUR_REVIEW.actions(s.REJECTED, Actor.AUTHOR) == ["resubmit"]
    assert HONOUR_REVIEW.target("resubmit") == s.PENDING
    assert not HONOUR_REVIEW.author_may_edit(s.APPROVED)


def test_knowledge_workflow():
    s = KnowledgeStatus
    assert KNOWLEDGE_REVIEW.actions(s.DRAFT, Actor.AUTHOR) == ["submit"]
    assert KNOWLEDGE_REVIEW.refusal("submit", s.PUBLISHED) == "รายการนี้เผยแพร่แล้ว"
    assert KNOWLEDGE_REVIEW.actions(s.PENDING, Actor.REVIEWER) == ["publish", "return"]
    assert KNOWLEDGE_REVIEW.actions(s.PUBLISHED, Actor.REVIEWER) == ["publish", "unpublish"]
    assert {x for x in s if KNOWLEDGE_REVIEW.author_may_edit(x)} == {s.DRAFT, s.PENDING}
