"""The people a request deploys, on the API (issue 24): `GET/POST /requests/{id}/people`,
`GET/PATCH/DELETE /requests/{id}/people/{pid}`.

Personal data: every read goes through approvals.people.read / read_one, which ask the policy and record the view.
The body's shape is the models here; its values are approvals.people.parse's (the web form's too).
"""

from datetime import date
from typing import Annotated

from flask import g, jsonify
from pydantic import Field

from approvals import people, policy
from approvals.api.contract import Body, Choice, Day, Invalid, LongText, Out, ShortText, Version, Whole, api, visible

Days = Whole(0, people.MAX_DAYS)
Email = Annotated[str, Field(min_length=3, max_length=people.EMAIL_MAX, pattern="^[^@ ]*@[^ ]*$")]


def _choice(pairs):
    return Choice(pairs) | None


class PersonFields(Body):
    rank: ShortText | None = None
    home_unit: ShortText | None = None
    role: ShortText | None = None
    vetting: _choice(people.VETTING) = None
    service: _choice(people.SERVICES) = Field(None, description="A short visit unless said otherwise")
    service_start: Day | None = None
    reversion_date: Day | None = None
    travel_risk_assessed_on: Day | None = None
    travel_risk_assessed_by: ShortText | None = None
    fcdo_advice: _choice(people.FCDO_ADVICE) = None
    insurance_holder: _choice(people.HOLDERS) = None
    insurance_holder_other: ShortText | None = Field(None, description="Who holds the insurance, when other")
    liabilities_holder: _choice(people.HOLDERS) = None
    liabilities_holder_other: ShortText | None = Field(None, description="Who holds the liabilities, when other")
    welfare_contact: ShortText | None = None
    days: Days | None = None
    overtime_days: Days | None = None
    debrief_on: Day | None = None
    concerns_observed: bool | None = None
    concerns_note: LongText | None = None
    version: Version | None = None


class NewPerson(PersonFields):
    name: Annotated[ShortText, Field(min_length=1)]
    email: Email
    kind: Choice(people.KINDS)
    WORDS = people.REQUIRED


class PersonChanges(PersonFields):
    name: Annotated[ShortText, Field(min_length=1)] = None
    email: Email = None
    kind: Choice(people.KINDS) = None
    WORDS = people.REQUIRED


class PersonOut(NewPerson):
    model_config = {"extra": "allow", "strict": False}
    id: int
    version: None = Field(None, exclude=True)


class PeopleOut(Out):
    request_id: int
    officers_named: int
    staff_named: int
    officers: int | None
    staff: int | None
    items: list[PersonOut]


def person_json(row):
    result = {"id": row.id}
    for key in people.FIELDS:
        value = getattr(row, key)
        result[key] = value.isoformat() if isinstance(value, date) else value
    return result


def _values(body, partial):
    values, errors = people.parse(body.model_dump(mode="json", exclude_unset=True, exclude={"version"}), partial)
    if errors:
        raise Invalid(errors)
    return values


@api("GET", "/requests/<int:request_id>/people", ok={200: PeopleOut}, roles=tuple(sorted(policy.READER_ROLES)))
def list_people(request_id):
    """The people the request deploys (personal data: each read is recorded)."""
    item = visible(request_id)
    rows = people.read(g.api_user, item, "api")
    officers, staff = people.counts(item)
    return jsonify(
        {
            "request_id": item.id,
            "officers_named": officers,
            "staff_named": staff,
            "officers": item.officers,
            "staff": item.staff,
            "items": [person_json(row) for row in rows],
        }
    )


@api(
    "POST",
    "/requests/<int:request_id>/people",
    body=NewPerson,
    ok={201: PersonOut},
    roles=(policy.LEAD_ROLE,),
    errors=(409,),
    example={"name": "Sam Patel", "email": "sam.patel@example.police.uk", "kind": "officer"},
)
def add_person(request_id, body):
    """Name a person on the request (the force's lead)."""
    item = visible(request_id)
    policy.raise_if(policy.people_refusal(g.api_user, item))
    row = people.add(item.id, g.api_user, _values(body, partial=False), body.version)
    return jsonify(person_json(row)), 201, {"Location": f"/api/v1/requests/{item.id}/people/{row.id}"}


@api(
    "GET", "/requests/<int:request_id>/people/<int:pid>", ok={200: PersonOut}, roles=tuple(sorted(policy.READER_ROLES))
)
def get_person(request_id, pid):
    """One named person (the read is recorded)."""
    item = visible(request_id)
    return jsonify(person_json(people.read_one(g.api_user, item, pid, "api")))


@api(
    "PATCH",
    "/requests/<int:request_id>/people/<int:pid>",
    body=PersonChanges,
    ok={200: PersonOut},
    roles=(policy.LEAD_ROLE,),
    errors=(409,),
    example={"days": 12, "version": 4},
)
def patch_person(request_id, pid, body):
    """Change some of a named person's details."""
    item = visible(request_id)
    policy.raise_if(policy.people_refusal(g.api_user, item))
    row = people.update(item.id, pid, g.api_user, _values(body, partial=True), body.version)
    return jsonify(person_json(row))


@api("DELETE", "/requests/<int:request_id>/people/<int:pid>", ok={204: None}, roles=(policy.LEAD_ROLE,), errors=(409,))
def delete_person(request_id, pid):
    """Remove a named person."""
    item = visible(request_id)
    policy.raise_if(policy.people_refusal(g.api_user, item))
    people.remove(item.id, pid, g.api_user)
    return "", 204
