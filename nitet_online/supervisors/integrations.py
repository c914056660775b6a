"""Calls into features that may not be installed yet (statistics, notifications), through their
published services only. Each call checks that the feature's blueprint is registered, so its
tables exist; without it the visit counter falls back to a plain column and nobody is notified."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import current_app
from flask_login import current_user
from sqlalchemy import update

from nitet_online.extensions import db

log = logging.getLogger(__name__)


def feature_installed(name: str) -> bool:
    return name in current_app.blueprints


def record_view(
    content_type: str, content_id: int, owner_id: int | None, model: type, row_id: int
) -> None:
    """Counts a view of an item: through the statistics feature when it is installed, otherwise
    by adding one to the view_count column of `model` row `row_id`. The owner's own views of
    their content do not count."""
    if current_user.is_authenticated and owner_id is not None and current_user.id == owner_id:
        return
    if feature_installed("stats"):
        from nitet_online.stats.services import track_view

        track_view(content_type, content_id, owner_id)
        return
    db.session.execute(
        update(model).where(model.id == row_id).values(view_count=model.view_count + 1)
    )
    db.session.commit()


def view_total(content_type: str, content_id: int, fallback: int) -> int:
    if feature_installed("stats"):
        from nitet_online.stats.services import view_count

        return view_count(content_type, content_id)
    return fallback


def notify_users(
    user_ids: Iterable[int], kind: str, text: str, url: str, actor_id: int | None = None
) -> bool:
    """Adds notifications to the session (the caller commits); False when the notifications
    feature is not installed."""
    ids = list(dict.fromkeys(user_ids))
    if not ids or not feature_installed("notifications"):
        return False
    from nitet_online.notifications.services import notify

    notify(ids, kind, text, url, actor_id=actor_id)
    return True


def register_stats_content_type(key: str, label: str, describe) -> None:
    """Names our content in the statistics feature's tables, when that feature is present."""
    try:
        from nitet_online.stats.registry import register_content_type
    except ImportError:
        return
    register_content_type(key, label, describe)
