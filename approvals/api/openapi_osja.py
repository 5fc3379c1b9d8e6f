"""The OSJA assessment and the named people (issue 24) in the OpenAPI description."""

from approvals import human_rights, osja, people
from approvals.api.openapi import DATE, ERRORS, ID_PARAM, LONG_TEXT, TEXT, _json_body, _nullable, _ok, _problem
from config.settings import MAX_MONEY_PENCE, SHORT_TEXT_MAX

DATETIME = {"type": "string", "format": "date-time"}


def _codes(pairs):
    return [code for code, _ in pairs]


def _choice(pairs):
    return _nullable({"enum": _codes(pairs)})


def _errors(*codes):
    return {code: ERRORS[code] for code in codes}


CONSULTEE = {
    "type": "object",
    "required": list(osja.CONSULTEE_KEYS),
    "properties": {"organisation": TEXT, "role": TEXT, "consulted_on": DATE, "advice": LONG_TEXT},
}
ANSWERS = {
    "owner": _choice(osja.OWNERS),
    **{name: _nullable(TEXT) for name in osja.SHORT_FIELDS},
    **{name: _nullable(LONG_TEXT) for name in osja.LONG_FIELDS},
    "risks": {"type": "array", "items": {"enum": _codes(human_rights.RISKS)}, "uniqueItems": True},
    "likelihood": _choice(human_rights.LIKELIHOODS),
    "residual": _choice(human_rights.RESIDUALS),
    "contributes": {
        **_choice(osja.YES_NO),
        "description": "Is there a serious risk that the assistance might directly or significantly contribute to a "
        "violation of human rights and/or international humanitarian law?",
    },
    "consultees": {"type": "array", "items": CONSULTEE, "maxItems": osja.MAX_CONSULTEES},
}
REVIEW = {
    "type": "object",
    "properties": {
        "due_on": DATE,
        "outcome": {"enum": _codes(osja.REVIEW_OUTCOMES)},
        "reasons": {"type": "string"},
        "decided_by": {"type": "string"},
        "decided_at": DATETIME,
    },
}
ASSESSMENT_OUT = {
    "type": "object",
    "required": ["request_id", "version", *osja.LABELS],
    "properties": {
        "request_id": {"type": "integer"},
        "version": {"type": "integer", "minimum": 0, "description": "0 before the first version is saved"},
        "updated_at": _nullable(DATETIME),
        "updated_by": _nullable({"type": "string"}),
        "changed": {"type": "array", "items": {"type": "string"}},
        **ANSWERS,
        "next_review_due": _nullable(DATE),
        "review_overdue": {"type": "boolean"},
        "reviews": {"type": "array", "items": REVIEW},
    },
}
ASSESSMENT_IN = {
    "type": "object",
    "required": ["version"],
    "description": "The whole assessment (what a GET returned, changed); parts left out are unanswered.",
    "properties": {
        "version": {"type": "integer", "minimum": 0, "description": "The version you read; a stale one is a 409"},
        **ANSWERS,
    },
}
PERSON_PROPERTIES = {
    "name": TEXT,
    "email": {"type": "string", "maxLength": people.EMAIL_MAX},
    "kind": {"enum": _codes(people.KINDS)},
    "rank": TEXT,
    "home_unit": TEXT,
    "role": TEXT,
    "vetting": _choice(people.VETTING),
    "service": _choice(people.SERVICES),
    "service_start": _nullable(DATE),
    "reversion_date": _nullable(DATE),
    "travel_risk_assessed_on": _nullable(DATE),
    "travel_risk_assessed_by": _nullable(TEXT),
    "fcdo_advice": _choice(people.FCDO_ADVICE),
    "insurance_holder": _choice(people.HOLDERS),
    "liabilities_holder": _choice(people.HOLDERS),
    "liabilities_holder_other": _nullable({"type": "string", "maxLength": SHORT_TEXT_MAX}),
    "welfare_contact": _nullable(TEXT),
    "days": _nullable({"type": "integer", "minimum": 0, "maximum": people.MAX_DAYS}),
    "overtime_days": _nullable({"type": "integer", "minimum": 0, "maximum": people.MAX_DAYS}),
    "debrief_on": _nullable(DATE),
    "concerns_observed": _nullable({"type": "boolean"}),
    "concerns_note": _nullable(LONG_TEXT),
}
PERSON = {
    "type": "object",
    "required": ["id", "name", "email", "kind"],
    "properties": {"id": {"type": "integer"}, **PERSON_PROPERTIES},
}
PERSON_IN = {
    "type": "object",
    "required": ["name", "email", "kind"],
    "properties": {**PERSON_PROPERTIES, "version": {"type": "integer"}},
}
PERSON_PATCH = {"type": "object", "properties": {**PERSON_PROPERTIES, "version": {"type": "integer"}}}
PERSON_PARAM = {**ID_PARAM, "name": "pid"}

SALARY_LINES = {
    "type": "object",
    "properties": {
        "request": {"$ref": "#/components/schemas/Request"},
        "salary_lines": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "description": {"type": "string"},
                    "amount_pence": {"type": "integer"},
                    "computed_pence": {"type": "integer"},
                    "override_reason": _nullable({"type": "string"}),
                },
            },
        },
        "people_without_a_line": {"type": "integer", "minimum": 0},
    },
}

