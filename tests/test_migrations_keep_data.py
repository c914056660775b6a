"""Upgrading a database that already holds data keeps every row, on SQLite and PostgreSQL.

On SQLite, Alembic's batch mode rebuilds a table (copy, DROP, rename); with foreign keys enforced,
dropping "user" would fire ON DELETE CASCADE / SET NULL in the tables that point at it. The
migration environment turns enforcement off while migrating (migrations/env.py)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import upgrade

from nitet_online.extensions import db
from tests.conftest import build_app


def test_upgrading_from_the_first_revision_keeps_users_and_their_links(databases, tmp_path):
    app = build_app(tmp_path, databases.blank())
    with app.app_context():
        upgrade(revision="0001")
        statements = [
            """INSERT INTO "user" (id, username, email, password_hash, title, first_name,
               last_name, role, status, position, academic_rank, phone, line_id, session_token,
               must_change_password, failed_logins, created_at)
               VALUES (1, 'sup', 'sup@example.ac.th', 'x', '', 'วิไล', 'ศรี', 'supervisor',
               'active', '', '', '', '', 't', false, 0, CURRENT_TIMESTAMP)""",
            """INSERT INTO "user" (id, username, email, password_hash, title, first_name,
               last_name, role, status, position, academic_rank, phone, line_id, session_token,
               must_change_password, failed_logins, approved_by_id, created_at)
               VALUES (2, 'kru', 'kru@example.ac.th', 'x', '', 'สม', 'ใจ', 'teacher',
               'active', '', '', '', '', 't', false, 0, 1, CURRENT_TIMESTAMP)""",
            """INSERT INTO supervisor_learning_area (user_id, learning_area_id)
               SELECT 1, id FROM learning_area""",
            """INSERT INTO audit_entry (created_at, actor_id, action, target_type, summary,
               ip_address) VALUES (CURRENT_TIMESTAMP, 1, 'user.create', 'user', 'x', '')""",
        ]
        for statement in statements:
            db.session.execute(sa.text(statement))
        db.session.commit()
        areas = db.session.scalar(sa.text("SELECT count(*) FROM learning_area"))

        upgrade()

        count = lambda sql: db.session.scalar(sa.text(sql))  # noqa: E731
        assert count('SELECT count(*) FROM "user"') == 2
        assert count("SELECT count(*) FROM supervisor_learning_area") == areas
        assert count("SELECT actor_id FROM audit_entry") == 1
        assert count('SELECT approved_by_id FROM "user" WHERE id = 2') == 1
        db.session.remove()
        db.engine.dispose()
