"""Delegated authority: the delegations page (chief officers, PCC offices, admins), the away period, and the
admin list of delegations active now. Every change goes through the commands in approvals.delegation."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from approvals import delegation, policy
from approvals.commands import WorkflowError
from approvals.delegations.forms import AWAY_FIELDS, FIELDS, AwayForm, DelegationForm, RevokeForm
from approvals.security import role_required
from extensions import db
from models import Force

bp = Blueprint("delegations", __name__)
DELEGATORS = policy.delegating_roles()


def _force_choices(user):
    if user.has_role(policy.ADMIN_ROLE):
        forces = db.session.scalars(select(Force).order_by(Force.name)).all()
    else:
        forces = [user.force] if user.force is not None else []
    # A placeholder first: a required select must not open on a real choice (HTML: the Nu checker refuses it).
    return [("", "Select a force")] + [(force.slug, force.name) for force in forces]


def _show_refusals(form, error, fields):
    for rule in error.refusals:
        field = getattr(form, fields.get(rule.rule, rule.rule), None)
        (field.errors if field is not None else form.form_errors).append(rule.message)
    if not error.refusals:
        form.form_errors.append(error.message)


@bp.route("/delegations", methods=["GET", "POST"])
@role_required(*DELEGATORS)
def delegations():
    """Delegate your gate's authority for a period, and see and revoke delegations."""
    form = DelegationForm()
    form.force.choices = _force_choices(current_user)
    if len(form.force.choices) == 2 and not form.is_submitted():
        form.force.data = form.force.choices[1][0]
    status = 200
    if form.validate_on_submit():
        try:
            row = delegation.create(
                current_user,
                form.delegate_email.data,
                form.force.data,
                form.gate.data,
                form.starts_on.data,
                form.ends_on.data,
                form.reason.data,
            )
        except WorkflowError as error:
            _show_refusals(form, error, FIELDS)
            status = 200 if error.status == 422 else error.status
        else:
            who = row.delegate.name or row.delegate.email
            until = row.ends_on.strftime("%-d %B %Y")
            flash(f"{who} can decide at {delegation.GATE_LABELS[row.gate]} for {row.force.name} until {until}.")
            return redirect(url_for("delegations.delegations"))
    rows = delegation.visible(current_user)
    return render_template(
        "delegations/index.html", form=form, rows=rows, revoke_form=RevokeForm(), today=date.today()
    ), status


@bp.route("/delegations/<int:delegation_id>/revoke", methods=["POST"])
@role_required(*DELEGATORS)
def revoke(delegation_id):
    """Revoke a delegation now (its history is kept)."""
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            delegation.revoke(current_user, delegation_id)
        except WorkflowError as error:
            flash(error.message)
        else:
            flash("Delegation revoked.")
    return redirect(url_for("delegations.delegations"))


@bp.route("/account/away", methods=["GET", "POST"])
@role_required(*(gate.role for gate in delegation.GATE_NAMES.values()))
def away():
    """Set an away period: name a deputy who decides for you while you are away."""
    form = AwayForm()
    status = 200
    if form.validate_on_submit():
        try:
            delegation.set_away(
                current_user, form.deputy_email.data, form.away_from.data, form.away_to.data, form.reason.data
            )
        except WorkflowError as error:
            _show_refusals(form, error, AWAY_FIELDS)
            status = 200 if error.status == 422 else error.status
        else:
            flash("Your deputy can decide for you while you are away.")
            return redirect(url_for("auth.account"))
    return render_template("delegations/away.html", form=form), status


@bp.route("/admin/delegations")
@role_required(policy.ADMIN_ROLE)
def active():
    """Every delegation active today."""
    return render_template(
        "delegations/active.html", rows=delegation.active_now(), revoke_form=RevokeForm(), today=date.today()
    )
