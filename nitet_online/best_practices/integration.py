"""Calls into features built alongside this one (notifications, statistics), through their
service contracts. Each call does nothing only when that feature is not switched on (its package
missing or not in FEATURES); any other error is raised as usual."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from types import ModuleType

from flask import current_app


def _optional(feature: str, module_name: str) -> ModuleType | None:
    if feature not in current_app.blueprints:
        return None
    try:
        return import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return None
        raise


def notify_users(
    user_ids: Iterable[int | None], kind: str, text: str, url: str, actor_id: int | None = None
) -> None:
    """Notifies these people (never the one who acted); the caller commits."""
    recipients = sorted({user_id for user_id in user_ids if user_id and user_id != actor_id})
    services = _optional("notifications", "nitet_online.notifications.services")
    if services is None or not recipients:
        return
    services.notify(recipients, kind, text, url, actor_id=actor_id)


def track_view(content_type: str, content_id: int, owner_id: int | None = None) -> None:
    services = _optional("stats", "nitet_online.stats.services")
    if services is not None:
        services.track_view(content_type, content_id, owner_id)


def view_count(content_type: str, content_id: int) -> int | None:
    """How many times the item was viewed; None when statistics are not installed."""
    services = _optional("stats", "nitet_online.stats.services")
    if services is None:
        return None
    return services.view_count(content_type, content_id)
