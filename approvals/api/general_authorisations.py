"""General authorisations and the Home Office's call-in on the API (issue 23), registered on the API blueprint,
through approvals.route and approvals.workflow as the pages are.

Each body is read by one function here (`parse_authorisation`, `parse_revoke`, `parse_call_in`) so the API contract
work can port them; the rules themselves are approvals.route.authorisation_errors, shared with the web form.
"""

from datetime import date

from flask import Response, g, jsonify

from approvals import policy, route, workflow
from approvals.api.routes import _version, _visible, bp, json_body, problem, token_required
from approvals.api.schemas import Invalid, request_json
from approvals.cost_recovery import format_pence
from approvals.machine import STATES
from config.settings import LONG_TEXT_MAX, MAX_MONEY_PENCE, MAX_PEOPLE, SHORT_TEXT_MAX
from models.reference_data import ASSISTANCE_KINDS, PURPOSES

READERS = (policy.LEAD_ROLE, *sorted(policy.DECIDER_ROLES))
MANAGERS = policy.roles_for(policy.CALL_IN)


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


def _object(data):
    if isinstance(data, Response):
        return data
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object"})
    return None


def _date(errors, data, name):
    value = data.get(name)
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        errors[name] = "Must be a date like 2027-03-31"
        return None


def parse_authorisation(data):
    """The POST /general-authorisations body -> route.AuthorisationInput; type errors raised as 422 here, the
    rules (route.authorisation_errors) answered by the command."""
    errors = {}
    unknown = sorted(set(data) - set(AUTHORISATION_FIELDS))
    for name in unknown:
        errors[name] = "Unknown field"
    for name in ("reference", "title", "conditions"):
        if data.get(name) is not None and not isinstance(data[name], str):
            errors[name] = "Must be text"
    for name in ("countries", "purposes", "assistance_kinds"):
        value = data.get(name)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            errors[name] = "Must be a list of codes"
    for name in ("max_personnel", "max_days", "max_cost_pence"):
        value = data.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            errors[name] = "Must be a whole number"
    valid_from, valid_to = _date(errors, data, "valid_from"), _date(errors, data, "valid_to")
    if errors:
        raise Invalid(errors)
    return route.AuthorisationInput(
        reference=data.get("reference") or "",
        title=data.get("title") or "",
        countries=data.get("countries") or [],
        purposes=data.get("purposes") or [],
        assistance_kinds=data.get("assistance_kinds") or [],
        max_personnel=data.get("max_personnel"),
        max_days=data.get("max_days"),
        max_cost_pence=data.get("max_cost_pence"),
        valid_from=valid_from,
        valid_to=valid_to,
        conditions=data.get("conditions") or "",
    )


def _text_field(data, name):
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise Invalid({name: "Must be text"})
    return value or ""


def parse_revoke(data):
    """The revoke body: {"reason": text}."""
    return _text_field(data, "reason")


def parse_call_in(data):
    """The call-in body: {"reasons": text, "version": n (optional)}."""
    return _text_field(data, "reasons"), _version(data)


@bp.route("/general-authorisations", methods=["GET"])
@token_required(*READERS)
def list_general_authorisations():
    """The Home Secretary's general authorisations, most recent first."""
    return jsonify({"items": [authorisation_json(a) for a in route.all_authorisations()]})


@bp.route("/general-authorisations", methods=["POST"])
@token_required(*MANAGERS)
def create_general_authorisation():
    """Record a general authorisation (the Home Office)."""
    data = json_body()
    if (refused := _object(data)) is not None:
        return refused
    authorisation = route.record(g.api_user, parse_authorisation(data))
    return jsonify(authorisation_json(authorisation)), 201


@bp.route("/general-authorisations/<authorisation:reference>", methods=["GET"])
@token_required(*READERS)
def show_general_authorisation(reference):
    """One general authorisation."""
    authorisation = route.find(reference)
    if authorisation is None:
        return problem(404, "Not found", "There is no general authorisation with that reference")
    return jsonify(authorisation_json(authorisation))


@bp.route("/general-authorisations/<authorisation:reference>/revoke", methods=["POST"])
@token_required(*MANAGERS)
def revoke_general_authorisation(reference):
    """Revoke a general authorisation, with the reason: requests naming it then need individual consent."""
    data = json_body()
    if (refused := _object(data)) is not None:
        return refused
    authorisation = route.revoke(reference, g.api_user, parse_revoke(data))
    return jsonify(authorisation_json(authorisation))


@bp.route("/general-authorisations/covered", methods=["GET"])
@token_required(*MANAGERS)
def covered_requests():
    """Requests on the general authorisation route, not yet approved: those the Home Office may call in."""
    from extensions import db

    items = db.session.scalars(route.covered_requests()).all()
    return jsonify({"items": [request_json(item) for item in items]})


@bp.route("/requests/<int:request_id>/call-in", methods=["POST"])
@token_required(*MANAGERS)
def call_in(request_id):
    """Require individual Home Secretary consent for a request on the general authorisation route."""
    item = _visible(request_id)
    data = json_body()
    if (refused := _object(data)) is not None:
        return refused
    reasons, version = parse_call_in(data)
    return jsonify(request_json(workflow.call_in(item.id, g.api_user, reasons, expected_version=version)))


