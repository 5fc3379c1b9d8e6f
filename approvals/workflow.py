"""The state changes of a request: the only code that fires the machine's triggers.

The machine's graph, its states and their wording are in `approvals.machine`; who may fire what is
`approvals.policy`. A request row is never added to the machine: `_fire` calls
`machine.events[trigger].trigger(request, ...)`, which reads and writes `request.state` directly.

Each public function below is one command (see `approvals.commands`): it locks the request row, checks
the version, asks the policy whether the actor may act in this state, fires the trigger, and commits the
state, the decision row, the audit event and the outbox emails together. Any refusal or error rolls
everything back.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays
from flask import current_app
from sqlalchemy import select
from transitions import MachineError

from approvals import audit, cost_recovery, drafts, human_rights, material, notifications, policy, route
from approvals.commands import (  # noqa: F401 - the refusals are part of the workflow's interface
    Conflict,
    Forbidden,
    NotFound,
    Refused,
    WorkflowError,
    WrongState,
    atomic,
    lock,
)
from approvals.gates import GATE_BY_STATE, GATE_STATES, HOME_OFFICE_GATE, PCC_GATE, WAIVING_GATE
from approvals.human_rights import Refusal
from approvals.machine import (  # noqa: F401
    BEFORE_APPROVAL,
    EDITABLE_STATES,
    STATES,
    can_fire,
    machine,
    mermaid,
    state_phrase,
)
from approvals.validation import money_error
from extensions import db
from models import AssistanceRequest, CostLine, FundingSource, GateDecision
from models.request import ANSWER_FIELDS
from models.types import utcnow


@lru_cache(maxsize=None)
def _bank_holidays(year):
    # Section 26 is for the police forces of England and Wales, which share their bank holidays.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start, days):
    """The date `days` working days after `start`, skipping weekends and England and Wales bank holidays."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current


def record_transition(event):
    """After every state change: deadline, audit event, emails, and applying an approved variation."""
    request, actor = event.model, event.kwargs.get("actor")
    source, dest = event.transition.source, event.transition.dest
    if dest in GATE_STATES:
        config = current_app.config
        days = config["S26_URGENT_GATE_DAYS"] if request.urgent else config["S26_NORMAL_GATE_DAYS"]
        request.gate_entered_at = utcnow()
        request.gate_due_on = add_working_days(date.today(), days)
        request.last_reminded_on = None
    else:
        request.gate_entered_at = request.gate_due_on = None
    if source in EDITABLE_STATES and request.submitted_at is None:
        request.submitted_at = utcnow()
    if source == "draft" and dest in GATE_STATES:
        route.open_parts(request)  # each contributing force's own approval starts beside the lead's
    if source == "returned":
        request.returned_from = request.returned_material = None
    request.updated_at = utcnow()
    # The route (approvals.route): how consent is given, and the sentence the timeline, audit and emails carry.
    route.settle_consent_basis(request, event.event.name, source, dest)
    note = route.transition_note(request, event.event.name, source, dest)
    reasons = event.kwargs.get("reasons")
    if note and event.event.name != "call_in":
        reasons = f"{reasons}\n{note}" if reasons else note
    row = audit.append(request, actor, event.event.name, source, dest, reasons)
    notifications.queue_transition(
        request, event.event.name, source, dest, event.kwargs.get("reasons"), row.seq, note, actor=actor
    )
    if dest == "approved" and request.is_variation:
        _apply_variation(request, actor)


# What happens after every state change; the machine itself (approvals.machine) only describes the graph.
machine.after_state_change = [record_transition]


# --- The atomic units ----------------------------------------------------------------------------


def _fire(request, trigger, actor, **kwargs):
    message = f"This request is {state_phrase(request.state)}: it cannot {trigger.replace('_', ' ')} now"
    try:
        fired = machine.events[trigger].trigger(request, actor=actor, **kwargs)
    except MachineError as error:
        raise WrongState(message) from error
    if not fired:
        raise WrongState(message)


