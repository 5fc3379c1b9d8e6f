"""The OpenAPI 3.1 description of the API, built from the same code lists the service uses."""

from approvals import human_rights
from approvals.machine import GATE_WORDING, STATES
from config.settings import LONG_TEXT_MAX, MAX_PEOPLE, SHORT_TEXT_MAX
from models.reference_data import (
    ASSISTANCE_KINDS,
    COST_CATEGORIES,
    FUNDING_SOURCES,
    PURPOSES,
    REQUESTING_BODY_KINDS,
    SPONSORS,
)


def _codes(pairs):
    return [code for code, _ in pairs]


def _nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


TEXT = {"type": "string", "maxLength": SHORT_TEXT_MAX}
LONG_TEXT = {"type": "string", "maxLength": LONG_TEXT_MAX}
PENCE = {"type": "integer", "minimum": 0, "maximum": 10_000_000_000}
DATE = {"type": "string", "format": "date"}
ASSESSMENT = {
    "type": "object",
    "required": ["residual"],
    "properties": {
        "risks": {"type": "array", "items": {"enum": _codes(human_rights.RISKS)}, "uniqueItems": True},
        "likelihood": _nullable({"enum": _codes(human_rights.LIKELIHOODS)}),
        "mitigations": _nullable(LONG_TEXT),
        "residual": {"enum": _codes(human_rights.RESIDUALS)},
    },
}
ASSESSMENT_OUT = {
    "type": "object",
    "properties": {
        "risks": {"type": "array", "items": {"type": "string"}},
        "likelihood": _nullable({"type": "string"}),
        "mitigations": _nullable({"type": "string"}),
        "residual": _nullable({"type": "string"}),
    },
}
COST_LINE = {
    "type": "object",
    "required": ["category", "amount_pence"],
    "properties": {"category": {"enum": _codes(COST_CATEGORIES)}, "amount_pence": PENCE, "description": TEXT},
}
FUNDING = {
    "type": "object",
    "required": ["source", "amount_pence"],
    "properties": {
        "source": {"enum": _codes(FUNDING_SOURCES)},
        "amount_pence": PENCE,
        "committed": {"type": "boolean"},
        "description": TEXT,
    },
}
REQUEST_FIELDS = {
    "title": {"type": "string", "minLength": 1, "maxLength": SHORT_TEXT_MAX},
    "requesting_body": _nullable(TEXT),
    "requesting_body_kind": _nullable({"enum": _codes(REQUESTING_BODY_KINDS)}),
    "destination": _nullable({"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2, not GB"}),
    "destination_place": _nullable(TEXT),
    "purpose": _nullable({"enum": _codes(PURPOSES)}),
    "purpose_details": _nullable(LONG_TEXT),
    "sponsor": _nullable({"enum": _codes(SPONSORS)}),
    "sponsor_other": _nullable(TEXT),
    "start_date": _nullable(DATE),
    "end_date": _nullable(DATE),
    "officers": _nullable({"type": "integer", "minimum": 0, "maximum": MAX_PEOPLE}),
    "staff": _nullable({"type": "integer", "minimum": 0, "maximum": MAX_PEOPLE}),
    "personnel_roles": _nullable(LONG_TEXT),
    "coordinating_unit": _nullable(TEXT),
    "mission_reference": _nullable(TEXT),
    "uk_investigation": _nullable({"type": "boolean"}),
    "uk_investigation_justification": _nullable(LONG_TEXT),
    "sensitive": _nullable({"type": "boolean"}),
    "marking": {
        "enum": ["OFFICIAL", "OFFICIAL-SENSITIVE"],
        "description": "Government Security Classification; default OFFICIAL-SENSITIVE for a sensitive request, "
        "which is never OFFICIAL. SECRET and above are refused (422): the service is not accredited for them",
    },
    "urgent": _nullable({"type": "boolean"}),
    "urgent_reason": _nullable(LONG_TEXT),
    "retrospective": _nullable({"type": "boolean"}),
    "retrospective_reason": _nullable(LONG_TEXT),
    "contentious": _nullable({"type": "boolean", "description": "Politically or reputationally sensitive"}),
    "contentious_reason": _nullable(LONG_TEXT),
    "cost_lines": {"type": "array", "items": {"$ref": "#/components/schemas/CostLine"}, "maxItems": 100},
    "funding": {"type": "array", "items": {"$ref": "#/components/schemas/Funding"}, "maxItems": 100},
    "human_rights": {"$ref": "#/components/schemas/Assessment"},
    "assistance_kind": {"enum": _codes(ASSISTANCE_KINDS)},
    "foreign_personnel": _nullable({"type": "integer", "minimum": 1, "maximum": MAX_PEOPLE}),
    "location": _nullable(TEXT),
    "general_authorisation": _nullable({"type": "string", "pattern": "^[A-Z0-9][A-Z0-9-]{0,39}$"}),
    "contributing_forces": {
        "type": "array",
        "maxItems": 42,
        "description": "Other forces sending their own people; each decides its own part",
        "items": {
            "type": "object",
            "required": ["force"],
            "properties": {
                "force": {"type": "string", "description": "A force's slug, not the lead's"},
                "officers": {"type": "integer", "minimum": 0, "maximum": MAX_PEOPLE},
                "staff": {"type": "integer", "minimum": 0, "maximum": MAX_PEOPLE},
            },
        },
    },
}
DECISION_OUT = {
    "type": "object",
    "required": ["id", "gate", "outcome", "decided_by", "on_behalf_of"],
    "properties": {
        "id": {"type": "integer"},
        "gate": {"type": "string"},
        "outcome": {"enum": ["positive", "decline", "return"]},
        "decided_by": {"type": "string", "description": "Who decided (the real person)"},
        "on_behalf_of": _nullable(
            {"type": "string", "description": "Under a delegation: the office holder's email; otherwise null"}
        ),
        "refer_to_ministers": {"type": "boolean"},
        "referral_reason": _nullable(LONG_TEXT),
        "ministerial_decision": _nullable({"type": "object"}),
        "ministerial_attention_acknowledged": {"type": "boolean", "deprecated": True},
    },
}
REQUEST_OUT = {
    "type": "object",
    "required": ["id", "reference", "state", "version", "full_cost_pence", "shortfall_pence"],
    "properties": {
        "id": {"type": "integer"},
        "reference": {"type": "string", "pattern": "^S26-[0-9]{4}-[0-9]{4}(-V[0-9]+)?$"},
        "force": {"type": "string"},
        "state": {"enum": list(STATES)},
        "version": {"type": "integer"},
        "operational": _nullable({"type": "boolean"}),
        "duration_band": _nullable({"enum": ["under_2_weeks", "2_to_12_weeks", "over_12_weeks"]}),
        "full_cost_pence": {"type": "integer"},
        "committed_funding_pence": {"type": "integer"},
        "expected_funding_pence": {"type": "integer"},
        "shortfall_pence": {"type": "integer"},
        "marking": {"enum": ["OFFICIAL", "OFFICIAL-SENSITIVE"]},
        "decisions": {"type": "array", "items": {"$ref": "#/components/schemas/Decision"}},
        "human_rights": ASSESSMENT_OUT,
        "referred_to_ministers": {"type": "boolean"},
        "referral_reasons": {"type": "array", "items": {"type": "string"}},
        "ministerial_decision": _nullable({"type": "object"}),
        "escalated": {"type": "boolean"},
    },
}
PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


