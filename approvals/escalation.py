"""Escalation (issue 17): a gate left `S26_ESCALATE_AFTER_DAYS` working days past its due date is escalated
once per gate visit, by the daily reminder run (`flask outbox remind`).

The gate's holders and their active delegates, and for a force gate the Home Office too (the national view),
get an escalation email; the request shows "Escalated" in every inbox that lists it until it leaves the gate
(`record_transition` clears `escalated_on` on entering a gate). A request whose gate clock is paused (a
question to the submitter is open, approvals.queries) is not overdue, so it is not escalated. Each escalation
is a command: the row is locked, the audit event and the emails commit with it.
"""

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from approvals import audit, notifications, queries
from approvals.commands import atomic, lock
from approvals.gates import GATE_BY_STATE, GATE_STATES
from approvals.workflow import add_working_days
from extensions import db
from models import AssistanceRequest


def escalation_day(request):
    """The first day on which `request`'s gate is escalated: S26_ESCALATE_AFTER_DAYS working days after it was due."""
    return add_working_days(request.gate_due_on, current_app.config["S26_ESCALATE_AFTER_DAYS"])


def candidates(today):
    """Requests at a gate, not yet escalated in this visit, with the clock running, whose escalation day has come.
    The SQL narrows by calendar days (N working days are at least N calendar days); the working days are
    judged here."""
    days = current_app.config["S26_ESCALATE_AFTER_DAYS"]
    rows = db.session.scalars(
        select(AssistanceRequest)
        .where(
            AssistanceRequest.state.in_(GATE_STATES),
            AssistanceRequest.gate_due_on.is_not(None),
            AssistanceRequest.gate_due_on <= today - timedelta(days=days),
            AssistanceRequest.escalated_on.is_(None),
            ~queries.waiting_for_submitter_clause(),
        )
        .order_by(AssistanceRequest.id)
    ).all()
    return [row for row in rows if escalation_day(row) <= today]


def _still_due(today):
    def check(request):
        # Read again under the lock: it may have moved on, been escalated or paused since it was listed.
        if request.state not in GATE_STATES or request.escalated_on is not None or request.gate_due_on is None:
            raise _Skip()
        if escalation_day(request) > today or queries.open_count(request):
            raise _Skip()

    return check


class _Skip(Exception):
    pass


def escalate(request_id, today=None):
    """Escalate one request's gate, once: returns the number of emails queued (0 if nothing to do)."""
    today = today or date.today()
    try:
        with atomic():
            request = lock(request_id, check=_still_due(today))
            gate = GATE_BY_STATE[request.state]
            request.escalated_on = today
            days = current_app.config["S26_ESCALATE_AFTER_DAYS"]
            row = audit.append(
                request,
                None,
                "escalated",
                request.state,
                request.state,
                f"{days} working days past its due date {request.gate_due_on.isoformat()} at the {gate.title.lower()}",
            )
            return notifications.queue_escalation(request, gate, row.seq, national=not gate.national)
    except _Skip:
        return 0


def run(today=None):
    """Escalate every request due for it. Returns (requests escalated, emails queued)."""
    today = today or date.today()
    escalated = queued = 0
    for request in candidates(today):
        sent = escalate(request.id, today)
        if sent or db.session.get(AssistanceRequest, request.id).escalated_on == today:
            escalated += 1
            queued += sent
    return escalated, queued
