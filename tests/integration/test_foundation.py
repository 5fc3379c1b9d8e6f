"""Config, migrations, sign-in/out, sessions, role scoping and the CLI."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from app import create_app
from config import ProductionConfig, TestingConfig
from extensions import db
from models import Force, User
from tests.conftest import PASSWORD, make_user, sign_in


def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)
    monkeypatch.setenv("SECRET_KEY", "dev")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_starts_with_a_strong_secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
    assert create_app(ProductionConfig).config["S26_HSTS"] is True


def test_database_url_selects_the_database_with_no_code_change(database_url):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        assert db.engine.dialect.name == ("postgresql" if database_url.startswith("postgresql") else "sqlite")


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata)
    assert diff == []


def test_reference_data_has_the_43_forces_with_their_policing_bodies(app):
    forces = {f.slug: f for f in db.session.scalars(select(Force))}
    assert len(forces) == 43
    assert forces["metropolitan"].policing_body.startswith("Mayor's Office for Policing and Crime")
    assert forces["city-of-london"].policing_body == "Common Council of the City of London"
    assert forces["north-yorkshire"].policing_body == "Mayor of York and North Yorkshire"
    assert "Police and Crime Commissioner" in forces["kent"].policing_body


def test_passwords_are_hashed_with_scrypt_and_never_stored_in_clear(app):
    user = User(email="x@example.com")
    user.set_password("a long enough password")
    assert user.password_hash.startswith("scrypt:") and "a long enough password" not in user.password_hash
    assert user.check_password("a long enough password") and not user.check_password("wrong")


def test_every_page_but_sign_in_and_transparency_requires_sign_in(client):
    assert client.get("/transparency").status_code == 200
    assert client.get("/sign-in").status_code == 200
    for url in ("/", "/requests", "/requests/1", "/reports/foi", "/admin/users", "/account"):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url


def test_sign_in_and_out(client, people):
    sign_in(client, people["lead"])
    page = client.get("/").get_data(as_text=True)
    assert "Signed in as" in page and "International lead" in page and "North Yorkshire Police" in page
    client.post("/sign-out")
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("email,password", [("lead@ny.example", "wrong password!"), ("nobody@ny.example", PASSWORD)])
def test_wrong_password_and_unknown_email_get_the_same_message(client, people, email, password):
    response = client.post("/sign-in", data={"email": email, "password": password})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your email address or password is incorrect" in page and "Error: Sign in" in page


def test_failed_sign_ins_are_recorded_and_ten_lock_the_account(client, people):
    for _ in range(10):
        client.post("/sign-in", data={"email": "lead@ny.example", "password": "wrong password!"})
    user = db.session.scalars(select(User).where(User.email == "lead@ny.example")).one()
    db.session.refresh(user)
    assert user.failed_sign_ins == 10 and user.is_locked()
    response = client.post("/sign-in", data={"email": "lead@ny.example", "password": PASSWORD})
    assert "Your email address or password is incorrect" in response.get_data(as_text=True)


def test_next_only_follows_local_paths(client, people):
    response = client.post(
        "/sign-in?next=https://evil.example/", data={"email": "lead@ny.example", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"
    client.post("/sign-out")
    response = client.post("/sign-in?next=/requests", data={"email": "lead@ny.example", "password": PASSWORD})
    assert response.headers["Location"] == "/requests"


def test_disabling_an_account_ends_its_existing_sessions(client, people, runner):
    sign_in(client, people["lead"])
    assert client.get("/").status_code == 200
    assert runner.invoke(args=["users", "disable", "lead@ny.example"]).exit_code == 0
    assert client.get("/").status_code == 302


def test_changing_password_ends_other_sessions(app, people):
    first, second = app.test_client(), app.test_client()
    sign_in(first, people["lead"])
    sign_in(second, people["lead"])
    response = first.post(
        "/account",
        data={
            "password-current": PASSWORD,
            "password-new": "a brand new password",
            "password-confirm": "a brand new password",
            "password-submit": "1",
        },
    )
    assert response.status_code == 302
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302


def test_unknown_url_gets_a_govuk_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)
    assert "govuk-template" in response.get_data(as_text=True)


def test_server_error_page_shows_no_stack_trace(app, client, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def boom():
        raise RuntimeError("secret internals")

    monkeypatch.setitem(app.view_functions, "reports.transparency", boom)
    try:
        response = client.get("/transparency")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "Sorry, there is a problem with the service" in page
    assert "secret internals" not in page and "Traceback" not in page


class TestCli:
    def test_users_add_with_several_roles(self, runner):
        result = runner.invoke(
            args=[
                "users",
                "add",
                "new@ny.example",
                "--role",
                "force_lead",
                "--role",
                "chief_officer",
                "--force",
                "north-yorkshire",
                "--password-stdin",
            ],
            input="a strong password here\n",
        )
        assert result.exit_code == 0, result.output
        user = db.session.scalars(select(User).where(User.email == "new@ny.example")).one()
        assert user.roles == {"force_lead", "chief_officer"} and user.force.slug == "north-yorkshire"
        assert user.check_password("a strong password here")

    def test_unknown_role_or_force_is_a_clear_error_with_non_zero_exit(self, runner):
        result = runner.invoke(
            args=["users", "add", "a@b.example", "--role", "emperor", "--password-stdin"],
            input="a strong password here\n",
        )
        assert result.exit_code != 0 and "unknown role emperor" in result.output
        result = runner.invoke(
            args=["users", "add", "a@b.example", "--role", "force_lead", "--force", "atlantis", "--password-stdin"],
            input="x" * 20 + "\n",
        )
        assert result.exit_code != 0 and "unknown force 'atlantis'" in result.output

    def test_force_scoped_role_needs_a_force(self, runner):
        result = runner.invoke(
            args=["users", "add", "a@b.example", "--role", "pcc_office", "--password-stdin"], input="x" * 20 + "\n"
        )
        assert result.exit_code != 0 and "need --force" in result.output

    def test_users_list_and_disable(self, runner, people):
        listing = runner.invoke(args=["users", "list"]).output
        assert "lead@ny.example\tforce_lead\tnorth-yorkshire\tactive" in listing
        runner.invoke(args=["users", "disable", "lead@ny.example"])
        assert "lead@ny.example\tforce_lead\tnorth-yorkshire\tdisabled" in runner.invoke(args=["users", "list"]).output

    def test_seed_demo_prints_sign_in_details_and_is_repeatable(self, runner):
        first = runner.invoke(args=["seed", "--demo"])
        assert (
            first.exit_code == 0
            and "lead@north-yorkshire.example" in first.output
            and "demo-password-s26" in first.output
        )
        assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
        assert db.session.scalars(select(User).where(User.email == "ipab@demo.example")).one().roles == {"ipab"}


def test_role_scoping_a_pcc_acts_only_for_its_own_force(app):
    pcc = make_user("p@ny.example", "pcc_office", force_slug="north-yorkshire")
    ny, met = (
        db.session.scalars(select(Force.id).where(Force.slug == s)).one() for s in ("north-yorkshire", "metropolitan")
    )
    assert pcc.acts_for_force("pcc_office", ny) and not pcc.acts_for_force("pcc_office", met)
    ho = make_user("h@gov.example", "home_office")
    assert ho.acts_for_force("home_office", ny) and ho.acts_for_force("home_office", met)
