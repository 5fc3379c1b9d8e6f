"""Delegated authority on the API (issue 17): lend a force gate's authority, list, revoke. The rules (not to
yourself, dates in order, known people) are the commands' own (approvals.delegation), shared with the web pages."""

from datetime import date, datetime
from typing import ClassVar

from flask import g, jsonify
from pydantic import Field

from approvals import delegation, policy
from approvals.api.contract import Body, Choice, Day, Invalid, Out, Reason, api
from approvals.api.people import Email
from approvals.api.request_bodies import ForceSlug
from approvals.commands import Refused

Gate = Choice(tuple(delegation.GATE_NAMES))


class NewDelegation(Body):
    delegate_email: Email
    force: ForceSlug
    gate: Gate
    from_: Day = Field(alias="from")
    to: Day
    reason: Reason
    WORDS: ClassVar[dict] = {"reason": "Enter the reason for the delegation"}


class DelegationOut(Out):
    id: int
    delegator: str
    delegate: str
    force: ForceSlug
    gate: Gate
    from_: date = Field(alias="from")
    to: date
    reason: str
    kind: Choice(delegation.KINDS)
    revoked_at: datetime | None


class Delegations(Out):
    items: list[DelegationOut]


@api(
    "POST",
    "/delegations",
    body=NewDelegation,
    ok={201: DelegationOut},
    roles=policy.delegating_roles(),
    example={
        "delegate_email": "deputy@example.police.uk",
        "force": "north-yorkshire",
        "gate": "chief_officer",
        "from": "2027-03-01",
        "to": "2027-03-14",
        "reason": "Annual leave",
    },
)
def create_delegation(body):
    """Delegate a force gate's authority to a named person for a period.
    The chief officer or PCC office of the force, or an admin."""
    try:
        row = delegation.create(
            g.api_user,
            delegate_email=body.delegate_email,
            force_slug=body.force,
            gate_name=body.gate,
            starts_on=body.from_,
            ends_on=body.to,
            reason=body.reason,
        )
    except Refused as error:
        # Field-named rules are input errors (422 naming the field), as the other bodies' are.
        raise Invalid({r.rule: r.message for r in error.refusals}) from error
    return jsonify(delegation.delegation_json(row)), 201


@api("GET", "/delegations", ok={200: Delegations})
def list_delegations():
    """The delegations you may see: all for an admin; your force's gates you hold; those naming you."""
    return jsonify({"items": [delegation.delegation_json(row) for row in delegation.visible(g.api_user)]})


@api("DELETE", "/delegations/<int:delegation_id>", ok={204: None}, errors=(403, 409))
def revoke_delegation(delegation_id):
    """Revoke a delegation now; its history is kept."""
    delegation.revoke(g.api_user, delegation_id)
    return "", 204
