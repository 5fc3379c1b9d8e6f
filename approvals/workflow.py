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

from approvals import (
    audit,
    cost_recovery,
    delegation,
    drafts,
    human_rights,
    material,
    ministerial,
    notifications,
    osja,
    people,
    policy,
    records,
    route,
)
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
from approvals.gates import GATE_BY_STATE, GATE_STATES, PCC_GATE, WAIVING_GATE
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
from approvals.validation import conditions_error
from extensions import db
from models import AssistanceRequest, Condition, ContributingForce, CostLine, FundingSource, GateDecision
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
        request.last_reminded_on = request.escalated_on = None
    else:
        request.gate_entered_at = request.gate_due_on = request.escalated_on = None
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
        request,
        event.event.name,
        source,
        dest,
        event.kwargs.get("reasons"),
        row.seq,
        note,
        event.kwargs.get("decided_by"),
        actor=actor,
    )
    if dest == "awaiting_chief_officer":  # every contributing part (re)starts at its own chief officer
        for part in request.contributing_forces:
            notifications.queue_part_action(request, part, row.seq)
    if dest == "approved" and request.is_variation:
        _apply_variation(request, actor)
    if dest == "approved":
        from approvals import letters  # here, not at the top: letters builds on this module

        # Built once, here, in the approval's own transaction: the letter and the approval commit together.
        letters.issue(request.variation_of if request.is_variation else request, actor, variation=request)


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

        missing = drafts.submit_refusals(request)
        missing += documents.missing_for_submit(request)
        missing += people.count_refusals(request)
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


def standing_conditions(request):
    """The conditions attached to the approval that still stand, in the order they were set."""
    return [c for c in request.conditions if not c.superseded]


def deploy_refusals(request, day, reason, conditions_briefed):
    """Every rule the deployment's start refuses, each named (the check-your-answers page asks first)."""
    problems = records.start_refusals(request, day, reason)
    if standing_conditions(request) and conditions_briefed is not True:
        message = "Confirm the conditions have been briefed to the officers and staff deploying"
        problems.append(Refusal("conditions_briefed", message))
    return problems


def close_refusals(request, actual_cost_pence, recovered_pence, day, reason, reports):
    """Every rule the close-out refuses, each named (the check-your-answers page asks first)."""
    problems = records.money_refusals(request, actual_cost_pence, recovered_pence, reason)
    problems += records.end_refusals(request, request.deployed_on, day, reason)
    if (problem := records.reason_problem(reason)) is not None:
        problems.append(problem)
    return problems + records.condition_refusals(standing_conditions(request), reports)


def deploy(
    request_id, actor, deployed_on=None, expected_version=None, *, reason="", conditions_briefed=False
):
    """Record that an approved deployment has started: on `deployed_on` (by default the approved start date). A
    date outside the approved dates needs a reason; standing conditions must have been briefed."""
    reason = records.clean_reason(reason)
    with atomic():
        request = lock(request_id, expected_version, policy.check(actor, policy.DEPLOY))
        day = deployed_on or request.start_date or date.today()
        problems = deploy_refusals(request, day, reason, conditions_briefed)
        if problems:
            raise Refused(problems)
        standing = standing_conditions(request)
        request.deployed_on = day
        request.deployment_dates_reason = reason if records.outside_approved_dates(request, day) else None
        request.conditions_briefed_at = utcnow() if standing else None
        _fire(request, "deploy", actor, reasons=request.deployment_dates_reason)
    return request


