"""The lead's deployment record (issue 26, section 1) and the authority letter (issue 18), on the requests
blueprint: record the start and close out, each through a check-your-answers page; correct a recorded date or
figure with a reason (the lead, or an admin); download the letter of authority.

Each page parses its form, asks the workflow's own rules before the check page (so a refusal is shown on the
form with the answers kept), and confirms through the command, which checks them again under the row lock.
"""

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from approvals import access, letters, policy, records, workflow
from approvals.commands import WorkflowError
from approvals.cost_recovery import format_pence
from approvals.requests.forms import (
    CorrectionForm,
    DeployForm,
    FindForCorrectionForm,
    SubmitForm,
    close_form_for,
)
from approvals.requests.routes import _allowed_or_refused, _on_form, bp
from approvals.security import role_required
from approvals.validation import clean_text
from extensions import db
from models import AssistanceRequest

PENDING = "s26-pending"


def _pending_key(action, request_id):
    return f"{PENDING}-{action}-{request_id}"


def _stash(action, request_id):
    session[_pending_key(action, request_id)] = {
        key: values for key, values in request.form.to_dict(flat=False).items() if key != "csrf_token"
    }


def _pending_form(form_class, action, request_id, to_change=False):
    """The form as the person filled it in, from the session (None when there is nothing to check). Shown again to
    change an answer it carries a fresh CSRF token; read back on the check page it needs none (the check page's own
    form carries it)."""
    saved = session.get(_pending_key(action, request_id))
    if saved is None:
        return None
    if to_change:
        return form_class(formdata=MultiDict(saved))
    return form_class(formdata=MultiDict(saved), meta={"csrf": False})


def _reports(form):
    return [
        records.ConditionReport(
            condition.id,
            {"yes": True, "no": False}.get(getattr(form, met).data),
            clean_text(getattr(form, note).data or ""),
        )
        for condition, met, note in form.condition_fields
    ]


def _deploy_args(form):
    return {
        "deployed_on": form.deployed_on.data,
        "reason": form.deployment_dates_reason.data or "",
        "conditions_briefed": bool(form.conditions_briefed.data),
    }


def _close_args(form):
    return {
        "actual_cost_pence": form.actual_cost.data,
        "recovered_pence": form.recovered.data,
        "ended_on": form.ended_on.data,
        "reason": form.close_out_reason.data or "",
        "conditions": _reports(form),
    }


def _show_refusals(form, refusals):
    _on_form(form, workflow.Refused(refusals))


