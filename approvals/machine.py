"""The section 26 state machine's definition, and every table that speaks about its states and events.

One class-level `transitions.Machine` (model=None, auto_transitions=False) is built here, once. This module
only describes the graph: the states, their labels, the wording of each event, the transitions and their
conditions. `approvals.workflow` is the only code that fires a trigger (and attaches what happens after every
state change); `approvals.policy` reads the graph to answer which actions a request's state allows.
"""

from types import SimpleNamespace
from typing import NamedTuple

from transitions import Machine

from approvals import material, ministerial, route
from approvals.gates import GATE_STATES, GATES, HOME_OFFICE_GATE, IPAB_GATE, PCC_GATE
from models.types import utcnow

STATES = [
    "draft",
    *GATE_STATES,
    "approved",
    "deployed",
    "closed",
    "returned",
    "declined",
    "withdrawn",
    "not_required",
]
BEFORE_APPROVAL = ["draft", "returned", *GATE_STATES]
# The states in which the force's lead may change the answers (and the money lines).
EDITABLE_STATES = ("draft", "returned")
FINAL_STATES = ("closed", "declined", "withdrawn", "not_required")
# The states in which an approval is in force, so the request can be varied.
VARIABLE_STATES = ("approved", "deployed")
# Authorised under section 26 (published in the transparency list), and every request that may go ahead:
# the authorised and those that need no section 26 authorisation (counted in FOI figures).
AUTHORISED_STATES = ("approved", "deployed", "closed")
DEPLOYABLE_STATES = (*AUTHORISED_STATES, "not_required")


class StateText(NamedTuple):
    label: str  # the tag and list text
    tag: str  # the GOV.UK tag colour
    phrase: str  # how a sentence says it: "This request is <phrase>"


STATE_TEXT = {
    "draft": StateText("Draft", "govuk-tag--grey", "a draft"),
    "awaiting_chief_officer": StateText(
        "Awaiting chief officer", "govuk-tag--blue", "awaiting chief officer recommendation"
    ),
    "awaiting_pcc": StateText("Awaiting PCC", "govuk-tag--blue", "awaiting PCC approval"),
    "awaiting_home_secretary": StateText(
        "Awaiting Home Secretary", "govuk-tag--blue", "awaiting Home Secretary consent"
    ),
    "awaiting_ipab": StateText("Awaiting IPAB", "govuk-tag--blue", "awaiting IPAB alignment"),
    "approved": StateText("Approved", "govuk-tag--green", "approved"),
    "deployed": StateText("Deployed", "govuk-tag--turquoise", "deployed"),
    "closed": StateText("Closed", "govuk-tag--grey", "closed"),
    "returned": StateText("Returned for information", "govuk-tag--yellow", "returned for more information"),
    "declined": StateText("Declined", "govuk-tag--red", "declined"),
    "withdrawn": StateText("Withdrawn", "govuk-tag--grey", "withdrawn"),
    "not_required": StateText(
        "Section 26 not required", "govuk-tag--purple", "recorded as not needing section 26 authorisation"
    ),
}


class EventWording(NamedTuple):
    title: str  # the timeline's line
    subject: str | None  # the end of the email subject telling the submitter and chief officers; None: no email


# How each event reads. "not_required" is the submission that found section 26 does not apply.
EVENT_WORDING = {
    "created": EventWording("Request started", None),
    "submit": EventWording("Submitted", None),
    "resubmit": EventWording("Resubmitted", None),
    "not_required": EventWording(
        "Recorded as not needing section 26 authorisation",
        "recorded as not needing section 26 authorisation",
    ),
    "recommend": EventWording("Recommended by the chief officer", "recommended by the chief officer"),
    "approve": EventWording("Approved by the PCC", "approved by the PCC"),
    "consent": EventWording("Home Secretary consent recorded", "Home Secretary consent recorded"),
    "align": EventWording(
        "IPAB confirmed alignment with UK international objectives", "approved: IPAB confirmed alignment"
    ),
    "decline": EventWording("Declined", "declined"),
    "return_for_information": EventWording("Returned for more information", "returned for more information"),
    "withdraw": EventWording("Withdrawn", "withdrawn"),
    "deploy": EventWording("Deployment started", "deployment started"),
    "close": EventWording("Closed", "closed"),
    "part_recommend": EventWording("A contributing force's chief officer recommended its part", None),
    "part_approve": EventWording("A contributing force's PCC approved its part", None),
    "approve_held": EventWording("Approved by the PCC: waiting for the contributing forces' parts", None),
    "call_in": EventWording(
        "Called in by the Home Office: individual consent required",
        "called in by the Home Office: individual Home Secretary consent is required",
    ),
    "variation_created": EventWording("Variation started", None),
    "variation_started": EventWording("Variation started", None),
    "variation_applied": EventWording("Variation approved and applied", None),
    "document_uploaded": EventWording("Document added", None),
    "document_deleted": EventWording("Document deleted", None),
    "query_asked": EventWording("Question asked of the submitter", None),
    "query_answered": EventWording("Question answered", None),
    "note_added": EventWording("Case note added", None),
    "authority_letter_issued": EventWording("Authority letter issued", None),
    "delegation_used": EventWording("Decided under delegation", None),
    "marked_contentious": EventWording("Marked contentious", None),
    "referred_to_ministers": EventWording("Referred to ministers", None),
    "ministerial_decision_recorded": EventWording("Ministerial decision recorded", None),
    "escalated": EventWording("Escalated: overdue at its gate", None),
    "osja_updated": EventWording("OSJA assessment updated", None),
    "osja_review_continue": EventWording("Review of the work: it continues", None),
    "osja_review_stop": EventWording("Review of the work: it is stopped early", None),
    "person_added": EventWording("A person named", None),
    "person_changed": EventWording("A named person's details changed", None),
    "person_removed": EventWording("A named person removed", None),
}


