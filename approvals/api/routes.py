"""The JSON API (v1). It mirrors the web journey through the same approvals.workflow and access rules.

Authentication is a bearer token (never a cookie, so no CSRF); errors are RFC 9457 problem JSON. Each operation
is declared once with `@api` (approvals.api.contract): its body, query, answers and roles; the document at
/api/v1/openapi.json and the page at /api/v1/docs are built from those declarations.
"""

from datetime import date
from typing import Annotated, ClassVar

from flask import current_app, g, jsonify, render_template
from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from approvals import drafts, ministerial, policy, transparency, workflow
from approvals.api.contract import (
    Action,
    Body,
    Choice,
    Day,
    Invalid,
    LongText,
    Out,
    Query,
    ShortText,
    api,
    document,
    visible,
)
from approvals.api.request_bodies import (
    AssessmentIn,
    AuditTrail,
    ForceSlug,
    NewRequest,
    RequestChanges,
    RequestOut,
    RequestPage,
    RequestsQuery,
    Withdrawal,
    request_json,
    request_values,
)
from approvals.human_rights import Assessment
from approvals.machine import GATE_WORDING
from approvals.responses import export_response
from config.settings import CONDITION_MAX, MAX_CONDITIONS
from extensions import db
from models import AssistanceRequest, AuditEvent, GateDecision
from models.reference_data import FORCES


class Conditions(Body):
    conditions: list[Annotated[str, Field(max_length=CONDITION_MAX)]] = Field([], max_length=MAX_CONDITIONS)


class MinisterialDecisionIn(Body):
    minister: ShortText = Field(min_length=1)
    decided_on: Day = Field(description="Today or earlier")
    rationale: LongText = Field(min_length=1)


class DecisionBody(Action, Conditions):
    outcome: Choice(("positive", "decline", "return")) = Field(
        description="positive is the gate's own decision: "
        + "; ".join(f"{gate.verb} ({state})" for state, gate in GATE_WORDING.items())
    )
    hr_agreement: Choice(("agree", "own")) | None = Field(
        None,
        description="Agree with the OSJA assessment's residual rating standing, or give your own (human_rights, with "
        "reasons in hr_lowering_reason). Without it, human_rights is required and is your own rating.",
    )
    reasons: LongText = ""
    cost_waiver_reason: LongText = ""
    human_rights: AssessmentIn | None = None
    hr_lowering_reason: LongText = ""
    ethics_confirmed: bool = False
    ethics_notes: LongText = ""
    ministerial_attention_acknowledged: bool = Field(
        False, description="Deprecated: accepted and ignored. Record ministerial_decision instead.", deprecated=True
    )
    refer_to_ministers: bool = Field(
        False, description="A positive decision that refers the request to ministers (chief officer and PCC gates)"
    )
    referral_reason: LongText = ""
    ministerial_decision: MinisterialDecisionIn | None = Field(
        None,
        description="At the Home Office gate: the ministers' decision on a referred, contentious or high-risk request",
    )
    contentious: bool = False
    contentious_reason: LongText = ""
    WORDS: ClassVar[dict] = {
        "ministerial_decision.minister": "Enter the minister who decided",
        "ministerial_decision.rationale": "Enter the minister's rationale",
    }


class FoiQuery(Query):
    from_: Day = Field(alias="from")
    to: Day
    force: Choice([slug for slug, *_ in FORCES]) | None = None
    format: Choice(("json", "csv", "xlsx")) = "json"


class Country(Out):
    code: str
    name: str


class Period(Out):
    from_: date = Field(alias="from")
    to: date


class Publication(Out):
    period: Period
    countries: list[Country]


class FoiReport(Out):
    marking: str
    period: Period
    force: ForceSlug | None
    totals: dict[str, int]


REQUEST = {200: RequestOut}
STATE_ERRORS = (403, 409)  # the policy refuses the role or force (403), the machine the state or version (409)


@api("GET", "/openapi.json", public=True, ok={200: {"type": "object"}})
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(document())


@api("GET", "/docs", public=True, ok={200: {"text/html": {"type": "string"}}})
def docs():
    """This API's documentation page (Swagger UI on the description, served from this service)."""
    return render_template("api/docs.html")


@api(
    "POST",
    "/requests",
    body=NewRequest,
    ok={201: RequestOut},
    roles=(policy.LEAD_ROLE,),
    example={"title": "Public order training", "destination": "SA", "purpose": "training"},
)
def create(body):
    """Create a draft for your force."""
    values, cost_lines, funding = request_values(body)
    item = drafts.start(g.api_user, values.pop("title"), values, cost_lines or (), funding or ())
    return jsonify(request_json(item)), 201, {"Location": f"/api/v1/requests/{item.id}"}


@api("GET", "/requests", query=RequestsQuery, ok={200: RequestPage})
def list_requests(query):
    """Requests you may see, newest change first."""
    stmt = policy.visible_requests(g.api_user)
    if query.state:
        stmt = stmt.where(AssistanceRequest.state == query.state)
    if query.force:
        stmt = stmt.where(AssistanceRequest.force.has(slug=query.force))
    size = current_app.config["S26_API_PAGE_SIZE"]
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = db.session.scalars(
        stmt.options(
            selectinload(AssistanceRequest.cost_lines),
            selectinload(AssistanceRequest.funding),
            selectinload(AssistanceRequest.decisions).joinedload(GateDecision.actor),
        )
        .order_by(AssistanceRequest.updated_at.desc(), AssistanceRequest.id.desc())
        .limit(size)
        .offset((query.page - 1) * size)
    ).all()
    return jsonify({"items": [request_json(i) for i in items], "page": query.page, "page_size": size, "total": total})


