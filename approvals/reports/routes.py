"""The public transparency page, and FOI statistics for FOI officers."""

from datetime import date

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import select

from approvals import policy
from approvals import transparency as reports
from approvals.reports.forms import FoiForm
from approvals.responses import export_response
from approvals.security import public, role_required
from extensions import db
from models import Force, PageContent

bp = Blueprint("reports", __name__)


@bp.route("/transparency")
@public
def transparency():
    """Countries assisted in the last 12 months, and our statement of principles."""
    principles = db.session.get(PageContent, "principles")
    return render_template(
        "reports/transparency.html", data=reports.publication(), principles=principles.body if principles else ""
    )


@bp.route("/reports/foi")
@role_required(policy.FOI_ROLE)
def foi():
    """Deployment statistics for a period, as FOI requesters ask for them; download as Excel or CSV."""
    form = FoiForm(request.args if request.args else None)
    forces = db.session.scalars(select(Force).order_by(Force.name)).all()
    form.force.choices = [("", "All forces")] + [(f.slug, f.name) for f in forces]
    if current_user.force_id is not None:
        form.force.choices = [(current_user.force.slug, current_user.force.name)]
    report = None
    if request.args and form.validate():
        scope = policy.foi_scope(current_user, form.force.data)
        try:
            report = reports.foi_statistics(form.date_from.data, form.date_to.data, scope)
        except LookupError:
            form.force.errors.append("Select a force from the list")
        else:
            fmt = request.args.get("format")
            if fmt in ("csv", "xlsx"):
                return export_response(report, fmt)
    elif not request.args:
        form.date_to.data = date.today()
        form.date_from.data = reports.one_year_before(date.today())
    return render_template(
        "reports/foi.html",
        form=form,
        report=report,
        data=report.as_json() if report else None,
        breakdowns=reports.BREAKDOWNS,
        query=request.query_string.decode(),
    )
