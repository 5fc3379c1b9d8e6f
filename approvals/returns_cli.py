"""`flask returns send`: each force's periodic return, emailed to its PCC office and chief officers."""

import re

import click
from flask.cli import AppGroup

from approvals import returns

returns_cli = AppGroup("returns", help="Periodic returns to the PCC.")


@returns_cli.command("send")
@click.option("--period", "kind", type=click.Choice(["month", "half-year"]), required=True)
@click.option("--for", "year_month", help="YYYY-MM: that month, or the half year holding it (default: the last).")
def send(kind, year_month):
    """Queue each force's return for the last complete period to its PCC office and chief officers (once each)."""
    kind = "month" if kind == "month" else "half_year"
    if year_month:
        if not re.fullmatch(r"\d{4}-\d{2}", year_month):
            raise click.BadParameter("give the month as YYYY-MM", param_hint="--for")
        try:
            date_from, date_to = returns.period_for(kind, year_month)
        except ValueError as error:
            raise click.BadParameter("give a real month as YYYY-MM", param_hint="--for") from error
    else:
        date_from, date_to = returns.last_complete(kind)
    forces, queued = returns.queue_returns(date_from, date_to)
    click.echo(
        f"Returns for {date_from.isoformat()} to {date_to.isoformat()}: {queued} emails queued for {forces} forces"
        " (already sent ones are not sent again); `flask outbox send` delivers them."
    )
