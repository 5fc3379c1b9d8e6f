"""General authorisations (issue 23): the Home Office records and revokes them, sees the requests on that route and
calls one in. Everything goes through approvals.route and approvals.workflow, as the API does."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from approvals import access, policy, route, workflow
from approvals.authorisations.forms import AuthorisationForm, CallInForm, RevokeForm
from approvals.commands import WorkflowError
from approvals.security import role_required
from extensions import db
from models import AuthorisationEvent

bp = Blueprint("authorisations", __name__)
READERS = (policy.LEAD_ROLE, *sorted(policy.DECIDER_ROLES))
MANAGERS = policy.roles_for(policy.CALL_IN)


def _on_form(form, error):
    """A refused command shown on the form, the answers kept: each rule at its field (or the top)."""
    if error.status in (403, 404):
        raise error
    for refusal in error.refusals:
        field = getattr(form, refusal.rule, None)
        (field.errors if field is not None and hasattr(field, "errors") else form.form_errors).append(refusal.message)
    if not error.refusals:
        form.form_errors.append(error.message)
    return 200 if error.refusals else error.status


def _found(reference):
    authorisation = route.find(reference)
    if authorisation is None:
        abort(404)
    return authorisation


@bp.route("/general-authorisations")
@role_required(*READERS)
def authorisations():
    """The Home Secretary's general authorisations."""
    return render_template(
        "authorisations/list.html",
        rows=route.all_authorisations(),
        today=date.today(),
        manages=policy.manages_general_authorisations(current_user),
    )


@bp.route("/general-authorisations/new", methods=["GET", "POST"])
@role_required(*MANAGERS)
def new_authorisation():
    """Record a general authorisation given by the Home Secretary."""
    form = AuthorisationForm()
    status = 200
    if form.validate_on_submit():
        max_cost = form.max_cost_pence()
        if not form.max_cost.errors:
            data = route.AuthorisationInput(
                reference=form.reference.data,
                title=form.title.data,
                countries=form.country_codes(),
                purposes=list(form.purposes.data or []),
                assistance_kinds=list(form.assistance_kinds.data or []),
                max_personnel=form.max_personnel.data,
                max_days=form.max_days.data,
                max_cost_pence=max_cost,
                valid_from=form.valid_from.data,
                valid_to=form.valid_to.data,
                conditions=form.conditions.data or "",
            )
            try:
                authorisation = route.record(current_user, data)
            except WorkflowError as error:
                status = _on_form(form, error)
            else:
                flash(f"General authorisation {authorisation.reference} recorded")
                return redirect(url_for("authorisations.authorisation", reference=authorisation.reference))
    return render_template("authorisations/new.html", form=form), status


@bp.route("/general-authorisations/<authorisation:reference>")
@role_required(*READERS)
def authorisation(reference):
    """One general authorisation: its scope, conditions and history."""
    item = _found(reference)
    events = db.session.query(AuthorisationEvent).filter_by(authorisation_id=item.id).order_by(AuthorisationEvent.id)
    return render_template(
        "authorisations/show.html",
        item=item,
        events=events.all(),
        today=date.today(),
        manages=policy.manages_general_authorisations(current_user),
    )


@bp.route("/general-authorisations/<authorisation:reference>/revoke", methods=["GET", "POST"])
@role_required(*MANAGERS)
def revoke(reference):
    """Revoke a general authorisation, with the reason."""
    item = _found(reference)
    form = RevokeForm()
    status = 200
    if form.validate_on_submit():
        try:
            route.revoke(item.reference, current_user, form.reason.data)
        except WorkflowError as error:
            status = _on_form(form, error)
        else:
            flash(f"General authorisation {item.reference} revoked")
            return redirect(url_for("authorisations.authorisation", reference=item.reference))
    return render_template("authorisations/revoke.html", item=item, form=form), status


@bp.route("/general-authorisations/covered")
@role_required(*MANAGERS)
def covered():
    """Requests on the general authorisation route, not yet approved: the Home Office may call them in."""
    return render_template("authorisations/covered.html", rows=db.session.scalars(route.covered_requests()).all())


@bp.route("/requests/<int:request_id>/call-in", methods=["GET", "POST"])
@role_required(*MANAGERS)
def call_in(request_id):
    """Require individual Home Secretary consent for a request on the general authorisation route."""
    item = access.get_visible_or_404(current_user, request_id)
    policy.require(current_user, policy.CALL_IN, item)
    form = CallInForm()
    status = 200
    if form.validate_on_submit():
        try:
            workflow.call_in(item.id, current_user, form.reasons.data, expected_version=form.expected_version())
        except WorkflowError as error:
            status = _on_form(form, error)
        else:
            flash(f"{item.reference} now needs individual Home Secretary consent")
            return redirect(url_for("requests.show", request_id=item.id))
    elif not form.is_submitted():
        form.version.data = item.version
    return render_template("authorisations/call_in.html", item=item, form=form), status
