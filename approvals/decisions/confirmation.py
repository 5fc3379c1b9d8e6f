"""What the decider is told after recording a decision: the request, what happens next and who was told
(issue 16). The recipients described here are those approvals.notifications.queue_transition writes to."""

from approvals.gates import GATE_BY_STATE
from extensions import db
from models import AssistanceRequest

TOLD = "the submitter and the force's chief officers have been told"


def message(request_id):
    request = db.session.get(AssistanceRequest, request_id)
    named = f"{request.reference} ({request.title})"
    gate = GATE_BY_STATE.get(request.state)
    if gate is not None:
        due = f", due by {request.gate_due_on.strftime('%-d %B %Y')}" if request.gate_due_on else ""
        return (
            f"Your decision has been recorded. {named} now waits at the {gate.title} gate{due}: "
            f"its deciders have been emailed, and {TOLD}."
        )
    if request.state == "approved":
        return f"Your decision has been recorded. {named} is approved: {TOLD}."
    if request.state == "declined":
        return f"Your decision has been recorded. {named} is declined: {TOLD}."
    if request.state == "returned":
        return (
            f"Your decision has been recorded. {named} is returned to the submitter with your questions: {TOLD}. "
            "If it comes back without a material change, it returns to your gate."
        )
    return f"Your decision has been recorded. {named} is now {request.state.replace('_', ' ')}."
