"""The OSJA assessment and the named people on the web (issue 24): the lead's task-list sections (the assessment,
its consultees, the people, each in GOV.UK's "add another" pattern), the assessment's versions, and the PCC office's
review of long-running work. Every change goes through approvals.osja or approvals.people; named people are read
through approvals.people.read only (each view recorded)."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from approvals import access, osja, people, policy, rates
from approvals.assessment.forms import (
    ComputeForm,
    ConsulteeForm,
    OsjaForm,
    OverrideForm,
    PersonForm,
    RemoveForm,
    ReviewForm,
)
from approvals.commands import WorkflowError
from approvals.machine import EDITABLE_STATES
from approvals.security import role_required

bp = Blueprint("assessment", __name__, url_prefix="/requests")
READERS = tuple(sorted(policy.READER_ROLES))
PERSON_LABELS = {
    "kind": dict(people.KINDS),
    "vetting": dict(people.VETTING),
    "service": dict(people.SERVICES),
    "fcdo_advice": dict(people.FCDO_ADVICE),
    "holders": dict(people.HOLDERS),
}


def _keeping_osja(request_id):
    item = access.get_visible_or_404(current_user, request_id)
    policy.raise_if(policy.osja_refusal(current_user, item))
    return item


def _keeping_people(request_id):
    item = access.get_visible_or_404(current_user, request_id)
    policy.raise_if(policy.people_refusal(current_user, item))
    return item


def _field_for(form, rule):
    """The form field a refusal names: 'residual', or 'consultees.0.advice' -> 'advice'."""
    name = rule.rsplit(".", 1)[-1]
    return getattr(form, name, None) if name in form._fields else None


def _on_form(form, error):
    """Put a refused command's messages on the form, the answers kept. 403 and 404 go to the error pages."""
    if error.status in (403, 404):
        raise error
    if error.refusals:
        for refusal in error.refusals:
            field = _field_for(form, refusal.rule)
            (field.errors if field is not None else form.form_errors).append(refusal.message)
        return 200
    form.form_errors.append(error.message)
    return error.status


def _back_to_tasks(item):
    if item.state in EDITABLE_STATES:
        return url_for("requests.task_list", request_id=item.id)
    return url_for("requests.show", request_id=item.id)


# --- The assessment -----------------------------------------------------------------------------------------------


