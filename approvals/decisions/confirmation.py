"""What the decider is told after recording a decision: the request, what happens next and who was told
(issue 16). The recipients described here are those approvals.notifications.queue_transition writes to."""

from approvals.gates import GATE_BY_STATE
from approvals.machine import GATE_WORDING

CHIEFS = "the force's other chief officers"


def next_steps(request):
    """What happens next, in sentences, for the confirmation page."""
    gate = GATE_BY_STATE.get(request.state)
    if gate is not None:
        due = f", due by {request.gate_due_on.strftime('%-d %B %Y')}" if request.gate_due_on else ""
        return [
            f"The request now waits for {GATE_WORDING[gate.state].waiting}{due}. Its deciders have been emailed.",
            f"The submitter and {CHIEFS} have been told.",
        ]
    if request.state == "approved":
        return [
            "Every section 26 approval is in place. The submitter has been told, and asked to record the deployment "
            "when it starts.",
            f"{CHIEFS[0].upper()}{CHIEFS[1:]} have been told.",
        ]
    if request.state == "declined":
        return [f"The request is declined. The submitter and {CHIEFS} have been told, with your reasons."]
    if request.state == "returned":
        return [
            "The request goes back to the submitter with your questions; they have been emailed.",
            "If it comes back without a material change, it returns to your gate; with one, it starts again with "
            "the chief officer.",
        ]
    return [f"The request is now {request.state.replace('_', ' ')}."]
