"""The factory in each configuration, and the migrations from an empty database."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from nitet_online import create_app
from nitet_online.extensions import db
from nitet_online.org.reference import GRADE_LEVELS, LEARNING_AREAS
from tests.conftest import became_healthy, build_app, free_port


@pytest.fixture
def clean_env(tmp_path, monkeypatch):
    monkeypatch.setenv("NITET_DATA_DIR", str(tmp_path))
    for name in ("SECRET_KEY", "DATABASE_URL", "TEST_DATABASE_URL", "NITET_SECURE_COOKIES"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_development_config(clean_env):
    app = create_app("development")
    assert app.debug and not app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{clean_env / 'nitet.db'}"


def test_testing_config(clean_env):
    app = create_app("testing")
    assert app.testing
    assert app.config["WTF_CSRF_ENABLED"] is False


def test_production_generates_and_keeps_a_secret_with_secure_cookies(clean_env):
    app = create_app("production")
    key_file = clean_env / "secret_key"
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert app.config["SECRET_KEY"] == key_file.read_text()
    assert len(app.config["SECRET_KEY"]) >= 32
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    # A second start reads the same key: sessions survive restarts.
    assert create_app("production").config["SECRET_KEY"] == app.config["SECRET_KEY"]


@pytest.mark.parametrize("weak", ["dev", "short-key"])
def test_production_refuses_a_weak_secret(clean_env, monkeypatch, weak):
    monkeypatch.setenv("SECRET_KEY", weak)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def _example_secret_key() -> str:
    example = Path(__file__).resolve().parent.parent / "deploy" / "nitet.env.example"
    for line in example.read_text(encoding="utf-8").splitlines():
        if line.startswith("SECRET_KEY="):
            return line.split("=", 1)[1].strip()
    raise AssertionError("deploy/nitet.env.example sets no SECRET_KEY")


def _refusal(create) -> str:
    with pytest.raises(RuntimeError) as refused:
        create()
    return str(refused.value)


@pytest.mark.parametrize(
    "weak",
    [
        pytest.param(_example_secret_key(), id="the example file's placeholder"),
        pytest.param("change-me-" + "x7Qp" * 6, id="change-me prefix"),
        pytest.param("your-secret-key-goes-here-please-0", id="your-secret"),
        pytest.param("a" * 48, id="one character"),
        pytest.param("password" * 5, id="a word repeated"),
        pytest.param("0123456789" * 4, id="digits repeated"),
    ],
)
def test_production_refuses_a_placeholder_or_predictable_secret(clean_env, monkeypatch, weak):
    """A key of 32 characters or more that is a known placeholder or has too little entropy does
    not sign sessions in production: anyone who read the example could forge a login."""
    assert len(weak) >= 32
    monkeypatch.setenv("SECRET_KEY", weak)
    message = _refusal(lambda: create_app("production"))
    assert "SECRET_KEY" in message
    assert "ค่าสุ่ม" in message  # Thai
    assert "random" in message  # and English
    assert "token_urlsafe" in message  # how to make a good one


@pytest.mark.parametrize("make", [secrets.token_urlsafe, secrets.token_hex], ids=["urlsafe", "hex"])
@pytest.mark.parametrize("size", [16, 32, 48])
def test_production_accepts_generated_secrets(clean_env, monkeypatch, make, size):
    for _ in range(50):
        key = make(size)
        if len(key) < 32:
            continue
        monkeypatch.setenv("SECRET_KEY", key)
        assert create_app("production").config["SECRET_KEY"] == key


def test_server_refuses_to_start_with_the_example_secret(clean_env):
    """gunicorn with the example's SECRET_KEY stops at once and says why, in Thai and English."""
    environment = {
        **os.environ,
        "NITET_DATA_DIR": str(clean_env),
        "NITET_CONFIG": "production",
        "SECRET_KEY": _example_secret_key(),
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "NITET_THREADS": "4",
    }
    environment.pop("TEST_DATABASE_URL", None)
    log_path = clean_env / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
            cwd=Path(__file__).resolve().parent.parent,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{environment['PORT']}"
            healthy = became_healthy(server, url, log_path, timeout=60)
        except RuntimeError:  # the server exited: what this test wants
            healthy = False
        finally:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=20)
    output = log_path.read_text(errors="replace")
    assert not healthy, "the server started with the example's SECRET_KEY"
    assert server.returncode != 0
    assert "SECRET_KEY" in output and "ค่าสุ่ม" in output and "random" in output


def test_environment_chooses_database_and_redis(clean_env, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db.example/nitet")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    app = create_app("development")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example/nitet"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_unknown_config_name_is_refused(clean_env):
    with pytest.raises(RuntimeError, match="unknown configuration"):
        create_app("staging")


def test_migrations_upgrade_from_empty_match_the_models_and_downgrade(clean_env, databases):
    app = build_app(clean_env, databases.blank())
    with app.app_context():
        upgrade()
        inspector = sa.inspect(db.engine)
        assert {"user", "school", "network", "learning_area", "audit_entry"} <= set(
            inspector.get_table_names()
        )
        names = db.session.execute(sa.text("SELECT name FROM learning_area")).scalars().all()
        assert sorted(names) == sorted(name for _, name, _ in LEARNING_AREAS)
        assert db.session.execute(sa.text("SELECT count(*) FROM grade_level")).scalar() == len(
            GRADE_LEVELS
        )
        db.session.remove()
        # Every model change ships a migration: the migrated schema equals the models.
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        downgrade(revision="base")
        remaining = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


def test_migrations_form_one_line_of_history():
    """Two features adding a migration on the same parent leave two heads; `flask db upgrade`
    then refuses to run on a fresh clone. Each new migration goes after the latest one."""
    scripts = ScriptDirectory(str(Path(__file__).resolve().parent.parent / "migrations"))
    assert len(scripts.get_heads()) == 1
    assert not any(isinstance(s.down_revision, tuple) for s in scripts.walk_revisions())


def test_wsgi_module_builds_the_app(clean_env, monkeypatch):
    monkeypatch.setenv("NITET_CONFIG", "testing")
    import importlib

    import wsgi

    importlib.reload(wsgi)
    assert wsgi.app.name == "nitet_online"
    assert Path(os.environ["NITET_DATA_DIR"]) == clean_env
