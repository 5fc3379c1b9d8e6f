"""What an approval produces and what is recorded after it, on the API (issues 18 and 26): the deployment's start
and close-out, the authority letter and corrections of the deployment record, through the same commands as the
pages. Each body is a model here; the rules across fields (dates outside the approved ones need a reason) are the
commands' own."""

from typing import Annotated, Any, ClassVar, Literal

from flask import Response, g, jsonify
from pydantic import Field, WithJsonSchema, field_validator

from approvals import letters, policy, records, validation, workflow
from approvals.api.contract import Action, Body, Day, Id, LongText, Out, Pence, Reason, api, iso_date, visible, whole
from approvals.api.request_bodies import RequestOut, request_json
from config.settings import MAX_MONEY_PENCE

PDF = {letters.CONTENT_TYPE: {"type": "string", "format": "binary"}}


class Deployment(Action):
    deployed_on: Day | None = Field(None, description="The day it started; by default the approved start date")
    reason: LongText = Field("", description="Needed when it started outside the approved dates")
    conditions_briefed: bool = Field(False, description="true is needed when the approval carries conditions")


class ConditionMet(Body):
    id: Id
    met: bool
    note: LongText = Field("", description="Needed where the condition was not met")


class CloseOut(Action):
    actual_cost_pence: Pence
    recovered_pence: Pence
    ended_on: Day | None = Field(None, description="The day it ended; by default the approved end date")
    reason: LongText = Field("", description="Needed for an end after the approved dates or a cost above the approved")
    conditions: list[ConditionMet] = Field([], description="Every standing condition, met or not")


class CorrectionBody(Action):
    field: Literal[tuple(records.CORRECTABLE)]
    value: Annotated[
        Any,
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "string", "format": "date"},
                    {"type": "integer", "minimum": 0, "maximum": MAX_MONEY_PENCE},
                ],
                "description": "A date like 2027-03-27 for a date, whole pence for money",
            }
        ),
    ]
    reason: Reason
    WORDS: ClassVar[dict] = {"reason": "Enter the reason for the correction"}

    @field_validator("value")
    @classmethod
    def _fits_the_field(cls, value, info):
        if "field" not in info.data:
            return value
        if records.CORRECTABLE[info.data["field"]][1] == "date":
            return iso_date(value)
        value = whole(value)
        if not isinstance(value, int) or isinstance(value, bool) or validation.money_error(value):
            raise ValueError(validation.money_error(value) or "Enter a whole number of pence")
        return value


class CorrectionOut(Out):
    id: int
    field: Literal[tuple(records.CORRECTABLE)]
    old_value: str | None
    new_value: str
    reason: str
    corrected_by: str
    corrected_at: str


class Corrections(Out):
    items: list[CorrectionOut]


def condition_json(condition):
    return {
        "id": condition.id,
        "text": condition.text,
        "gate": condition.gate,
        "set_by": condition.set_by.email if condition.set_by else None,
        "set_at": condition.set_at.isoformat() + "Z",
        "met": condition.met,
        "note": condition.note,
    }


def correction_json(row):
    return {
        "id": row.id,
        "field": row.field,
        "old_value": row.old_value,
        "new_value": row.new_value,
        "reason": row.reason,
        "corrected_by": row.corrected_by.email,
        "corrected_at": row.corrected_at.isoformat() + "Z",
    }


def record_json(request):
    """The request JSON's fields for conditions and the deployment record."""
    return {
        "conditions": [condition_json(c) for c in request.conditions if not c.superseded],
        "deployed_on": request.deployed_on.isoformat() if request.deployed_on else None,
        "deployment_ended_on": request.deployment_ended_on.isoformat() if request.deployment_ended_on else None,
        "deployment_dates_reason": request.deployment_dates_reason,
        "close_out_reason": request.close_out_reason,
        "conditions_briefed": request.conditions_briefed_at is not None,
    }


@api(
    "POST",
    "/requests/<int:request_id>/deploy",
    body=Deployment,
    optional_body=True,
    ok={200: RequestOut},
    roles=(policy.LEAD_ROLE,),
    errors=(403, 409),
    example={"deployed_on": "2027-03-27", "conditions_briefed": True},
)
def deploy(request_id, body):
    """Record that the deployment started."""
    item = visible(request_id)
    workflow.deploy(
        item.id,
        g.api_user,
        body.deployed_on,
        body.version,
        reason=body.reason,
        conditions_briefed=body.conditions_briefed,
    )
    return jsonify(request_json(item))


@api(
    "POST",
    "/requests/<int:request_id>/close",
    body=CloseOut,
    ok={200: RequestOut},
    roles=(policy.LEAD_ROLE,),
    errors=(403, 409),
    example={"actual_cost_pence": 1250000, "recovered_pence": 1250000},
)
def close(request_id, body):
    """Close out with the end date, the actual cost, the amount recovered and whether each condition was met."""
    item = visible(request_id)
    reports = [records.ConditionReport(c.id, c.met, c.note) for c in body.conditions]
    workflow.close(
        item.id,
        g.api_user,
        body.actual_cost_pence,
        body.recovered_pence,
        body.version,
        ended_on=body.ended_on,
        reason=body.reason,
        conditions=reports,
    )
    return jsonify(request_json(item))


@api("GET", "/requests/<int:request_id>/authority-letter", ok={200: PDF}, errors=(409,))
def authority_letter(request_id):
    """The letter of authority in force, as a PDF: 409 before approval, 404 for anyone who may not see it."""
    item = visible(request_id)
    document = letters.for_reader(g.api_user, item)
    return Response(
        document.content,
        mimetype=letters.CONTENT_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{document.filename}"',
            "X-Content-SHA256": document.sha256,
        },
    )


@api(
    "GET",
    "/requests/<int:request_id>/corrections",
    ok={200: Corrections},
    roles=tuple(sorted(policy.roles_for(policy.CORRECT))),
    errors=(409,),
)
def list_corrections(request_id):
    """The corrections of the request's deployment record, oldest first."""
    item = records.request_for_correction(g.api_user, request_id)
    return jsonify({"items": [correction_json(row) for row in records.corrections(item)]})


@api(
    "POST",
    "/requests/<int:request_id>/corrections",
    body=CorrectionBody,
    ok={201: CorrectionOut},
    roles=tuple(sorted(policy.roles_for(policy.CORRECT))),
    errors=(409,),
    example={"field": "recovered_pence", "value": 1250000, "reason": "The invoice was paid in full"},
)
def correct(request_id, body):
    """Correct a recorded deployment date or close-out figure, with a reason."""
    item = records.request_for_correction(g.api_user, request_id)
    row = records.correct(item.id, g.api_user, body.field, body.value, body.reason, body.version)
    return jsonify(correction_json(row)), 201
