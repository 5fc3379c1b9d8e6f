"""The JSON API (v1). It mirrors the web journey through the same approvals.workflow and access rules.

Authentication is a bearer token (never a cookie, so no CSRF); errors are RFC 9457 problem JSON.
"""

import logging
from datetime import date
from functools import wraps

from flask import Blueprint, Response, current_app, g, jsonify, request
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from approvals import access, drafts, ministerial, policy, transparency, validation, workflow
from approvals.api.openapi import spec
from approvals.api.schemas import Invalid, parse_assessment, parse_request, request_json
from approvals.commands import NotFound, WorkflowError
from approvals.human_rights import Assessment
from approvals.machine import STATES
from approvals.responses import export_response, problem, refusal_problem
from approvals.security import public
from config.settings import LONG_TEXT_MAX
from extensions import db
from models import ApiToken, AssistanceRequest, AuditEvent, Force, GateDecision, User
from models.types import utcnow
from models.user import hash_token

bp = Blueprint("api", __name__, url_prefix="/api/v1")
log = logging.getLogger("s26.api")


@bp.errorhandler(HTTPException)
def _http_error(error):
    response = problem(error.code, error.name, error.description)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


@bp.errorhandler(Invalid)
def _invalid(error):
    return problem(422, "Your request has errors", "Correct the fields listed in errors", error.errors)


@bp.errorhandler(WorkflowError)
def _workflow_error(error):
    db.session.rollback()
    return refusal_problem(error)


