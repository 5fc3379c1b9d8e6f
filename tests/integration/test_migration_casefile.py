"""The case file's migration goes down and up again on the database under test, in a database of its own."""

import os
import shutil
import tempfile

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from config import TestingConfig
from extensions import db
from tests.conftest import _postgres_schema_url

CASEFILE_TABLES = {"document", "case_query", "case_note"}


def test_the_case_file_migration_downgrades_and_upgrades():
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
            assert CASEFILE_TABLES <= set(inspect(db.engine).get_table_names())
            downgrade(revision="e1a7c0d4b9f2")
            assert not CASEFILE_TABLES & set(inspect(db.engine).get_table_names())
            upgrade()
            assert CASEFILE_TABLES <= set(inspect(db.engine).get_table_names())
            db.session.remove()
            db.engine.dispose()
    finally:
        cleanup()
