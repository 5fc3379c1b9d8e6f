"""The request's bodies on the API: what may be sent (pydantic models: shape, types, lengths, choices) and what comes
back. The rules across fields (dates in order, someone to deploy, a reason where a flag is set) are
approvals.validation's, which the web forms call too."""

from datetime import date
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from approvals import cost_recovery, human_rights, marking, ministerial, queries, route, validation
from approvals.api.contract import (
    Action,
    Body,
    Choice,
    Day,
    Invalid,
    LongText,
    Out,
    Pence,
    Query,
    Reason,
    ShortText,
    Text,
    Version,
    Whole,
)
from approvals.gates import GATE_STATES
from approvals.machine import STATES, outcome_label
from config.settings import MAX_MONEY_LINES, MAX_PEOPLE, SHORT_TEXT_MAX
from models.reference_data import (
    ASSISTANCE_KINDS,
    COST_CATEGORIES,
    DURATION_BANDS,
    FORCES,
    FUNDING_SOURCES,
    PURPOSES,
    REQUESTING_BODY_KINDS,
    SPONSORS,
    destination_choices,
)

MAX_CONTRIBUTING_FORCES = 42  # every other territorial force of England and Wales
DESTINATIONS = [code for code, _ in destination_choices()]
ForceSlug = Choice([slug for slug, *_ in FORCES])
People = Whole(0, MAX_PEOPLE)
Outcome = Choice(("positive", "decline", "return"))
Gate = Choice(GATE_STATES)
State = Choice(STATES)


def _marking(value):
    if (message := marking.error(value)) is not None:
        raise ValueError(message)
    return marking.normalise(value)


# A country or territory outside the UK, its ISO code in upper or lower case (stored upper case).
Destination = Annotated[Choice(DESTINATIONS + [code.lower() for code in DESTINATIONS]), AfterValidator(str.upper)]
Marking = Annotated[
    str,
    BeforeValidator(_marking),
    WithJsonSchema(
        {
            "enum": list(marking.MARKINGS),
            "description": "Government Security Classification; SECRET and "
            "above are refused (the service is not accredited for them); a sensitive request is never OFFICIAL",
        }
    ),
]


class AssessmentIn(Body):
    risks: list[Choice(human_rights.RISKS)] = Field([], max_length=len(human_rights.RISKS))
    likelihood: Choice(human_rights.LIKELIHOODS) | None = None
    mitigations: LongText | None = None
    residual: Choice(human_rights.RESIDUALS)
    WORDS: ClassVar[dict] = {"residual": "Select the residual risk", "likelihood": "Select how likely the risk is"}

    def assessment(self):
        return human_rights.Assessment(
            risks=self.risks, likelihood=self.likelihood, mitigations=self.mitigations or "", residual=self.residual
        )


class CostLineIn(Body):
    category: Choice(COST_CATEGORIES)
    amount_pence: Pence
    description: ShortText = ""


class FundingIn(Body):
    source: Choice(FUNDING_SOURCES)
    amount_pence: Pence
    committed: bool = False
    description: ShortText = ""


class ContributingForceIn(Body):
    force: ForceSlug = Field(description="Another force's slug (not the lead's), each force once")
    officers: People = 0
    staff: People = 0


