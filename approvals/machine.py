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
# not_required is final unless a chief officer calls it in (require_approval).
FINAL_STATES = ("closed", "declined", "withdrawn", "not_required")
# The states in which an approval is in force, so the request can be varied.
VARIABLE_STATES = ("approved", "deployed")
# Submitted and not finished with: waiting at a gate, or returned to the force for information (a period's open
# requests in its return). The submitter can answer a decider's question in these (issue 16): at a gate, or
# returned (the question is still worth answering).
OPEN_STATES = (*GATE_STATES, "returned")
ANSWERABLE_STATES = OPEN_STATES
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
    "submit": EventWording("Submitted", "received"),
    "resubmit": EventWording("Resubmitted", "received again"),
    "not_required": EventWording(
        "Recorded as not needing section 26 authorisation",
        "recorded as not needing section 26 authorisation",
    ),
    "recommend": EventWording("Recommended by the chief officer", "recommended by the chief officer"),
    "approve": EventWording("Approved by the PCC", "approved by the PCC"),
    "consent": EventWording("Home Secretary consented", "given Home Secretary consent"),
    "align": EventWording(
        "IPAB confirmed alignment with UK international objectives: approved", "approved: IPAB confirmed alignment"
    ),
    "decline": EventWording("Declined", "declined"),
    "return_for_information": EventWording("Returned for more information", "returned for more information"),
    "withdraw": EventWording("Withdrawn", "withdrawn"),
    "deploy": EventWording("Deployment started", "deployment started"),
    "require_approval": EventWording(
        "Chief officer decided it needs section 26 approval: back to a draft", "needs section 26 approval"
    ),
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
    "osja_review_escalated": EventWording("Escalated: its OSJA review is overdue", None),
    "person_added": EventWording("A person named", None),
    "person_changed": EventWording("A named person's details changed", None),
    "person_removed": EventWording("A named person removed", None),
}


class GateWording(NamedTuple):
    verb: str  # the positive choice on the decision form, and its API label: "Recommend"
    done: str  # a positive decision in lists and on the confirmation page: "Recommended"
    waiting: str  # what the gate waits for, as a sentence says it: "chief officer recommendation"


# Each gate's own words for its positive decision, used everywhere (form, lists, timeline, emails, API labels):
# a chief officer recommends, the PCC approves, the Home Secretary consents, IPAB confirms alignment.
GATE_WORDING = {
    "awaiting_chief_officer": GateWording("Recommend", "Recommended", "chief officer recommendation"),
    "awaiting_pcc": GateWording("Approve", "Approved", "PCC approval"),
    "awaiting_home_secretary": GateWording("Consent", "Consented", "Home Secretary consent"),
    "awaiting_ipab": GateWording("Confirm alignment", "Alignment confirmed", "IPAB alignment"),
}
OTHER_OUTCOMES = {
    "return": ("Return for more information", "Returned for more information"),
    "decline": ("Decline", "Declined"),
}


def outcome_choices(gate_state):
    """The decision form's choices at a gate, in its own words."""
    return [
        ("positive", GATE_WORDING[gate_state].verb),
        ("return", OTHER_OUTCOMES["return"][0]),
        ("decline", OTHER_OUTCOMES["decline"][0]),
    ]


def outcome_label(gate_state, outcome):
    """A recorded decision as lists, the timeline and the API's `outcome_label` say it: "Recommended"."""
    if outcome == "positive":
        return GATE_WORDING[gate_state].done if gate_state in GATE_WORDING else "Positive"
    return OTHER_OUTCOMES[outcome][1] if outcome in OTHER_OUTCOMES else outcome


# How an inbox counts what waits: "1 awaiting PCC approval", "2 drafts to complete".
INBOX_TEXT = {
    **{
        state: (f"awaiting {wording.waiting}", f"awaiting {wording.waiting}") for state, wording in GATE_WORDING.items()
    },
    "draft": ("draft to complete", "drafts to complete"),
    "returned": ("returned for more information", "returned for more information"),
    "approved": ("approved: record the deployment", "approved: record the deployments"),
    "deployed": ("deployment past its end date: close it", "deployments past their end date: close them"),
}


def inbox_count(state, count):
    singular, plural = INBOX_TEXT.get(state, (state_phrase(state), state_phrase(state)))
    return f"{count} {singular if count == 1 else plural}"


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
# A chief officer decides travel recorded as UK police work needs section 26 approval after all: back to a draft.
machine.add_transition("require_approval", "not_required", "draft")


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


def transitions_table():
    """Every transition as (from, event, to, condition), in the machine's order: the diagram's text alternative."""
    rows = []
    for name, event in machine.events.items():
        for source, transitions in event.transitions.items():
            for transition in transitions:
                guard = ", ".join(c.func.__name__ for c in transition.conditions if callable(c.func))
                rows.append((source, name, transition.dest, guard))
    return rows


def condition_text(name):
    """A transition's condition as people read it (the help page's table)."""
    if name.startswith("returned_by_"):
        state = name.removeprefix("returned_by_")
        return f"it was returned at {GATE_WORDING[state].waiting}" if state in GATE_WORDING else name
    return {
        "uk_investigation": "the travel is connected with UK police work",
        "material_change": "a material answer changed",
        "not_a_variation": "it is not a variation",
    }.get(name, name.replace("_", " "))


def dot():
    """The state diagram as Graphviz DOT, generated from the machine: `make workflow-svg` draws it into
    static/workflow.svg (committed, so a server needs no Graphviz; a test checks it is drawn from this text)."""
    lines = [
        "digraph workflow {",
        '  graph [rankdir=TB, fontname="Arial", nodesep=0.35, ranksep=0.45, bgcolor="white"];',
        '  node [shape=box, style="rounded,filled", fillcolor="#f3f2f1", color="#0b0c0c", fontname="Arial", '
        "fontsize=13];",
        '  edge [fontname="Arial", fontsize=11, color="#505a5f"];',
        '  start [shape=circle, label="", width=0.2, fillcolor="#0b0c0c"];',
        "  start -> draft;",
    ]
    for state in STATES:
        colour = "#cce2d8" if state in AUTHORISED_STATES else "#f3f2f1"
        lines.append(f'  {state} [label="{state_label(state)}", fillcolor="{colour}"];')
    # One arrow per (from, to, event): the conditions of a resubmission are named in the text alternative.
    seen = set()
    for source, name, dest, _guard in transitions_table():
        if (source, dest, name) in seen:
            continue
        seen.add((source, dest, name))
        main = name in ("submit", "recommend", "approve", "consent", "align", "deploy", "close")
        style = ', color="#1d70b8", penwidth=2' if main and dest not in FINAL_STATES[1:] else ""
        weight = ", weight=4" if main else ", weight=1, constraint=false" if name == "resubmit" else ""
        lines.append(f'  {source} -> {dest} [label="{name.replace("_", " ")}"{style}{weight}];')
    lines.append("}")
    return "\n".join(lines)
