"""The protective-marking migration (issue 25 section 4) goes down and up again on the database under test, in a
database of its own: a sensitive request, and the documents on it, come up OFFICIAL-SENSITIVE, others OFFICIAL."""

import os
import shutil
import tempfile

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from approvals import seed
from config import TestingConfig
from extensions import db
from tests.conftest import _postgres_schema_url, make_request, make_user

MARKING = "a3c5e7f9b1d2"
BEFORE = "4ab4b6d8389e"  # the revision the marking follows


def columns(table):
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def test_the_marking_migration_downgrades_upgrades_and_marks_sensitive_requests():
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
            # The rows are written at the head (the models carry every later column), then the schema goes back to
            # before the marking and up to it again.
            upgrade()
            seed.reference_data()
            db.session.commit()
            lead = make_user("lead@ny.example", "force_lead", force_slug="north-yorkshire")
            plain = make_request(lead, title="Plain").id
            secret = make_request(lead, title="CT", sensitive=True).id
            db.session.remove()

            downgrade(revision=BEFORE)
            assert "marking" not in columns("assistance_request") and "marking" not in columns("document")
            db.session.remove()

            upgrade(revision=MARKING)
            rows = dict(db.session.execute(text("SELECT id, marking FROM assistance_request")).all())
            assert rows == {plain: "OFFICIAL", secret: "OFFICIAL-SENSITIVE"}
            documents = db.session.execute(text("SELECT request_id, marking FROM document")).all()
            assert {request_id: marking for request_id, marking in documents} == rows  # each has its letter
            db.session.remove()
            db.engine.dispose()
    finally:
        cleanup()