# --- The OpenAPI description of these routes ----------------------------------------------------------------------

DATE = {"type": "string", "format": "date"}
REFERENCE = {"type": "string", "pattern": "^[A-Z0-9][A-Z0-9-]{0,39}$"}
AUTHORISATION_FIELDS = {
    "reference": REFERENCE,
    "title": {"type": "string", "minLength": 1, "maxLength": SHORT_TEXT_MAX},
    "countries": {
        "type": "array",
        "items": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "description": "ISO 3166-1 alpha-2 codes; empty means any",
    },
    "purposes": {"type": "array", "items": {"enum": [c for c, _ in PURPOSES]}, "description": "Empty means any"},
    "assistance_kinds": {
        "type": "array",
        "items": {"enum": [c for c, _ in ASSISTANCE_KINDS]},
        "description": "Empty means any",
    },
    "max_personnel": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": MAX_PEOPLE}, {"type": "null"}]},
    "max_days": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": route.MAX_DAYS}, {"type": "null"}]},
    "max_cost_pence": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": MAX_MONEY_PENCE}, {"type": "null"}]},
    "valid_from": DATE,
    "valid_to": DATE,
    "conditions": {"anyOf": [{"type": "string", "maxLength": LONG_TEXT_MAX}, {"type": "null"}]},
}
AUTHORISATION = {
    "type": "object",
    "required": ["reference", "title", "valid_from", "valid_to", "in_force"],
    "properties": {
        **AUTHORISATION_FIELDS,
        "in_force": {"type": "boolean"},
        "revoked_at": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "revoked_reason": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    },
}
NEW_AUTHORISATION = {
    "type": "object",
    "required": ["reference", "title", "valid_from", "valid_to"],
    "properties": AUTHORISATION_FIELDS,
}


def _problem(description):
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _ok(description, schema, status="200"):
    return {status: {"description": description, "content": {"application/json": {"schema": schema}}}}


REF = {"$ref": "#/components/schemas/GeneralAuthorisation"}
REF_PARAM = {"name": "reference", "in": "path", "required": True, "schema": REFERENCE}
ID_PARAM = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
}
COMMON = {"401": _problem("No token, or a bad one"), "403": _problem("Not the Home Office")}
PATHS = {
    "/api/v1/general-authorisations": {
        "get": {
            "summary": "The general authorisations",
            "responses": {
                **_ok("Every general authorisation", {"type": "object", "properties": {"items": {"type": "array"}}}),
                **COMMON,
            },
        },
        "post": {
            "summary": "Record a general authorisation (Home Office)",
            "requestBody": {"required": True, "content": {"application/json": {"schema": NEW_AUTHORISATION}}},
            "responses": {
                **_ok("Recorded", REF, "201"),
                **COMMON,
                "415": _problem("The body is not JSON"),
                "422": _problem("Validation failed; errors names each field"),
            },
        },
    },
    "/api/v1/general-authorisations/covered": {
        "get": {
            "summary": "Requests on the general authorisation route not yet approved (Home Office)",
            "responses": {
                **_ok("Requests the Home Office may call in", {"type": "object", "properties": {"items": {}}}),
                **COMMON,
            },
        }
    },
    "/api/v1/general-authorisations/{reference}": {
        "get": {
            "summary": "One general authorisation",
            "parameters": [REF_PARAM],
            "responses": {**_ok("The authorisation", REF), **COMMON, "404": _problem("No such reference")},
        }
    },
    "/api/v1/general-authorisations/{reference}/revoke": {
        "post": {
            "summary": "Revoke a general authorisation, with the reason (Home Office)",
            "parameters": [REF_PARAM],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["reason"],
                            "properties": {"reason": {"type": "string", "maxLength": LONG_TEXT_MAX}},
                        }
                    }
                },
            },
            "responses": {
                **_ok("Revoked", REF),
                **COMMON,
                "404": _problem("No such reference"),
                "409": _problem("Already revoked"),
                "415": _problem("The body is not JSON"),
                "422": _problem("No reason given"),
            },
        }
    },
    "/api/v1/requests/{id}/call-in": {
        "post": {
            "summary": "Require individual Home Secretary consent for a request on the general authorisation route",
            "parameters": [ID_PARAM],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["reasons"],
                            "properties": {
                                "reasons": {"type": "string", "maxLength": LONG_TEXT_MAX},
                                "version": {"type": "integer"},
                            },
                        }
                    }
                },
            },
            "responses": {
                **_ok("The request, now needing individual consent", {"$ref": "#/components/schemas/Request"}),
                **COMMON,
                "404": _problem("No such request that you may see"),
                "409": _problem("Not on the general authorisation route, or already approved"),
                "415": _problem("The body is not JSON"),
                "422": _problem("No reasons given"),
            },
        }
    },
}


def extend(description):
    """Add the general authorisations' schemas and paths, and the request's route fields, to the API description."""
    description["components"]["schemas"]["GeneralAuthorisation"] = AUTHORISATION
    request_out = description["components"]["schemas"]["Request"]["properties"]
    request_out["consent_basis"] = {"enum": list(route.CONSENT_BASES)}
    request_out["general_authorisation"] = {"anyOf": [REFERENCE, {"type": "null"}]}
    request_out["state"] = {"enum": list(STATES)}
    description["paths"].update(PATHS)
    return description