def submit(request_id, actor, expected_version=None):
    """Submit a complete draft, or resubmit a returned request."""
    with atomic():
        request = lock(request_id, expected_version, policy.check(actor, policy.SUBMIT))
        from approvals import documents  # here, not at the top: documents builds on this module

        missing = drafts.incomplete_sections(request)
        missing = [Refusal("incomplete", f"Complete the section: {section.title}") for section in missing]
        missing += documents.missing_for_submit(request)
        missing += route.submit_refusals(request)
        missing += route.part_refusals(request)
        if missing:
            raise Refused(missing)
        _fire(request, "resubmit" if request.state == "returned" else "submit", actor)
    return request


def withdraw(request_id, actor, reason, expected_version=None):
    with atomic():
        request = lock(request_id, expected_version, policy.check(actor, policy.WITHDRAW))
        if not (reason or "").strip():
            raise Refused([Refusal("reason_required", "Enter why the request is withdrawn")])
        request.withdrawn_reason = reason.strip()
        _fire(request, "withdraw", actor, reasons=reason.strip())
    return request


def deploy(request_id, actor, deployed_on=None, expected_version=None):
    with atomic():
        request = lock(request_id, expected_version, policy.check(actor, policy.DEPLOY))
        request.deployed_on = deployed_on or date.today()
        _fire(request, "deploy", actor)
    return request


def close(request_id, actor, actual_cost_pence, recovered_pence, expected_version=None):
    """Close out a deployment with its actual cost and what was recovered."""
    with atomic():
        request = lock(request_id, expected_version, policy.check(actor, policy.CLOSE))
        problems = [
            Refusal(name, f"{label}: {message}")
            for name, label, value in (
                ("actual_cost", "Actual cost", actual_cost_pence),
                ("recovered", "Amount recovered", recovered_pence),
            )
            if (message := money_error(value))
        ]
        if not problems and recovered_pence > actual_cost_pence:
            problems.append(Refusal("recovered", "Amount recovered cannot be more than the actual cost"))
        if problems:
            raise Refused(problems)
        request.actual_cost_pence, request.recovered_pence, request.closed_at = (
            actual_cost_pence,
            recovered_pence,
            utcnow(),
        )
        _fire(request, "close", actor)
    return request


def require_approval(request_id, actor, reasons, expected_version=None):
    """A chief officer calls in travel recorded as UK police work ("Needs section 26 approval"): the request
    becomes a draft again, no longer marked as UK police work, so its lead sends it through every gate."""
    with atomic():
        request = lock(request_id, expected_version, policy.check(actor, policy.REQUIRE_APPROVAL))
        if not (reasons or "").strip():
            raise Refused([Refusal("reasons", "Enter why the request needs section 26 approval")])
        request.uk_investigation = False
        _fire(request, "require_approval", actor, reasons=reasons.strip())
    return request


def call_in(request_id, actor, reasons, expected_version=None):
    """The Home Office requires individual consent for a request on the general authorisation route, with reasons.
    Before the PCC approves, the request stays where it is and will go to the Home Office gate; after (waiting
    at IPAB), it goes back to the Home Office gate now."""
    with atomic():
        request = lock(request_id, expected_version, policy.check(actor, policy.CALL_IN))
        reasons = (reasons or "").strip()
        if not reasons:
            raise Refused([Refusal("reasons", "Enter why individual consent is required")])
        request.called_in_at, request.called_in_by_id, request.call_in_reasons = utcnow(), actor.id, reasons
        if can_fire(request, "call_in"):
            _fire(request, "call_in", actor, reasons=reasons)
        else:
            request.updated_at = utcnow()
            row = audit.append(request, actor, "call_in", request.state, request.state, reasons)
            note = route.transition_note(request, "call_in", request.state, request.state)
            notifications.queue_transition(request, "call_in", request.state, None, reasons, row.seq, note)
    return request


