"""The force international lead's journey: start, complete section by section, check, submit; and the
request list and read-only page. State changes go through approvals.workflow only."""

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from approvals import access, cost_recovery, documents, drafts, osja, people, policy, records, workflow
from approvals.commands import WorkflowError
from approvals.cost_recovery import format_pence
from approvals.machine import EDITABLE_STATES, STATE_TEXT
from approvals.requests.forms import (
    SECTION_FORMS,
    ContributingForceForm,
    CostLineForm,
    FilterForm,
    FundingForm,
    NewRequestForm,
    RemoveForm,
    RequireApprovalForm,
    SubmitForm,
    VaryForm,
    WithdrawForm,
)
from approvals.security import role_required
from approvals.timeline import timeline
from extensions import db
from models import AssistanceRequest, CountryNote, Force
from models.reference_data import COST_CATEGORIES, FUNDING_SOURCES, OPERATIONAL_PURPOSE_CODES, country_name, label


def cost_category_label(code):
    return label(COST_CATEGORIES, code)


def funding_source_label(code):
    return label(FUNDING_SOURCES, code)


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
    osja_missing = osja.missing_parts(item)
    return render_template(
        "requests/task_list.html",
        item=item,
        tasks=tasks,
        complete=not drafts.submit_refusals(item) and not mismatch,
        osja_status=osja.status(item),
        osja_missing=[osja.LABELS[name] for name in osja_missing],
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
            return redirect(_after_section(item))
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
def _typed(form, names):
    """Whether the person typed or chose anything in these fields of a money form."""
    return any(
        getattr(form, name).raw_data and any((v or "").strip() for v in getattr(form, name).raw_data) for name in names
    )


COST_FIELDS, FUNDING_FIELDS = ("category", "description", "amount"), ("source", "description", "amount", "committed")


@bp.route("/<int:request_id>/costs", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def costs(request_id):
    """Cost lines and funding sources, with the cost-recovery position (GOV.UK "add another")."""
    item = _editable(request_id)
    cost_form, funding_form = CostLineForm(prefix="cost"), FundingForm(prefix="funding")
    cost_form.existing, funding_form.existing = len(item.cost_lines), len(item.funding)
    continuing = request.method == "POST" and "continue" in request.form
    status = 200
    if request.method == "POST":
        # One form on the page: whatever line the person typed is saved, whichever button they pressed; a button
        # that adds a line asks for that line even if nothing was typed.
        wanted = [
            (form, names)
            for form, names, pressed in (
                (cost_form, COST_FIELDS, cost_form.submit.data),
                (funding_form, FUNDING_FIELDS, funding_form.submit.data),
            )
            if pressed or _typed(form, names)
        ]
        version = cost_form.expected_version()
        saved, fresh = [], []
        for form, _names in wanted:
            if not form.validate_on_submit():
                status = 200
                break
            try:
                if form is cost_form:
                    item = drafts.add_cost_line(
                        item.id,
                        current_user,
                        form.category.data,
                        form.amount.data,
                        form.description.data or "",
                        version,
                    )
                    saved.append(
                        f"Cost added: {cost_category_label(form.category.data)} {format_pence(form.amount.data)}"
                    )
                else:
                    item = drafts.add_funding(
                        item.id,
                        current_user,
                        form.source.data,
                        form.amount.data,
                        form.committed.data == "yes",
                        form.description.data or "",
                        version,
                    )
                    saved.append(
                        f"Funding added: {funding_source_label(form.source.data)} {format_pence(form.amount.data)}"
                    )
                version = item.version
                fresh.append(form)
            except WorkflowError as error:
                status = _on_form(form, error)
                break
        else:
            for message in saved:
                flash(message, "success")
            if continuing:
                return redirect(_after_section(item))
            anchor = "funding" if funding_form.submit.data else "costs"
            return redirect(
                url_for("requests.costs", request_id=item.id, _anchor=anchor, then=request.args.get("then"))
            )
        for message in saved:  # a line saved before another was refused is said so on the page
            flash(message, "success")
        # A saved line's boxes start empty again; the refused one keeps what was typed.
        if cost_form in fresh:
            cost_form = CostLineForm(prefix="cost", formdata=None)
        if funding_form in fresh:
            funding_form = FundingForm(prefix="funding", formdata=None)
        item = _editable(request_id)
    for form in (cost_form, funding_form):
        form.version.data = item.version
    position = cost_recovery.position(item.cost_lines, item.funding)
    return render_template(
        "requests/costs.html",
        item=item,
        cost_form=cost_form,
        funding_form=funding_form,
        position=position,
        forms=[cost_form, funding_form],
    ), status


def _after_section(item):
    """Where a saved section goes next: back to check answers if the person came from there, else the task list."""
    if request.args.get("then") == "check":
        return url_for("requests.check", request_id=item.id)
    return url_for("requests.task_list", request_id=item.id)


def _remove_page(request_id, kind, row_id):
    """Ask on a page of its own whether to remove a cost line or funding source; remove it if the answer is yes,
    and confirm with a banner on the costs page, at the list it came from."""
    item = _editable(request_id)
    rows = item.cost_lines if kind == "cost" else item.funding
    row = next((r for r in rows if r.id == row_id), None)
    if row is None:
        abort(404)
    if kind == "cost":
        named = f"{cost_category_label(row.category)} {format_pence(row.amount_pence)}"
    else:
        named = f"{funding_source_label(row.source)} {format_pence(row.amount_pence)}"
    form = RemoveForm()
    back = url_for("requests.costs", request_id=item.id, _anchor="costs" if kind == "cost" else "funding")
    status = 200
    if request.method == "GET":
        form.version.data = item.version
    elif form.validate_on_submit():
        if form.confirm.data != "yes":
            return redirect(back)
        command = drafts.remove_cost_line if kind == "cost" else drafts.remove_funding
        try:
            command(item.id, current_user, row.id, form.expected_version())
        except WorkflowError as error:
            status = _on_form(form, error)
            form.version.data = _editable(request_id).version
        else:
            flash(f"{'Cost' if kind == 'cost' else 'Funding'} removed: {named}", "success")
            return redirect(back)
    return render_template("requests/remove_line.html", item=item, form=form, kind=kind, named=named, back=back), status


@bp.route("/<int:request_id>/costs/<int:line_id>/remove", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def remove_cost(request_id, line_id):
    """Remove a cost line, once the person confirms."""
    return _remove_page(request_id, "cost", line_id)


@bp.route("/<int:request_id>/funding/<int:funding_id>/remove", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def remove_funding(request_id, funding_id):
    """Remove a funding source, once the person confirms."""
    return _remove_page(request_id, "funding", funding_id)


@bp.route("/<int:request_id>/check", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def check(request_id):
    """Check your answers, then submit."""
    item = _editable(request_id)
    form = SubmitForm()
    refused = []
    if form.validate_on_submit():
        try:
            workflow.submit(item.id, current_user, expected_version=form.expected_version())
        except WorkflowError as error:
            if error.status != 422:
                return _workflow_error(error, url_for("requests.check", request_id=item.id))
            # Refused: the error summary names every missing part, each linked to where it is put right.
            refused = [{"text": r.message, "href": _fix_href(item, r)} for r in error.refusals]
        else:
            return redirect(url_for("requests.submitted", request_id=item.id))
    missing = [
        {"text": r.message, "href": _fix_href(item, r)}
        for r in drafts.submit_refusals(item) + documents.missing_for_submit(item) + people.count_refusals(item)
    ]
    form.version.data = item.version
    position = cost_recovery.position(item.cost_lines, item.funding)
    return render_template(
        "requests/check.html", item=item, form=form, missing=missing, page_errors=refused, position=position
    )


def _fix_href(item, refusal):
    """Where the lead puts right what stops a submission (a section, a part of the OSJA assessment, the documents,
    the people named); the task list for anything else."""
    rule = refusal.rule
    if rule == "osja.consultees":
        return url_for("assessment.consultees", request_id=item.id)
    if rule.startswith("osja."):
        return url_for("assessment.osja_edit", request_id=item.id, _anchor=rule.removeprefix("osja."))
    if rule == "incomplete":
        for section in drafts.SECTIONS:
            if refusal.message.endswith(section.title):
                if section.key == "costs":
                    return url_for("requests.costs", request_id=item.id, then="check")
                return url_for("requests.edit_section", request_id=item.id, section=section.key, then="check")
    if rule == "missing_document":
        return url_for("casefile.documents_page", request_id=item.id, then="tasks")
    if rule == "salary_lines_out_of_date":
        return url_for("requests.costs", request_id=item.id, then="check")
    if rule == "personnel_count_mismatch":
        return url_for("assessment.people_list", request_id=item.id)
    return url_for("requests.task_list", request_id=item.id)


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


@bp.route("/<int:request_id>/require-approval", methods=["GET", "POST"])
@role_required(*policy.roles_for(policy.REQUIRE_APPROVAL))
def require_approval(request_id):
    """A chief officer decides travel recorded as UK police work needs section 26 approval (back to a draft)."""
    item = _allowed_or_refused(request_id, policy.REQUIRE_APPROVAL)
    form = RequireApprovalForm()
    status = 200
    if request.method == "GET":
        form.version.data = item.version
    elif form.validate_on_submit():
        try:
            workflow.require_approval(item.id, current_user, form.reasons.data, form.expected_version())
        except WorkflowError as error:
            status = _on_form(form, error)
        else:
            flash(
                f"{item.reference} needs section 26 approval: it is a draft again, and its lead has been emailed "
                "your reasons",
                "success",
            )
            # A draft is the lead's alone: the chief officer sees it again when it is submitted.
            return redirect(url_for("main.home"))
    return render_template("requests/require_approval.html", item=item, form=form), status


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
