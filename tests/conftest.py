"""Shared fixtures. The database is built by the real migrations, once per run, on SQLite (a temp
file) or PostgreSQL (a schema of its own, dropped at the end), chosen by S26_TEST_DB."""

import contextvars
import functools
import os
import re
import shutil
import tempfile
import uuid
from datetime import date, timedelta

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import delete, select
from werkzeug.security import generate_password_hash

from app import create_app
from approvals import drafts, seed, workflow
from approvals.human_rights import Assessment
from config import TestingConfig
from extensions import db
from models import CostLine, Force, FundingSource, User

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "correct-horse-battery"
KEEP_TABLES = {"force", "alembic_version"}


def _postgres_schema_url():
    import psycopg

    base = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)
    schema = f"s26_test_{uuid.uuid4().hex[:12]}"
    conninfo = re.sub(r"^postgresql\+psycopg://", "postgresql://", base)
    try:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError as error:
        message = f"PostgreSQL is not reachable at {base}: {error}"
        if os.environ.get("CI") == "true":
            pytest.exit(message, returncode=3)  # CI must fail, never skip, without PostgreSQL
        pytest.skip(message, allow_module_level=True)

    def drop():
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}", drop


@pytest.fixture(scope="session")
def database_url():
    if os.environ.get("S26_TEST_DB", "sqlite") == "postgresql":
        url, cleanup = _postgres_schema_url()
    else:
        folder = tempfile.mkdtemp(prefix="s26-test-")
        url = f"sqlite:///{folder}/s26.sqlite"

        def cleanup():
            shutil.rmtree(folder, ignore_errors=True)

    yield url
    cleanup()


class FreshContextClient(FlaskClient):
    """Runs each request outside the test's app context, as in production: its own `g`, its own
    database session. Without this, Flask reuses the test's context and `g` leaks between requests."""

    def open(self, *args, **kwargs):
        if not has_app_context():  # a redirect being followed: already inside a fresh context
            return super().open(*args, **kwargs)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.expire_all()  # the test then sees what the request committed
        return response


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)
    app.test_client_class = FreshContextClient
    with app.app_context():
        upgrade()
        seed.reference_data()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def clean_database(app):
    """Each test starts with reference data only."""
    with app.app_context():
        yield
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                db.session.execute(delete(table))
        seed.reference_data()
        db.session.commit()
        db.session.remove()


@pytest.fixture(autouse=True)
def limiter_as_configured(app):
    """Flask-Limiter's switch is global to the extension: a test that builds a rate-limited app must not leave
    every later test limited."""
    yield
    from extensions import limiter

    limiter.enabled = app.config.get("RATELIMIT_ENABLED", True)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def force(slug):
    return db.session.scalars(select(Force).where(Force.slug == slug)).one()


@functools.cache
def _password_hash():
    # scrypt is deliberately slow; hashing once per run keeps the suite quick without weakening it.
    return generate_password_hash(PASSWORD)


def make_user(email, *roles, force_slug=None, name=None):
    user = User(email=email, name=name or email.split("@")[0], force=force(force_slug) if force_slug else None)
    user.password_hash = _password_hash()
    user.set_roles(roles)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def people():
    """Everyone a request meets, for two forces, so tests can cross force lines."""
    p = {
        "lead": make_user("lead@ny.example", "force_lead", force_slug="north-yorkshire"),
        "chief": make_user("chief@ny.example", "chief_officer", force_slug="north-yorkshire"),
        "pcc": make_user("pcc@ny.example", "pcc_office", force_slug="north-yorkshire"),
        "other_lead": make_user("lead@met.example", "force_lead", force_slug="metropolitan"),
        "other_chief": make_user("chief@met.example", "chief_officer", force_slug="metropolitan"),
        "other_pcc": make_user("pcc@met.example", "pcc_office", force_slug="metropolitan"),
        "home_office": make_user("ho@gov.example", "home_office"),
        "ipab": make_user("ipab@gov.example", "ipab"),
        "foi": make_user("foi@gov.example", "foi_officer"),
        "admin": make_user("admin@gov.example", "admin"),
    }
    return p


def complete_values(**overrides):
    values = seed.demo_request_values()
    values.update(overrides)
    return values


def make_request(lead, title="Investigative interviewing training", **overrides):
    """A draft with every section complete, ready to submit."""
    values = complete_values(**overrides)
    request = drafts.create_draft(lead, title, **values)
    db.session.commit()
    return request


def positive(residual="low", **extra):
    return workflow.DecisionInput(outcome="positive", hr=Assessment(residual=residual), ethics_confirmed=True, **extra)


GATE_PEOPLE = ["chief", "pcc", "home_office", "ipab"]


def advance(request, people, until="approved"):
    """Submit and take a request through the gates with positive decisions until `until`."""
    lead = people["lead"] if request.force.slug == "north-yorkshire" else people["other_lead"]
    if request.state == "draft":
        workflow.submit(request.id, lead)
    order = ["awaiting_chief_officer", "awaiting_pcc", "awaiting_home_secretary", "awaiting_ipab", "approved"]
    local = (
        {"chief": "chief", "pcc": "pcc"}
        if request.force.slug == "north-yorkshire"
        else {"chief": "other_chief", "pcc": "other_pcc"}
    )
    while request.state != until and request.state in order[:-1]:
        who = GATE_PEOPLE[order.index(request.state)]
        workflow.decide(request.id, people[local.get(who, who)], positive())
        db.session.refresh(request)
    return request


def sign_in(client, user, password=PASSWORD):
    response = client.post("/sign-in", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.data[:500]
    return response


def future(days):
    return date.today() + timedelta(days=days)


__all__ = ["CostLine", "FundingSource", "Assessment"]
