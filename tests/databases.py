"""Fresh databases for tests, copied from templates that the real migrations built.

SQLite: a template file copied per test. PostgreSQL (TEST_DATABASE_URL): template databases and
`CREATE DATABASE ... TEMPLATE ...` per test, dropped at the end of the session.
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa


class DatabaseFactory:
    def build_templates(self, prepare: Callable[[str, bool], None]) -> None:
        raise NotImplementedError

    def fresh(self, with_demo: bool) -> str:
        raise NotImplementedError

    def blank(self) -> str:
        """A new database with no tables at all, for migration tests."""
        raise NotImplementedError

    def close(self) -> None:
        pass

    @property
    def dialect(self) -> str:
        raise NotImplementedError


class SqliteFactory(DatabaseFactory):
    dialect = "sqlite"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.templates = {False: root / "template-empty.db", True: root / "template-demo.db"}
        self.counter = itertools.count()

    def build_templates(self, prepare: Callable[[str, bool], None]) -> None:
        for with_demo, path in self.templates.items():
            prepare(f"sqlite:///{path}", with_demo)

    def fresh(self, with_demo: bool) -> str:
        target = self.root / f"test-{next(self.counter)}.db"
        shutil.copyfile(self.templates[with_demo], target)
        return f"sqlite:///{target}"

    def blank(self) -> str:
        return f"sqlite:///{self.root / f'blank-{next(self.counter)}.db'}"


class PostgresFactory(DatabaseFactory):
    dialect = "postgresql"

    def __init__(self, base_url: str) -> None:
        url = sa.engine.make_url(base_url)
        if url.drivername in {"postgresql", "postgres"}:
            url = url.set(drivername="postgresql+psycopg")
        self.base_url = url
        self.prefix = f"nitet_t{uuid.uuid4().hex[:8]}"
        self.templates = {False: f"{self.prefix}_tpl_empty", True: f"{self.prefix}_tpl_demo"}
        self.created: list[str] = []
        self.counter = itertools.count()
        self.admin = sa.create_engine(
            url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
        )

    def _url(self, name: str) -> str:
        return self.base_url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(sa.text(statement))

    def build_templates(self, prepare: Callable[[str, bool], None]) -> None:
        for with_demo, name in self.templates.items():
            self._execute(f'CREATE DATABASE "{name}"')
            self.created.append(name)
            prepare(self._url(name), with_demo)

    def fresh(self, with_demo: bool) -> str:
        name = f"{self.prefix}_{next(self.counter)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.templates[with_demo]}"')
        self.created.append(name)
        return self._url(name)

    def blank(self) -> str:
        name = f"{self.prefix}_blank{next(self.counter)}"
        self._execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self._url(name)

    def close(self) -> None:
        # A throwaway server (scripts/test-postgres.sh) is deleted whole afterwards; dropping
        # hundreds of databases one by one (each a checkpoint) would only cost minutes.
        if os.environ.get("TEST_DATABASE_THROWAWAY") != "1":
            for name in reversed(self.created):
                self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


def make_database_factory(root: Path) -> DatabaseFactory:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if url.startswith("postgres"):
        return PostgresFactory(url)
    return SqliteFactory(root)
