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

from approvals import audit, cost_recovery, drafts, human_rights, material, notifications, policy
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
from approvals.gates import GATE_BY_STATE, GATE_STATES, HOME_OFFICE_GATE
from approvals.human_rights import Refusal
from approvals.machine import BEFORE_APPROVAL, EDITABLE_STATES, STATES, machine, mermaid, state_phrase  # noqa: F401
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
    if source == "returned":
        request.returned_from = request.returned_material = None
    request.updated_at = utcnow()
    row = audit.append(request, actor, event.event.name, source, dest, event.kwargs.get("reasons"))
    notifications.queue_transition(
        request, event.event.name, source, dest, event.kwargs.get("reasons"), row.seq, actor=actor
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
        if (message := cost_recovery.shortfall_refusal(position, data.cost_waiver_reason)) is not None:
            found.append(Refusal("cost_shortfall", message))
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
        gate = GATE_BY_STATE[request.state]
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
        # Decision reasons can carry sensitive detail; the audit chain records that a decision was made, and the
        # decision row holds the reasons.
        _fire(request, trigger, actor, reasons=None if data.outcome == "positive" else decision.reasons)
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