def state_label(state):
    return STATE_TEXT[state].label if state in STATE_TEXT else state


def state_phrase(state):
    return STATE_TEXT[state].phrase if state in STATE_TEXT else state.replace("_", " ")


# --- Conditions and callbacks used by the machine -----------------------------------------------


def uk_investigation(event):
    return bool(event.model.uk_investigation)


def material_change(event):
    return material.is_material(event.model.returned_material, material.snapshot(event.model))


def _returned_from(state):
    def condition(event):
        return event.model.returned_from == state

    condition.__name__ = f"returned_by_{state}"
    return condition


def covered_by_general_authorisation(event):
    """The request names a general authorisation that still covers it (not revoked, in force, in scope, not called
    in), read afresh under the row lock: it needs no individual Home Secretary consent."""
    return route.covering_authorisation(event.model, lock=True) is not None


def contributing_parts_approved(event):
    """Every contributing force's own chief officer and PCC have approved its people's part (issue 23): the
    parallel parts join here, before the request leaves the lead PCC's gate."""
    return route.parts_approved(event.model)


def on_general_authorisation(event):
    """The PCC approved the request under a general authorisation: the Home Office may still call it in."""
    return event.model.consent_basis == route.GENERAL_AUTHORISATION


def not_a_variation(event):
    return not event.model.is_variation


def remember_return(event):
    request = event.model
    request.returned_from = event.transition.source
    request.returned_material = material.snapshot(request)


def start_new_round(event):
    """A material change voids the approval round: every standing decision (positive or return) is superseded,
    so the restarted round is decided afresh, and separation of duties counts from here."""
    now = utcnow()
    for decision in event.model.decisions:
        if not decision.superseded:
            decision.superseded, decision.superseded_at = True, now
    # The conditions those decisions attached fall with them.
    for condition in event.model.conditions:
        if not condition.superseded:
            condition.superseded_at = now
    route.open_parts(event.model)


machine = Machine(
    model=None,
    states=STATES,
    initial=None,
    model_attribute="state",
    auto_transitions=False,
    send_event=True,
)
# Order matters where a trigger has several rows: the first whose conditions hold wins.
machine.add_transition("submit", "draft", "not_required", conditions=[uk_investigation])
machine.add_transition("submit", "draft", "awaiting_chief_officer")
machine.add_transition("resubmit", "returned", "not_required", conditions=[uk_investigation])
machine.add_transition(
    "resubmit",
    "returned",
    "awaiting_chief_officer",
    conditions=[material_change],
    before=[start_new_round],
)
for _gate in GATES:
    machine.add_transition("resubmit", "returned", _gate.state, conditions=[_returned_from(_gate.state)])
# Section 26(3): consent, or a general authorisation. A PCC approval that a general authorisation covers goes
# straight to IPAB (this row comes before the gate-to-gate rows, so it wins when its condition holds); a call-in
# sends it back to the Home Office gate for individual consent.
machine.add_transition(
    PCC_GATE.trigger,
    PCC_GATE.state,
    IPAB_GATE.state,
    # A request on the ministerial route needs the ministers' decision at the Home Office gate (issue 17).
    conditions=[contributing_parts_approved, covered_by_general_authorisation, ministerial.not_for_ministers],
)
machine.add_transition("call_in", IPAB_GATE.state, HOME_OFFICE_GATE.state, conditions=[on_general_authorisation])
for _gate, _next in zip(GATES, [*GATE_STATES[1:], "approved"], strict=True):
    # The lead PCC's approval waits for every contributing force's part (parallel approvals joined by a condition).
    # The ministerial route: a referred, contentious, costly or high-risk request passes the Home Office gate
    # only with a minister's decision recorded there (approvals.ministerial).
    _conditions = {
        PCC_GATE.state: [contributing_parts_approved],
        HOME_OFFICE_GATE.state: [ministerial.ministers_decided_when_required],
    }.get(_gate.state, [])
    machine.add_transition(_gate.trigger, _gate.state, _next, conditions=_conditions)
machine.add_transition("decline", list(GATE_STATES), "declined")
machine.add_transition("return_for_information", list(GATE_STATES), "returned", before=[remember_return])
machine.add_transition("withdraw", BEFORE_APPROVAL, "withdrawn")
machine.add_transition("deploy", "approved", "deployed", conditions=[not_a_variation])
machine.add_transition("close", "deployed", "closed")


def can_fire(request, trigger):
    """Whether `trigger` would move `request` from its present state: a transition leaves that state and
    its conditions hold. Reads the machine's own table, so nothing else repeats which states allow what."""
    event_data = SimpleNamespace(model=request)
    for transition in machine.events[trigger].transitions.get(request.state, ()):
        if all(not callable(c.func) or c.func(event_data) == c.target for c in transition.conditions):
            return True
    return False


def mermaid():
    """The state diagram as Mermaid text, generated from the machine's own definition."""
    lines = ["stateDiagram-v2", "    [*] --> draft"]
    for name, event in machine.events.items():
        for source, transitions in event.transitions.items():
            for transition in transitions:
                guard = ", ".join(c.func.__name__ for c in transition.conditions if callable(c.func))
                label = f"{name} [{guard}]" if guard else name
                lines.append(f"    {source} --> {transition.dest}: {label}")
    lines += [f"    {end} --> [*]" for end in FINAL_STATES]
    return "\n".join(lines)
