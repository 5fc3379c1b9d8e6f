"""General authorisations and the Home Office's call-in on the API (issue 23), through approvals.route and
approvals.workflow as the pages are. The rules are approvals.route.authorisation_errors, the web form's too."""

from datetime import date, datetime
from typing import Annotated

from flask import g, jsonify
from pydantic import Field

from approvals import policy, route, workflow
from approvals.api.contract import Action, Body, Choice, Day, LongText, Out, Reason, ShortText, Whole, api, visible
from approvals.api.request_bodies import DESTINATIONS, RequestOut, request_json
from approvals.commands import NotFound
from approvals.cost_recovery import format_pence
from config.settings import MAX_MONEY_PENCE, MAX_PEOPLE
from extensions import db
from models.reference_data import ASSISTANCE_KINDS, PURPOSES

READERS = (policy.LEAD_ROLE, *sorted(policy.DECIDER_ROLES))
MANAGERS = tuple(sorted(policy.roles_for(policy.CALL_IN)))
Reference = Annotated[str, Field(pattern="^[A-Za-z0-9][A-Za-z0-9-]{0,39}$", description="Stored in capitals")]


class NewAuthorisation(Body):
    reference: Reference
    title: Annotated[ShortText, Field(min_length=1)]
    countries: list[Choice(DESTINATIONS)] = Field([], description="ISO 3166-1 alpha-2 codes; empty means any")
    purposes: list[Choice(PURPOSES)] = Field([], description="Empty means any")
    assistance_kinds: list[Choice(ASSISTANCE_KINDS)] = Field([], description="Empty means any")
    max_personnel: Whole(1, MAX_PEOPLE) | None = None
    max_days: Whole(1, route.MAX_DAYS) | None = None
    max_cost_pence: Whole(1, MAX_MONEY_PENCE) | None = None
    valid_from: Day
    valid_to: Day = Field(description="The same as or after valid_from")
    conditions: LongText | None = None


class Revocation(Body):
    reason: Reason


class HomeOfficeCallIn(Action):
    reasons: Reason


class AuthorisationOut(Out):
    reference: str
    title: str
    countries: list[Choice(DESTINATIONS)]
    purposes: list[Choice(PURPOSES)]
    assistance_kinds: list[Choice(ASSISTANCE_KINDS)]
    max_personnel: int | None
    max_days: int | None
    max_cost_pence: int | None
    max_cost: str | None
    valid_from: date
    valid_to: date
    conditions: str | None
    in_force: bool
    created_at: datetime | None
    revoked_at: datetime | None
    revoked_reason: str | None


class Authorisations(Out):
    items: list[AuthorisationOut]


class Covered(Out):
    items: list[RequestOut]


def _iso(moment):
    return moment.isoformat() + "Z" if moment else None


def authorisation_json(authorisation):
    return {
        "reference": authorisation.reference,
        "title": authorisation.title,
        "countries": list(authorisation.countries or []),
        "purposes": list(authorisation.purposes or []),
        "assistance_kinds": list(authorisation.assistance_kinds or []),
        "max_personnel": authorisation.max_personnel,
        "max_days": authorisation.max_days,
        "max_cost_pence": authorisation.max_cost_pence,
        "max_cost": format_pence(authorisation.max_cost_pence) if authorisation.max_cost_pence is not None else None,
        "valid_from": authorisation.valid_from.isoformat(),
        "valid_to": authorisation.valid_to.isoformat(),
        "conditions": authorisation.conditions,
        "in_force": authorisation.in_force_on(date.today()),
        "created_at": _iso(authorisation.created_at),
        "revoked_at": _iso(authorisation.revoked_at),
        "revoked_reason": authorisation.revoked_reason,
    }


@api("GET", "/general-authorisations", ok={200: Authorisations}, roles=READERS)
def list_general_authorisations():
    """The Home Secretary's general authorisations, most recent first."""
    return jsonify({"items": [authorisation_json(a) for a in route.all_authorisations()]})


@api(
    "POST",
    "/general-authorisations",
    body=NewAuthorisation,
    ok={201: AuthorisationOut},
    roles=MANAGERS,
    errors=(409,),
    example={
        "reference": "GA-2027-01",
        "title": "Training in the Western Balkans",
        "countries": ["AL", "XK"],
        "valid_from": "2027-01-01",
        "valid_to": "2027-12-31",
    },
)
def create_general_authorisation(body):
    """Record a general authorisation (the Home Office)."""
    data = route.AuthorisationInput(**{**body.model_dump(), "conditions": body.conditions or ""})
    return jsonify(authorisation_json(route.record(g.api_user, data))), 201


@api(
    "GET", "/general-authorisations/<authorisation:reference>", ok={200: AuthorisationOut}, roles=READERS, errors=(404,)
)
def show_general_authorisation(reference):
    """One general authorisation."""
    authorisation = route.find(reference)
    if authorisation is None:
        raise NotFound("There is no general authorisation with that reference")
    return jsonify(authorisation_json(authorisation))


@api(
    "POST",
    "/general-authorisations/<authorisation:reference>/revoke",
    body=Revocation,
    ok={200: AuthorisationOut},
    roles=MANAGERS,
    errors=(404, 409),
    example={"reason": "Replaced by GA-2027-02"},
)
def revoke_general_authorisation(reference, body):
    """Revoke a general authorisation, with the reason: requests naming it then need individual consent."""
    return jsonify(authorisation_json(route.revoke(reference, g.api_user, body.reason)))


@api("GET", "/general-authorisations/covered", ok={200: Covered}, roles=MANAGERS)
def covered_requests():
    """Requests on the general authorisation route, not yet approved: those the Home Office may call in."""
    return jsonify({"items": [request_json(item) for item in db.session.scalars(route.covered_requests()).all()]})


@api(
    "POST",
    "/requests/<int:request_id>/call-in",
    body=HomeOfficeCallIn,
    ok={200: RequestOut},
    roles=MANAGERS,
    errors=(409,),
    example={"reasons": "Ministers wish to consider this deployment"},
)
def call_in(request_id, body):
    """Require individual Home Secretary consent for a request on the general authorisation route."""
    item = visible(request_id)
    return jsonify(request_json(workflow.call_in(item.id, g.api_user, body.reasons, expected_version=body.version)))
