"""Issues 18 and 26 in the OpenAPI description: conditions on decisions, deploy and close; the deployment record's
fields and corrections; the authority letter; the return as PDF and its unmet conditions."""

from config.settings import CONDITION_MAX, LONG_TEXT_MAX, MAX_CONDITIONS, MAX_MONEY_PENCE

DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"anyOf": [DATE, {"type": "null"}]}
PENCE = {"type": "integer", "minimum": 0, "maximum": MAX_MONEY_PENCE}
REASON = {"type": "string", "maxLength": LONG_TEXT_MAX}
ID_PARAM = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
}
PDF = "application/pdf"
FIELDS = ["deployed_on", "deployment_ended_on", "actual_cost_pence", "recovered_pence"]


def _problem(description):
    return {"description": description, "content": {"application/problem+json": {"schema": {"type": "object"}}}}


CONDITION = {
    "type": "object",
    "required": ["id", "text", "gate", "set_by", "met", "note"],
    "properties": {
        "id": {"type": "integer"},
        "text": {"type": "string"},
        "gate": {"type": "string"},
        "set_by": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "set_at": {"type": "string"},
        "met": {"anyOf": [{"type": "boolean"}, {"type": "null"}], "description": "Reported at close-out"},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    },
}
CORRECTION = {
    "type": "object",
    "required": ["id", "field", "old_value", "new_value", "reason", "corrected_by", "corrected_at"],
    "properties": {
        "id": {"type": "integer"},
        "field": {"enum": FIELDS},
        "old_value": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "new_value": {"type": "string"},
        "reason": {"type": "string"},
        "corrected_by": {"type": "string"},
        "corrected_at": {"type": "string"},
    },
}
RECORD_FIELDS = {
    "conditions": {"type": "array", "items": {"$ref": "#/components/schemas/Condition"}},
    "deployed_on": NULLABLE_DATE,
    "deployment_ended_on": NULLABLE_DATE,
    "deployment_dates_reason": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    "close_out_reason": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    "conditions_briefed": {"type": "boolean"},
}
DECISION_CONDITIONS = {
    "type": "array",
    "maxItems": MAX_CONDITIONS,
    "items": {"type": "string", "maxLength": CONDITION_MAX},
    "description": "Conditions attached to a positive decision, one per item",
}
DEPLOY_FIELDS = {
    "deployed_on": {**DATE, "description": "The day it started; by default the approved start date"},
    "reason": {**REASON, "description": "Needed when it started outside the approved dates"},
    "conditions_briefed": {
        "type": "boolean",
        "description": "true is needed when the approval carries conditions: they were briefed to everyone deploying",
    },
}
CLOSE_FIELDS = {
    "ended_on": {**DATE, "description": "The day it ended; by default the approved end date"},
    "reason": {**REASON, "description": "Needed for an end after the approved dates or a cost above the approved"},
    "conditions": {
        "type": "array",
        "description": "Every standing condition, met or not (a note is needed where not met)",
        "items": {
            "type": "object",
            "required": ["id", "met"],
            "properties": {"id": {"type": "integer"}, "met": {"type": "boolean"}, "note": REASON},
        },
    },
}
PATHS = {
    "/api/v1/requests/{id}/authority-letter": {
        "get": {
            "summary": "The letter of authority in force, as a PDF",
            "parameters": [ID_PARAM],
            "responses": {
                "200": {
                    "description": "The letter",
                    "content": {PDF: {"schema": {"type": "string", "format": "binary"}}},
                },
                "401": _problem("No token, or a bad one"),
                "404": _problem("No such request that you may see (FOI officers see none)"),
                "409": _problem("Not approved: no letter yet"),
            },
        }
    },
    "/api/v1/requests/{id}/corrections": {
        "get": {
            "summary": "Corrections of the deployment record",
            "parameters": [ID_PARAM],
            "responses": {
                "200": {
                    "description": "Oldest first",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Correction"}}
                                },
                            }
                        }
                    },
                },
                "401": _problem("No token, or a bad one"),
                "403": _problem("Only the force's lead or an admin"),
                "404": _problem("No such request that you may see"),
                "409": _problem("Nothing recorded yet to correct"),
            },
        },
        "post": {
            "summary": "Correct a recorded deployment date or close-out figure, with a reason (lead or admin)",
            "parameters": [ID_PARAM],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["field", "value", "reason"],
                            "properties": {
                                "field": {"enum": FIELDS},
                                "value": {"anyOf": [DATE, PENCE], "description": "A date, or whole pence"},
                                "reason": REASON,
                                "version": {"type": "integer"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": {
                    "description": "The correction",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Correction"}}},
                },
                "401": _problem("No token, or a bad one"),
                "403": _problem("Only the force's lead or an admin"),
                "404": _problem("No such request that you may see"),
                "409": _problem("Nothing recorded yet to correct, or the request changed"),
                "415": _problem("Send JSON"),
                "422": _problem("Validation failed; errors lists each field"),
            },
        },
    },
}


def _body_properties(operation):
    return operation["requestBody"]["content"]["application/json"]["schema"].setdefault("properties", {})


def extend(description):
    """Add the conditions, the deployment record, corrections and the letter to the API description."""
    schemas, paths = description["components"]["schemas"], description["paths"]
    schemas["Condition"] = CONDITION
    schemas["Correction"] = CORRECTION
    schemas["Request"].setdefault("properties", {}).update(RECORD_FIELDS)
    _body_properties(paths["/api/v1/requests/{id}/decisions"]["post"])["conditions"] = DECISION_CONDITIONS
    _body_properties(paths["/api/v1/requests/{id}/deploy"]["post"]).update(DEPLOY_FIELDS)
    _body_properties(paths["/api/v1/requests/{id}/close"]["post"]).update(CLOSE_FIELDS)
    returns = paths.get("/api/v1/reports/returns", {}).get("get")
    if returns is not None:
        for parameter in returns["parameters"]:
            if parameter["name"] == "format":
                parameter["schema"] = {"enum": ["json", "xlsx", "pdf"]}
        returns["responses"]["200"]["content"][PDF] = {"schema": {"type": "string", "format": "binary"}}
    if "PeriodReturn" in schemas:
        schemas["PeriodReturn"].setdefault("properties", {})["conditions_not_met"] = {
            "type": "integer",
            "minimum": 0,
            "description": "Conditions reported not met at close-outs in the period",
        }
    if "NationalPicture" in schemas:
        schemas["NationalPicture"].setdefault("properties", {})["conditions_not_met"] = {
            "type": "object",
            "description": "Conditions reported not met at close-outs in the last 12 months",
            "properties": {"total": {"type": "integer", "minimum": 0}, "items": {"type": "array"}},
        }
    if "PeriodReturn" in schemas:
        schemas["PeriodReturn"]["properties"]["unmet_conditions"] = {"type": "array"}
    paths.update(PATHS)
    return description
