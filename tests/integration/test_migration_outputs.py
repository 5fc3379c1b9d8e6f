"""The conditions and deployment-record migration (issues 18 and 26) goes down and up again on the database under
test, in a database of its own, keeping the requests it does not own."""

import os
import shutil
import tempfile

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from app import create_app
from approvals import seed
from config import TestingConfig
from extensions import db
from models import AssistanceRequest
from tests.conftest import _postgres_schema_url, make_request, make_user

BEFORE = "a3c5e7f9b1d2"
TABLES = {"approval_condition", "record_correction"}
COLUMNS = {"deployment_ended_on", "deployment_dates_reason", "close_out_reason", "conditions_briefed_at"}


def _columns():
    return {column["name"] for column in inspect(db.engine).get_columns("assistance_request")}


def test_the_outputs_migration_downgrades_and_upgrades():
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
            lead = make_user("lead@ny.example", "force_lead", force_slug="north-yorkshire")
            make_request(lead, title="Kept", letter=False)
            assert TABLES <= set(inspect(db.engine).get_table_names()) and COLUMNS <= _columns()
            db.session.remove()

            downgrade(revision=BEFORE)
            assert not TABLES & set(inspect(db.engine).get_table_names()) and not COLUMNS & _columns()
            assert db.session.scalars(select(AssistanceRequest.title)).all() == ["Kept"]
            db.session.remove()

            upgrade()
            assert TABLES <= set(inspect(db.engine).get_table_names()) and COLUMNS <= _columns()
            db.session.remove()
            db.engine.dispose()
    finally:
        cleanup()
