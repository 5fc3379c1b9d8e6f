"""Flask extensions, created once and bound to an app in create_app()."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.exc import DBAPIError

# Named constraints so that Alembic migrations are stable across SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
login_manager = LoginManager()
mail = Mail()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()


def discard_session():
    """End the scoped session even when its connection has died (the database restarting or failing over).

    The rollback that closing a session sends fails on a dead connection; left to raise from a teardown it
    would turn a finished response into a 500, or stop a worker's loop. Nothing is owed to a dead
    connection: invalidate it, so the pool opens a fresh one, and forget the session."""
    try:
        db.session.remove()
    except DBAPIError:
        try:
            db.session.registry().invalidate()
        except DBAPIError:
            pass
        db.session.registry.clear()
