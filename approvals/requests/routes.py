"""The force international lead's journey: start, complete section by section, check, submit; and the
request list and read-only page. State changes go through approvals.workflow only."""

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from approvals import access, cost_recovery, drafts, osja, people, policy, records, workflow
from approvals.commands import WorkflowError
from approvals.machine import EDITABLE_STATES, STATE_TEXT
from approvals.requests.forms import (
    SECTION_FORMS,
    ContributingForceForm,
    CostLineForm,
    FilterForm,
    FundingForm,
    NewRequestForm,
    SubmitForm,
    VaryForm,
    WithdrawForm,
)
from approvals.security import role_required
from approvals.timeline import timeline
from extensions import db
from models import AssistanceRequest, CountryNote, Force
from models.reference_data import OPERATIONAL_PURPOSE_CODES, country_name

bp = Blueprint("requests", __name__, url_prefix="/requests")
READERS = tuple(sorted(policy.READER_ROLES))


def _allowed_or_refused(request_id, action):
    """The request, if the user may take `action` on it now; otherwise the policy's refusal (404, 403 or 409)
    is raised and rendered by the app's handler."""
    item = access.get_visible_or_404(current_user, request_id)
    policy.require(current_user, action, item)
    return item


def _editable(request_id):
    return _allowed_or_refused(request_id, policy.EDIT)


def _on_form(form, error):
    """Show a refused command on the form, the user's answers kept: a rule (422) at its field or the top, a
    conflict or a state that moved on (409) at the top. Returns the page's status. 403 and 404 go to the
    app's error pages."""
    if error.status in (403, 404):
        raise error
    if error.refusals:
        for refusal in error.refusals:
            field = getattr(form, refusal.rule, None)
            (field.errors if field is not None and hasattr(field, "errors") else form.form_errors).append(
                refusal.message
            )
        return 200
    form.form_errors.append(error.message)
    return error.status


def _workflow_error(error, target):
    if error.status in (403, 404):
        raise error
    flash(error.message, "error")
    return redirect(target)