@api("GET", "/requests/<int:request_id>", ok=REQUEST)
def get_request(request_id):
    """One request."""
    return jsonify(request_json(visible(request_id)))


@api(
    "PATCH",
    "/requests/<int:request_id>",
    body=RequestChanges,
    ok=REQUEST,
    roles=(policy.LEAD_ROLE,),
    errors=(409,),
    example={"officers": 5, "version": 1},
)
def patch_request(request_id, body):
    """Change a draft or returned request."""
    item = visible(request_id)
    policy.require(g.api_user, policy.EDIT, item)
    values, cost_lines, funding = request_values(body, existing=item)
    item = drafts.edit(item.id, g.api_user, values, cost_lines, funding, "api", body.version)
    return jsonify(request_json(item))


@api(
    "POST",
    "/requests/<int:request_id>/submit",
    body=Action,
    optional_body=True,
    ok=REQUEST,
    roles=(policy.LEAD_ROLE,),
    errors=STATE_ERRORS,
    example={"version": 7},
)
def submit(request_id, body):
    """Submit (or resubmit) a request."""
    item = visible(request_id)
    return jsonify(request_json(workflow.submit(item.id, g.api_user, body.version)))


@api(
    "POST",
    "/requests/<int:request_id>/withdraw",
    body=Withdrawal,
    optional_body=True,
    ok=REQUEST,
    roles=(policy.LEAD_ROLE,),
    errors=STATE_ERRORS,
    example={"reason": "The partner cancelled", "version": 3},
)
def withdraw(request_id, body):
    """Withdraw a request before approval, with a reason."""
    item = visible(request_id)
    return jsonify(request_json(workflow.withdraw(item.id, g.api_user, body.reason, body.version)))


@api(
    "POST",
    "/requests/<int:request_id>/variations",
    ok={201: RequestOut},
    roles=(policy.LEAD_ROLE,),
    errors=STATE_ERRORS,
)
def vary(request_id):
    """Start a variation of an approved or deployed request."""
    item = visible(request_id)
    variation = workflow.start_variation(item.id, g.api_user)
    return jsonify(request_json(variation)), 201


@api(
    "POST",
    "/requests/<int:request_id>/decisions",
    body=DecisionBody,
    ok={201: RequestOut},
    roles=tuple(sorted(policy.roles_for(policy.DECIDE))),
    allow=policy.decides_now,
    errors=STATE_ERRORS,
    example={"outcome": "positive", "hr_agreement": "agree", "ethics_confirmed": True, "version": 2},
)
def decide(request_id, body):
    """Your decision at the request's current gate."""
    item = visible(request_id)
    minister_decision, errors = None, {}
    if body.ministerial_decision is not None:
        minister_decision, errors = ministerial.parse_decision(body.ministerial_decision.model_dump())
    # The decider agrees with the OSJA assessment's rating standing, or gives their own (human_rights.residual, with
    # reasons in hr_lowering_reason); a whole human_rights object without hr_agreement is their own rating.
    assessment = body.human_rights.assessment() if body.human_rights else None
    if assessment is None and body.hr_agreement != "agree":
        errors["human_rights"] = "Give the human-rights assessment, or agree with the rating (hr_agreement)"
    if errors:
        raise Invalid(errors)
    texts = body.model_dump(
        include={
            "reasons",
            "cost_waiver_reason",
            "ethics_notes",
            "hr_lowering_reason",
            "referral_reason",
            "contentious_reason",
            "ethics_confirmed",
            "contentious",
            "ministerial_attention_acknowledged",
            "refer_to_ministers",
        }
    )
    decision_input = workflow.DecisionInput(
        outcome=body.outcome,
        hr=assessment or Assessment(),
        hr_agreement=body.hr_agreement,
        ministerial_decision=minister_decision,
        conditions=[text for text in body.conditions if text],
        **texts,
    )
    workflow.decide(item.id, g.api_user, decision_input, body.version)
    db.session.refresh(item)
    return jsonify(request_json(item)), 201


@api("GET", "/requests/<int:request_id>/audit", ok={200: AuditTrail})
def audit_events(request_id):
    """The request's audit events, with their hashes, oldest first."""
    item = visible(request_id)
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


@api("GET", "/reports/publication", public=True, ok={200: Publication})
def publication():
    """Countries assisted in the last 12 months (public)."""
    return jsonify(transparency.publication())


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@api(
    "GET",
    "/reports/foi",
    query=FoiQuery,
    roles=(policy.FOI_ROLE,),
    ok={
        200: {
            "application/json": FoiReport,
            "text/csv": {"type": "string"},
            XLSX: {"type": "string", "format": "binary"},
        }
    },
)
def foi(query):
    """FOI statistics for a period, as JSON, CSV or Excel. A force's FOI officer asks for their own force only."""
    if query.to < query.from_:
        raise Invalid({"to": "Must be the same as or after from"})
    force = policy.foi_scope(g.api_user, query.force)
    try:
        report = transparency.foi_statistics(query.from_, query.to, force)
    except LookupError as error:
        raise Invalid({"force": "Unknown force slug"}) from error
    if query.format == "json":
        return jsonify(report.as_json())
    return export_response(report, query.format)
