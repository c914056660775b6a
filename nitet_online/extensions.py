"""Extension objects, created unbound here and bound to the app in create_app()."""

from __future__ import annotations

from flask import abort, has_request_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so that Alembic migrations can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Database(SQLAlchemy):
    def paginate(self, select, *, page=None, per_page=None, **options):
        """Flask-SQLAlchemy's, reading ?page= and ?per_page= (when the view passes none) the way
        every parameter is read (services/numbers.py: a number the database could not hold is a
        400, junk the default); a page number beyond that range is a 404 like any page past the
        end, instead of an overflow in the database."""
        from nitet_online.services.numbers import DB_INT_MAX

        if has_request_context():
            if page is None:
                page = request.args.get("page", 1, type=int)
            if per_page is None:
                per_page = request.args.get("per_page", 20, type=int)
        if (page is not None and page > DB_INT_MAX) or (
            per_page is not None and per_page > DB_INT_MAX
        ):
            abort(404)
        return super().paginate(select, page=page, per_page=per_page, **options)


db = Database(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
socketio = SocketIO()
