"""The disclosure migration (issue 25) goes down and up again on the database under test, in a database of its own,
keeping the rows of the tables it does not own."""

import os
import shutil
import tempfile
from datetime import date

from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from app import create_app
from approvals import disclosure, seed
from config import TestingConfig
from extensions import db, migrate
from models import User
from tests.conftest import _postgres_schema_url, make_user

DISCLOSURE = "db7cd713745c"
TABLES = {"foi_case", "foi_question", "foi_item", "decision_record", "disclosure_event"}


def test_the_disclosure_migration_downgrades_and_upgrades():
    if os.environ.get("S26_TEST_DB", "sqlite") == "postgresql":
        url, cleanup = _postgres_schema_url()
    else:
        folder = tempfile.mkdtemp(prefix="s26-migration-")
        url = f"sqlite:///{folder}/m.sqlite"

        def cleanup():
            shutil.rmtree(folder, ignore_errors=True)

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    try:
        with app.app_context():
            upgrade()
            seed.reference_data()
            db.session.commit()
            officer = make_user("foi@ny.example", "foi_officer", force_slug="north-yorkshire")
            disclosure.open_case(officer, "Request", date(2026, 1, 2), ["Q1"])
            assert TABLES <= set(inspect(db.engine).get_table_names())
            db.session.remove()

            before = ScriptDirectory.from_config(migrate.get_config()).get_revision(DISCLOSURE).down_revision
            downgrade(revision=before)
            assert not TABLES & set(inspect(db.engine).get_table_names())
            assert db.session.scalars(select(User.email)).all() == ["foi@ny.example"]
            db.session.remove()

            upgrade()
            assert TABLES <= set(inspect(db.engine).get_table_names())
            db.session.remove()
            db.engine.dispose()
    finally:
        cleanup()