@dataclass
class DecisionInput:
    outcome: str  # positive | decline | return
    reasons: str = ""
    cost_waiver_reason: str = ""
    hr: human_rights.Assessment = field(default_factory=human_rights.Assessment)
    hr_lowering_reason: str = ""
    ethics_confirmed: bool = False
    ethics_notes: str = ""
    ministerial_attention_acknowledged: bool = False


def current_decisions(request):
    """Decisions still standing (not superseded), oldest first."""
    return [d for d in request.decisions if not d.superseded]


def previous_residual(request):
    standing = [d for d in current_decisions(request) if d.hr_residual]
    return standing[-1].hr_residual if standing else request.hr_residual


def ministerial_attention_flagged(request, data=None):
    """Whether a high residual risk has been flagged for ministers, by the submitter, an earlier gate or this one."""
    ratings = [request.hr_residual] + [d.hr_residual for d in current_decisions(request)]
    if data is not None:
        ratings.append(data.hr.residual)
    return any(human_rights.needs_ministerial_attention(r) for r in ratings)


def standing_pcc_waiver(request):
    """The PCC's waiver of cost recovery that stands for this approval round (its positive decision, not superseded,
    with reasons), or None."""
    for decision in reversed(current_decisions(request)):
        if (
            decision.part_force_id is None
            and decision.gate == WAIVING_GATE.state
            and decision.outcome == "positive"
            and decision.cost_waiver_reason
        ):
            return decision
    return None


def _cost_waiver_refusals(request, gate, position, waiver_reason):
    """The cost rule of a positive decision at `gate`: the chief officer recommends a waiver, the PCC records it,
    the national gates rely on the PCC's."""
    if gate.cost_waiver == "recommend":
        if (message := cost_recovery.recommendation_refusal(position, waiver_reason)) is not None:
            return [Refusal("cost_waiver_recommendation", message)]
    elif gate.cost_waiver == "record":
        if (message := cost_recovery.shortfall_refusal(position, waiver_reason)) is not None:
            return [Refusal("cost_shortfall", message)]
    elif (
        message := cost_recovery.not_yours_refusal(position, waiver_reason, standing_pcc_waiver(request) is not None)
    ) is not None:
        return [Refusal("cost_waiver_not_yours", message)]
    return []


def decision_refusals(request, gate, actor, data):
    """Every rule that refuses this decision, each named. Empty when the decision may be recorded."""
    positive = data.outcome == "positive"
    found = []
    if data.outcome not in ("positive", "decline", "return"):
        found.append(Refusal("outcome", "Select a decision"))
    if data.outcome in ("decline", "return") and not (data.reasons or "").strip():
        found.append(
            Refusal(
                "reasons_required",
                "Give reasons" if data.outcome == "decline" else "List the questions for the submitter",
            )
        )
    if not data.ethics_confirmed:
        found.append(Refusal("ethics_attestation", "Confirm the decision has considered the Code of Ethics"))
    found += [Refusal(key, message) for key, message in human_rights.validate(data.hr).items()]
    found += human_rights.refusals(data.hr, previous_residual(request), data.hr_lowering_reason, positive)
    if positive:
        position = cost_recovery.position(request.cost_lines, request.funding)
        found += _cost_waiver_refusals(request, gate, position, data.cost_waiver_reason)
        if (
            gate is HOME_OFFICE_GATE
            and ministerial_attention_flagged(request, data)
            and not data.ministerial_attention_acknowledged
        ):
            found.append(
                Refusal(
                    "ministerial_attention", "Acknowledge the high human-rights risk flagged for ministerial attention"
                )
            )
        missing = drafts.incomplete_sections(request)
        found += [Refusal("incomplete", f"The request is missing: {section.title}") for section in missing]
        from approvals import queries  # here, not at the top: queries builds on this module

        if queries.open_count(request):
            message = "A question to the submitter is still open: wait for the answer to decide positively"
            found.append(Refusal("open_query", message))
    if not current_app.config["S26_ALLOW_SAME_DECIDER"]:
        # One person decides at most one gate of the current approval round; a return counts as deciding there,
        # however many returns or other gates came between.
        elsewhere = {d.gate for d in current_decisions(request) if d.actor_id == actor.id and d.gate != gate.state}
        if elsewhere:
            found.append(
                Refusal(
                    "separation_of_duties",
                    "You have already decided this request at another gate: another person must decide at this one",
                )
            )
    return found


