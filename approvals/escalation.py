"""Escalation (issue 17): a gate left `S26_ESCALATE_AFTER_DAYS` working days past its due date is escalated
once per gate visit, by the daily reminder run (`flask outbox remind`). An OSJA review of long-running work left as
long past its due date is escalated in the same way, once per review due (issue 24; see `run_reviews`).

The gate's holders and their active delegates, and for a force gate the Home Office too (the national view),
get an escalation email; the request shows "Escalated" in every inbox that lists it until it leaves the gate
(`record_transition` clears `escalated_on` on entering a gate). A request whose gate clock is paused (a
question to the submitter is open, approvals.queries) is not overdue, so it is not escalated. Each escalation
is a command: the row is locked, the audit event and the emails commit with it.
"""

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from approvals import audit, notifications, osja, queries
from approvals.commands import atomic, lock
from approvals.gates import GATE_BY_STATE, GATE_STATES
from approvals.workflow import add_working_days
from extensions import db
from models import AssistanceRequest, AuditEvent

REVIEW_EVENT = "osja_review_escalated"


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


# --- Overdue OSJA reviews (issue 24): escalated like overdue gates ----------------------------------------------------


def review_escalation_day(due):
    """The first day on which an OSJA review due on `due` and not yet recorded is escalated."""
    return add_working_days(due, current_app.config["S26_ESCALATE_AFTER_DAYS"])


def _review_detail(due):
    # The audit event names the review it escalated, so each review due is escalated once (and the inbox can tell).
    return f"review due {due.isoformat()}"


def escalated_reviews(overdue):
    """The ids of the requests among `overdue` ((review due date, request) pairs, approvals.osja) whose review due on
    that date has been escalated. One statement, however many."""
    due_on = {request.id: due for due, request in overdue}
    if not due_on:
        return set()
    rows = db.session.execute(
        select(AuditEvent.request_id, AuditEvent.reasons).where(
            AuditEvent.request_id.in_(due_on), AuditEvent.event == REVIEW_EVENT
        )
    )
    return {rid for rid, reasons in rows if (reasons or "").startswith(_review_detail(due_on[rid]))}


def _review_still_due(due, today):
    def check(request):
        # Read again under the lock: the review may have been recorded, or escalated, since it was listed.
        if osja.next_review_due(request) != due or review_escalation_day(due) > today:
            raise _Skip()
        if escalated_reviews([(due, request)]):
            raise _Skip()

    return check


def escalate_review(request_id, due, today=None):
    """Escalate one overdue OSJA review, once: the PCC office (and its delegates) and the Home Office are emailed, and
    the audit trail records it. Returns the number of emails queued (0 if nothing to do)."""
    today = today or date.today()
    try:
        with atomic():
            request = lock(request_id, check=_review_still_due(due, today))
            days = current_app.config["S26_ESCALATE_AFTER_DAYS"]
            row = audit.append(
                request,
                None,
                REVIEW_EVENT,
                request.state,
                request.state,
                f"{_review_detail(due)}: {days} working days past it, the review not recorded",
            )
            return notifications.queue_review_escalation(request, due, row.seq)
    except _Skip:
        return 0


def run_reviews(today=None, overdue=None):
    """Escalate every overdue OSJA review due for it (`overdue`: approvals.osja.overdue_everywhere's pairs, when the
    caller has them). Returns (reviews escalated, emails queued)."""
    today = today or date.today()
    overdue = osja.overdue_everywhere(today) if overdue is None else overdue
    candidates = [(due, request) for due, request in overdue if review_escalation_day(due) <= today]
    done = escalated_reviews(candidates)
    escalated = queued = 0
    for due, request in candidates:
        if request.id in done:
            continue
        sent = escalate_review(request.id, due, today)
        if sent or escalated_reviews([(due, request)]):
            escalated += 1
            queued += sent
    return escalated, queued