@bp.route("")
@role_required(*READERS, allow=policy.decides_now)
def list_requests():
    """Requests you may see, newest change first, optionally filtered by state."""
    form = FilterForm(request.args)
    form.state.choices = [("", "All states")] + [(code, text.label) for code, text in STATE_TEXT.items()]
    stmt = policy.visible_requests(current_user)
    state = request.args.get("state", "")
    if state and state in STATE_TEXT:
        stmt = stmt.where(AssistanceRequest.state == state)
    page = max(1, request.args.get("page", 1, type=int))
    page_size = current_app.config["S26_PAGE_SIZE"]
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    # The page's rows as plain tuples of the columns it shows (see main.home).
    columns = stmt.with_only_columns(
        AssistanceRequest.id,
        AssistanceRequest.reference,
        AssistanceRequest.title,
        AssistanceRequest.destination,
        AssistanceRequest.state,
        AssistanceRequest.updated_at,
        AssistanceRequest.escalated_on,
    )
    items = db.session.execute(
        columns.order_by(AssistanceRequest.updated_at.desc(), AssistanceRequest.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return render_template(
        "requests/list.html", items=items, form=form, total=total, page=page, page_size=page_size, state=state
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def new():
    """Start a new request for your force."""
    form = NewRequestForm()
    if form.validate_on_submit():
        item = drafts.start(current_user, form.title.data)
        return redirect(url_for("requests.task_list", request_id=item.id))
    return render_template("requests/new.html", form=form)


@bp.route("/<int:request_id>/tasks")
@role_required(policy.LEAD_ROLE)
def task_list(request_id):
    """The task list: each section and whether it is complete."""
    item = _editable(request_id)
    tasks = drafts.task_list(item)
    named, mismatch = sum(people.counts(item)), people.count_refusals(item)
    return render_template(
        "requests/task_list.html",
        item=item,
        tasks=tasks,
        complete=all(s == drafts.COMPLETED for _, s in tasks) and not mismatch,
        osja_status=osja.status(item),
        people_status="Optional" if not named else ("In progress" if mismatch else drafts.COMPLETED),
    )


@bp.route(
    "/<int:request_id>/sections/<any(about, kind, purpose, dates, personnel, flags, human_rights):section>",
    methods=["GET", "POST"],
)
@role_required(policy.LEAD_ROLE)
def edit_section(request_id, section):
    """One question group of the request."""
    item = _editable(request_id)
    form = SECTION_FORMS[section]().fit(item)
    status = 200
    if request.method == "GET":
        form.load(item)
        form.version.data = item.version
    elif form.validate_on_submit():
        try:
            drafts.update_fields(item.id, current_user, form.values(), section, form.expected_version())
        except WorkflowError as error:
            status = _on_form(form, error)
            # Saving again, having read the message, saves over the other change: the form now carries the
            # version the request has reached.
            item = _editable(request_id)
            form.version.data = item.version
        else:
            return redirect(
                request.args.get("then") == "check"
                and url_for("requests.check", request_id=item.id)
                or url_for("requests.task_list", request_id=item.id)
            )
    notes = db.session.scalars(select(CountryNote).where(CountryNote.country_code == item.destination)).all()
    return render_template(
        "requests/section.html",
        item=item,
        form=form,
        section=drafts.SECTION_BY_KEY[section],
        country_notes=notes,
        operational_codes=OPERATIONAL_PURPOSE_CODES,
    ), status


@bp.route("/<int:request_id>/contributing-forces", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def contributing_forces(request_id):
    """Other forces sending their own officers and staff: each force's chief officer and PCC decide its part."""
    item = _editable(request_id)
    forces = db.session.scalars(select(Force).order_by(Force.name)).all()
    form = ContributingForceForm().fit(item, forces)
    remove_form = SubmitForm()
    status = 200
    rows = [{"force": p.force.slug, "officers": p.officers, "staff": p.staff} for p in item.contributing_forces]
    removing = request.form.get("remove") if request.method == "POST" else None
    try:
        if removing and remove_form.validate_on_submit():
            kept = {"contributing_forces": [row for row in rows if row["force"] != removing]}
            drafts.update_fields(item.id, current_user, kept, "contributing_forces", remove_form.expected_version())
            return redirect(url_for("requests.contributing_forces", request_id=item.id))
        if not removing and form.validate_on_submit():
            added = rows + [{"force": form.force.data, "officers": form.officers.data, "staff": form.staff.data}]
            drafts.update_fields(
                item.id, current_user, {"contributing_forces": added}, "contributing_forces", form.expected_version()
            )
            return redirect(url_for("requests.contributing_forces", request_id=item.id))
    except WorkflowError as error:
        status = _on_form(form, error)
        item = _editable(request_id)
    form.version.data = remove_form.version.data = item.version
    return render_template(
        "requests/contributing_forces.html", item=item, form=form, remove_form=remove_form, forms=[form]
    ), status


@bp.route("/<int:request_id>/costs", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def costs(request_id):
    """Cost lines and funding sources, with the cost-recovery position."""
    item = _editable(request_id)
    cost_form, funding_form = CostLineForm(prefix="cost"), FundingForm(prefix="funding")
    cost_form.existing, funding_form.existing = len(item.cost_lines), len(item.funding)
    status = 200
    try:
        if cost_form.submit.data and cost_form.validate_on_submit():
            drafts.add_cost_line(
                item.id,
                current_user,
                cost_form.category.data,
                cost_form.amount.data,
                cost_form.description.data or "",
                cost_form.expected_version(),
            )
            return redirect(url_for("requests.costs", request_id=item.id))
        if funding_form.submit.data and funding_form.validate_on_submit():
            drafts.add_funding(
                item.id,
                current_user,
                funding_form.source.data,
                funding_form.amount.data,
                funding_form.committed.data == "yes",
                funding_form.description.data or "",
                funding_form.expected_version(),
            )
            return redirect(url_for("requests.costs", request_id=item.id))
    except WorkflowError as error:
        status = _on_form(funding_form if funding_form.submit.data else cost_form, error)
        item = _editable(request_id)
    remove_form = SubmitForm()
    for form in (cost_form, funding_form, remove_form):
        form.version.data = item.version
    position = cost_recovery.position(item.cost_lines, item.funding)
    return render_template(
        "requests/costs.html",
        item=item,
        cost_form=cost_form,
        funding_form=funding_form,
        position=position,
        forms=[cost_form, funding_form],
        remove_form=remove_form,
    ), status


@bp.route("/<int:request_id>/costs/<int:line_id>/remove", methods=["POST"])
@role_required(policy.LEAD_ROLE)
def remove_cost(request_id, line_id):
    """Remove a cost line."""
    item = _editable(request_id)
    form = SubmitForm()
    if form.validate_on_submit():
        try:
            drafts.remove_cost_line(item.id, current_user, line_id, form.expected_version())
        except WorkflowError as error:
            return _workflow_error(error, url_for("requests.costs", request_id=item.id))
    return redirect(url_for("requests.costs", request_id=item.id))


@bp.route("/<int:request_id>/funding/<int:funding_id>/remove", methods=["POST"])
@role_required(policy.LEAD_ROLE)
def remove_funding(request_id, funding_id):
    """Remove a funding source."""
    item = _editable(request_id)
    form = SubmitForm()
    if form.validate_on_submit():
        try:
            drafts.remove_funding(item.id, current_user, funding_id, form.expected_version())
        except WorkflowError as error:
            return _workflow_error(error, url_for("requests.costs", request_id=item.id))
    return redirect(url_for("requests.costs", request_id=item.id))


@bp.route("/<int:request_id>/check", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def check(request_id):
    """Check your answers, then submit."""
    item = _editable(request_id)
    form = SubmitForm()
    missing = drafts.incomplete_sections(item)
    if form.validate_on_submit():
        try:
            workflow.submit(item.id, current_user, expected_version=form.expected_version())
        except WorkflowError as error:
            return _workflow_error(error, url_for("requests.check", request_id=item.id))
        return redirect(url_for("requests.submitted", request_id=item.id))
    form.version.data = item.version
    position = cost_recovery.position(item.cost_lines, item.funding)
    return render_template("requests/check.html", item=item, form=form, missing=missing, position=position)


@bp.route("/<int:request_id>/submitted")
@role_required(policy.LEAD_ROLE)
def submitted(request_id):
    """Confirmation, with the reference."""
    item = access.get_visible_or_404(current_user, request_id)
    if item.state in EDITABLE_STATES:
        return redirect(url_for("requests.task_list", request_id=item.id))
    return render_template("requests/submitted.html", item=item)


@bp.route("/<int:request_id>")
@role_required(*READERS, allow=policy.decides_now)
def show(request_id):
    """A request: its details, where it stands, the timeline and what you can do next."""
    item = access.get_visible_or_404(current_user, request_id)
    position = cost_recovery.position(item.cost_lines, item.funding)
    actions = policy.allowed_actions(current_user, item)
    close_out = None
    if item.actual_cost_pence is not None:
        close_out = cost_recovery.CloseOut(position.full_cost_pence, item.actual_cost_pence, item.recovered_pence)
    return render_template(
        "requests/show.html",
        item=item,
        position=position,
        events=timeline(item),
        actions=actions,
        close_out=close_out,
        record=records.view(item, current_user),
        variation=workflow.open_variation(item) if policy.VARY in actions else None,
        withdraw_form=WithdrawForm(),
        vary_form=VaryForm(),
        country=country_name(item.destination),
        today=date.today(),
    )


def _lead_action(request_id, action, form_class, template, command):
    item = _allowed_or_refused(request_id, action)
    form = form_class()
    status = 200
    if form.validate_on_submit():
        try:
            command(item, form)
        except WorkflowError as error:
            status = _on_form(form, error)
        else:
            return redirect(url_for("requests.show", request_id=item.id))
    return render_template(template, item=item, form=form), status


@bp.route("/<int:request_id>/withdraw", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def withdraw(request_id):
    """Withdraw a request before it is approved."""
    return _lead_action(
        request_id,
        policy.WITHDRAW,
        WithdrawForm,
        "requests/withdraw.html",
        lambda item, form: workflow.withdraw(item.id, current_user, form.reason.data),
    )


@bp.route("/<int:request_id>/vary", methods=["POST"])
@role_required(policy.LEAD_ROLE)
def vary(request_id):
    """Start a variation of an approved request."""
    item = access.get_visible_or_404(current_user, request_id)
    if not VaryForm().validate_on_submit():
        abort(400)
    try:
        variation = workflow.start_variation(item.id, current_user)
    except WorkflowError as error:
        return _workflow_error(error, url_for("requests.show", request_id=item.id))
    return redirect(url_for("requests.task_list", request_id=variation.id))


# The deployment record's pages (deploy and close with check your answers, corrections, the authority letter)
# live in their own module, registered on this blueprint.
from approvals.requests import records as _records  # noqa: E402,F401
