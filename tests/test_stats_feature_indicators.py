"""Indicators read from other features (questions, best practices, honours) on fixtures with
known answers, and the supervisor's own question figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from nitet_online.accounts.models import AccountStatus, Role, User
from nitet_online.best_practices.indicators import best_practices_indicator
from nitet_online.best_practices.models import BestPractice, BestPracticeStatus
from nitet_online.extensions import db
from nitet_online.honours.indicators import honours_indicator
from nitet_online.honours.models import Honour, HonourStatus, Level, RecipientType
from nitet_online.org.models import LearningArea, Network, School
from nitet_online.questions.indicators import my_questions_indicator, questions_indicator
from nitet_online.questions.models import Answer, Question, QuestionStatus
from nitet_online.stats.registry import indicators
from tests.conftest import build_app

JUNE = (date(2025, 6, 1), date(2025, 6, 30))
ASKED = datetime(2025, 6, 10, 2, 0)  # 09:00 in Thailand


def _user(username: str, role: Role) -> User:
    user = User(
        username=username,
        email=f"{username}@example.test",
        first_name=username,
        last_name="ทดสอบ",
        role=role,
        status=AccountStatus.ACTIVE,
        password_hash="x",
    )
    db.session.add(user)
    return user


def _question(
    title: str,
    area: LearningArea,
    asked: datetime,
    answers: list[tuple[User, float]],
    resolved: bool = False,
) -> Question:
    """A question asked at `asked`, answered by each (supervisor, hours later)."""
    first = min((asked + timedelta(hours=h) for _, h in answers), default=None)
    question = Question(
        title=title,
        body="รายละเอียด",
        learning_area=area,
        status=QuestionStatus.RESOLVED
        if resolved
        else (QuestionStatus.ANSWERED if answers else QuestionStatus.OPEN),
        created_at=asked,
        last_activity_at=asked,
        first_answered_at=first,
        first_supervisor_answered_at=first,
        resolved_at=first + timedelta(hours=1) if resolved and first else None,
        answer_count=len(answers),
    )
    db.session.add(question)
    for author, later in answers:
        question.answers.append(
            Answer(
                author=author,
                body="คำตอบ",
                by_supervisor=True,
                created_at=asked + timedelta(hours=later),
            )
        )
    return question


@pytest.fixture
def qa(app):
    with app.app_context():
        thai, math = (
            db.session.scalar(select(LearningArea).where(LearningArea.code == code))
            for code in ("thai", "math")
        )
        one, two = _user("s1", Role.SUPERVISOR), _user("s2", Role.SUPERVISOR)
        _question("ก", thai, ASKED, [(one, 2), (two, 30)], resolved=True)  # one first, 2 h
        _question("ข", thai, ASKED, [(two, 10)])  # two first, 10 h
        _question("ค", math, ASKED, [(one, 48)])  # one first, 48 h
        _question("ง", math, ASKED, [])  # not answered
        _question("จ", math, datetime(2025, 7, 2), [(one, 1)])  # outside June
        db.session.commit()
        yield {"one": one.id, "two": two.id}


def test_questions_indicator(app, qa):
    with app.app_context():
        result = questions_indicator(*JUNE)
        assert result.value == 4
        figures = {label: value for label, value, _ in result.figures}
        assert figures["ตอบแล้ว"] == 3
        assert figures["แก้ปัญหาแล้ว"] == 1
        assert figures["มัธยฐานเวลาตอบครั้งแรก"] == 10.0  # 2, 10, 48 hours
        assert figures["ตอบภายใน 24 ชั่วโมง"] == 50.0  # 2 of the 4 asked
        areas, supervisors = result.tables
        assert {row[0]: row[1:] for row in areas.rows} == {
            "ภาษาไทย": [2, 2, 1, 6.0, 100.0],
            "คณิตศาสตร์": [2, 1, 0, 48.0, 0.0],
        }
        rows = {row[0]: row[1:] for row in supervisors.rows}
        # answers written, accepted, questions answered first, median hours, share within 24 h
        assert rows["s1 ทดสอบ"] == [2, 0, 2, 25.0, 50.0]
        assert rows["s2 ทดสอบ"] == [2, 0, 1, 10.0, 100.0]


def test_my_question_figures(app, qa):
    with app.app_context():
        mine = my_questions_indicator(qa["two"], *JUNE)
        assert mine.value == 2
        assert [value for _, value, _ in mine.figures] == [2, 0, 1, 10.0, 100.0]


def test_best_practices_and_honours(app):
    with app.app_context():
        north = Network(name="เครือข่ายเหนือ")
        school = School(code="S1", name="โรงเรียนหนึ่ง", network=north)
        thai = db.session.scalar(select(LearningArea).where(LearningArea.code == "thai"))
        db.session.add_all([north, school])
        for title, status, published in [
            ("ก", BestPracticeStatus.PUBLISHED, datetime(2025, 6, 3)),
            ("ข", BestPracticeStatus.PUBLISHED, datetime(2025, 6, 20)),
            ("ค", BestPracticeStatus.PUBLISHED, datetime(2025, 5, 20)),  # before June
            ("ง", BestPracticeStatus.PENDING, None),
        ]:
            db.session.add(
                BestPractice(
                    title=title,
                    school=school,
                    learning_area=thai,
                    academic_year=2568,
                    status=status,
                    published_at=published,
                )
            )
        for level, status, reviewed in [
            (Level.AREA, HonourStatus.APPROVED, datetime(2025, 6, 5)),
            (Level.NATIONAL, HonourStatus.APPROVED, datetime(2025, 6, 6)),
            (Level.AREA, HonourStatus.PENDING, None),
            (Level.AREA, HonourStatus.APPROVED, datetime(2025, 8, 1)),
        ]:
            db.session.add(
                Honour(
                    recipient_type=RecipientType.SCHOOL,
                    school=school,
                    award_title="รางวัล",
                    level=level,
                    year=2568,
                    status=status,
                    reviewed_at=reviewed,
                )
            )
        db.session.commit()
        practices = best_practices_indicator(*JUNE)
        assert practices.value == 2
        assert practices.tables[0].rows == [["ภาษาไทย", 2]]
        assert practices.tables[1].rows == [["เครือข่ายเหนือ", 2, 1]]
        honours = honours_indicator(*JUNE)
        assert honours.value == 2
        assert honours.tables[0].rows == [["ระดับเขตพื้นที่การศึกษา", 1], ["ระดับชาติ", 1]]
        assert honours.tables[1].rows == [["สถานศึกษา", 2]]


def test_feature_indicators_show_only_with_their_feature(app, databases, tmp_path):
    with app.app_context():
        keys = {indicator.key for indicator in indicators()}
        assert {"questions", "best_practices", "honours"} <= keys
    features = tuple(name for name in app.config["FEATURES"] if name != "honours")
    without = build_app(tmp_path / "without", databases.fresh(False), FEATURES=features)
    with without.app_context():
        keys = {indicator.key for indicator in indicators()}
        assert "honours" not in keys and {"questions", "best_practices"} <= keys


def test_each_feature_computes_its_indicators_in_its_own_package(app):
    """One consistent place (issue 13): surveys computed theirs in surveys/indicators.py, the
    others were computed in stats/feature_indicators.py."""
    expected = {
        "questions": "questions",
        "best_practices": "best_practices",
        "honours": "honours",
        "survey_results": "surveys",
    }
    with app.app_context():
        found = {i.key: i.compute.__module__ for i in indicators() if i.key in expected}
    assert found == {key: f"nitet_online.{name}.indicators" for key, name in expected.items()}
