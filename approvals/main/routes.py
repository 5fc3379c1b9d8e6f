"""Home: what waits for the signed-in user; and the workflow help page."""

from datetime import date

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from approvals import escalation, osja, policy
from approvals.machine import STATES, condition_text, inbox_count, transitions_table
from approvals.security import public, signed_in
from extensions import db
from models import AssistanceRequest, Force

bp = Blueprint("main", __name__)
INBOX_LIMIT = 50  # the rest are a filter away on the request list; counts show how many wait


def inbox_queries(user):
    """The inbox's two statements: the most urgent rows waiting for `user`, and how many wait in each state.

    Only the columns the table shows, as plain rows: loading 50 full requests (some 60 columns each) as
    ORM objects cost more than the rest of the page's SQL together. bench/run.py EXPLAINs these."""
    clause = policy.inbox_clause(user)
    rows = (
        select(
            AssistanceRequest.id,
            AssistanceRequest.reference,
            AssistanceRequest.title,
            AssistanceRequest.urgent,
            AssistanceRequest.destination,
            AssistanceRequest.state,
            AssistanceRequest.gate_due_on,
            AssistanceRequest.escalated_on,
            AssistanceRequest.start_date,
            AssistanceRequest.end_date,
            Force.name.label("force_name"),
        )
        .join(Force, Force.id == AssistanceRequest.force_id)
        .where(clause)
        .order_by(
            AssistanceRequest.gate_due_on.asc().nulls_last(),
            AssistanceRequest.gate_entered_at,
            AssistanceRequest.end_date,
            AssistanceRequest.id,
        )
        .limit(INBOX_LIMIT)
    )
    counts = select(AssistanceRequest.state, func.count()).where(clause).group_by(AssistanceRequest.state)
    return rows, counts


@bp.route("/")
@signed_in
def home():
    """Your inbox: requests waiting at your gate, most overdue first, with counts."""
    rows, counts = inbox_queries(current_user)
    waiting = db.session.execute(rows).all()
    counts = dict(db.session.execute(counts).all())
    overdue_reviews = osja.overdue_reviews(current_user)
    return render_template(
        "main/home.html",
        waiting=waiting,
        counts=counts,
        today=date.today(),
        overdue_reviews=overdue_reviews,
        escalated_reviews=escalation.escalated_reviews(overdue_reviews),
        inbox_states=STATES,
        inbox_count=inbox_count,
    )


@bp.route("/help/workflow")
@signed_in
def workflow_help():
    """How a request moves through the section 26 gates, drawn from the workflow's own definition."""
    return render_template("main/workflow.html", transitions=transitions_table(), condition_text=condition_text)


@bp.route("/health")
@public
def health():
    """Liveness check for load balancers."""
    db.session.execute(select(1))
    return {"status": "ok"}
