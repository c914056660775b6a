"""Review workflows, one way for every feature whose items are written by one person and checked
by another before the public sees them (best practices, honours, knowledge; supervision records).

A feature keeps its own states (an enum whose values are stored) and declares its workflow once:

    REVIEW = ReviewFlow(
        labels={Status.DRAFT: "ฉบับร่าง", Status.PENDING: "รอตรวจ", ...},
        steps=(
            Step("submit", {Status.DRAFT}, Status.PENDING, Actor.AUTHOR, "ส่งตรวจแล้ว"),
            Step("publish", {Status.PENDING}, Status.PUBLISHED, Actor.REVIEWER, "..."),
        ),
        editable={Status.DRAFT},
    )

and asks it: the Thai label of a state (`REVIEW.label(state)`, also the enum's `label`), whether
a step may be taken from a state (`allows`) and, when not, the Thai reason (`refusal`), which
state it leads to (`target`), who takes it (`by`: the author or a reviewer, the feature decides
who those are for an item), the steps a person in a part may take now (`actions`), and whether
the author may still edit (`author_may_edit`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Actor(enum.StrEnum):
    """Who takes a step: the item's author (or nominator), or one who reviews it."""

    AUTHOR = "author"
    REVIEWER = "reviewer"


@dataclass(frozen=True)
class Step:
    action: str
    sources: frozenset[Any]  # the states it may be taken from (any iterable is accepted)
    target: Any
    by: Actor
    refusal: str  # Thai: why the step cannot be taken from another state

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", frozenset(self.sources))


@dataclass(frozen=True)
class ReviewFlow:
    labels: Mapping[Any, str]
    steps: tuple[Step, ...]
    editable: frozenset[Any] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "editable", frozenset(self.editable))
        states = set(self.labels)
        for step in self.steps:
            if not step.sources <= states or step.target not in states:
                raise ValueError(f"step {step.action!r} names a state without a label")
        if len({step.action for step in self.steps}) != len(self.steps):
            raise ValueError("each step is declared once")

    def label(self, state: Any) -> str:
        return self.labels[state]

    def step(self, action: str) -> Step:
        for step in self.steps:
            if step.action == action:
                return step
        raise KeyError(action)

    def allows(self, action: str, state: Any) -> bool:
        return state in self.step(action).sources

    def refusal(self, action: str, state: Any) -> str | None:
        """The Thai reason this step cannot be taken from this state, or None when it can."""
        step = self.step(action)
        return None if state in step.sources else step.refusal

    def target(self, action: str) -> Any:
        return self.step(action).target

    def by(self, action: str) -> Actor:
        return self.step(action).by

    def actions(self, state: Any, actor: Actor) -> list[str]:
        """The steps someone in this part may take from this state, in declared order."""
        return [step.action for step in self.steps if step.by == actor and state in step.sources]

    def author_may_edit(self, state: Any) -> bool:
        return state in self.editable
