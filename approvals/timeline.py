"""The request's timeline, from its audit events, for the request page."""

from sqlalchemy import select

from approvals.gates import GATE_BY_STATE
from approvals.machine import EVENT_WORDING
from extensions import db
from models import AuditEvent


def event_title(event):
    if event.event.startswith("edited:"):
        return "Answers changed: " + event.event.split(":", 1)[1].replace("_", " ")
    name = "not_required" if event.event == "submit" and event.to_state == "not_required" else event.event
    gate = GATE_BY_STATE.get(event.from_state)
    if name in ("decline", "return_for_information") and gate is not None:
        return f"{EVENT_WORDING[name].title} at {gate.title}"
    if name in EVENT_WORDING:
        return EVENT_WORDING[name].title
    return name.replace("_", " ").capitalize()


def timeline(request):
    """Audit events, newest first, each with a readable title and the gate it concerned."""
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.request_id == request.id).order_by(AuditEvent.seq.desc())
    ).all()
    return [
        {"event": event, "title": event_title(event), "gate": GATE_BY_STATE.get(event.from_state)} for event in events
    ]