def _problem(description):
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _ok(description, schema, status="200"):
    return {status: {"description": description, "content": {"application/json": {"schema": schema}}}}


REQUEST_REF = {"$ref": "#/components/schemas/Request"}
ID_PARAM = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
}
ERRORS = {
    "401": _problem("No token, or a bad one"),
    "403": _problem("Your role or force may not do this"),
    "404": _problem("No such request that you may see"),
    "409": _problem("Wrong state, or the request changed since you read it"),
    "415": _problem("The body is not JSON"),
    "422": _problem("Validation failed; errors lists each field or rule"),
}


def _errors(*codes):
    return {code: ERRORS[code] for code in codes}


def _json_body(schema, required=True):
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def _action(summary, body_schema=None, codes=("401", "403", "404", "409", "422")):
    operation = {
        "summary": summary,
        "parameters": [ID_PARAM],
        "responses": {**_ok("The request after the action", REQUEST_REF), **_errors(*codes)},
    }
    if body_schema is not None:
        operation["requestBody"] = _json_body(body_schema, required=False)
    return {"post": operation}


VERSION = {"version": {"type": "integer", "description": "The version you read; a mismatch is a 409"}}


def spec():
    from approvals.api import (  # each part described beside its routes
        call_in,  # a chief officer calls in UK police work (issue 26)
        delegations,  # delegated authority (issue 17)
        disclosure,  # FOI cases (issue 25)
        general_authorisations,  # general authorisations and call-in (issue 23)
        openapi_casefile,  # the case file (issue 16)
        openapi_osja,  # the OSJA assessment and the named people (issue 24)
        openapi_outputs,  # the returns and the national picture (issue 18)
        openapi_records,  # conditions, the authority letter, the deployment record (issues 18, 26)
    )

    return call_in.extend(
        openapi_osja.extend(
            openapi_records.extend(
                delegations.extend(
                    general_authorisations.extend(
                        disclosure.extend(openapi_outputs.extend(openapi_casefile.extend(_spec())))
                    )
                )
            )
        )
    )


