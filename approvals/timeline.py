"""The request's timeline, from its audit events, for the request page: newest first, each with a readable title,
and the edits made while drafting grouped ("14 changes while drafting") with the sections people know."""

from sqlalchemy import select

from approvals.drafts import SECTION_BY_KEY
from approvals.gates import GATE_BY_STATE
from approvals.machine import EDITABLE_STATES, EVENT_WORDING
from extensions import db
from models import AuditEvent
from models.reference_data import DELIVERY_WORDING

# Edits recorded under a name that is not a task-list section.
EDIT_NAMES = {
    "funding": "Costs and funding",
    "details": "Answers",
    "api": "Answers (through the API)",
    "contributing_forces": "Contributing forces",
}


def section_name(key):
    """A section as the task list names it: "UK police work and sensitivity", never "flags"."""
    if key in SECTION_BY_KEY:
        return SECTION_BY_KEY[key].title
    return EDIT_NAMES.get(key, key.replace("_", " ").capitalize())


def event_title(event):
    if event.event.startswith("corrected:"):
        from approvals.records import CORRECTABLE

        field = event.event.split(":", 1)[1]
        return "Corrected: " + (CORRECTABLE[field][0].lower() if field in CORRECTABLE else field.replace("_", " "))
    if event.event.startswith("edited:"):
        return "Answers changed: " + section_name(event.event.split(":", 1)[1])
    name = "not_required" if event.event == "submit" and event.to_state == "not_required" else event.event
    gate = GATE_BY_STATE.get(event.from_state)
    if name in ("decline", "return_for_information") and gate is not None:
        return f"{EVENT_WORDING[name].title} at {gate.title}"
    if name in EVENT_WORDING:
        return EVENT_WORDING[name].title
    return name.replace("_", " ").capitalize()


def _entry(event, request):
    # A deployment's start reads as its kind of assistance says (approvals.route: "Training started", ...).
    title = (
        DELIVERY_WORDING.get(request.assistance_kind, ("", event_title(event)))[1]
        if event.event == "deploy"
        else event_title(event)
    )
    return {"event": event, "title": title, "gate": GATE_BY_STATE.get(event.from_state), "group": None}


def timeline(request):
    """Audit events, newest first. A run of edits to a draft or a returned request is one entry: "14 changes
    while drafting" (or "... while answering the return"), with the sections changed and when, oldest to newest."""
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.request_id == request.id).order_by(AuditEvent.seq.desc())
    ).all()
    entries, run = [], []

    def close_run():
        if len(run) == 1:
            entries.append(_entry(run[0], request))
        elif run:
            newest, oldest = run[0], run[-1]
            sections = []
            for event in reversed(run):
                name = section_name(event.event.split(":", 1)[1])
                if name not in sections:
                    sections.append(name)
            stage = "while drafting" if newest.from_state == "draft" else "while answering the return"
            entries.append(
                {
                    "event": newest,
                    "title": f"{len(run)} changes {stage}",
                    "gate": None,
                    "group": {"sections": sections, "first": oldest.at, "last": newest.at},
                }
            )
        run.clear()

    for event in events:
        if event.event.startswith("edited:") and event.from_state in EDITABLE_STATES:
            if run and run[-1].actor_id != event.actor_id:
                close_run()
            run.append(event)
            continue
        close_run()
        entries.append(_entry(event, request))
    close_run()
    return entries