@bp.route("/<int:request_id>/deploy", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def deploy(request_id):
    """Record that an approved deployment has started: the date, and that the conditions were briefed."""
    item = _allowed_or_refused(request_id, policy.DEPLOY)
    conditions = workflow.standing_conditions(item)
    if request.method == "GET":
        form = _pending_form(DeployForm, "deploy", item.id, to_change=True) or DeployForm()
    else:
        form = DeployForm()
        if form.validate_on_submit():
            args = _deploy_args(form)
            refusals = workflow.deploy_refusals(
                item, args["deployed_on"], records.clean_reason(args["reason"]), args["conditions_briefed"]
            )
            if not refusals:
                _stash("deploy", item.id)
                return redirect(url_for("requests.deploy_check", request_id=item.id))
            _show_refusals(form, refusals)
    return render_template("requests/deploy.html", item=item, form=form, conditions=conditions)


@bp.route("/<int:request_id>/deploy/check", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def deploy_check(request_id):
    """Check the deployment start before it is recorded."""
    item = _allowed_or_refused(request_id, policy.DEPLOY)
    form = _pending_form(DeployForm, "deploy", item.id)
    if form is None or not form.validate():
        return redirect(url_for("requests.deploy", request_id=item.id))
    confirm = SubmitForm()
    if confirm.validate_on_submit():
        try:
            workflow.deploy(item.id, current_user, expected_version=confirm.expected_version(), **_deploy_args(form))
        except WorkflowError as error:
            status = _on_form(form, error)
            return render_template(
                "requests/deploy.html", item=item, form=form, conditions=workflow.standing_conditions(item)
            ), status
        session.pop(_pending_key("deploy", item.id), None)
        flash("Deployment start recorded", "success")
        return redirect(url_for("requests.show", request_id=item.id))
    confirm.version.data = item.version
    change = url_for("requests.deploy", request_id=item.id)
    args = _deploy_args(form)
    rows = [("Date the deployment started", records.show_date(args["deployed_on"]), change, "deployed_on")]
    outside = records.outside_approved_dates(item, args["deployed_on"])
    if outside:
        rows.append(("Reason it started " + outside.split(" (")[0], args["reason"], change, "deployment_dates_reason"))
    conditions = workflow.standing_conditions(item)
    if conditions:
        rows.append(
            ("Conditions briefed", "Yes, to every officer and member of staff deploying", change, "conditions_briefed")
        )
    return render_template(
        "requests/record_check.html",
        item=item,
        heading="Check the deployment start",
        rows=rows,
        form=confirm,
        button="Record the deployment start",
        approved=(item.start_date, item.end_date),
    )


def _close_page(item, form, conditions, status=200):
    return render_template(
        "requests/close.html",
        item=item,
        form=form,
        conditions=conditions,
        approved_cost=records.approved_full_cost(item),
    ), status


@bp.route("/<int:request_id>/close", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def close(request_id):
    """Close out a deployment: the date it ended, its actual cost and amount recovered, and each condition."""
    item = _allowed_or_refused(request_id, policy.CLOSE)
    conditions = workflow.standing_conditions(item)
    form_class = close_form_for(conditions)
    status = 200
    if request.method == "GET":
        form = _pending_form(form_class, "close", item.id, to_change=True) or form_class()
    else:
        form = form_class()
        if form.validate_on_submit():
            args = _close_args(form)
            refusals = workflow.close_refusals(
                item,
                args["actual_cost_pence"],
                args["recovered_pence"],
                args["ended_on"],
                records.clean_reason(args["reason"]),
                args["conditions"],
            )
            if not refusals:
                _stash("close", item.id)
                return redirect(url_for("requests.close_check", request_id=item.id))
            _show_refusals(form, refusals)
    return _close_page(item, form, conditions, status)


@bp.route("/<int:request_id>/close/check", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def close_check(request_id):
    """Check the close-out before it is recorded."""
    item = _allowed_or_refused(request_id, policy.CLOSE)
    conditions = workflow.standing_conditions(item)
    form = _pending_form(close_form_for(conditions), "close", item.id)
    if form is None or not form.validate():
        return redirect(url_for("requests.close", request_id=item.id))
    confirm = SubmitForm()
    args = _close_args(form)
    if confirm.validate_on_submit():
        try:
            workflow.close(
                item.id,
                current_user,
                args.pop("actual_cost_pence"),
                args.pop("recovered_pence"),
                confirm.expected_version(),
                **args,
            )
        except WorkflowError as error:
            status = _on_form(form, error)
            return _close_page(item, form, conditions, status)
        session.pop(_pending_key("close", item.id), None)
        flash("Deployment closed out", "success")
        return redirect(url_for("requests.show", request_id=item.id))
    confirm.version.data = item.version
    change = url_for("requests.close", request_id=item.id)
    rows = [
        ("Date the deployment ended", records.show_date(args["ended_on"]), change, "ended_on"),
        ("Actual full cost", format_pence(args["actual_cost_pence"]), change, "actual_cost"),
        ("Amount recovered", format_pence(args["recovered_pence"]), change, "recovered"),
        ("Not recovered", format_pence(args["actual_cost_pence"] - args["recovered_pence"]), change, "recovered"),
    ]
    if args["reason"]:
        rows.append(("Reason for a difference from the approval", args["reason"], change, "close_out_reason"))
    for position, report in enumerate(args["conditions"], start=1):
        text = "Met" if report.met else f"Not met: {report.note}"
        rows.append((f"Condition {position}", text, change, f"condition_{report.id}"))
    return render_template(
        "requests/record_check.html",
        item=item,
        heading="Check the close-out",
        rows=rows,
        form=confirm,
        button="Close out the deployment",
        approved=(item.start_date, item.end_date),
        approved_cost=records.approved_full_cost(item),
    )


@bp.route("/<int:request_id>/correct", methods=["GET", "POST"])
@role_required(*policy.roles_for(policy.CORRECT))
def correct(request_id):
    """Correct a recorded deployment date or close-out figure, with a reason."""
    item = records.request_for_correction(current_user, request_id)
    form = CorrectionForm()
    form.field.choices = [(name, records.CORRECTABLE[name][0]) for name in records.correctable_fields(item)]
    status = 200
    if form.validate_on_submit():
        kind = records.CORRECTABLE[form.field.data][1]
        value = form.new_date.data if kind == "date" else form.new_amount.data
        try:
            records.correct(item.id, current_user, form.field.data, value, form.reason.data, form.expected_version())
        except WorkflowError as error:
            if error.refusals:
                for refusal in error.refusals:
                    target = {"value": "new_date" if kind == "date" else "new_amount"}.get(refusal.rule, refusal.rule)
                    field = getattr(form, target, None)
                    (field.errors if field is not None and hasattr(field, "errors") else form.form_errors).append(
                        refusal.message
                    )
                status = 200
            else:
                status = _on_form(form, error)
        else:
            flash(f"{records.CORRECTABLE[form.field.data][0]} corrected", "success")
            if policy.can_see(current_user, item):
                return redirect(url_for("requests.show", request_id=item.id))
            return redirect(url_for("requests.correct", request_id=item.id))
    if not form.is_submitted():
        form.version.data = item.version
    current = [
        (records.CORRECTABLE[name][0], records.show_value(name, getattr(item, name))) for name in records.CORRECTABLE
    ]
    return render_template(
        "requests/correct.html",
        item=item,
        form=form,
        current=current,
        history=records.corrections(item),
        readable=policy.can_see(current_user, item),
    ), status


@bp.route("/corrections")
@role_required(policy.ADMIN_ROLE)
def find_for_correction():
    """An admin finds, by its reference, the request whose deployment record is to be corrected."""
    form = FindForCorrectionForm(request.args if request.args else None)
    if request.args and form.validate():
        reference = form.reference.data.strip().upper()
        found = db.session.scalar(select(AssistanceRequest).where(AssistanceRequest.reference == reference))
        if found is not None and found.state in policy.CORRECTABLE_STATES:
            return redirect(url_for("requests.correct", request_id=found.id))
        form.reference.errors.append("No deployed or closed request has that reference")
    return render_template("requests/find_for_correction.html", form=form)


@bp.route("/<int:request_id>/authority-letter")
@role_required(*sorted(policy.READER_ROLES))
def authority_letter(request_id):
    """Download the letter of authority in force (404 for who may not see the request, 409 before approval)."""
    item = access.get_visible_or_404(current_user, request_id)
    document = letters.for_reader(current_user, item)
    return Response(
        document.content,
        mimetype=letters.CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{document.filename}"'},
    )
