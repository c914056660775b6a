"""Scale-out mode: the suite's own database, Redis shared by several server processes, and what
happens when Redis goes away and comes back."""

from __future__ import annotations

import os

import sqlalchemy as sa

from nitet_online.extensions import db


def test_suite_runs_on_the_database_it_was_asked_for(demo_app):
    wanted = (
        "postgresql" if os.environ.get("TEST_DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    with demo_app.app_context():
        assert db.engine.dialect.name == wanted
        assert db.session.scalar(sa.text('SELECT count(*) FROM "user"')) > 40
