"""The request's timeline, from its audit events, for the request page."""

from sqlalchemy import select

from approvals.gates import GATE_BY_STATE
from extensions import db
from models import AuditEvent

EVENT_TITLES = {
    "created": "Request started",
    "submit": "Submitted",
    "resubmit": "Resubmitted",
    "recommend": "Recommended by the chief officer",
    "approve": "Approved by the PCC",
    "consent": "Home Secretary consent recorded",
    "align": "IPAB confirmed alignment with UK international objectives",
    "decline": "Declined",
    "return_for_information": "Returned for more information",
    "withdraw": "Withdrawn",
    "deploy": "Deployment started",
    "close": "Closed",
    "variation_created": "Variation started",
    "variation_started": "Variation started",
    "variation_applied": "Variation approved and applied",
    "document_uploaded": "Document added",
    "document_deleted": "Document deleted",
    "query_asked": "Question asked of the submitter",
    "query_answered": "Question answered",
    "note_added": "Case note added",
}


def event_title(event):
    if event.event.startswith("edited:"):
        return "Answers changed: " + event.event.split(":", 1)[1].replace("_", " ")
    if event.event == "submit" and event.to_state == "not_required":
        return "Recorded as not needing section 26 authorisation"
    return EVENT_TITLES.get(event.event, event.event.replace("_", " ").capitalize())


def timeline(request):
    """Audit events, newest first, each with a readable title and the gate it concerned."""
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.request_id == request.id).order_by(AuditEvent.seq.desc())
    ).all()
    return [
        {"event": event, "title": event_title(event), "gate": GATE_BY_STATE.get(event.from_state)} for event in events
    ]
