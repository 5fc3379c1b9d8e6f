"""Command-line tools: `flask users`, `flask seed`, `flask outbox`, `flask audit`, `flask tokens create`."""

import sys
import time
from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from approvals import accounts, escalation, notifications, osja, queries, seed, validation
from approvals import audit as audit_trail
from config.settings import EMAIL_MAX, INSTANCE_DIR, PASSWORD_MIN_LENGTH
from extensions import db, discard_session
from models import ApiToken, AssistanceRequest, Force, User
from models.reference_data import FORCE_SCOPED_ROLES, ROLES

users_cli = AppGroup("users", help="Manage users.")
outbox_cli = AppGroup("outbox", help="Deliver and inspect queued email.")
audit_cli = AppGroup("audit", help="Check the audit trail.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")


def fail(message):
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


def _checked_roles_and_force(roles, force_slug):
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
    return force


def _text_option(name, value, limit=120):
    """The same text rule as the web forms and the API (approvals.validation), for a command-line value."""
    if (message := validation.text_error(value)) is not None:
        fail(f"{name}: {message.lower()}")
    value = validation.clean_text(value)
    if len(value) > limit:
        fail(f"{name} must be {limit} characters or fewer")
    return value


def _new_email(email):
    email = _text_option("the email address", email, limit=EMAIL_MAX).lower()
    if not email or "@" not in email or any(ch.isspace() for ch in email):
        fail("give a valid email address")
    if db.session.scalars(select(User).where(User.email == email)).first():
        fail(f"a user with email {email} already exists")
    return email


@users_cli.command("add")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, help="Repeat for several roles.")
@click.option("--force", "force_slug", help="The force slug, for force-scoped roles (e.g. north-yorkshire).")
@click.option("--name", default="", help="The person's name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add_user(email, roles, force_slug, name, password_stdin):
    """Add a user with one or more roles and a password (for scripts and tests; people are invited)."""
    force = _checked_roles_and_force(roles, force_slug)
    email, name = _new_email(email), _text_option("the name", name)
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


@users_cli.command("invite")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, help="Repeat for several roles.")
@click.option("--force", "force_slug", help="The force slug, for force-scoped roles (e.g. north-yorkshire).")
@click.option("--name", default="", help="The person's name.")
def invite_user(email, roles, force_slug, name):
    """Create an account and email the person a single-use link (72 hours) to choose their password."""
    force = _checked_roles_and_force(roles, force_slug)
    email, name = _new_email(email), _text_option("the name", name)
    accounts.invite(email, name, roles, force.id if force else None, None)
    click.echo(f"Invited {email} with roles {', '.join(sorted(roles))}" + (f" for {force.slug}" if force else ""))
    click.echo("The invitation is in the outbox; `flask outbox send` delivers it.")


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
    accounts.end_everything(user, None, "disabled")
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
        try:
            notifications.release_stale_claims()
            sent, retried, failed = notifications.send_due()
        except DBAPIError as error:
            # The database restarting or failing over: a worker keeps going and picks up where it was
            # (what it had claimed is released after the lease). Once, it fails as before.
            discard_session()
            if not loop:
                raise
            click.echo(f"database unavailable ({type(error.orig).__name__}); retrying in {interval} s", err=True)
            time.sleep(interval)
            continue
        if sent or retried or failed or not loop:
            click.echo(f"sent {sent}, to retry {retried}, failed {failed}")
        if not loop:
            return
        time.sleep(interval)


@outbox_cli.command("remind")
def outbox_remind():
    """Queue one reminder a day for each request overdue at its gate and each overdue OSJA review, and escalate the
    long overdue (gates and reviews) once."""
    today = date.today()
    overdue = db.session.scalars(
        select(AssistanceRequest).where(
            AssistanceRequest.gate_due_on < today,
            (AssistanceRequest.last_reminded_on.is_(None)) | (AssistanceRequest.last_reminded_on < today),
            # A request waiting for the submitter's answer has its clock paused: it is not overdue.
            ~queries.waiting_for_submitter_clause(),
        )
    ).all()
    queued = notifications.queue_reminders(overdue, today)
    reviews = osja.overdue_everywhere(today)
    review_reminders = notifications.queue_review_reminders(reviews, today)
    db.session.commit()
    click.echo(f"queued {queued} reminders for {len(overdue)} overdue requests")
    click.echo(f"queued {review_reminders} reminders for {len(reviews)} overdue OSJA reviews")
    # Issue 17: a gate long overdue is escalated, once per gate visit.
    escalated, emails = escalation.run(today)
    click.echo(f"escalated {escalated} requests ({emails} emails)")
    # Issue 24: an OSJA review long overdue is escalated like a gate, once per review due.
    escalated, emails = escalation.run_reviews(today, reviews)
    click.echo(f"escalated {escalated} overdue OSJA reviews ({emails} emails)")


