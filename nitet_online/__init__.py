"""นิเทศ Online: the application factory."""

from __future__ import annotations

import logging
import os

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import CONFIGS, PROJECT_ROOT, Config
from nitet_online.extensions import csrf, db, limiter, login_manager, migrate, socketio
from nitet_online.plugins import EXTENSION as PLUGINS
from nitet_online.plugins import build_registry, registry_of
from nitet_online.services.numbers import register_number_converters


def create_app(config: str | Config | None = None) -> Flask:
    """Builds the app. `config` is a config name (development, testing, production) or an object;
    without it FLASK_CONFIG or NITET_CONFIG chooses, defaulting to production."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.config.from_object(_resolve_config(config))
    register_number_converters(app)  # before any route is added: <int:...> within the DB's range
    _configure_logging(app)
    # Every feature's setup declares what it plugs into (its models are imported here, before
    # the database and Alembic need the metadata); consumers read app.extensions["plugins"].
    app.extensions[PLUGINS] = build_registry(app.config["FEATURES"])
    _init_extensions(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_cli(app)
    return app


def _resolve_config(config: str | Config | None) -> Config:
    if isinstance(config, Config):
        return config
    name = (
        config or os.environ.get("NITET_CONFIG") or os.environ.get("FLASK_CONFIG") or "production"
    )
    try:
        return CONFIGS[name]()
    except KeyError as error:
        raise RuntimeError(
            f"unknown configuration {name!r}; use one of {sorted(CONFIGS)}"
        ) from error


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL lets readers work while one writer commits; foreign keys are off in SQLite by default."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "กรุณาเข้าสู่ระบบก่อนใช้งานหน้านี้"
    login_manager.login_message_category = "warning"
    login_manager.needs_refresh_message = "กรุณาเข้าสู่ระบบอีกครั้งเพื่อยืนยันตัวตน"
    login_manager.session_protection = "basic"
    # The Socket.IO extension is process-global and keeps the queue of an earlier app (tests build
    # many apps in one process); each app starts from its own REDIS_URL.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode=socketio_async_mode(),
        message_queue=app.config.get("REDIS_URL"),
        manage_session=False,
        logger=False,
        engineio_logger=False,
    )


def socketio_async_mode() -> str:
    """gevent when the server runs on gevent (gunicorn's gevent worker patches the standard
    library), else threading (gthread worker, `flask run`, tests)."""
    try:
        from gevent import monkey
    except ImportError:
        return "threading"
    return "gevent" if monkey.is_module_patched("socket") else "threading"


def _register_blueprints(app: Flask) -> None:
    from nitet_online.core.errors import register_error_handlers
    from nitet_online.core.security import register_input_hygiene, register_security_headers

    registry = registry_of(app)
    for blueprint in registry.blueprints:
        app.register_blueprint(blueprint)
    for hook in registry.app_hooks:
        hook(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_input_hygiene(app)


def _register_template_helpers(app: Flask) -> None:
    from nitet_online.accounts.demo_access import register_demo_banner
    from nitet_online.core.templating import register_template_helpers

    register_template_helpers(app)
    register_demo_banner(app)


def _register_cli(app: Flask) -> None:
    for command in registry_of(app).commands:
        app.cli.add_command(command)