def token_required(*roles, allow=None):
    """A valid, unrevoked bearer token of an active user; with `roles`, the user must hold one (or `allow(user)`
    must say yes: a delegate decides without holding the gate's role)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            row = None
            if scheme.lower() == "bearer" and token:
                row = db.session.scalars(
                    select(ApiToken).where(
                        ApiToken.token_hash == hash_token(token.strip()), ApiToken.revoked_at.is_(None)
                    )
                ).first()
            if row is None or not row.user.can_authenticate():
                return problem(401, "Unauthorised", "Send a valid API token as 'Authorization: Bearer <token>'")
            if roles and not row.user.has_role(*roles) and not (allow is not None and allow(row.user)):
                log.warning(
                    "api permission refused user=%s ip=%s path=%s", row.user.id, request.remote_addr, request.path
                )
                return problem(403, "Forbidden", "Your role does not allow this")
            row.last_used_at = utcnow()
            db.session.commit()
            g.api_user = db.session.get(User, row.user_id)
            return view(*args, **kwargs)

        wrapper.access = "token"
        return wrapper

    return decorator


@bp.before_request
def _refuse_nul_in_query():
    # PostgreSQL text cannot hold NUL: refused here as bad input, never left to fail in the database.
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        raise Invalid({"query": "Must not contain NUL characters"})


def _checked(data):
    """Every string in the body: refused if it cannot be stored (NUL, other control characters, unpaired
    surrogates), trimmed, and empty if nothing in it is visible; nesting is bounded."""
    data, errors = validation.clean_payload(data)
    if errors:
        raise Invalid(errors)
    return data


def json_body():
    if not request.is_json:
        return problem(415, "Unsupported media type", "Send the body as application/json")
    data = request.get_json(silent=True)
    if data is None:
        raise Invalid({"body": "The body is not valid JSON"})
    return _checked(data)


def _visible(request_id):
    """The request if the caller may see it; otherwise 404 problem JSON (raised), revealing nothing."""
    item = access.get_visible(g.api_user, request_id)
    if item is None:
        raise NotFound()
    return item


def _version(data):
    version = data.get("version") if isinstance(data, dict) else None
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise Invalid({"version": "Must be a whole number"})
    return version


@bp.route("/openapi.json")
@public
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(spec())


@bp.route("/requests", methods=["POST"])
@token_required(policy.LEAD_ROLE)
def create():
    """Create a draft for your force."""
    data = json_body()
    if isinstance(data, Response):
        return data
    if not isinstance(data, dict) or "title" not in data:
        raise Invalid({"title": "Enter a title"} if isinstance(data, dict) else {"body": "Send a JSON object"})
    values, cost_lines, funding = parse_request(data)
    title = values.pop("title")
    item = drafts.start(g.api_user, title, values, cost_lines or (), funding or ())
    return jsonify(request_json(item)), 201, {"Location": f"/api/v1/requests/{item.id}"}


@bp.route("/requests", methods=["GET"])
@token_required()
def list_requests():
    """Requests you may see, newest change first."""
    stmt = policy.visible_requests(g.api_user)
    errors = {}
    state = request.args.get("state")
    if state:
        if state not in STATES:
            errors["state"] = f"Must be one of: {', '.join(STATES)}"
        stmt = stmt.where(AssistanceRequest.state == state)
    force = request.args.get("force")
    if force:
        force_id = db.session.scalar(select(Force.id).where(Force.slug == force))
        if force_id is None:
            errors["force"] = "Unknown force slug"
        stmt = stmt.where(AssistanceRequest.force_id == force_id)
    page = request.args.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= 100000:
        errors["page"] = "Must be a whole number from 1"
    if errors:
        raise Invalid(errors)
    page, size = int(page), current_app.config["S26_API_PAGE_SIZE"]
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = db.session.scalars(
        stmt.options(
            selectinload(AssistanceRequest.cost_lines),
            selectinload(AssistanceRequest.funding),
            selectinload(AssistanceRequest.decisions).joinedload(GateDecision.actor),
        )
        .order_by(AssistanceRequest.updated_at.desc(), AssistanceRequest.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return jsonify({"items": [request_json(i) for i in items], "page": page, "page_size": size, "total": total})


@bp.route("/requests/<int:request_id>", methods=["GET"])
@token_required()
def get_request(request_id):
    """One request."""
    return jsonify(request_json(_visible(request_id)))


@bp.route("/requests/<int:request_id>", methods=["PATCH"])
@token_required(policy.LEAD_ROLE)
def patch_request(request_id):
    """Change a draft or returned request."""
    item = _visible(request_id)
    policy.require(g.api_user, policy.EDIT, item)
    data = json_body()
    if isinstance(data, Response):
        return data
    version = _version(data)
    values, cost_lines, funding = parse_request(data, existing=item)
    item = drafts.edit(item.id, g.api_user, values, cost_lines, funding, "api", version)
    return jsonify(request_json(item))


def _transition(request_id, action):
    item = _visible(request_id)
    data = request.get_json(silent=True) if request.data else {}
    if data is None or not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object"})
    result = action(item, _checked(data), _version(data))
    return jsonify(request_json(result if isinstance(result, AssistanceRequest) else item))


@bp.route("/requests/<int:request_id>/submit", methods=["POST"])
@token_required(policy.LEAD_ROLE)
def submit(request_id):
    """Submit (or resubmit) a request."""
    return _transition(request_id, lambda item, data, version: workflow.submit(item.id, g.api_user, version))


@bp.route("/requests/<int:request_id>/withdraw", methods=["POST"])
@token_required(policy.LEAD_ROLE)
def withdraw(request_id):
    """Withdraw a request before approval, with a reason."""

    def action(item, data, version):
        reason = data.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise Invalid({"reason": "Enter why the request is withdrawn"})
        return workflow.withdraw(item.id, g.api_user, reason[:LONG_TEXT_MAX], version)

    return _transition(request_id, action)


@bp.route("/requests/<int:request_id>/deploy", methods=["POST"])
@token_required(policy.LEAD_ROLE)
def deploy(request_id):
    """Record that the deployment started."""

    def action(item, data, version):
        from approvals.api.records import deploy_body

        return workflow.deploy(item.id, g.api_user, expected_version=version, **deploy_body(data))

    return _transition(request_id, action)


@bp.route("/requests/<int:request_id>/close", methods=["POST"])
@token_required(policy.LEAD_ROLE)
def close(request_id):
    """Close out with the end date, the actual cost, the amount recovered and whether each condition was met."""

    def action(item, data, version):
        from approvals.api.records import close_body

        body = close_body(data)
        return workflow.close(
            item.id,
            g.api_user,
            body.pop("actual_cost_pence"),
            body.pop("recovered_pence"),
            version,
            **body,
        )

    return _transition(request_id, action)


@bp.route("/requests/<int:request_id>/variations", methods=["POST"])
@token_required(policy.LEAD_ROLE)
def vary(request_id):
    """Start a variation of an approved or deployed request."""
    item = _visible(request_id)
    variation = workflow.start_variation(item.id, g.api_user)
    return jsonify(request_json(variation)), 201


@bp.route("/requests/<int:request_id>/decisions", methods=["POST"])
@token_required(*policy.roles_for(policy.DECIDE), allow=policy.decides_now)
def decide(request_id):
    """Your decision at the request's current gate."""
    item = _visible(request_id)
    data = json_body()
    if isinstance(data, Response):
        return data
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object"})
    errors = {}
    outcome = data.get("outcome")
    if outcome not in ("positive", "decline", "return"):
        errors["outcome"] = "Must be one of: positive, decline, return"
    texts = {}
    for name in ("reasons", "cost_waiver_reason", "ethics_notes", "hr_lowering_reason"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            errors[name] = "Must be text"
        texts[name] = (value or "")[:LONG_TEXT_MAX] if isinstance(value, str) else ""
    for name in ("referral_reason", "contentious_reason"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            errors[name] = "Must be text"
        texts[name] = (value or "")[:LONG_TEXT_MAX] if isinstance(value, str) else ""
    flags = {}
    # ministerial_attention_acknowledged is deprecated (issue 17): accepted, checked as a boolean, and ignored.
    for name in ("ethics_confirmed", "ministerial_attention_acknowledged", "refer_to_ministers", "contentious"):
        value = data.get(name, False)
        if not isinstance(value, bool):
            errors[name] = "Must be true or false"
        flags[name] = value is True
    from approvals.api.records import decision_conditions

    conditions = decision_conditions(errors, data)
    minister_decision, minister_errors = ministerial.parse_decision(data.get("ministerial_decision"))
    errors.update(minister_errors)
    # The decider agrees with the OSJA assessment's rating standing, or gives their own (human_rights.residual, with
    # reasons in hr_lowering_reason); a whole human_rights object without hr_agreement is their own rating.
    agreement = data.get("hr_agreement")
    if agreement is not None and agreement not in ("agree", "own"):
        errors["hr_agreement"] = "Must be one of: agree, own"
    assessment = parse_assessment(errors, data.get("human_rights"))
    if assessment is None and agreement != "agree" and "human_rights" not in errors:
        errors["human_rights"] = "Give the human-rights assessment, or agree with the rating (hr_agreement)"
    if errors:
        raise Invalid(errors)
    decision_input = workflow.DecisionInput(
        outcome=outcome,
        hr=assessment or Assessment(),
        hr_agreement=agreement,
        ministerial_decision=minister_decision,
        conditions=conditions,
        **texts,
        **flags,
    )
    workflow.decide(item.id, g.api_user, decision_input, _version(data))
    db.session.refresh(item)
    return jsonify(request_json(item)), 201


@bp.route("/requests/<int:request_id>/audit", methods=["GET"])
@token_required()
def audit_events(request_id):
    """The request's audit events, with their hashes."""
    item = _visible(request_id)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.request_id == item.id).order_by(AuditEvent.seq))
    return jsonify(
        {
            "request_id": item.id,
            "events": [
                {
                    "seq": e.seq,
                    "at": e.at.isoformat() + "Z",
                    "actor": e.actor.email if e.actor else None,
                    "event": e.event,
                    "from": e.from_state,
                    "to": e.to_state,
                    "reasons": e.reasons,
                    "snapshot_hash": e.snapshot_hash,
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
                for e in events
            ],
        }
    )


@bp.route("/reports/publication")
@public
def publication():
    """Countries assisted in the last 12 months (public)."""
    return jsonify(transparency.publication())


@bp.route("/reports/foi")
@token_required(policy.FOI_ROLE)
def foi():
    """FOI statistics for a period, as JSON, CSV or Excel."""
    errors = {}
    dates = {}
    for name in ("from", "to"):
        try:
            dates[name] = date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            errors[name] = "Must be a date like 2026-01-31"
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv", "xlsx"):
        errors["format"] = "Must be json, csv or xlsx"
    if not errors and dates["to"] < dates["from"]:
        errors["to"] = "Must be the same as or after from"
    force = policy.foi_scope(g.api_user, request.args.get("force") or None)
    if errors:
        raise Invalid(errors)
    try:
        report = transparency.foi_statistics(dates["from"], dates["to"], force)
    except LookupError as error:
        raise Invalid({"force": "Unknown force slug"}) from error
    if fmt == "json":
        return jsonify(report.as_json())
    return export_response(report, fmt)
