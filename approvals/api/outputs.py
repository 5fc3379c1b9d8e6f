"""Reports on the API (issue 18): a force's periodic return and the national picture.

Registered on the API blueprint (approvals.api.routes.bp), through the same functions as the pages:
approvals.returns and approvals.dashboard.
"""

from datetime import date

from flask import Response, g, jsonify, request

from approvals import dashboard, policy, returns
from approvals.api.routes import bp, problem, token_required
from approvals.api.schemas import Invalid


@bp.route("/reports/returns")
@token_required(*returns.READERS)
def period_return():
    """A force's periodic return, as JSON or Excel."""
    errors, dates = {}, {}
    for name in ("from", "to"):
        try:
            dates[name] = date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            errors[name] = "Must be a date like 2026-01-31"
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "xlsx", "pdf"):
        errors["format"] = "Must be json, xlsx or pdf"
    if not errors and (message := returns.period_error(dates["from"], dates["to"])):
        errors["to"] = message
    user = g.api_user
    slug = request.args.get("force") or None
    national = policy.reads_national_picture(user)
    if not national:
        # Force roles read their own force's return only, as the FOI statistics: another force is 403.
        if slug and slug != user.force.slug:
            return problem(403, "Forbidden", "You may read your own force's return only")
        slug = user.force.slug
    elif not slug:
        errors["force"] = "Give the force's slug"
    if errors:
        raise Invalid(errors)
    try:
        force = returns.force_by_slug(slug)
    except LookupError as error:
        raise Invalid({"force": "Unknown force slug"}) from error
    result = returns.period_return(force, dates["from"], dates["to"])
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
    return jsonify(result.as_json())


@bp.route("/reports/national")
@token_required(*sorted(policy.NATIONAL_DECIDER_ROLES))
def national():
    """The national picture's figures: pipeline, time at each gate, deployments by month, region and country."""
    return jsonify(dashboard.national())