def close(
    request_id,
    actor,
    actual_cost_pence,
    recovered_pence,
    expected_version=None,
    *,
    ended_on=None,
    reason="",
    conditions=(),
):
    """Close out a deployment: the day it ended (by default the approved end date), its actual cost and what was
    recovered, and whether each standing condition was met. An end date outside the approved dates, or a cost
    above the approved full cost, needs a reason; recovered can never exceed the actual cost."""
    reason = records.clean_reason(reason)
    reports = [
        records.ConditionReport(r.id, r.met, records.clean_reason(r.note)) for r in conditions
    ]
    with atomic():
        request = lock(request_id, expected_version, policy.check(actor, policy.CLOSE))
        day = ended_on or request.end_date or date.today()
        problems = close_refusals(request, actual_cost_pence, recovered_pence, day, reason, reports)
        if problems:
            raise Refused(problems)
        standing = standing_conditions(request)
        now = utcnow()
        by_id = {report.id: report for report in reports}
        for condition in standing:
            report = by_id[condition.id]
            condition.met, condition.note = report.met, report.note or None
            condition.reported_at, condition.reported_by_id = now, actor.id
        needs_reason = records.outside_approved_dates(request, day) or actual_cost_pence > (
            records.approved_full_cost(request)
        )
        request.actual_cost_pence, request.recovered_pence, request.closed_at = (
            actual_cost_pence,
            recovered_pence,
            now,
        )
        request.deployment_ended_on = day
        request.close_out_reason = reason if needs_reason else None
        unmet = sum(1 for c in standing if c.met is False)
        summary = f"{unmet} of {len(standing)} conditions not met" if standing else None
        _fire(request, "close", actor, reasons="; ".join(filter(None, [request.close_out_reason, summary])) or None)
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
    # Deprecated (issue 17): accepted and ignored for one release; the ministerial decision replaces it.
    ministerial_attention_acknowledged: bool = False
    # The ministerial route (approvals.ministerial).
    refer_to_ministers: bool = False
    referral_reason: str = ""
    ministerial_decision: ministerial.MinisterialDecision | None = None
    # Any gate may mark the request contentious (political or reputational sensitivity).
    contentious: bool = False
    contentious_reason: str = ""
    # Conditions attached to a positive decision, one per item (the web form takes them one per line).
    conditions: list = field(default_factory=list)
    # The decider's answer to the OSJA assessment's rating: "agree", or "own" (their rating in hr.residual, with
    # reasons in hr_lowering_reason); None for a body that still sends a whole assessment. See osja.deciders_rating.
    hr_agreement: str | None = None


def current_decisions(request):
    """Decisions still standing (not superseded), oldest first."""
    return [d for d in request.decisions if not d.superseded]


def previous_residual(request):
    return osja.standing_residual(request)


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
    data, _agreed, found = osja.deciders_rating(request, data)
    if data.outcome not in ("positive", "decline", "return"):
        found.append(Refusal("outcome", "Select a decision"))
    if data.outcome in ("decline", "return") and not (data.reasons or "").strip():
        found.append(
            Refusal(
                "reasons_required",
                "Give reasons" if data.outcome == "decline" else "List the questions for the submitter",
            )
        )
    if data.conditions and not positive:
        found.append(Refusal("conditions", "Conditions can only be attached to a positive decision"))
    elif (message := conditions_error(data.conditions)) is not None:
        found.append(Refusal("conditions", message))
    if not data.ethics_confirmed:
        found.append(Refusal("ethics_attestation", "Confirm the decision has considered the Code of Ethics"))
    found += [Refusal(key, message) for key, message in human_rights.validate(data.hr).items()]
    found += human_rights.refusals(data.hr, previous_residual(request), data.hr_lowering_reason, positive)
    found += ministerial.route_refusals(request, gate, data)
    if data.contentious and not (data.contentious_reason or "").strip():
        found.append(Refusal("contentious_reason", "Give the reason the request is contentious"))
    if positive:
        position = cost_recovery.position(request.cost_lines, request.funding)
        found += _cost_waiver_refusals(request, gate, position, data.cost_waiver_reason)
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


