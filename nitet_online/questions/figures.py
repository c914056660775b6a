"""Response-time figures of Q&A for the statistics feature and the director:

    response_times(date(2026, 10, 1), date(2027, 9, 30)) -> ResponseTimes

Questions asked in Thailand's days [start, end] (hidden ones left out): how many were answered,
answered by a supervisor, resolved, and how long each took (median and mean), overall and per
learning area, plus one row per question."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from nitet_online.accounts.models import User
from nitet_online.extensions import db
from nitet_online.services.thai import BANGKOK


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Thailand's days [start, end] as naive UTC datetimes [from, until)."""
    begin = datetime.combine(start, time.min, BANGKOK).astimezone(UTC).replace(tzinfo=None)
    stop = datetime.combine(end + timedelta(days=1), time.min, BANGKOK).astimezone(UTC)
    return begin, stop.replace(tzinfo=None)


@dataclass(frozen=True)
class QuestionTimes:
    id: int
    title: str
    url: str
    learning_area: str
    status: str
    created_at: datetime
    first_answer: timedelta | None
    first_supervisor_answer: timedelta | None
    resolution: timedelta | None


@dataclass(frozen=True)
class Durations:
    """Median and mean of a set of durations, and how many there were."""

    count: int
    median: timedelta | None
    mean: timedelta | None

    @classmethod
    def of(cls, values: list[timedelta]) -> Durations:
        if not values:
            return cls(0, None, None)
        seconds = [value.total_seconds() for value in values]
        return cls(
            len(values),
            timedelta(seconds=statistics.median(seconds)),
            timedelta(seconds=statistics.fmean(seconds)),
        )

    @property
    def median_hours(self) -> float | None:
        return round(self.median.total_seconds() / 3600, 1) if self.median else None

    @property
    def mean_hours(self) -> float | None:
        return round(self.mean.total_seconds() / 3600, 1) if self.mean else None


@dataclass(frozen=True)
class AreaTimes:
    learning_area: str
    asked: int
    answered: int
    resolved: int
    first_answer: Durations


@dataclass
class ResponseTimes:
    start: date
    end: date
    asked: int = 0
    answered: int = 0
    supervisor_answered: int = 0
    resolved: int = 0
    still_open: int = 0
    answered_within_24h: int = 0
    first_answer: Durations = field(default_factory=lambda: Durations(0, None, None))
    first_supervisor_answer: Durations = field(default_factory=lambda: Durations(0, None, None))
    resolution: Durations = field(default_factory=lambda: Durations(0, None, None))
    by_learning_area: list[AreaTimes] = field(default_factory=list)
    questions: list[QuestionTimes] = field(default_factory=list)

    @property
    def answered_share(self) -> float | None:
        """Percentage of the questions asked that have an answer."""
        return round(100 * self.answered / self.asked, 1) if self.asked else None

    @property
    def within_24h_share(self) -> float | None:
        return round(100 * self.answered_within_24h / self.asked, 1) if self.asked else None

    def as_json(self) -> dict:
        def durations(d: Durations) -> dict:
            return {"count": d.count, "median_hours": d.median_hours, "mean_hours": d.mean_hours}

        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "asked": self.asked,
            "answered": self.answered,
            "supervisor_answered": self.supervisor_answered,
            "resolved": self.resolved,
            "still_open": self.still_open,
            "answered_within_24h": self.answered_within_24h,
            "first_answer": durations(self.first_answer),
            "first_supervisor_answer": durations(self.first_supervisor_answer),
            "resolution": durations(self.resolution),
        }


def response_times(start: date, end: date) -> ResponseTimes:
    from nitet_online.questions.models import Question, QuestionStatus

    begin, until = utc_bounds(start, end)
    questions = db.session.scalars(
        select(Question)
        .options(selectinload(Question.learning_area))
        .where(
            Question.created_at >= begin,
            Question.created_at < until,
            Question.is_hidden.is_(False),
        )
        .order_by(Question.created_at)
    ).all()
    rows = [
        QuestionTimes(
            id=q.id,
            title=q.title,
            url=q.url,
            learning_area=q.learning_area.name if q.learning_area else "ไม่ระบุ",
            status=q.status.label,
            created_at=q.created_at,
            first_answer=q.time_to_first_answer,
            first_supervisor_answer=q.time_to_supervisor_answer,
            resolution=q.time_to_resolution,
        )
        for q in questions
    ]
    result = _summarise(start, end, rows)
    result.still_open = sum(1 for q in questions if q.status == QuestionStatus.OPEN)
    return result


def _summarise(start: date, end: date, rows: list[QuestionTimes]) -> ResponseTimes:
    first = [r.first_answer for r in rows if r.first_answer is not None]
    supervisor = [r.first_supervisor_answer for r in rows if r.first_supervisor_answer is not None]
    resolution = [r.resolution for r in rows if r.resolution is not None]
    areas: dict[str, list[QuestionTimes]] = {}
    for row in rows:
        areas.setdefault(row.learning_area, []).append(row)
    return ResponseTimes(
        start=start,
        end=end,
        asked=len(rows),
        answered=len(first),
        supervisor_answered=len(supervisor),
        resolved=len(resolution),
        answered_within_24h=sum(1 for value in first if value <= timedelta(hours=24)),
        first_answer=Durations.of(first),
        first_supervisor_answer=Durations.of(supervisor),
        resolution=Durations.of(resolution),
        by_learning_area=[
            AreaTimes(
                learning_area=name,
                asked=len(items),
                answered=sum(1 for r in items if r.first_answer is not None),
                resolved=sum(1 for r in items if r.resolution is not None),
                first_answer=Durations.of(
                    [r.first_answer for r in items if r.first_answer is not None]
                ),
            )
            for name, items in sorted(areas.items(), key=lambda item: (-len(item[1]), item[0]))
        ],
        questions=rows,
    )


@dataclass(frozen=True)
class SupervisorAnswers:
    user: User
    answers: int
    accepted: int
    questions: int


def answers_by_supervisor(start: date, end: date) -> list[SupervisorAnswers]:
    """Answers written by supervisors in the period, most first."""
    from nitet_online.questions.models import Answer

    begin, until = utc_bounds(start, end)
    rows = db.session.execute(
        select(
            Answer.author_id,
            func.count(Answer.id),
            func.count(Answer.accepted_at),
            func.count(func.distinct(Answer.question_id)),
        )
        .where(
            Answer.by_supervisor.is_(True),
            Answer.is_hidden.is_(False),
            Answer.created_at >= begin,
            Answer.created_at < until,
            Answer.author_id.is_not(None),
        )
        .group_by(Answer.author_id)
        .order_by(func.count(Answer.id).desc())
    ).all()
    users = {
        user.id: user
        for user in db.session.scalars(select(User).where(User.id.in_([r[0] for r in rows])))
    }
    return [
        SupervisorAnswers(users[author_id], answers, accepted, questions)
        for author_id, answers, accepted, questions in rows
        if author_id in users
    ]
