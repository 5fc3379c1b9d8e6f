"""Gate decisions: the decision page, and the list of what you have decided."""

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from approvals import access, cost_recovery, material, ministerial, osja, people, policy, route, workflow
from approvals.commands import Refused, WorkflowError
from approvals.decisions import confirmation
from approvals.decisions.forms import RULE_FIELDS, DecisionForm
from approvals.gates import GATE_BY_STATE, HOME_OFFICE_GATE
from approvals.human_rights import ETHICS_CODE_URL, RESIDUALS, Refusal
from approvals.machine import GATE_WORDING, outcome_choices, outcome_label
from approvals.security import role_required
from approvals.validation import condition_lines
from extensions import db
from models import CountryNote, GateDecision

bp = Blueprint("decisions", __name__)
DECIDERS = policy.roles_for(policy.DECIDE)


def _rating_choices(form, item):
    """The agreement names the rating standing; with none yet, the decider gives their own."""
    standing = workflow.previous_residual(item)
    form.hr_agreement.choices = (
        [("agree", f"I agree with the residual rating: {dict(RESIDUALS)[standing]}")] if standing else []
    ) + [("own", "I give my own rating")]


def _changes_since_last_seen(item, gate):
    """(the decision at which this person, or else this gate, last saw the request; what has changed since)."""
    seen = [d for d in item.decisions if d.seen_material is not None]
    mine = [d for d in seen if d.actor_id == current_user.id] or [d for d in seen if d.gate == gate.state]
    if not mine:
        return None, []
    last = mine[-1]
    return last, material.changes(last.seen_material, material.snapshot(item))


def decision_input(form, minister_decision=None):
    return workflow.DecisionInput(
        outcome=form.outcome.data,
        reasons=form.reasons.data or "",
        cost_waiver_reason=form.cost_waiver_reason.data or "",
        hr=form.assessment(),
        hr_lowering_reason=form.hr_lowering_reason.data or "",
        hr_agreement=form.hr_agreement.data or None,
        ethics_confirmed=bool(form.ethics_confirmed.data),
        ethics_notes=form.ethics_notes.data or "",
        conditions=condition_lines(form.conditions.data),
        refer_to_ministers=bool(form.refer_to_ministers.data),
        referral_reason=form.referral_reason.data or "",
        contentious=bool(form.contentious.data),
        contentious_reason=form.contentious_reason.data or "",
        ministerial_decision=minister_decision,
    )


def ministerial_decision_of(form):
    """The ministers' decision as the form gives it: (decision or None, field errors named as the API names them)."""
    if not form.record_ministerial_decision.data:
        return None, {}
    day = form.ministerial_decided_on.data
    return ministerial.parse_decision(
        {
            "minister": form.minister.data or "",
            "decided_on": day.isoformat() if day else None,
            "rationale": form.ministerial_rationale.data or "",
        }
    )


