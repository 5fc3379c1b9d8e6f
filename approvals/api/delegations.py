"""Delegated authority on the API (issue 17): lend a force gate's authority, list, revoke.

Registered on the API blueprint (approvals.api.routes.bp). Input is checked in one place (`parse_delegation`)
so the body can be ported to the API contract's declarations; the rules themselves are the commands' own
(approvals.delegation), shared with the web pages.
"""

from datetime import date

from flask import Response, g, jsonify

from approvals import delegation
from approvals.api.routes import bp, json_body, token_required
from approvals.api.schemas import Invalid
from approvals.commands import Refused

DELEGATION_FIELDS = ("delegate_email", "force", "gate", "from", "to", "reason")


def parse_delegation(data):
    """The body of POST /delegations: {delegate_email, force, gate, from, to, reason}, as the command's arguments.
    Type errors are 422 naming the field; the rules (self, dates, unknown people) are the command's."""
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object"})
    errors = {name: "Unknown field" for name in sorted(set(data) - set(DELEGATION_FIELDS))}
    for name in ("delegate_email", "force", "gate", "reason"):
        if data.get(name) is not None and not isinstance(data[name], str):
            errors[name] = "Must be text"
    if isinstance(data.get("gate"), str) and data["gate"] not in delegation.GATE_NAMES:
        errors["gate"] = f"Must be one of: {', '.join(delegation.GATE_NAMES)}"
    days = {}
    for name in ("from", "to"):
        try:
            days[name] = date.fromisoformat(data[name]) if isinstance(data.get(name), str) else None
        except ValueError:
            days[name] = None
        if days[name] is None:
            errors[name] = "Must be a date like 2027-03-27"
    if errors:
        raise Invalid(errors)
    return {
        "delegate_email": data.get("delegate_email") or "",
        "force_slug": data.get("force") or "",
        "gate_name": data.get("gate") or "",
        "starts_on": days["from"],
        "ends_on": days["to"],
        "reason": data.get("reason") or "",
    }


@bp.route("/delegations", methods=["POST"])
@token_required(*delegation.delegating_roles())
def create_delegation():
    """Delegate a force gate's authority to a named person for a period."""
    data = json_body()
    if isinstance(data, Response):
        return data
    try:
        row = delegation.create(g.api_user, **parse_delegation(data))
    except Refused as error:
        # Field-named rules are input errors (422 naming the field), as the other bodies' are.
        raise Invalid({r.rule: r.message for r in error.refusals}) from error
    return jsonify(delegation.delegation_json(row)), 201


@bp.route("/delegations", methods=["GET"])
@token_required()
def list_delegations():
    """The delegations you may see: all for an admin; your force's gates you hold; those naming you."""
    return jsonify({"items": [delegation.delegation_json(row) for row in delegation.visible(g.api_user)]})


@bp.route("/delegations/<int:delegation_id>", methods=["DELETE"])
@token_required()
def revoke_delegation(delegation_id):
    """Revoke a delegation now; its history is kept."""
    delegation.revoke(g.api_user, delegation_id)
    return "", 204


DATE = {"type": "string", "format": "date"}
DELEGATION = {
    "type": "object",
    "required": ["id", "delegator", "delegate", "force", "gate", "from", "to", "reason", "revoked_at"],
    "properties": {
        "id": {"type": "integer"},
        "delegator": {"type": "string"},
        "delegate": {"type": "string"},
        "force": {"type": "string"},
        "gate": {"enum": list(delegation.GATE_NAMES)},
        "from": DATE,
        "to": DATE,
        "reason": {"type": "string"},
        "kind": {"enum": list(delegation.KINDS)},
        "revoked_at": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]},
    },
}


def _problem(description):
    return {"description": description, "content": {"application/problem+json": {"schema": {"type": "object"}}}}


PATHS = {
    "/api/v1/delegations": {
        "post": {
            "summary": "Delegate a force gate's authority (chief officer or PCC office of the force, or an admin)",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": list(DELEGATION_FIELDS),
                            "additionalProperties": False,
                            "properties": {
                                "delegate_email": {"type": "string", "format": "email"},
                                "force": {"type": "string"},
                                "gate": {"enum": list(delegation.GATE_NAMES)},
                                "from": DATE,
                                "to": DATE,
                                "reason": {"type": "string"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": {
                    "description": "The delegation",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Delegation"}}},
                },
                "401": _problem("No valid token"),
                "403": _problem("Not your force's gate"),
                "415": _problem("Not JSON"),
                "422": _problem("Bad input, each field named"),
            },
        },
        "get": {
            "summary": "The delegations you may see",
            "responses": {
                "200": {
                    "description": "Delegations, newest first",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Delegation"}}
                                },
                            }
                        }
                    },
                },
                "401": _problem("No valid token"),
            },
        },
    },
    "/api/v1/delegations/{delegation_id}": {
        "delete": {
            "summary": "Revoke a delegation (its history is kept)",
            "parameters": [{"name": "delegation_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {
                "204": {"description": "Revoked"},
                "401": _problem("No valid token"),
                "403": _problem("Not yours to revoke"),
                "404": _problem("No such delegation you may see"),
                "409": _problem("Already revoked"),
            },
        }
    },
}


def extend(description):
    """Add the delegations' schema and paths to the API description."""
    description["components"]["schemas"]["Delegation"] = DELEGATION
    description["paths"].update(PATHS)
    return description
