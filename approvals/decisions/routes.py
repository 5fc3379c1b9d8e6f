"""Gate decisions: the decision page, and the list of what you have decided."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from approvals import access, cost_recovery, material, workflow
from approvals.decisions.forms import RULE_FIELDS, DecisionForm
from approvals.gates import GATE_BY_STATE, HOME_OFFICE_GATE
from approvals.security import role_required
from extensions import db
from models import CountryNote, GateDecision

bp = Blueprint("decisions", __name__)
DECIDERS = ("chief_officer", "pcc_office", "home_office", "ipab")


def _prefill(form, item):
    """Start from the latest standing assessment: each gate reviews the one before."""
    standing = [d for d in workflow.current_decisions(item) if d.hr_residual]
    source = standing[-1] if standing else item
    form.hr_risks.data = list(source.hr_risks or [])
    form.hr_likelihood.data = source.hr_likelihood
    form.hr_mitigations.data = source.hr_mitigations
    form.hr_residual.data = source.hr_residual


def _changes_since_last_seen(item, gate):
    """(the decision at which this person, or else this gate, last saw the request; what has changed since)."""
    seen = [d for d in item.decisions if d.seen_material is not None]
    mine = [d for d in seen if d.actor_id == current_user.id] or [d for d in seen if d.gate == gate.state]
    if not mine:
        return None, []
    last = mine[-1]
    return last, material.changes(last.seen_material, material.snapshot(item))


def decision_input(form):
    return workflow.DecisionInput(
        outcome=form.outcome.data,
        reasons=form.reasons.data or "",
        cost_waiver_reason=form.cost_waiver_reason.data or "",
        hr=form.assessment(),
        hr_lowering_reason=form.hr_lowering_reason.data or "",
        ethics_confirmed=bool(form.ethics_confirmed.data),
        ethics_notes=form.ethics_notes.data or "",
        ministerial_attention_acknowledged=bool(form.ministerial_attention_acknowledged.data),
    )


@bp.route("/requests/<int:request_id>/decide", methods=["GET", "POST"])
@role_required(*DECIDERS)
def decide(request_id):
    """Record your gate's decision, with cost recovery, human rights and the Code of Ethics."""
    item = access.get_visible_or_404(current_user, request_id)
    gate = GATE_BY_STATE.get(item.state)
    form = DecisionForm()
    if gate is None:
        stale = form.is_submitted() and form.version.data and form.version.data != str(item.version)
        flash(
            workflow.Conflict().message if stale else "This request is not waiting for a decision.",
            "error" if stale else "info",
        )
        return redirect(url_for("requests.show", request_id=item.id))
    if not current_user.acts_for_force(gate.role, item.force_id):
        abort(403)
    status = 200
    if form.validate_on_submit():
        try:
            workflow.decide(
                item.id, current_user, decision_input(form), expected_version=int(form.version.data or 0) or None
            )
        except workflow.Refused as error:
            db.session.rollback()
            for refusal in error.refusals:
                field = RULE_FIELDS.get(refusal.rule)
                (getattr(form, field).errors if field else form.form_errors).append(refusal.message)
        except workflow.Conflict as error:
            db.session.rollback()
            form.form_errors.append(error.message)
            status = 409
        except workflow.WrongState as error:
            db.session.rollback()
            flash(error.message)
            return redirect(url_for("requests.show", request_id=item.id))
        except workflow.Forbidden:
            db.session.rollback()
            abort(403)
        else:
            flash("Your decision has been recorded.")
            return redirect(url_for("main.home"))
        item = access.get_visible_or_404(current_user, request_id)
    elif not form.is_submitted():
        _prefill(form, item)
        form.version.data = item.version
    position = cost_recovery.position(item.cost_lines, item.funding)
    notes = db.session.scalars(select(CountryNote).where(CountryNote.country_code == item.destination)).all()
    seen, changed = _changes_since_last_seen(item, gate)
    return render_template(
        "decisions/decide.html",
        last_seen=seen,
        changed=changed,
        item=item,
        gate=gate,
        form=form,
        position=position,
        country_notes=notes,
        decisions=workflow.current_decisions(item),
        superseded=[d for d in item.decisions if d.superseded],
        previous_residual=workflow.previous_residual(item),
        ministerial=gate is HOME_OFFICE_GATE and workflow.ministerial_attention_flagged(item),
        is_home_office=gate is HOME_OFFICE_GATE,
    ), status


@bp.route("/decided")
@role_required(*DECIDERS)
def decided():
    """Decisions you have recorded, newest first."""
    rows = db.session.scalars(
        select(GateDecision)
        .where(GateDecision.actor_id == current_user.id)
        .order_by(GateDecision.decided_at.desc())
        .limit(200)
    ).all()
    return render_template("decisions/decided.html", rows=rows)
