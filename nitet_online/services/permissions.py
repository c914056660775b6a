"""Role checks, applied on the server to every view that needs them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from nitet_online.accounts.models import Role
from nitet_online.extensions import login_manager

View = TypeVar("View", bound=Callable[..., Any])

# Roles that see the office's indicators and approve honours.
MANAGER_ROLES = (Role.ADMIN, Role.DIRECTOR)
# Roles that supervise: answer questions, review, publish news.
SUPERVISING_ROLES = (Role.ADMIN, Role.DIRECTOR, Role.SUPERVISOR)


def require_roles(*roles: Role) -> Any:
    """Anonymous callers are sent to log in; logged-in callers without one of the roles get 403.
    Returns the redirect to log in, or None when the caller may go on. With no roles, any
    logged-in user may."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if roles and current_user.role not in roles:
        abort(403)
    return None


def roles_required(*roles: Role) -> Callable[[View], View]:
    """Decorator form of require_roles for a single view."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            refusal = require_roles(*roles)
            if refusal is not None:
                return refusal
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


login_required = roles_required()
admin_required = roles_required(Role.ADMIN)


def user_has_role(*roles: Role) -> bool:
    """For templates and services: is the current user logged in with one of these roles?"""
    return bool(current_user.is_authenticated and current_user.role in roles)
