"""Migrations upgrade and downgrade on the database under test, keeping what they must keep."""

import os

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from app import create_app
from approvals import audit, seed
from config import TestingConfig
from extensions import db, migrate
from models import AssistanceRequest, AuditEvent
from tests.conftest import _postgres_schema_url, advance, make_request, make_user

AUDIT_HEAD = "e1a7c0d4b9f2"


def _revision_before(revision):
    """The migration a revision follows, read from the scripts (merges may re-point it)."""
    return ScriptDirectory.from_config(migrate.get_config()).get_revision(revision).down_revision


@pytest.fixture
def scratch_app(tmp_path):
    """An app on a database of its own, so migrating up and down leaves the session's database alone."""
    if os.environ.get("S26_TEST_DB", "sqlite") == "postgresql":
        url, drop = _postgres_schema_url()
    else:
        url, drop = f"sqlite:///{tmp_path}/scratch.sqlite", lambda: None
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        drop()


def _request_columns():
    return {column["name"] for column in inspect(db.engine).get_columns("assistance_request")}


def test_the_audit_head_migration_backfills_heads_and_downgrades(scratch_app):
    with scratch_app.app_context():
        upgrade()
        seed.reference_data()
        db.session.commit()
        people = {
            "lead": make_user("lead@ny.example", "force_lead", force_slug="north-yorkshire"),
            "chief": make_user("chief@ny.example", "chief_officer", force_slug="north-yorkshire"),
            "pcc": make_user("pcc@ny.example", "pcc_office", force_slug="north-yorkshire"),
            "home_office": make_user("ho@gov.example", "home_office"),
            "ipab": make_user("ipab@gov.example", "ipab"),
        }
        advance(make_request(people["lead"]), people, until="awaiting_home_secretary")
        make_request(people["lead"], title="Still a draft")
        db.session.remove()

        downgrade(revision=_revision_before(AUDIT_HEAD))
        assert not {"audit_seq", "audit_hash"} & _request_columns()
        db.session.remove()

        upgrade()
        assert {"audit_seq", "audit_hash"} <= _request_columns()
        for request in db.session.scalars(select(AssistanceRequest)):
            last = db.session.scalars(
                select(AuditEvent).where(AuditEvent.request_id == request.id).order_by(AuditEvent.seq.desc())
            ).first()
            assert (request.audit_seq, request.audit_hash) == (last.seq, last.hash)
        assert audit.verify() == (7, None)  # 5 for the request at the Home Office, 2 for the draft (with letters)