def _spec():
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Section 26 approvals API",
            "version": "1.0.0",
            "description": "Requests for international police assistance under section 26 of the Police Act 1996.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Decision": DECISION_OUT,
                "Assessment": ASSESSMENT,
                "CostLine": COST_LINE,
                "Funding": FUNDING,
                "Request": REQUEST_OUT,
                "Problem": PROBLEM,
                "NewRequest": {
                    "type": "object",
                    "required": ["title"],
                    "additionalProperties": False,
                    "properties": REQUEST_FIELDS,
                },
                "RequestChanges": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {**REQUEST_FIELDS, **VERSION},
                },
            },
        },
        "paths": {
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This description",
                    "security": [],
                    "responses": _ok("OpenAPI 3.1", {"type": "object"}),
                }
            },
            "/api/v1/requests": {
                "post": {
                    "summary": "Create a draft for your force",
                    "requestBody": _json_body({"$ref": "#/components/schemas/NewRequest"}),
                    "responses": {**_ok("The new draft", REQUEST_REF, "201"), **_errors("401", "403", "415", "422")},
                },
                "get": {
                    "summary": "Requests you may see",
                    "parameters": [
                        {"name": "state", "in": "query", "schema": {"enum": list(STATES)}},
                        {"name": "force", "in": "query", "schema": {"type": "string"}},
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100000}},
                    ],
                    "responses": {
                        **_ok(
                            "A page of requests",
                            {
                                "type": "object",
                                "required": ["items", "page", "page_size", "total"],
                                "properties": {
                                    "items": {"type": "array", "items": REQUEST_REF},
                                    "page": {"type": "integer"},
                                    "page_size": {"type": "integer"},
                                    "total": {"type": "integer"},
                                },
                            },
                        ),
                        **_errors("401", "422"),
                    },
                },
            },
            "/api/v1/requests/{id}": {
                "get": {
                    "summary": "One request",
                    "parameters": [ID_PARAM],
                    "responses": {**_ok("The request", REQUEST_REF), **_errors("401", "404")},
                },
                "patch": {
                    "summary": "Change a draft or returned request",
                    "parameters": [ID_PARAM],
                    "requestBody": _json_body({"$ref": "#/components/schemas/RequestChanges"}),
                    "responses": {
                        **_ok("The changed request", REQUEST_REF),
                        **_errors("401", "403", "404", "409", "415", "422"),
                    },
                },
            },
            "/api/v1/requests/{id}/submit": _action("Submit or resubmit", {"type": "object", "properties": VERSION}),
            "/api/v1/requests/{id}/withdraw": _action(
                "Withdraw before approval",
                {"type": "object", "required": ["reason"], "properties": {"reason": LONG_TEXT, **VERSION}},
            ),
            "/api/v1/requests/{id}/deploy": _action(
                "Record the deployment start", {"type": "object", "properties": {"deployed_on": DATE, **VERSION}}
            ),
            "/api/v1/requests/{id}/close": _action(
                "Close out",
                {
                    "type": "object",
                    "required": ["actual_cost_pence", "recovered_pence"],
                    "properties": {"actual_cost_pence": PENCE, "recovered_pence": PENCE, **VERSION},
                },
            ),
            "/api/v1/requests/{id}/variations": {
                "post": {
                    "summary": "Start a variation of an approved request",
                    "parameters": [ID_PARAM],
                    "responses": {
                        **_ok("The variation (a draft)", REQUEST_REF, "201"),
                        **_errors("401", "403", "404", "409"),
                    },
                }
            },
            "/api/v1/requests/{id}/decisions": {
                "post": {
                    "summary": "Your decision at the request's current gate",
                    "parameters": [ID_PARAM],
                    "requestBody": _json_body(
                        {
                            "type": "object",
                            "required": ["outcome", "ethics_confirmed"],
                            "properties": {
                                "outcome": {
                                    "enum": ["positive", "decline", "return"],
                                    "description": "positive is the gate's own decision: "
                                    + "; ".join(f"{g.verb} ({s})" for s, g in GATE_WORDING.items()),
                                },
                                "hr_agreement": {
                                    "enum": ["agree", "own"],
                                    "description": "Agree with the OSJA assessment's residual rating standing, or give "
                                    "your own (human_rights.residual, with reasons in hr_lowering_reason). Without it, "
                                    "human_rights is required and is your own rating.",
                                },
                                "reasons": LONG_TEXT,
                                "cost_waiver_reason": LONG_TEXT,
                                "human_rights": {"$ref": "#/components/schemas/Assessment"},
                                "hr_lowering_reason": LONG_TEXT,
                                "ethics_confirmed": {"type": "boolean"},
                                "ethics_notes": LONG_TEXT,
                                "ministerial_attention_acknowledged": {
                                    "type": "boolean",
                                    "deprecated": True,
                                    "description": "Deprecated: accepted and ignored for one release. Record "
                                    "ministerial_decision instead.",
                                },
                                "refer_to_ministers": {
                                    "type": "boolean",
                                    "description": "A positive decision that refers the request to ministers "
                                    "(chief officer and PCC gates); needed for a serious residual risk",
                                },
                                "referral_reason": LONG_TEXT,
                                "ministerial_decision": {
                                    "type": "object",
                                    "description": "At the Home Office gate: the ministers' decision on a "
                                    "referred, contentious, high- or serious-risk request",
                                    "required": ["minister", "decided_on", "rationale"],
                                    "properties": {
                                        "minister": TEXT,
                                        "decided_on": DATE,
                                        "rationale": LONG_TEXT,
                                    },
                                },
                                "contentious": {"type": "boolean"},
                                "contentious_reason": LONG_TEXT,
                                **VERSION,
                            },
                        }
                    ),
                    "responses": {**_ok("The request after the decision", REQUEST_REF, "201"), **_errors(*ERRORS)},
                }
            },
            "/api/v1/requests/{id}/audit": {
                "get": {
                    "summary": "The request's audit events, with hashes",
                    "parameters": [ID_PARAM],
                    "responses": {
                        **_ok(
                            "Events, oldest first",
                            {
                                "type": "object",
                                "properties": {"request_id": {"type": "integer"}, "events": {"type": "array"}},
                            },
                        ),
                        **_errors("401", "404"),
                    },
                }
            },
            "/api/v1/reports/publication": {
                "get": {
                    "summary": "Countries assisted in the last 12 months",
                    "security": [],
                    "responses": _ok(
                        "The published list",
                        {
                            "type": "object",
                            "required": ["period", "countries"],
                            "properties": {
                                "period": {
                                    "type": "object",
                                    "properties": {"from": DATE, "to": DATE},
                                },
                                "countries": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["code", "name"],
                                        "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                                    },
                                },
                            },
                        },
                    ),
                }
            },
            "/api/v1/reports/foi": {
                "get": {
                    "summary": "FOI deployment statistics",
                    "parameters": [
                        {"name": "from", "in": "query", "required": True, "schema": DATE},
                        {"name": "to", "in": "query", "required": True, "schema": DATE},
                        {"name": "force", "in": "query", "schema": {"type": "string"}},
                        {"name": "format", "in": "query", "schema": {"enum": ["json", "csv", "xlsx"]}},
                    ],
                    "responses": {
                        "200": {
                            "description": "The statistics",
                            "content": {
                                "application/json": {"schema": {"type": "object", "required": ["period", "totals"]}},
                                "text/csv": {"schema": {"type": "string"}},
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                    "schema": {"type": "string", "format": "binary"}
                                },
                            },
                        },
                        **_errors("401", "403", "422"),
                    },
                }
            },
        },
    }
