"""The main navigation. An entry shows once its feature's endpoint exists, so features appear in
the menu as they land; `roles` limits an entry to those roles (None: everyone)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_login import current_user

from nitet_online.accounts.models import Role
from nitet_online.services.permissions import SUPERVISING_ROLES


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    icon: str
    roles: tuple[Role, ...] | None = None


MAIN_NAV: tuple[NavItem, ...] = (
    NavItem("หน้าแรก", "core.home", "house"),
    NavItem("ข่าวสาร", "news.index", "megaphone"),
    NavItem("ถาม-ตอบ", "questions.index", "chat-square-text"),
    NavItem("ผลงานดีเด่น", "best_practices.index", "trophy"),
    NavItem("ทำเนียบเกียรติยศ", "honours.index", "award"),
    NavItem("คลังความรู้", "knowledge.index", "journal-bookmark"),
    NavItem("ศึกษานิเทศก์", "supervisors.index", "people"),
    # Chat has its own icon with the unread count beside the bell (partials/nav_chat.html).
    NavItem("สถิติ", "stats.index", "bar-chart", roles=tuple(SUPERVISING_ROLES)),
)


def visible_nav_items() -> list[NavItem]:
    endpoints = current_app.view_functions
    role = current_user.role if current_user.is_authenticated else None
    return [
        item
        for item in MAIN_NAV
        if item.endpoint in endpoints and (item.roles is None or role in item.roles)
    ]
