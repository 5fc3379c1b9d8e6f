"""Pages: a force's periodic return (to its PCC and chief officers) and the national picture."""

from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from approvals import dashboard, policy, returns
from approvals.gates import GATES
from approvals.outputs.forms import ReturnForm
from approvals.security import role_required
from extensions import db
from models import Force

bp = Blueprint("outputs", __name__)


def _form_data(args):
    """The form's own fields, or `force`, `from` and `to` as ISO dates (the links in the emailed return)."""
    if "from" not in args and "to" not in args:
        return args
    data = MultiDict([("force", args.get("force", ""))])
    for name, arg in (("date_from", "from"), ("date_to", "to")):
        try:
            day = date.fromisoformat(args.get(arg, ""))
        except ValueError:
            data.setlist(name, ["", "", ""])
        else:
            data.setlist(name, [str(day.day), str(day.month), str(day.year)])
    return data


@bp.route("/reports/returns")
@role_required(*returns.READERS)
def period_return():
    """A force's return for a period: received, decisions, outcomes, open and overdue requests, costs."""
    national = policy.reads_national_picture(current_user)
    forces = db.session.scalars(select(Force).order_by(Force.name)).all()
    data = _form_data(request.args) if request.args else None
    if data and not national and data.get("force") not in (None, "", current_user.force.slug):
        abort(403)  # as on the API: a force's people read their own force's return only
    form = ReturnForm(data)
    if national:
        form.force.choices = [("", "Select a force")] + [(f.slug, f.name) for f in forces]
    else:
        # A placeholder first (a required select must not open on a real choice), their own force chosen.
        form.force.choices = [("", "Select a force"), (current_user.force.slug, current_user.force.name)]
        if not form.force.data:
            form.force.data = current_user.force.slug
    result = None
    if request.args and form.validate():
        try:
            force = returns.force_by_slug(form.force.data)
        except LookupError:
            form.force.errors.append("Select a force from the list")
        else:
            if not returns.may_read(current_user, force):
                abort(403)
            result = returns.period_return(force, form.date_from.data, form.date_to.data)
            fmt = request.args.get("format")
            if fmt in ("xlsx", "pdf"):
                content, mimetype = (
                    (returns.to_xlsx(result), returns.XLSX_MIMETYPE)
                    if fmt == "xlsx"
                    else (returns.to_pdf(result), returns.PDF_MIMETYPE)
                )
                return Response(
                    content,
                    mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{returns.filename(result, fmt)}"'},
                )
    elif not request.args:
        form.date_from.data, form.date_to.data = returns.last_complete("month")
        if not national:
            form.force.data = current_user.force.slug
    return render_template(
        "outputs/return.html",
        form=form,
        result=result,
        data=result.as_json() if result else None,
        figures=returns.FIGURES,
        gates=GATES,
        outcome_labels=returns.OUTCOME_LABELS,
        label=returns.period_label(result.date_from, result.date_to) if result else None,
        xlsx_query=(
            f"force={result.force.slug}&from={result.date_from.isoformat()}&to={result.date_to.isoformat()}&format=xlsx"
            if result
            else None
        ),
        pdf_query=(
            f"force={result.force.slug}&from={result.date_from.isoformat()}&to={result.date_to.isoformat()}&format=pdf"
            if result
            else None
        ),
    )


@bp.route("/reports/national")
@role_required(*sorted(policy.NATIONAL_DECIDER_ROLES))
def national():
    """The national picture: the pipeline by gate, time at each gate, deployments by month, region and country."""
    data = dashboard.national()
    return render_template("outputs/national.html", data=data, charts=dashboard.chart_rows(data))