@audit_cli.command("verify")
@click.option(
    "--against",
    "checkpoint_file",
    type=click.Path(dir_okay=False),
    help="A checkpoint file from `flask audit checkpoint`: also prove nothing recorded before its last "
    "checkpoint was changed, truncated or deleted (needs S26_AUDIT_CHECKPOINT_KEY).",
)
def audit_verify(checkpoint_file):
    """Recompute every request's hash chain, check it ends at the request's audit head, report the first break."""
    if checkpoint_file:
        try:
            record = audit_trail.read_checkpoint(checkpoint_file, audit_trail.checkpoint_key())
        except audit_trail.CheckpointError as error:
            click.echo(f"BROKEN: {error}")
            sys.exit(1)
        checked, broken = audit_trail.verify_against(record)
    else:
        checked, broken = audit_trail.verify()
    if broken is not None:
        click.echo(broken.describe(checked))
        sys.exit(1)
    if checkpoint_file:
        click.echo(
            f"OK: {checked} events verified; the {record['count']} chains of the checkpoint of {record['at']} "
            f"(digest {record['digest']}) are intact"
        )
    else:
        click.echo(f"OK: {checked} events verified")


@audit_cli.command("checkpoint")
@click.option(
    "--file",
    "checkpoint_file",
    envvar="S26_AUDIT_CHECKPOINT_FILE",
    default=str(INSTANCE_DIR / "audit-checkpoints.jsonl"),
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The append-only file the checkpoint is added to (env S26_AUDIT_CHECKPOINT_FILE).",
)
@click.option(
    "--email",
    envvar="S26_AUDIT_CHECKPOINT_EMAIL",
    help="Who is emailed the checkpoint's digest and MAC (env S26_AUDIT_CHECKPOINT_EMAIL).",
)
def audit_checkpoint(checkpoint_file, email):
    """Daily, from cron: verify every chain, then append a keyed digest of every chain head to a file and email it."""
    try:
        key = audit_trail.checkpoint_key()
    except audit_trail.CheckpointError as error:
        fail(str(error))
    checked, broken = audit_trail.verify()
    if broken is not None:  # never sign a trail that is already broken
        click.echo(broken.describe(checked))
        sys.exit(1)
    record = audit_trail.make_checkpoint(key, audit_trail.chain_heads())
    audit_trail.append_checkpoint(checkpoint_file, record)
    if email:
        notifications.queue_checkpoint(email, record)
        db.session.commit()
    click.echo(
        f"Checkpoint {record['at']}: {record['count']} chains, {checked} events, digest {record['digest']}, "
        f"MAC {record['mac']} appended to {checkpoint_file}" + (f" and queued to {email}" if email else "")
    )


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
@click.option("--svg", "svg_path", default=None, help="Draw it with Graphviz dot into this SVG file instead")
def workflow_diagram(svg_path):
    """Print the state diagram (Mermaid) generated from the machine's definition, or draw it as SVG."""
    from approvals.machine import mermaid

    if svg_path is None:
        click.echo(mermaid())
        return
    from approvals.diagram import draw_svg

    with open(svg_path, "w", encoding="utf-8") as out:
        out.write(draw_svg())
    click.echo(f"wrote {svg_path}")


def init_app(app):
    from approvals.returns_cli import returns_cli

    app.cli.add_command(returns_cli)
    for command in (users_cli, outbox_cli, audit_cli, tokens_cli, list_forces, seed_command, workflow_diagram):
        app.cli.add_command(command)