PATHS = {
    "/api/v1/requests/{id}/osja": {
        "get": {
            "summary": "The request's OSJA assessment as it stands, with its version",
            "parameters": [ID_PARAM],
            "responses": {**_ok("The assessment", ASSESSMENT_OUT), **_errors("401", "403", "404")},
        },
        "put": {
            "summary": "Save the assessment as a new version (the force's lead)",
            "parameters": [ID_PARAM],
            "requestBody": _json_body(ASSESSMENT_IN),
            "responses": {**_ok("The assessment", ASSESSMENT_OUT), **_errors("401", "403", "404", "409", "415", "422")},
        },
    },
    "/api/v1/requests/{id}/osja/versions": {
        "get": {
            "summary": "Every version of the assessment, newest first",
            "parameters": [ID_PARAM],
            "responses": {
                **_ok(
                    "The versions",
                    {
                        "type": "object",
                        "properties": {
                            "request_id": {"type": "integer"},
                            "items": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "version": {"type": "integer"},
                                        "created_at": DATETIME,
                                        "author": _nullable({"type": "string"}),
                                        "changed": {"type": "array", "items": {"type": "string"}},
                                        "content": {"type": "object"},
                                    },
                                },
                            },
                        },
                    },
                ),
                **_errors("401", "403", "404"),
            },
        }
    },
    "/api/v1/requests/{id}/osja/reviews": {
        "post": {
            "summary": "The PCC office's review of long-running work: continue or stop (a stop ends it early)",
            "parameters": [ID_PARAM],
            "requestBody": _json_body(
                {
                    "type": "object",
                    "required": ["outcome", "reasons"],
                    "properties": {"outcome": {"enum": _codes(osja.REVIEW_OUTCOMES)}, "reasons": LONG_TEXT},
                }
            ),
            "responses": {
                **_ok("The assessment with its reviews", ASSESSMENT_OUT, "201"),
                **_errors("401", "403", "404", "409", "415", "422"),
            },
        }
    },
    "/api/v1/requests/{id}/people": {
        "get": {
            "summary": "The people the request deploys (personal data: each read is recorded)",
            "parameters": [ID_PARAM],
            "responses": {
                **_ok(
                    "The people",
                    {
                        "type": "object",
                        "properties": {
                            "request_id": {"type": "integer"},
                            "officers_named": {"type": "integer"},
                            "staff_named": {"type": "integer"},
                            "officers": _nullable({"type": "integer"}),
                            "staff": _nullable({"type": "integer"}),
                            "items": {"type": "array", "items": PERSON},
                        },
                    },
                ),
                **_errors("401", "403", "404"),
            },
        },
        "post": {
            "summary": "Name a person on the request (the force's lead)",
            "parameters": [ID_PARAM],
            "requestBody": _json_body(PERSON_IN),
            "responses": {**_ok("The person", PERSON, "201"), **_errors("401", "403", "404", "409", "415", "422")},
        },
    },
    "/api/v1/requests/{id}/people/{pid}": {
        "get": {
            "summary": "One named person (the read is recorded)",
            "parameters": [ID_PARAM, PERSON_PARAM],
            "responses": {**_ok("The person", PERSON), **_errors("401", "403", "404")},
        },
        "patch": {
            "summary": "Change some of a named person's details",
            "parameters": [ID_PARAM, PERSON_PARAM],
            "requestBody": _json_body(PERSON_PATCH),
            "responses": {**_ok("The person", PERSON), **_errors("401", "403", "404", "409", "415", "422")},
        },
        "delete": {
            "summary": "Remove a named person",
            "parameters": [ID_PARAM, PERSON_PARAM],
            "responses": {"204": {"description": "Removed"}, **_errors("401", "403", "404", "409")},
        },
    },
    "/api/v1/requests/{id}/salary-lines": {
        "post": {
            "summary": "Work out the salary cost lines from the people named, their days and the rate card",
            "parameters": [ID_PARAM],
            "responses": {
                **_ok("The request and its salary lines", SALARY_LINES),
                **_errors("401", "403", "404", "409"),
            },
        }
    },
    "/api/v1/requests/{id}/salary-lines/{line_id}/override": {
        "post": {
            "summary": "Override a worked-out salary line, with a reason",
            "parameters": [ID_PARAM, {**ID_PARAM, "name": "line_id"}],
            "requestBody": _json_body(
                {
                    "type": "object",
                    "required": ["amount_pence", "reason"],
                    "properties": {
                        "amount_pence": {"type": "integer", "minimum": 0, "maximum": MAX_MONEY_PENCE},
                        "reason": LONG_TEXT,
                        "version": {"type": "integer"},
                    },
                }
            ),
            "responses": {
                **_ok("The request and its salary lines", SALARY_LINES),
                **_errors("401", "403", "404", "409", "415", "422"),
            },
        }
    },
}


def extend(description):
    """Add the OSJA assessment's and the named people's paths to the API description."""
    description["paths"].update(PATHS)
    description["paths"]["/api/v1/requests/{id}/decisions"]["post"]["responses"]["403"] = _problem(
        "Your role or force may not do this, or you are named among the people deployed (own_deployment)"
    )
    return description