@bp.route("/requests/<int:request_id>/decide", methods=["GET", "POST"])
@role_required(*DECIDERS, allow=policy.decides_now)
def decide(request_id):
    """Record your gate's decision, with cost recovery, human rights and the Code of Ethics."""
    item = access.get_visible_or_404(current_user, request_id)
    form = DecisionForm()
    _rating_choices(form, item)
    refusal = policy.refusal(current_user, policy.DECIDE, item)
    if refusal is not None and (refusal.status != 409 or not form.is_submitted()):
        raise refusal  # 404 unseen, 403 not a decider of this request, 409 (a page asked for) not at your gate
    part_gate = policy.part_gate(current_user, item)  # a contributing force deciding its own part (issue 23)
    if refusal is not None and not policy.decider_gates(current_user, item):
        raise refusal
    gate = part_gate or (GATE_BY_STATE[item.state] if refusal is None else policy.decider_gates(current_user, item)[0])
    form.outcome.choices = outcome_choices(gate.state)  # each gate's own verb: Recommend, Approve, Consent, ...
    status = 200
    if refusal is not None:
        # A decision made on a page the request has since moved on from: say so, the answers kept.
        form.form_errors.append(refusal.message)
        status = refusal.status
    elif form.validate_on_submit():
        minister_decision, minister_errors = ministerial_decision_of(form)
        try:
            if minister_errors:
                raise Refused([Refusal(rule, message) for rule, message in minister_errors.items()])
            workflow.decide(
                item.id, current_user, decision_input(form, minister_decision), expected_version=form.expected_version()
            )
        except WorkflowError as error:
            if error.status in (403, 404):
                raise
            for rule in error.refusals:
                field = RULE_FIELDS.get(rule.rule)
                (getattr(form, field).errors if field else form.form_errors).append(rule.message)
            if not error.refusals:  # lost to another decision or a change of state
                form.form_errors.append(error.message)
                status = error.status
        else:
            return redirect(url_for("decisions.recorded", request_id=item.id))
        item = access.get_visible_or_404(current_user, request_id)
    elif not form.is_submitted():
        form.version.data = item.version
    if gate.cost_waiver == "recommend":
        form.cost_waiver_reason.label.text = "Reasons for recommending that the PCC waive cost recovery"
        form.cost_waiver_reason.description = (
            "Required for a positive recommendation while committed funding does not cover the full cost. "
            "The PCC decides whether to waive."
        )
    position = cost_recovery.position(item.cost_lines, item.funding)
    notes = db.session.scalars(select(CountryNote).where(CountryNote.country_code == item.destination)).all()
    seen, changed = _changes_since_last_seen(item, gate)
    osja_seen, osja_changed = osja.since_last_seen(item, current_user)
    osja_version = osja.current(item)
    # A contributing force's deciders read the request, not the lead force's named people (personal data).
    deployed = people.read(current_user, item, "decision_page") if policy.may_read_people(current_user, item) else None
    osja.mark_seen(item, current_user)
    return render_template(
        "decisions/decide.html",
        last_seen=seen,
        changed=changed,
        osja_content=osja.content_of(item, prefill=False),
        osja_version=osja_version,
        osja_seen=osja_seen,
        osja_changed=osja_changed,
        deployed=deployed,
        item=item,
        gate=gate,
        form=form,
        position=position,
        country_notes=notes,
        decisions=workflow.current_decisions(item),
        superseded=[d for d in item.decisions if d.superseded],
        previous_residual=workflow.previous_residual(item),
        referral_reasons=ministerial.referral_reasons(item),
        needs_ministers=gate is HOME_OFFICE_GATE and ministerial.needs_ministerial_decision(item),
        gate_wording=GATE_WORDING[gate.state],
        is_home_office=gate is HOME_OFFICE_GATE,
        may_refer=ministerial.may_refer(gate) and not part_gate,
        on_behalf_of=policy.delegation_used(current_user, item),
        ethics_code_url=ETHICS_CODE_URL,
        pcc_waiver=workflow.standing_pcc_waiver(item),
        part=route.part_of(item, current_user.force_id) if part_gate else None,
    ), status


@bp.route("/requests/<int:request_id>/decision-recorded")
@role_required(*DECIDERS, allow=policy.decides_now)
def recorded(request_id):
    """Your decision is recorded: the reference, the outcome and what happens next."""
    item = access.get_visible_or_404(current_user, request_id)
    decision = db.session.scalars(
        select(GateDecision)
        .where(GateDecision.request_id == item.id, GateDecision.actor_id == current_user.id)
        .order_by(GateDecision.decided_at.desc(), GateDecision.id.desc())
    ).first()
    if decision is None:
        abort(404)
    return render_template(
        "decisions/recorded.html",
        item=item,
        decision=decision,
        outcome=outcome_label(decision.gate, decision.outcome),
        next_steps=confirmation.next_steps(item),
    )


@bp.route("/decided")
@role_required(*DECIDERS, allow=policy.decides_now)
def decided():
    """Decisions you have recorded, newest first."""
    rows = db.session.scalars(
        select(GateDecision)
        .where(GateDecision.actor_id == current_user.id)
        .order_by(GateDecision.decided_at.desc())
        .limit(current_app.config["S26_RECENT_LIMIT"])
    ).all()
    return render_template("decisions/decided.html", rows=rows)