class RequestFields(Body):
    title: Text(SHORT_TEXT_MAX, 1) = None
    requesting_body: ShortText | None = None
    requesting_body_kind: Choice(REQUESTING_BODY_KINDS) | None = None
    destination: Destination | None = None
    destination_place: ShortText | None = None
    purpose: Choice(PURPOSES) | None = None
    purpose_details: LongText | None = None
    sponsor: Choice(SPONSORS) | None = None
    sponsor_other: ShortText | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    officers: People | None = None
    staff: People | None = None
    personnel_roles: LongText | None = None
    coordinating_unit: ShortText | None = None
    mission_reference: ShortText | None = None
    uk_investigation: bool | None = None
    uk_investigation_justification: LongText | None = None
    sensitive: bool | None = None
    marking: Marking = None
    urgent: bool | None = None
    urgent_reason: LongText | None = None
    retrospective: bool = False  # never null: the column holds an answer
    retrospective_reason: LongText | None = None
    contentious: bool | None = Field(None, description="Politically or reputationally sensitive")
    contentious_reason: LongText | None = None
    cost_lines: list[CostLineIn] = Field(None, max_length=MAX_MONEY_LINES)
    funding: list[FundingIn] = Field(None, max_length=MAX_MONEY_LINES)
    human_rights: AssessmentIn = None
    assistance_kind: Choice(ASSISTANCE_KINDS) = None
    foreign_personnel: Whole(1, MAX_PEOPLE) | None = None
    location: ShortText | None = None
    general_authorisation: Annotated[str, Field(pattern="^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")] | None = None
    contributing_forces: list[ContributingForceIn] = Field(
        None, max_length=MAX_CONTRIBUTING_FORCES, description="Other forces sending their own people"
    )
    WORDS: ClassVar[dict] = {"title": "Enter a title", **{name: m for name, (_, m) in validation.CHOICES.items()}}


class NewRequest(RequestFields):
    title: Text(SHORT_TEXT_MAX, 1)


class RequestChanges(RequestFields):
    version: Version | None = None


class Withdrawal(Action):
    reason: Reason
    WORDS: ClassVar[dict] = {"reason": "Enter why the request is withdrawn"}


class RequestsQuery(Query):
    state: State | None = None
    force: ForceSlug | None = None
    page: Whole(1, 100_000) = 1


def request_values(body, existing=None, today=None):
    """A create/patch body as (field values, cost lines or None, funding or None), after the rules across fields.
    Raises Invalid with each field's error, in the forms' words."""
    given = body.model_fields_set - {"version"}
    values = {name: getattr(body, name) for name in given if name not in ("cost_lines", "funding", "human_rights")}
    errors = {}
    if values.get("general_authorisation") is not None:
        values["general_authorisation"] = values["general_authorisation"].upper()
        if route.find(values["general_authorisation"]) is None:
            errors["general_authorisation"] = "There is no general authorisation with this reference"
    if "contributing_forces" in given:
        values["contributing_forces"] = [part.model_dump() for part in body.contributing_forces or ()]
        slugs = [part["force"] for part in values["contributing_forces"]]
        for index, slug in enumerate(slugs):
            if slug in slugs[:index]:
                errors[f"contributing_forces.{index}.force"] = "Must be a force's slug, each force once"
        for index, part in enumerate(values["contributing_forces"]):
            for name, message in validation.personnel_errors(part["officers"], part["staff"]).items():
                errors[f"contributing_forces.{index}.{name}"] = message
    if "human_rights" in given and body.human_rights is not None:
        assessment = body.human_rights.assessment()
        for key, message in human_rights.validate(assessment).items():
            errors[f"human_rights.{key.removeprefix('hr_')}"] = message
        values.update(
            hr_risks=assessment.risks,
            hr_likelihood=assessment.likelihood,
            hr_mitigations=assessment.mitigations or None,
            hr_residual=assessment.residual,
        )
    cost_lines = [line.model_dump() for line in body.cost_lines or ()] if "cost_lines" in given else None
    funding = [line.model_dump() for line in body.funding or ()] if "funding" in given else None
    values = {name: None if value == "" else value for name, value in values.items()}  # empty text: no answer
    merged = {name: getattr(existing, name, None) for name in RequestFields.model_fields if hasattr(existing, name)}
    merged.update(values)
    if not errors:
        today = today or date.today()
        errors.update(
            validation.date_errors(
                merged.get("start_date"),
                merged.get("end_date"),
                merged.get("retrospective"),
                merged.get("retrospective_reason"),
                today,
            )
        )
        errors.update(validation.personnel_errors(merged.get("officers"), merged.get("staff")))
        categories = [line["category"] for line in cost_lines] if cost_lines is not None else None
        if categories is None and existing is not None:
            categories = [line.category for line in existing.cost_lines]
        errors.update(validation.kind_errors(merged, categories or ()))
        errors.update(validation.flag_errors(merged))
        if merged.get("sensitive") and merged.get("marking") == marking.OFFICIAL and "marking" in values:
            errors["marking"] = marking.SENSITIVE_FLOOR_MESSAGE
    if errors:
        raise Invalid(errors)
    return values, cost_lines, funding


