"""The OSJA migration (issue 24) goes down and up again on the database under test, in a database of its own, and
carries existing requests over: each one's human-rights answers become version 1 of its assessment; its officer and
staff counts stay as typed."""

import os
import shutil
import tempfile

from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from app import create_app
from approvals import osja, seed
from config import TestingConfig
from extensions import db, migrate
from models import AssistanceRequest, OsjaVersion
from tests.conftest import _postgres_schema_url, make_request, make_user
from tests.integration.test_migrations import scratch_app  # noqa: F401 - a database of the test's own

OSJA = "a24c0e5a1b71"
TABLES = {"osja_version", "osja_seen", "osja_review", "deployed_person", "personal_data_view"}


def test_the_osja_migration_carries_existing_requests_over_and_goes_down_and_up():
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
            request = make_request(
                lead, letter=False, hr_risks=["torture"], hr_likelihood="remote", hr_residual="medium", officers=4
            )
            rid = request.id
            db.session.remove()

            before = ScriptDirectory.from_config(migrate.get_config()).get_revision(OSJA).down_revision
            downgrade(revision=before)
            assert not TABLES & set(inspect(db.engine).get_table_names())
            assert "osja_version" not in {c["name"] for c in inspect(db.engine).get_columns("gate_decision")}
            db.session.remove()

            upgrade(revision=OSJA)
            assert TABLES <= set(inspect(db.engine).get_table_names())
            row = db.session.scalars(select(OsjaVersion).where(OsjaVersion.request_id == rid)).one()
            assert row.number == 1
            assert (row.content["risks"], row.content["likelihood"], row.content["residual"]) == (
                ["torture"],
                "remote",
                "medium",
            )
            carried = db.session.get(AssistanceRequest, rid)
            assert (carried.officers, carried.staff) == (4, 1)  # as typed
            assert osja.content_of(carried, prefill=False)["residual"] == "medium"
            db.session.remove()
            db.engine.dispose()
    finally:
        cleanup()


INSURER = "d24b1f6c0a93"


def test_the_insurer_migration_adds_the_other_insurers_name_and_goes_down_and_up(scratch_app):  # noqa: F811 - the fixture imported above
    """A named person's insurance, when another body holds it, names that body (issue 24): the column is added
    empty to the people already named, and dropped again going down."""
    from models import DeployedPerson

    def columns():
        return {c["name"] for c in inspect(db.engine).get_columns("deployed_person")}

    with scratch_app.app_context():
        before = ScriptDirectory.from_config(migrate.get_config()).get_revision(INSURER).down_revision
        upgrade(revision=before)
        seed.reference_data()
        db.session.commit()
        assert "insurance_holder_other" not in columns()
        db.session.remove()
        upgrade(revision=INSURER)
        assert "insurance_holder_other" in columns()
        lead = make_user("lead@ny.example", "force_lead", force_slug="north-yorkshire")
        request = make_request(lead, letter=False)
        person = {"name": "A", "email": "a@ny.example", "kind": "officer", "insurance_holder": "other"}
        db.session.add(DeployedPerson(request_id=request.id, insurance_holder_other="Lloyd's", **person))
        db.session.commit()
        db.session.remove()
        downgrade(revision=before)
        assert "insurance_holder_other" not in columns()
        db.session.remove()
        upgrade()
        assert db.session.scalars(select(DeployedPerson.insurance_holder_other)).all() == [None]
        db.session.remove()
