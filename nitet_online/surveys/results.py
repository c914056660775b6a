"""Results of a survey the way Thai reports show them: n, mean (x̄) and S.D. per rating item, per
section and overall, with the usual interpretation bands; choice distributions; text answers.

S.D. is the sample standard deviation (divisor n − 1), as Thai research reports use. A section's
and the survey's x̄ and S.D. are computed over all rating answers in it pooled together (each
answer one observation), not as the mean of item means. Their n, though, is people: the
respondents who rated anything there (two people answering three items are n = 2, from 6
answers), so the tables never show answers as if they were respondents.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from nitet_online.extensions import db
from nitet_online.surveys.models import (
    ItemKind,
    Survey,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
    SurveySection,
)

# Lower bound of each band of the 5-level scale (means rounded to two decimals first).
BANDS: list[tuple[Decimal, str]] = [
    (Decimal("4.51"), "มากที่สุด"),
    (Decimal("3.51"), "มาก"),
    (Decimal("2.51"), "ปานกลาง"),
    (Decimal("1.51"), "น้อย"),
    (Decimal("0"), "น้อยที่สุด"),
]


def round2(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def interpret(mean: float | None) -> str:
    """4.51–5.00 มากที่สุด, 3.51–4.50 มาก, 2.51–3.50 ปานกลาง, 1.51–2.50 น้อย, 1.00–1.50 น้อยที่สุด."""
    if mean is None:
        return "-"
    rounded = round2(mean)
    return next(label for lower, label in BANDS if rounded >= lower)


def sample_sd(values: Sequence[float]) -> float | None:
    """Sample standard deviation (n − 1); undefined (None) for fewer than two values."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    return math.sqrt(sum((value - mean) ** 2 for value in values) / (n - 1))


@dataclass(frozen=True)
class RatingSummary:
    n: int  # respondents (people)
    mean: float | None  # over the answers
    sd: float | None  # over the answers, divisor answers − 1
    answers: int = 0

    @classmethod
    def of(cls, values: Sequence[float], respondents: int | None = None) -> RatingSummary:
        """`respondents` defaults to one person per value (an item's own answers)."""
        count = len(values)
        people = count if respondents is None else respondents
        return cls(people, sum(values) / count if count else None, sample_sd(values), count)

    @property
    def band(self) -> str:
        return interpret(self.mean)

    @property
    def mean_text(self) -> str:
        return "-" if self.mean is None else f"{round2(self.mean)}"

    @property
    def sd_text(self) -> str:
        return "-" if self.sd is None else f"{round2(self.sd)}"


@dataclass
class ItemResult:
    item: SurveyItem
    ratings: list[int] = field(default_factory=list)
    raters: set[int] = field(default_factory=set)  # the responses that gave those ratings
    summary: RatingSummary | None = None
    level_counts: dict[int, int] = field(default_factory=dict)
    distribution: list[tuple[str, int, float]] = field(default_factory=list)
    answered: int = 0
    texts: list[str] = field(default_factory=list)


@dataclass
class SectionResult:
    section: SurveySection
    items: list[ItemResult]
    summary: RatingSummary


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    sections: list[SectionResult]
    overall: RatingSummary

    @property
    def has_ratings(self) -> bool:
        return self.overall.n > 0


def _answers(survey: Survey, response_ids: Sequence[int] | None) -> dict[int, list[SurveyAnswer]]:
    query = (
        select(SurveyAnswer)
        .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyAnswer.id)
    )
    if response_ids is not None:
        query = query.where(SurveyResponse.id.in_(list(response_ids)))
    by_item: dict[int, list[SurveyAnswer]] = defaultdict(list)
    for answer in db.session.scalars(query):
        by_item[answer.item_id].append(answer)
    return by_item


def _item_result(item: SurveyItem, answers: list[SurveyAnswer]) -> ItemResult:
    result = ItemResult(item)
    if item.kind == ItemKind.RATING:
        rated = [a for a in answers if a.number is not None]
        result.ratings = [a.number for a in rated]
        result.raters = {a.response_id for a in rated}
        result.summary = RatingSummary.of(result.ratings, len(result.raters))
        result.level_counts = {level: result.ratings.count(level) for level in range(5, 0, -1)}
        result.answered = len(result.ratings)
    elif item.kind.has_options:
        chosen = [a.number for a in answers if a.number is not None]
        respondents = len({a.response_id for a in answers})
        result.answered = respondents
        result.distribution = [
            (
                option,
                chosen.count(index),
                100 * chosen.count(index) / respondents if respondents else 0.0,
            )
            for index, option in enumerate(item.options or [])
        ]
    else:
        result.texts = [a.text for a in answers if a.text]
        result.answered = len(result.texts)
    return result


def survey_results(survey: Survey, response_ids: Sequence[int] | None = None) -> SurveyResults:
    """Results over every response, or over the given responses (a period, for indicators)."""
    by_item = _answers(survey, response_ids)
    sections, everything, everyone = [], [], set()
    for section in survey.sections:
        items = [_item_result(item, by_item.get(item.id, [])) for item in section.items]
        pooled = [value for item in items for value in item.ratings]
        people = set().union(*(item.raters for item in items))
        everything.extend(pooled)
        everyone |= people
        sections.append(SectionResult(section, items, RatingSummary.of(pooled, len(people))))
    if response_ids is None:
        count = db.session.scalar(
            select(db.func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == survey.id)
        )
    else:
        count = len(response_ids)
    overall = RatingSummary.of(everything, len(everyone))
    return SurveyResults(survey, count or 0, sections, overall)