# --- What comes back ------------------------------------------------------------------------------------------------

Stamp = Annotated[str, Field(description="UTC, ISO 8601 with Z")]


class AssessmentOut(Out):
    risks: list[str]
    likelihood: str | None
    mitigations: str | None
    residual: str | None


class CostLineOut(Out):
    category: Choice(COST_CATEGORIES)
    amount_pence: int
    description: str | None


class FundingOut(Out):
    source: Choice(FUNDING_SOURCES)
    amount_pence: int
    committed: bool
    description: str | None


class ContributingForceOut(Out):
    force: ForceSlug
    force_name: str
    officers: int | None
    staff: int | None
    state: Choice([state for state in route.PART_STATE_TEXT if state]) | None = Field(
        description="The part's own approval; null while the request is a draft"
    )


class CalledIn(Out):
    at: Stamp
    reasons: str | None


class ConditionOut(Out):
    id: int
    text: str
    gate: Gate | None
    set_by: str | None
    set_at: Stamp
    met: bool | None
    note: str | None


class DecisionOut(Out):
    id: int
    gate: Gate
    outcome: Outcome
    outcome_label: str = Field(description="The gate's own words: Recommended, Approved, Consented, ...")
    decided_at: Stamp
    decided_by: str = Field(description="Who decided (the real person)")
    on_behalf_of: str | None = Field(description="Under a delegation: the office holder's email")
    reasons: str | None
    shortfall_pence: int | None
    cost_waiver_reason: str | None
    cost_waiver: Choice(("recommended", "waived")) | None
    waiver_pence: int | None
    human_rights: AssessmentOut
    ministerial_attention: bool | None
    ministerial_attention_acknowledged: bool | None = Field(json_schema_extra={"deprecated": True})
    refer_to_ministers: bool | None
    referral_reason: str | None
    ministerial_decision: dict | None
    ethics_confirmed: bool | None
    superseded: bool | None


class RequestOut(Out):
    id: int
    reference: Annotated[str, Field(pattern="^S26-[0-9]{4}-[0-9]{4}(-V[0-9]+)?$")]
    force: ForceSlug
    state: State
    version: int
    variation_of: int | None
    title: str
    requesting_body: str | None
    requesting_body_kind: Choice(REQUESTING_BODY_KINDS) | None
    destination: Choice(DESTINATIONS) | None
    destination_place: str | None
    purpose: Choice(PURPOSES) | None
    purpose_details: str | None
    operational: bool | None
    sponsor: Choice(SPONSORS) | None
    sponsor_other: str | None
    start_date: date | None
    end_date: date | None
    duration_band: Choice(DURATION_BANDS) | None
    officers: int | None
    staff: int | None
    personnel_roles: str | None
    coordinating_unit: str | None
    mission_reference: str | None
    uk_investigation: bool | None
    uk_investigation_justification: str | None
    sensitive: bool | None
    marking: Choice(marking.MARKINGS)
    urgent: bool | None
    urgent_reason: str | None
    contentious: bool | None
    contentious_reason: str | None
    referred_to_ministers: bool
    referral_reasons: list[str]
    ministerial_decision: dict | None
    escalated: bool
    retrospective: bool | None
    retrospective_reason: str | None
    cost_lines: list[CostLineOut]
    funding: list[FundingOut]
    full_cost_pence: int
    committed_funding_pence: int
    expected_funding_pence: int
    shortfall_pence: int
    human_rights: AssessmentOut
    assistance_kind: Choice(ASSISTANCE_KINDS) | None
    foreign_personnel: int | None
    location: str | None
    general_authorisation: str | None
    consent_basis: str | None
    contributing_forces: list[ContributingForceOut]
    called_in: CalledIn | None
    decisions: list[DecisionOut]
    gate_due_on: date | None
    open_queries: int
    gate_clock_paused: bool
    actual_cost_pence: int | None
    recovered_pence: int | None
    conditions: list[ConditionOut]
    deployed_on: date | None
    deployment_ended_on: date | None
    deployment_dates_reason: str | None
    close_out_reason: str | None
    conditions_briefed: bool
    created_at: Stamp
    updated_at: Stamp