@bp.route("/<int:request_id>/osja", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def osja_edit(request_id):
    """The OSJA assessment: owner, country, the assistance, risks and the test."""
    item = _keeping_osja(request_id)
    form = OsjaForm()
    status = 200
    content = osja.content_of(item)
    if request.method == "GET":
        form.load(content)
        form.osja_version.data = osja.current_number(item)
    elif form.validate_on_submit():
        try:
            osja.save(item.id, current_user, form.content(content["consultees"]), form.expected_number())
        except WorkflowError as error:
            status = _on_form(form, error)
            form.osja_version.data = osja.current_number(item)
        else:
            return redirect(url_for("assessment.consultees", request_id=item.id))
    return render_template(
        "assessment/osja.html", item=item, form=form, consultees=content["consultees"], version=osja.current(item)
    ), status


@bp.route("/<int:request_id>/osja/consultees", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def consultees(request_id):
    """Who was consulted, when and what they advised; add another."""
    item = _keeping_osja(request_id)
    form = ConsulteeForm()
    status = 200
    if form.validate_on_submit():
        try:
            osja.add_consultee(item.id, current_user, form.consultee(), form.expected_number())
        except WorkflowError as error:
            status = _on_form(form, error)
        else:
            flash("Consultee added.")
            return redirect(url_for("assessment.consultees", request_id=item.id))
    number = osja.current_number(item)
    form.osja_version.data = number
    remove_form = RemoveForm()
    remove_form.osja_version.data = number
    return render_template(
        "assessment/consultees.html",
        item=item,
        form=form,
        remove_form=remove_form,
        consultees=osja.content_of(item, prefill=False)["consultees"],
        back=_back_to_tasks(item),
    ), status


@bp.route("/<int:request_id>/osja/consultees/<int:index>/remove", methods=["POST"])
@role_required(policy.LEAD_ROLE)
def remove_consultee(request_id, index):
    """Remove a consultee."""
    item = _keeping_osja(request_id)
    form = RemoveForm()
    if form.validate_on_submit():
        try:
            osja.remove_consultee(item.id, current_user, index, form.expected_number())
        except WorkflowError as error:
            if error.status in (403, 404):
                raise
            flash(error.message, "error")
    return redirect(url_for("assessment.consultees", request_id=item.id))


@bp.route("/<int:request_id>/osja/versions")
@role_required(*READERS)
def osja_versions(request_id):
    """The assessment as it stands, and every version with what changed."""
    item = access.get_visible_or_404(current_user, request_id)
    rows = osja.versions(item)
    history = []
    for newer, older in zip(rows, [*rows[1:], None], strict=True):
        history.append((newer, osja.changes(older.content, newer.content) if older else []))
    return render_template(
        "assessment/versions.html",
        item=item,
        content=osja.content_of(item, prefill=False),
        history=history,
        reviews=osja.reviews(item),
        next_review=osja.next_review_due(item),
        may_edit=policy.osja_refusal(current_user, item) is None,
        may_review=policy.osja_review_refusal(current_user, item) is None and osja.next_review_due(item) is not None,
    )


@bp.route("/<int:request_id>/osja/review", methods=["GET", "POST"])
@role_required(policy.OSJA_REVIEW_ROLE)
def review(request_id):
    """The PCC office's review of long-running work: continue, or stop it early."""
    item = access.get_visible_or_404(current_user, request_id)
    policy.raise_if(policy.osja_review_refusal(current_user, item))
    form = ReviewForm()
    status = 200
    if form.validate_on_submit():
        try:
            osja.record_review(item.id, current_user, form.outcome.data, form.reasons.data, form.expected_version())
        except WorkflowError as error:
            status = _on_form(form, error)
        else:
            flash("Review recorded." if form.outcome.data == "continue" else "Review recorded: the work is stopped.")
            return redirect(url_for("assessment.osja_versions", request_id=item.id))
    form.version.data = item.version
    return render_template(
        "assessment/review.html", item=item, form=form, due=osja.next_review_due(item), today=date.today()
    ), status


# --- The people -----------------------------------------------------------------------------------------------------


@bp.route("/<int:request_id>/people")
@role_required(*READERS)
def people_list(request_id):
    """The people the request deploys (each view is recorded)."""
    item = access.get_visible_or_404(current_user, request_id)
    rows = people.read(current_user, item, "people_page")
    views = people.recent_views(item)
    officers, staff = people.counts(item)
    may_edit = policy.people_refusal(current_user, item) is None
    remove_form = RemoveForm()
    remove_form.version.data = item.version
    return render_template(
        "assessment/people.html",
        item=item,
        rows=rows,
        views=views,
        officers=officers,
        staff=staff,
        mismatch=people.count_refusals(item),
        may_edit=may_edit,
        remove_form=remove_form,
        labels=PERSON_LABELS,
        back=_back_to_tasks(item) if may_edit else url_for("requests.show", request_id=item.id),
    )


@bp.route("/<int:request_id>/people/add", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def add_person(request_id):
    """Name a person the request deploys."""
    item = _keeping_people(request_id)
    form = PersonForm()
    status = 200
    if form.validate_on_submit():
        try:
            people.add(item.id, current_user, form.values(), form.expected_version())
        except WorkflowError as error:
            status = _on_form(form, error)
            item = _keeping_people(request_id)
        else:
            flash("Person added.")
            return redirect(url_for("assessment.people_list", request_id=item.id))
    form.version.data = item.version
    return render_template("assessment/person.html", item=item, form=form, row=None), status


@bp.route("/<int:request_id>/people/<int:person_id>", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def edit_person(request_id, person_id):
    """Change a named person's details (the view is recorded)."""
    item = _keeping_people(request_id)
    row = people.read_one(current_user, item, person_id, "person_page")
    form = PersonForm()
    status = 200
    if request.method == "GET":
        form.load(row)
    elif form.validate_on_submit():
        try:
            people.update(item.id, person_id, current_user, form.values(), form.expected_version())
        except WorkflowError as error:
            status = _on_form(form, error)
            item = _keeping_people(request_id)
        else:
            flash("Person saved.")
            return redirect(url_for("assessment.people_list", request_id=item.id))
    form.version.data = item.version
    return render_template("assessment/person.html", item=item, form=form, row=row), status


@bp.route("/<int:request_id>/people/<int:person_id>/remove", methods=["POST"])
@role_required(policy.LEAD_ROLE)
def remove_person(request_id, person_id):
    """Remove a named person."""
    item = _keeping_people(request_id)
    form = RemoveForm()
    if form.validate_on_submit():
        try:
            people.remove(item.id, person_id, current_user, form.expected_version())
        except WorkflowError as error:
            if error.status in (403, 404):
                raise
            flash(error.message, "error")
        else:
            flash("Person removed.")
    return redirect(url_for("assessment.people_list", request_id=item.id))


# --- Salary costs from the rate card -------------------------------------------------------------------------------


@bp.route("/<int:request_id>/costs/salaries", methods=["POST"])
@role_required(policy.LEAD_ROLE)
def compute_salaries(request_id):
    """Work out the salary cost lines from the people named and the rate card."""
    item = access.get_visible_or_404(current_user, request_id)
    policy.require(current_user, policy.EDIT, item)
    form = ComputeForm()
    if form.validate_on_submit():
        try:
            missing = rates.compute_salary_lines(item.id, current_user, form.expected_version())
        except WorkflowError as error:
            if error.status in (403, 404):
                raise
            flash(error.message, "error")
        else:
            if missing:
                # Counted, never named: the page may be read over a shoulder.
                flash(
                    f"Salary lines worked out. {len(missing)} named people have no line: "
                    + "; ".join(sorted({worked.description for worked in missing})),
                    "error",
                )
            else:
                flash("Salary lines worked out from the rate card.")
    return redirect(url_for("requests.costs", request_id=item.id))


@bp.route("/<int:request_id>/costs/<int:line_id>/override", methods=["GET", "POST"])
@role_required(policy.LEAD_ROLE)
def override_salary(request_id, line_id):
    """Override a salary line worked out from the rate card, with a reason."""
    item = access.get_visible_or_404(current_user, request_id)
    policy.require(current_user, policy.EDIT, item)
    line = next((line for line in item.cost_lines if line.id == line_id and line.computed), None)
    if line is None:
        abort(404)
    form = OverrideForm()
    status = 200
    if form.validate_on_submit():
        try:
            rates.override(item.id, current_user, line.id, form.pence, form.reason.data, form.expected_version())
        except WorkflowError as error:
            status = _on_form(form, error)
        else:
            flash("Salary line overridden.")
            return redirect(url_for("requests.costs", request_id=item.id))
    form.version.data = item.version
    return render_template("assessment/override.html", item=item, line=line, form=form), status
