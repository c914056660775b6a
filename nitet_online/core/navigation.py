"""The main navigation: the menu entries the app's features declare (`plug.menu(...)`, see
nitet_online/plugins.py), in their order; `roles` limits an entry to those roles (None: everyone)."""

from __future__ import annotations

from flask_login import current_user

from nitet_online.plugins import NavItem, plugins

__all__ = ["NavItem", "visible_nav_items"]


def visible_nav_items() -> list[NavItem]:
    role = current_user.role if current_user.is_authenticated else None
    return [item for item in plugins().ordered_menu() if item.roles is None or role in item.roles]
