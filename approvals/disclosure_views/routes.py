"""FOI cases (FOI officers), decision records (PCC offices), and the public decision and transparency pages."""

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import BaseConverter

from approvals import disclosure, policy
from approvals.disclosure_views.forms import (
    ActionForm,
    DecisionRecordForm,
    FoiCaseForm,
    FoiItemForm,
    WithdrawRecordForm,
)
from approvals.responses import response_download
from approvals.security import public, role_required
from extensions import db
from models import FoiItem, FoiQuestion, Force

bp = Blueprint("disclosure", __name__)


class ForceSlugConverter(BaseConverter):
    """A force's slug in a public URL: anything else is a 404 before the view runs."""

    regex = r"[a-z0-9-]{1,40}"


@bp.record_once
def _register_converter(state):
    state.app.url_map.converters.setdefault("force_slug", ForceSlugConverter)


def _force_or_404(slug):
    force = db.session.scalars(select(Force).where(Force.slug == slug)).first()
    if force is None:
        abort(404)
    return force


def _apply_errors(form, errors):
    for name, message in errors.items():
        field = getattr(form, name.split(".")[-1], None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        else:
            form.form_errors.append(message)


@bp.app_template_global("forces_for_transparency")
def _forces_global():
    return db.session.scalars(select(Force).order_by(Force.name)).all()


@bp.app_template_global("overdue_foi_cases")
def _overdue_foi_cases_global():
    return disclosure.overdue_foi_cases(current_user) if current_user.has_role(policy.FOI_ROLE) else []


# --- FOI cases --------------------------------------------------------------------------------------------------


def _case_or_404(case_id):
    case = disclosure.get_foi_case(current_user, case_id)
    if case is None:
        abort(404)
    return case


@bp.route("/foi-cases")
@role_required(policy.FOI_ROLE)
def foi_cases():
    """FOI cases you answer, open ones first, soonest due first."""
    cases = db.session.scalars(disclosure.visible_foi_cases(current_user)).all()
    return render_template("disclosure/foi_cases.html", cases=cases, today=disclosure.date.today())


@bp.route("/foi-cases/new", methods=["GET", "POST"])
@role_required(policy.FOI_ROLE)
def new_foi_case():
    """Open an FOI case: the request, when it was received and the questions it asks."""
    form = FoiCaseForm()
    if current_user.force_id is not None:
        form.force.choices = [(current_user.force.slug, current_user.force.name)]
    else:
        forces = db.session.scalars(select(Force).order_by(Force.name)).all()
        form.force.choices = [("", "All forces")] + [(f.slug, f.name) for f in forces]
    if form.validate_on_submit():
        force = None
        if current_user.force_id is None and form.force.data:
            force = db.session.scalars(select(Force).where(Force.slug == form.force.data)).first()
        try:
            case = disclosure.open_case(
                current_user,
                form.request_text.data,
                form.received_on.data,
                (form.questions.data or "").splitlines(),
                form.period_from.data,
                form.period_to.data,
                force,
            )
        except disclosure.Invalid as error:
            _apply_errors(form, error.errors)
        else:
            flash(f"FOI case opened: the response is due by {case.due_on.strftime('%-d %B %Y')}")
            return redirect(url_for("disclosure.foi_case", case_id=case.id))
    return render_template("disclosure/foi_case_new.html", form=form)


@bp.route("/foi-cases/<int:case_id>")
@role_required(policy.FOI_ROLE)
def foi_case(case_id):
    """An FOI case: each question, its items and the decision on each, with the figures from live data."""
    case = _case_or_404(case_id)
    report = disclosure.statistics(case)
    answers = {item.id: disclosure.answer_lines(item, report) for q in case.questions for item in q.items}
    return render_template(
        "disclosure/foi_case.html",
        case=case,
        answers=answers,
        exemptions=disclosure.EXEMPTION_BY_CODE,
        decisions=dict(disclosure.DECISIONS),
        incomplete=disclosure.incomplete(case),
        events=disclosure.events("foi_case", case.id),
        form=ActionForm(),
        today=disclosure.date.today(),
    )


def _item_form(item=None):
    form = FoiItemForm(obj=None)
    if request.method == "GET" and item is not None:
        form.label.data, form.source.data, form.text.data = item.label, item.source, item.text
        form.decision.data = item.decision
        form.exemptions.data = [c for c in item.exemptions if c in disclosure.WITHHOLD_CODES]
        form.ncnd.data = [c for c in item.exemptions if c in disclosure.NCND_CODES]
        form.pit_for.data, form.pit_against.data, form.pit_conclusion.data = (
            item.pit_for,
            item.pit_against,
            item.pit_conclusion,
        )
    return form


def _item_values(form):
    decision = form.decision.data
    codes = form.exemptions.data if decision == "withhold" else form.ncnd.data if decision == "ncnd" else []
    return {
        "label": form.label.data,
        "source": form.source.data,
        "text": form.text.data,
        "decision": decision,
        "exemptions": list(codes or []),
        "pit_for": form.pit_for.data,
        "pit_against": form.pit_against.data,
        "pit_conclusion": form.pit_conclusion.data,
    }


def _save_item(case, question, item):
    form = _item_form(item)
    if form.validate_on_submit():
        try:
            disclosure.save_item(question, current_user, _item_values(form), item)
        except disclosure.Invalid as error:
            errors = {
                ("ncnd" if k == "exemptions" and form.decision.data == "ncnd" else k): v
                for k, v in error.errors.items()
            }
            _apply_errors(form, errors)
        else:
            flash("Item saved")
            return redirect(url_for("disclosure.foi_case", case_id=case.id) + f"#question-{question.position}")
    return render_template("disclosure/foi_item.html", case=case, question=question, item=item, form=form)


@bp.route("/foi-cases/<int:case_id>/questions/<int:question_id>/items/new", methods=["GET", "POST"])
@role_required(policy.FOI_ROLE)
def new_foi_item(case_id, question_id):
    """Add an item to a question: what is asked for, what the answer is built from, and the decision."""
    case = _case_or_404(case_id)
    question = db.session.get(FoiQuestion, question_id)
    if question is None or question.case_id != case.id:
        abort(404)
    return _save_item(case, question, None)


@bp.route("/foi-cases/<int:case_id>/items/<int:item_id>", methods=["GET", "POST"])
@role_required(policy.FOI_ROLE)
def foi_item(case_id, item_id):
    """Change an item and the decision on it."""
    case = _case_or_404(case_id)
    item = db.session.get(FoiItem, item_id)
    if item is None or item.question.case_id != case.id:
        abort(404)
    return _save_item(case, item.question, item)


@bp.route("/foi-cases/<int:case_id>/items/<int:item_id>/remove", methods=["POST"])
@role_required(policy.FOI_ROLE)
def remove_foi_item(case_id, item_id):
    """Remove an item from a question."""
    case = _case_or_404(case_id)
    item = db.session.get(FoiItem, item_id)
    if item is None or item.question.case_id != case.id or not ActionForm().validate_on_submit():
        abort(404 if item is None else 400)
    disclosure.delete_item(item, current_user)
    flash("Item removed")
    return redirect(url_for("disclosure.foi_case", case_id=case.id))


@bp.route("/foi-cases/<int:case_id>/status", methods=["POST"])
@role_required(policy.FOI_ROLE)
def foi_case_status(case_id):
    """Record that the response was sent, or reopen the case."""
    case = _case_or_404(case_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    status = "open" if case.status == "responded" else "responded"
    try:
        disclosure.update_case(case, current_user, status=status)
    except disclosure.Invalid as error:
        flash(next(iter(error.errors.values())), "error")
    else:
        flash("Response recorded as sent" if status == "responded" else "Case reopened")
    return redirect(url_for("disclosure.foi_case", case_id=case_id))


@bp.route("/foi-cases/<int:case_id>/response")
@role_required(policy.FOI_ROLE)
def foi_response(case_id):
    """The response letter: a page to print, or ?format=pdf, docx or txt to download."""
    case = _case_or_404(case_id)
    fmt = request.args.get("format", "html")
    if fmt not in ("html", "pdf", "docx", "txt"):
        abort(404)
    download = response_download(case, fmt)
    if download is not None:
        return download
    return render_template("disclosure/foi_response.html", case=case, letter=disclosure.response_letter(case))


# --- Decision records (PCC office) ------------------------------------------------------------------------------


def _record_or_404(record_id):
    row = disclosure.get_decision_record(current_user, record_id)
    if row is None:
        abort(404)
    return row


@bp.route("/decision-records")
@role_required(policy.DECISION_RECORD_ROLE)
def decision_records():
    """Your force's PCC decisions on section 26 requests, each with its decision record."""
    if current_user.force_id is None:
        abort(403)
    disclosure.ensure_decision_records(current_user.force_id)
    rows = disclosure.decision_records(current_user.force_id)
    return render_template("disclosure/decision_records.html", rows=rows)


@bp.route("/decision-records/<int:record_id>", methods=["GET", "POST"])
@role_required(policy.DECISION_RECORD_ROLE)
def decision_record(record_id):
    """Edit a decision record, mark it of significant public interest, publish or withdraw it."""
    row = _record_or_404(record_id)
    form = DecisionRecordForm(obj=row)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data or "" for name in disclosure.RECORD_FIELDS}
        values["significant_public_interest"] = form.significant_public_interest.data
        try:
            disclosure.save_decision_record(row, current_user, values)
        except disclosure.Invalid as error:
            _apply_errors(form, error.errors)
        else:
            flash("Decision record saved")
            return redirect(url_for("disclosure.decision_record", record_id=row.id))
    return render_template(
        "disclosure/decision_record.html",
        row=row,
        form=form,
        forms=[form],
        action=ActionForm(),
        events=disclosure.events("decision_record", row.id),
    )


@bp.route("/decision-records/<int:record_id>/publish", methods=["POST"])
@role_required(policy.DECISION_RECORD_ROLE)
def publish_decision_record(record_id):
    """Publish the record's public part on the force's decisions page."""
    row = _record_or_404(record_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        disclosure.publish_decision_record(row, current_user)
    except disclosure.Invalid as error:
        flash(next(iter(error.errors.values())), "error")
    else:
        flash("Decision record published")
    return redirect(url_for("disclosure.decision_record", record_id=row.id))


@bp.route("/decision-records/<int:record_id>/withdraw", methods=["GET", "POST"])
@role_required(policy.DECISION_RECORD_ROLE)
def withdraw_decision_record(record_id):
    """Withdraw a published record, with the reason."""
    row = _record_or_404(record_id)
    form = WithdrawRecordForm()
    if form.validate_on_submit():
        try:
            disclosure.withdraw_decision_record(row, current_user, form.reason.data)
        except disclosure.Invalid as error:
            _apply_errors(form, error.errors)
        else:
            flash("Decision record withdrawn")
            return redirect(url_for("disclosure.decision_record", record_id=row.id))
    return render_template("disclosure/decision_record_withdraw.html", row=row, form=form)


# --- Public pages ---------------------------------------------------------------------------------------------


def _download(body, mimetype, filename):
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/decisions/<force_slug:force_slug>")
@public
def published_decisions(force_slug):
    """The PCC's published decisions of significant public interest on section 26 requests (public part only)."""
    force = _force_or_404(force_slug)
    rows = disclosure.published_decisions(force.id)
    fmt = request.args.get("format", "html")
    if fmt == "json":
        return jsonify(
            {
                "marking": disclosure.marking.OFFICIAL,
                "force": force.slug,
                "policing_body": force.policing_body,
                "decisions": [disclosure.public_record_json(r) for r in rows],
            }
        )
    if fmt == "csv":
        return _download(disclosure.records_csv(rows), "text/csv", f"decisions-{force.slug}.csv")
    if fmt != "html":
        abort(404)
    return render_template("disclosure/published_decisions.html", force=force, rows=rows)


@bp.route("/transparency/<force_slug:force_slug>")
@public
def force_transparency(force_slug):
    """A force's countries assisted in the last 12 months, and what is withheld and why."""
    force = _force_or_404(force_slug)
    data = disclosure.force_publication(force)
    fmt = request.args.get("format", "html")
    if fmt == "json":
        return jsonify(data)
    if fmt == "csv":
        return _download(disclosure.publication_csv(data), "text/csv", f"countries-assisted-{force.slug}.csv")
    if fmt != "html":
        abort(404)
    return render_template("disclosure/force_transparency.html", force=force, data=data)