class RequestPage(Out):
    items: list[RequestOut]
    page: int
    page_size: int
    total: int


class AuditEventOut(Out):
    seq: int
    at: Stamp
    actor: str | None
    event: str
    from_: str | None = Field(alias="from")
    to: str | None
    reasons: str | None
    snapshot_hash: str | None
    prev_hash: str | None
    hash: str


class AuditTrail(Out):
    request_id: int
    events: list[AuditEventOut]


def _assessment_json(row):
    return {
        "risks": list(row.hr_risks or []),
        "likelihood": row.hr_likelihood,
        "mitigations": row.hr_mitigations,
        "residual": row.hr_residual,
    }


def _attributes(row, model, derived):
    """The response `model` describes: its fields read from the row as they are, except those `derived`."""
    return {name: derived[name] if name in derived else getattr(row, name) for name in model.model_fields}


def request_json(request):
    from approvals.api.records import record_json  # here: records registers routes on the blueprint

    position = cost_recovery.position(request.cost_lines, request.funding)
    open_queries, paused, due_on = queries.clock_state(request)
    referral_reasons = ministerial.referral_reasons(request)
    derived = {
        "force": request.force.slug,
        "variation_of": request.variation_of_id,
        "start_date": request.start_date.isoformat() if request.start_date else None,
        "end_date": request.end_date.isoformat() if request.end_date else None,
        "marking": marking.marking_of(request),
        # The ministerial route (issue 17): whether and why the request goes to ministers, and their decision.
        "referred_to_ministers": bool(referral_reasons),
        "referral_reasons": referral_reasons,
        "ministerial_decision": ministerial.standing_ministerial_decision(request),
        "escalated": request.escalated_on is not None,
        "cost_lines": [
            {"category": c.category, "amount_pence": c.amount_pence, "description": c.description}
            for c in request.cost_lines
        ],
        "funding": [
            {"source": f.source, "amount_pence": f.amount_pence, "committed": f.committed, "description": f.description}
            for f in request.funding
        ],
        "full_cost_pence": position.full_cost_pence,
        "committed_funding_pence": position.committed_pence,
        "expected_funding_pence": position.expected_pence,
        "shortfall_pence": position.shortfall_pence,
        "human_rights": _assessment_json(request),
        "consent_basis": route.consent_basis(request),
        "contributing_forces": [
            {
                "force": part.force.slug,
                "force_name": part.force.name,
                "officers": part.officers,
                "staff": part.staff,
                "state": part.state,
            }
            for part in request.contributing_forces
        ],
        "called_in": (
            {"at": request.called_in_at.isoformat() + "Z", "reasons": request.call_in_reasons}
            if request.called_in_at
            else None
        ),
        "decisions": [decision_json(d) for d in request.decisions],
        # While a question to the submitter is open the clock is paused and the due date moves on day by day.
        "gate_due_on": due_on.isoformat() if due_on else None,
        "open_queries": open_queries,
        "gate_clock_paused": paused,
        **record_json(request),
        "created_at": request.created_at.isoformat() + "Z",
        "updated_at": request.updated_at.isoformat() + "Z",
    }
    return _attributes(request, RequestOut, derived)


def decision_json(decision):
    waiver = decision.cost_waiver_reason
    derived = {
        # The gate's own words (approvals.machine.GATE_WORDING): "Recommended", "Approved", "Consented", ...
        "outcome_label": outcome_label(decision.gate, decision.outcome),
        "decided_at": decision.decided_at.isoformat() + "Z",
        "decided_by": decision.actor.email,
        "on_behalf_of": decision.on_behalf_of.email if decision.on_behalf_of_id else None,
        # At the chief officer's gate the reason is a recommendation: the waiver itself is the PCC's.
        "cost_waiver": None if not waiver else "recommended" if decision.waiver_is_recommendation else "waived",
        "human_rights": _assessment_json(decision),
    }
    return _attributes(decision, DecisionOut, derived)
