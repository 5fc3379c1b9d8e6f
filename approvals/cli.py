"""Command-line tools: `flask users`, `flask seed`, `flask outbox`, `flask audit verify`, `flask tokens create`."""

import sys
import time
from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import select

from approvals import audit as audit_trail
from approvals import notifications, seed
from config.settings import PASSWORD_MIN_LENGTH
from extensions import db
from models import ApiToken, AssistanceRequest, Force, User
from models.reference_data import FORCE_SCOPED_ROLES, ROLES

users_cli = AppGroup("users", help="Manage users.")
outbox_cli = AppGroup("outbox", help="Deliver and inspect queued email.")
audit_cli = AppGroup("audit", help="Check the audit trail.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")


def fail(message):
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


@users_cli.command("add")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, help="Repeat for several roles.")
@click.option("--force", "force_slug", help="The force slug, for force-scoped roles (e.g. north-yorkshire).")
@click.option("--name", default="", help="The person's name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add_user(email, roles, force_slug, name, password_stdin):
    """Add a user with one or more roles."""
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        fail(f"unknown role {', '.join(unknown)}; choose from {', '.join(ROLES)}")
    force = None
    if force_slug:
        force = db.session.scalars(select(Force).where(Force.slug == force_slug)).first()
        if force is None:
            fail(f"unknown force {force_slug!r}; `flask forces` lists the slugs")
    if FORCE_SCOPED_ROLES.intersection(roles) and force is None:
        fail(f"roles {', '.join(sorted(FORCE_SCOPED_ROLES.intersection(roles)))} need --force")
    email = email.strip().lower()
    if db.session.scalars(select(User).where(User.email == email)).first():
        fail(f"a user with email {email} already exists")
    if not password_stdin:
        fail("give the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\n")
    if len(password) < PASSWORD_MIN_LENGTH:
        fail(f"the password must be at least {PASSWORD_MIN_LENGTH} characters")
    user = User(email=email, name=name, force=force)
    user.set_password(password)
    user.set_roles(roles)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Added {email} with roles {', '.join(sorted(roles))}" + (f" for {force.slug}" if force else ""))


@users_cli.command("list")
def list_users():
    """List users, their roles and force."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        status = "active" if user.active else "disabled"
        click.echo(f"{user.email}\t{','.join(sorted(user.roles))}\t{user.force.slug if user.force else '-'}\t{status}")


@users_cli.command("disable")
@click.argument("email")
def disable_user(email):
    """Disable a user and end every session they have."""
    user = db.session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        fail(f"no user with email {email}")
    user.active = False
    user.end_all_sessions()
    db.session.commit()
    click.echo(f"Disabled {user.email}")


@click.command("forces")
def list_forces():
    """List the forces and their slugs."""
    for force in db.session.scalars(select(Force).order_by(Force.name)):
        click.echo(f"{force.slug}\t{force.name}\t{force.policing_body}")


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also create demo users and requests.")
def seed_command(demo):
    """Load reference data (forces, country notes, page text); with --demo, demo users and requests."""
    seed.reference_data()
    if demo:
        for line in seed.demo():
            click.echo(line)
    db.session.commit()
    click.echo("Reference data loaded.")


@outbox_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running as a worker.")
@click.option("--interval", default=5.0, help="Seconds between polls with --loop.")
def outbox_send(loop, interval):
    """Deliver due email from the outbox."""
    while True:
        notifications.release_stale_claims()
        sent, retried, failed = notifications.send_due()
        if sent or retried or failed or not loop:
            click.echo(f"sent {sent}, to retry {retried}, failed {failed}")
        if not loop:
            return
        time.sleep(interval)


@outbox_cli.command("remind")
def outbox_remind():
    """Queue one reminder a day for each request overdue at its gate."""
    today = date.today()
    overdue = db.session.scalars(
        select(AssistanceRequest).where(
            AssistanceRequest.gate_due_on < today,
            (AssistanceRequest.last_reminded_on.is_(None)) | (AssistanceRequest.last_reminded_on < today),
        )
    ).all()
    queued = notifications.queue_reminders(overdue, today)
    db.session.commit()
    click.echo(f"queued {queued} reminders for {len(overdue)} overdue requests")


@audit_cli.command("verify")
def audit_verify():
    """Recompute every request's hash chain and report the first broken link."""
    checked, broken = audit_trail.verify()
    if broken is not None:
        click.echo(
            f"BROKEN at audit event {broken.id} (request {broken.request_id}, seq {broken.seq}) "
            f"after {checked} good events"
        )
        sys.exit(1)
    click.echo(f"OK: {checked} events verified")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="", help="What the token is for.")
def create_token(email, name):
    """Create an API token for a user; it is printed once and never stored."""
    user = db.session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.active:
        fail(f"no active user with email {email}")
    row, token = ApiToken.issue(user, name)
    db.session.add(row)
    db.session.commit()
    click.echo(token)


@click.command("workflow-diagram")
def workflow_diagram():
    """Print the state diagram (Mermaid) generated from the machine's definition."""
    from approvals.machine import mermaid

    click.echo(mermaid())


def init_app(app):
    for command in (users_cli, outbox_cli, audit_cli, tokens_cli, list_forces, seed_command, workflow_diagram):
        app.cli.add_command(command)
