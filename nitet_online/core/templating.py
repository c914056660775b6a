"""Jinja filters and globals shared by every template."""

from __future__ import annotations

from flask import Flask, current_app
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from nitet_online.accounts.models import Role
from nitet_online.core.navigation import visible_nav_items
from nitet_online.extensions import db
from nitet_online.org.models import Office
from nitet_online.services import thai
from nitet_online.services.date_input import format_thai_date
from nitet_online.services.markdown import markdown_to_text, render_markdown


def endpoint_exists(endpoint: str) -> bool:
    # Left for templates/search/index.html (being edited elsewhere); features always ship, so a
    # template links to another feature's endpoint directly.
    return endpoint in current_app.view_functions


def _office_or_none() -> Office | None:
    """The office for the layout; an error page must render even when the database is down."""
    try:
        return Office.current()
    except SQLAlchemyError:
        db.session.rollback()
        return None


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(
        thai_date=thai.thai_date,
        thai_datetime=thai.thai_datetime,
        thai_time=thai.thai_time,
        relative_time=thai.relative_time,
        duration=thai.duration_text,
        be_year=thai.be_year,
        thai_number=thai.thai_number,
        fiscal_year=thai.fiscal_year,
        academic_year=thai.academic_year,
        thai_typed_date=format_thai_date,
        markdown=render_markdown,
        plain_text=markdown_to_text,
    )
    app.jinja_env.globals.update(
        Role=Role,
        endpoint_exists=endpoint_exists,
        academic_term=thai.academic_term,
        today=thai.today_bangkok,
    )

    @app.context_processor
    def inject_layout() -> dict:
        return {
            "nav_items": visible_nav_items(),
            "office": _office_or_none(),
            "is_admin": current_user.is_authenticated and current_user.role == Role.ADMIN,
        }