def _record_who_and_ministers(request, actor, lent, decision, data, decided_by):
    """Issue 17's audit events after a decision: a delegation used (who decided, on whose behalf), a request marked
    contentious, a referral to ministers, a ministerial decision recorded."""
    if lent is not None:
        audit.append(request, actor, "delegation_used", request.state, request.state, decided_by)
        delegation.record_use(request, actor, lent)
    if data.contentious:
        audit.append(request, actor, "marked_contentious", request.state, request.state)
    if decision.refer_to_ministers:
        audit.append(request, actor, "referred_to_ministers", request.state, request.state)
    if decision.ministerial_decision:
        audit.append(request, actor, "ministerial_decision_recorded", request.state, request.state)


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
        data, agreed, _ = osja.deciders_rating(request, data)
        position = cost_recovery.position(request.cost_lines, request.funding)
        # Under a delegation the decision is the delegate's (separation of duties counts the real person) on
        # the office holder's behalf.
        lent = policy.delegation_used(actor, request)
        positive = data.outcome == "positive"
        referring = positive and data.refer_to_ministers
        if data.contentious:
            request.contentious, request.contentious_reason = True, data.contentious_reason.strip()
        decision = GateDecision(
            gate=gate.state,
            actor_id=actor.id,
            on_behalf_of_id=lent.delegator_id if lent is not None else None,
            delegation_id=lent.id if lent is not None else None,
            refer_to_ministers=bool(positive and data.refer_to_ministers),
            referral_reason=((data.referral_reason or "").strip() or None) if referring else None,
            ministerial_decision=(
                data.ministerial_decision.as_json() if positive and data.ministerial_decision is not None else None
            ),
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
            hr_agreed=agreed,
            hr_rating_reasons=(data.hr_lowering_reason or "").strip() or None,
            osja_version=osja.current_number(request) or None,
            ministerial_attention=human_rights.needs_ministerial_attention(data.hr.residual),
            # The deprecated acknowledgement is accepted and ignored (issue 17).
            ministerial_attention_acknowledged=False,
            ethics_confirmed=True,
            ethics_notes=(data.ethics_notes or "").strip() or None,
            seen_material=material.snapshot(request),
        )
        request.decisions.append(decision)
        if data.outcome == "positive":
            for text in data.conditions:
                request.conditions.append(
                    Condition(decision=decision, gate=gate.state, set_by_id=actor.id, set_at=utcnow(), text=text)
                )
        trigger = {"positive": gate.trigger, "decline": "decline", "return": "return_for_information"}[data.outcome]
        decided_by = delegation.on_behalf_phrase(actor, lent.delegator, gate.state) if lent is not None else None
        if trigger == PCC_GATE.trigger and not route.parts_approved(request):
            # The lead PCC has approved; the request leaves this gate when every contributing part is approved too.
            request.updated_at = utcnow()
            waiting = ", ".join(p.force.name for p in request.contributing_forces if p.state != "approved")
            audit.append(request, actor, "approve_held", request.state, request.state, f"Waiting for: {waiting}")
            _record_who_and_ministers(request, actor, lent, decision, data, decided_by)
            return decision
        # Decision reasons can carry sensitive detail; the audit chain records that a decision was made, and the
        # decision row holds the reasons.
        _fire(
            request,
            trigger,
            actor,
            reasons=None if data.outcome == "positive" else decision.reasons,
            decided_by=decided_by,
        )
        _record_who_and_ministers(request, actor, lent, decision, data, decided_by)
    return decision


def _decide_part(request, part, gate, actor, data):
    """A contributing force's chief officer or PCC decides its own people's part. A positive decision moves the part
    on; the last part's approval, once the lead PCC has approved, moves the request on. A decline returns the request
    to the lead with that part marked declined; a return asks the lead's questions."""
    data, agreed, found = osja.deciders_rating(request, data)
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
        hr_agreed=agreed,
        hr_rating_reasons=(data.hr_lowering_reason or "").strip() or None,
        osja_version=osja.current_number(request) or None,
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
        row = audit.append(request, actor, event, request.state, request.state, name)
        notifications.queue_part_action(request, part, row.seq)
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
    # A variation carries the contributing forces; each decides its part again, and an approved variation's parts
    # stand approved on the request it varies.
    target.contributing_forces = [
        ContributingForce(
            force=p.force, officers=p.officers, staff=p.staff, state=None if target.state == "draft" else p.state
        )
        for p in source.contributing_forces
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
        osja.copy_assessment(parent, variation, actor)
        people.copy_people(parent, variation)
        audit.append(parent, actor, "variation_started", parent.state, parent.state, variation.reference)
    return variation


def _apply_variation(variation, actor):
    parent = variation.variation_of
    _copy_fields(variation, parent)
    # The variation's approval replaces the terms of the old one: its conditions stand in place of the old ones.
    now = utcnow()
    for condition in standing_conditions(parent):
        condition.superseded_at = now
    for condition in standing_conditions(variation):
        parent.conditions.append(
            Condition(
                decision_id=condition.decision_id,
                gate=condition.gate,
                set_by_id=condition.set_by_id,
                set_at=condition.set_at,
                text=condition.text,
            )
        )
    osja.copy_assessment(variation, parent, actor)
    people.copy_people(variation, parent)
    parent.updated_at = variation.variation_applied_at = utcnow()
    audit.append(parent, actor, "variation_applied", parent.state, parent.state, variation.reference)
