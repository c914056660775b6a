"""Index documents of every content type of the platform. Each feature only provides `url`,
`is_public` and Markdown bodies on its models (see the search contract); how an item reads in
the index is decided here, in one place, so that results look alike whatever their source.

Each feature's setup declares its types with the function here named after it, e.g.
`builders.news(plug)` in nitet_online/news/__init__.py (see nitet_online/plugins.py).
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import inspect, select

from nitet_online.search.engine import Document
from nitet_online.search.registry import ContentType
from nitet_online.services.markdown import markdown_to_text
from nitet_online.services.thai import utcnow


def _text(*parts: str | None) -> str:
    return "\n".join(markdown_to_text(part) for part in parts if part)


def _names(people) -> str:
    return " ".join(person.full_name for person in people if person is not None)


def _as_datetime(value: date | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time(12, 0))


# News -----------------------------------------------------------------------------------------
def news(plug) -> None:
    from nitet_online.news.models import NewsPost, NewsStatus

    def build(post: NewsPost) -> Document:
        category = post.category.label
        return Document(
            type="news",
            id=post.id,
            title=post.title,
            url=post.url,
            text=_text(post.summary, post.body),
            extra=" ".join(filter(None, [category, post.event_place, _names([post.author])])),
            date=post.publish_at,
            tags=[category],
        )

    def publish_at(post: NewsPost) -> datetime | None:
        if post.status == NewsStatus.PUBLISHED and post.publish_at and post.publish_at > utcnow():
            return post.publish_at
        return None

    plug.search_type(
        ContentType(
            "news", "ข่าวสาร", NewsPost, build, publish_at=publish_at, icon="megaphone", order=10
        )
    )


# Questions and their answers ---------------------------------------------------------------------
def questions(plug) -> None:
    from nitet_online.questions.models import Answer, Question

    def build(question: Question) -> Document:
        answers = [answer.body for answer in question.answers if not answer.is_hidden]
        # The asker's name is never indexed: an anonymous question stays anonymous in snippets.
        return Document(
            type="question",
            id=question.id,
            title=question.title,
            url=question.url,
            text=_text(question.body),
            extra=_text(*answers),
            date=question.created_at,
            learning_areas=[question.learning_area.code] if question.learning_area else [],
            tags=[tag.name for tag in question.tags],
        )

    plug.search_type(
        ContentType("question", "ถาม-ตอบ", Question, build, icon="chat-square-text", order=20)
    )
    plug.search_dependent(Answer, lambda answer: [("question", answer.question_id)])


# Best practices and honours ---------------------------------------------------------------------
def best_practices(plug) -> None:
    from nitet_online.best_practices.models import BestPractice

    def build(practice: BestPractice) -> Document:
        return Document(
            type="best_practice",
            id=practice.id,
            title=practice.title,
            url=practice.url,
            text=_text(practice.body),
            extra=" ".join(
                [
                    practice.school.name if practice.school else "",
                    _names(practice.people),
                    " ".join(level.name for level in practice.grade_levels),
                ]
            ),
            date=practice.published_at or practice.created_at,
            learning_areas=[practice.learning_area.code] if practice.learning_area else [],
        )

    plug.search_type(
        ContentType("best_practice", "ผลงานดีเด่น", BestPractice, build, icon="trophy", order=30)
    )


def honours(plug) -> None:
    from nitet_online.honours.models import Honour

    def build(honour: Honour) -> Document:
        moment = _as_datetime(honour.awarded_on) or honour.reviewed_at or honour.created_at
        return Document(
            type="honour",
            id=honour.id,
            title=honour.title,
            url=honour.url,
            text=_text(honour.description),
            extra=" ".join(
                [
                    honour.issuing_body,
                    honour.level.label,
                    honour.school.name if honour.school else "",
                ]
            ),
            date=moment,
            year=str(honour.year) if honour.year and honour.year > 2400 else "",
        )

    plug.search_type(ContentType("honour", "ทำเนียบเกียรติยศ", Honour, build, icon="award", order=40))


# Supervisors' personal sites ---------------------------------------------------------------------
NAME_FIELDS = ("title", "first_name", "last_name", "status", "role", "academic_rank")


def supervisors(plug) -> None:
    from nitet_online.accounts.models import Role, User
    from nitet_online.supervisors.models import SupervisorPage, SupervisorProfile, SupervisorProject

    def build_profile(profile: SupervisorProfile) -> Document:
        user = profile.user
        projects = [f"{project.name} {project.description}" for project in profile.projects]
        return Document(
            type="supervisor",
            id=profile.id,
            title=user.full_name,
            url=profile.url,
            text=_text(profile.headline, profile.introduction),
            extra=" ".join(
                [
                    "ศึกษานิเทศก์",
                    user.academic_rank,
                    " ".join(area.name for area in user.learning_areas),
                    " ".join(network.name for network in user.responsible_networks),
                    _text(*projects),
                ]
            ),
            date=profile.updated_at,
            learning_areas=[area.code for area in user.learning_areas],
        )

    def build_page(page: SupervisorPage) -> Document:
        return Document(
            type="supervisor_page",
            id=page.id,
            title=f"{page.title} — {page.profile.user.full_name}",
            url=page.url,
            text=_text(page.body),
            date=page.updated_at,
            learning_areas=[area.code for area in page.profile.user.learning_areas],
        )

    def pages_of_profile(profile: SupervisorProfile):
        return [("supervisor_page", page.id) for page in profile.pages]

    def profile_of_user(user: User):
        """A supervisor's name, rank or status changed: their site reads differently."""
        state = inspect(user)
        if state.pending or not any(state.attrs[f].history.has_changes() for f in NAME_FIELDS):
            return []
        if user.role != Role.SUPERVISOR and not state.attrs["role"].history.has_changes():
            return []
        connection = state.session.connection() if state.session else None
        if connection is None:
            return []
        profile_id = connection.scalar(
            select(SupervisorProfile.id).where(SupervisorProfile.user_id == user.id)
        )
        if not profile_id:
            return []
        page_ids = connection.scalars(
            select(SupervisorPage.id).where(SupervisorPage.profile_id == profile_id)
        )
        return [("supervisor", profile_id)] + [("supervisor_page", i) for i in page_ids]

    plug.search_type(
        ContentType(
            "supervisor",
            "ศึกษานิเทศก์",
            SupervisorProfile,
            build_profile,
            icon="person-badge",
            order=60,
        )
    )
    plug.search_type(
        ContentType(
            "supervisor_page",
            "หน้าของศึกษานิเทศก์",
            SupervisorPage,
            build_page,
            icon="file-person",
            order=61,
        )
    )
    plug.search_dependent(SupervisorProject, lambda project: [("supervisor", project.profile_id)])
    plug.search_dependent(SupervisorProfile, pages_of_profile)
    plug.search_dependent(User, profile_of_user)