def decide(request_id, actor, data, expected_version=None):
    """Record the actor's decision at the request's current gate and move the request on."""
    with atomic():
        # The policy is asked before the version is compared, and judges the state before the gate's role: a
        # decider who lost a race is told the request moved on (409), never that they lack authority (403).
        request = lock(request_id, expected_version, policy.check(actor, policy.DECIDE))
        part_gate = policy.part_gate(actor, request)
        if part_gate is not None:  # a contributing force deciding its own people's part (issue 23)
            return _decide_part(request, route.part_of(request, actor.force_id), part_gate, actor, data)
        gate = GATE_BY_STATE[request.state]
        if gate is PCC_GATE and route.held_pcc_approval(request) is not None:
            raise WrongState("The PCC has approved this request: it waits for the contributing forces' parts")
        refusals = decision_refusals(request, gate, actor, data)
        if refusals:
            raise Refused(refusals)
        position = cost_recovery.position(request.cost_lines, request.funding)
        decision = GateDecision(
            gate=gate.state,
            actor_id=actor.id,
            outcome=data.outcome,
            reasons=(data.reasons or "").strip() or None,
            full_cost_pence=position.full_cost_pence,
            committed_pence=position.committed_pence,
            expected_pence=position.expected_pence,
            shortfall_pence=position.shortfall_pence,
            cost_waiver_reason=(data.cost_waiver_reason or "").strip() or None if data.outcome == "positive" else None,
            hr_risks=list(data.hr.risks),
            hr_likelihood=data.hr.likelihood,
            hr_mitigations=data.hr.mitigations or None,
            hr_residual=data.hr.residual,
            hr_lowering_reason=(data.hr_lowering_reason or "").strip() or None,
            ministerial_attention=human_rights.needs_ministerial_attention(data.hr.residual),
            ministerial_attention_acknowledged=bool(
                data.ministerial_attention_acknowledged and gate is HOME_OFFICE_GATE
            ),
            ethics_confirmed=True,
            ethics_notes=(data.ethics_notes or "").strip() or None,
            seen_material=material.snapshot(request),
        )
        request.decisions.append(decision)
        trigger = {"positive": gate.trigger, "decline": "decline", "return": "return_for_information"}[data.outcome]
        if trigger == PCC_GATE.trigger and not route.parts_approved(request):
            # The lead PCC has approved; the request leaves this gate when every contributing part is approved too.
            request.updated_at = utcnow()
            waiting = ", ".join(p.force.name for p in request.contributing_forces if p.state != "approved")
            audit.append(request, actor, "approve_held", request.state, request.state, f"Waiting for: {waiting}")
            return decision
        # Decision reasons can carry sensitive detail; the audit chain records that a decision was made, and the
        # decision row holds the reasons.
        _fire(request, trigger, actor, reasons=None if data.outcome == "positive" else decision.reasons)
    return decision


