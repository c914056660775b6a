"""How supervisors' personal sites (profile and pages) read in the search index, and the
changes elsewhere (projects, names, roles) that make them read differently."""

from __future__ import annotations

from sqlalchemy import inspect, select

from nitet_online.accounts.models import Role, User
from nitet_online.search.documents import plain_text
from nitet_online.search.engine import Document
from nitet_online.search.registry import ContentType
from nitet_online.supervisors.models import SupervisorPage, SupervisorProfile, SupervisorProject

NAME_FIELDS = ("title", "first_name", "last_name", "status", "role", "academic_rank")


def profile_document(profile: SupervisorProfile) -> Document:
    user = profile.user
    projects = [f"{project.name} {project.description}" for project in profile.projects]
    return Document(
        type="supervisor",
        id=profile.id,
        title=user.full_name,
        url=profile.url,
        text=plain_text(profile.headline, profile.introduction),
        extra=" ".join(
            [
                "ศึกษานิเทศก์",
                user.academic_rank,
                " ".join(area.name for area in user.learning_areas),
                " ".join(network.name for network in user.responsible_networks),
                plain_text(*projects),
            ]
        ),
        date=profile.updated_at,
        learning_areas=[area.code for area in user.learning_areas],
    )


def page_document(page: SupervisorPage) -> Document:
    return Document(
        type="supervisor_page",
        id=page.id,
        title=f"{page.title} — {page.profile.user.full_name}",
        url=page.url,
        text=plain_text(page.body),
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


def declare(plug) -> None:
    """Its search types and what refreshes them (called from the feature's setup)."""
    plug.search_type(
        ContentType(
            "supervisor",
            "ศึกษานิเทศก์",
            SupervisorProfile,
            profile_document,
            icon="person-badge",
            order=60,
        )
    )
    plug.search_type(
        ContentType(
            "supervisor_page",
            "หน้าของศึกษานิเทศก์",
            SupervisorPage,
            page_document,
            icon="file-person",
            order=61,
        )
    )
    plug.search_dependent(SupervisorProject, lambda project: [("supervisor", project.profile_id)])
    plug.search_dependent(SupervisorProfile, pages_of_profile)
    plug.search_dependent(User, profile_of_user)