def _decide_part(request, part, gate, actor, data):
    """A contributing force's chief officer or PCC decides its own people's part. A positive decision moves the part
    on; the last part's approval, once the lead PCC has approved, moves the request on. A decline returns the request
    to the lead with that part marked declined; a return asks the lead's questions."""
    found = []
    if data.outcome not in ("positive", "decline", "return"):
        found.append(Refusal("outcome", "Select a decision"))
    if data.outcome in ("decline", "return") and not (data.reasons or "").strip():
        found.append(Refusal("reasons_required", "Give reasons"))
    if not data.ethics_confirmed:
        found.append(Refusal("ethics_attestation", "Confirm the decision has considered the Code of Ethics"))
    found += [Refusal(key, message) for key, message in human_rights.validate(data.hr).items()]
    if found:
        raise Refused(found)
    position = cost_recovery.position(request.cost_lines, request.funding)
    reasons = (data.reasons or "").strip() or None
    decision = GateDecision(
        gate=gate.state,
        part_force_id=part.force_id,
        actor_id=actor.id,
        outcome=data.outcome,
        reasons=reasons,
        full_cost_pence=position.full_cost_pence,
        committed_pence=position.committed_pence,
        expected_pence=position.expected_pence,
        shortfall_pence=position.shortfall_pence,
        hr_risks=list(data.hr.risks),
        hr_likelihood=data.hr.likelihood,
        hr_mitigations=data.hr.mitigations or None,
        hr_residual=data.hr.residual,
        ministerial_attention=human_rights.needs_ministerial_attention(data.hr.residual),
        ethics_confirmed=True,
        ethics_notes=(data.ethics_notes or "").strip() or None,
        seen_material=material.snapshot(request),
    )
    request.decisions.append(decision)
    name, now = part.force.name, utcnow()
    if data.outcome == "positive":
        part.state, part.decided_at = route.PART_NEXT[part.state], now
        request.updated_at = now
        event = "part_recommend" if part.state == "awaiting_pcc" else "part_approve"
        audit.append(request, actor, event, request.state, request.state, name)
        if route.parts_approved(request) and route.held_pcc_approval(request) is not None:
            joined = f"Every contributing force has approved its part ({name} last)"
            _fire(request, PCC_GATE.trigger, actor, reasons=joined)
    elif data.outcome == "decline":
        part.state, part.decided_at = "declined", now
        _fire(request, "return_for_information", actor, reasons=f"{name} declined its part: {reasons}")
    else:
        _fire(request, "return_for_information", actor, reasons=f"{name} asks: {reasons}")
    return decision


# --- Variations ----------------------------------------------------------------------------------


def _copy_fields(source, target):
    for name in ANSWER_FIELDS:
        setattr(target, name, getattr(source, name))
    target.cost_lines = [
        CostLine(category=c.category, amount_pence=c.amount_pence, description=c.description) for c in source.cost_lines
    ]
    target.funding = [
        FundingSource(source=f.source, amount_pence=f.amount_pence, committed=f.committed, description=f.description)
        for f in source.funding
    ]


def open_variation(request):
    return db.session.scalars(
        select(AssistanceRequest).where(
            AssistanceRequest.variation_of_id == request.id, AssistanceRequest.state.in_(BEFORE_APPROVAL)
        )
    ).first()


def start_variation(request_id, actor, expected_version=None):
    """Start a variation of an approved or deployed request: a draft copy that goes through every gate.
    The approved version stays in force until the variation is approved."""
    with atomic():
        parent = lock(request_id, expected_version, policy.check(actor, policy.VARY))
        if open_variation(parent) is not None:
            raise WrongState("This request already has a variation in progress")
        count = db.session.query(AssistanceRequest).filter_by(variation_of_id=parent.id).count()
        variation = AssistanceRequest(
            reference=f"{parent.reference}-V{count + 1}",
            force_id=parent.force_id,
            created_by_id=actor.id,
            variation_of_id=parent.id,
            state="draft",
        )
        _copy_fields(parent, variation)
        db.session.add(variation)
        audit.append(variation, actor, "variation_created", None, "draft")
        audit.append(parent, actor, "variation_started", parent.state, parent.state, variation.reference)
    return variation


def _apply_variation(variation, actor):
    parent = variation.variation_of
    _copy_fields(variation, parent)
    parent.updated_at = variation.variation_applied_at = utcnow()
    audit.append(parent, actor, "variation_applied", parent.state, parent.state, variation.reference)
