"""The reports of issue 18 in the OpenAPI description: a force's periodic return and the national picture."""

from approvals.gates import GATE_STATES

DATE = {"type": "string", "format": "date"}
COUNT = {"type": "integer", "minimum": 0}
PENCE = {"type": "integer", "minimum": 0}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _problem(description):
    return {"description": description, "content": {"application/problem+json": {"schema": {"type": "object"}}}}


OPEN_ITEM = {
    "type": "object",
    "required": ["id", "reference", "state", "gate", "entered_on", "age_days", "overdue", "sensitive"],
    "properties": {
        "id": {"type": "integer"},
        "reference": {"type": "string"},
        "title": {"type": "string"},
        "destination": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "country": {"type": "string"},
        "state": {"enum": [*GATE_STATES, "returned"]},
        "gate": {"type": "string", "description": "The gate it waits at, or 'Returned to the force'"},
        "entered_on": DATE,
        "age_days": {"type": "integer", "description": "Days from first submission to the end of the period"},
        "working_days_at_gate": COUNT,
        "overdue": {"type": "boolean"},
        "sensitive": {"type": "boolean", "description": "Sensitive requests are included in a return, and marked"},
        "variation": {"type": "boolean"},
        "urgent": {"type": "boolean"},
    },
}
OUTCOMES = {
    "type": "object",
    "required": ["positive", "decline", "return"],
    "properties": {"positive": COUNT, "decline": COUNT, "return": COUNT},
}
RETURN = {
    "type": "object",
    "required": [
        "force",
        "period",
        "received",
        "decisions",
        "approved",
        "deployed",
        "closed",
        "withdrawn",
        "declined",
        "open",
        "overdue",
        "officers",
        "staff",
        "full_cost_pence",
        "recovered_pence",
    ],
    "description": "Conditions attached to approvals are not yet recorded, so there is no conditions_not_met figure.",
    "properties": {
        "force": {"type": "string"},
        "force_name": {"type": "string"},
        "period": {"type": "object", "properties": {"from": DATE, "to": DATE}},
        "received": {**COUNT, "description": "Requests (not variations) first submitted in the period"},
        "sensitive_received": COUNT,
        "decisions": {
            "type": "object",
            "description": "Gate decisions recorded in the period, by gate (its waiting state) and outcome",
            "properties": {state: OUTCOMES for state in GATE_STATES},
        },
        "approved": COUNT,
        "deployed": {**COUNT, "description": "Deployments whose start date falls in the period"},
        "closed": COUNT,
        "withdrawn": COUNT,
        "declined": COUNT,
        "open": {
            "type": "array",
            "items": OPEN_ITEM,
            "description": "At a gate or returned to the force at the end of the period",
        },
        "overdue": COUNT,
        "officers": COUNT,
        "staff": COUNT,
        "full_cost_pence": {**PENCE, "description": "Actual full cost of requests closed out in the period"},
        "recovered_pence": PENCE,
        "recovery_percent": {"anyOf": [{"type": "number"}, {"type": "null"}]},
    },
}

PATHS = {
    "/api/v1/reports/returns": {
        "get": {
            "summary": "A force's periodic return to its PCC",
            "description": "For the force's chief officers and PCC office (their own force only: another force's "
            "slug is 403) and the Home Office and IPAB (any force: `force` is required). Sensitive requests are "
            "included and marked.",
            "parameters": [
                {"name": "from", "in": "query", "required": True, "schema": DATE},
                {"name": "to", "in": "query", "required": True, "schema": DATE},
                {"name": "force", "in": "query", "schema": {"type": "string"}},
                {"name": "format", "in": "query", "schema": {"enum": ["json", "xlsx"]}},
            ],
            "responses": {
                "200": {
                    "description": "The return",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/PeriodReturn"}},
                        XLSX: {"schema": {"type": "string", "format": "binary"}},
                    },
                },
                "401": _problem("No token, or a bad one"),
                "403": _problem("Your role or force may not read this return"),
                "422": _problem("Validation failed; errors lists each field"),
            },
        }
    },
}
GATE_ROW = {"gate": {"enum": list(GATE_STATES)}, "title": {"type": "string"}}
NATIONAL = {
    "type": "object",
    "description": "Every force; sensitive requests included (for oversight, not publication).",
    "required": [
        "as_at",
        "pipeline",
        "time_at_gates",
        "deployments_by_month",
        "deployments_by_region",
        "deployments_by_country",
    ],
    "properties": {
        "as_at": DATE,
        "sensitive_included": {"type": "boolean"},
        "pipeline": {
            "type": "array",
            "items": {"type": "object", "properties": {**GATE_ROW, "waiting": COUNT, "overdue": COUNT}},
        },
        "returned_to_forces": COUNT,
        "time_at_gates": {
            "type": "object",
            "properties": {
                "period": {"type": "object", "properties": {"from": DATE, "to": DATE}},
                "gates": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            **GATE_ROW,
                            "median_working_days": {"anyOf": [{"type": "number"}, {"type": "null"}]},
                            "visits": COUNT,
                        },
                    },
                },
            },
        },
        "deployments_by_month": {
            "type": "array",
            "description": "The last 12 calendar months, this one last",
            "items": {
                "type": "object",
                "properties": {
                    "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                    "label": {"type": "string"},
                    "deployments": COUNT,
                    "officers": COUNT,
                    "staff": COUNT,
                },
            },
        },
        "deployments_period": {"type": "object", "properties": {"from": DATE, "to": DATE}},
        "deployments_by_region": {
            "type": "array",
            "items": {"type": "object", "properties": {"region": {"type": "string"}, "deployments": COUNT}},
        },
        "deployments_by_country": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "region": {"type": "string"},
                    "deployments": COUNT,
                },
            },
        },
    },
}
PATHS["/api/v1/reports/national"] = {
    "get": {
        "summary": "The national picture (Home Office and IPAB only)",
        "responses": {
            "200": {
                "description": "The dashboard's figures",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NationalPicture"}}},
            },
            "401": _problem("No token, or a bad one"),
            "403": _problem("Only the Home Office and IPAB may read the national picture"),
        },
    }
}
SCHEMAS = {"PeriodReturn": RETURN, "NationalPicture": NATIONAL}


def extend(description):
    """Add the reports' schemas and paths to the API description."""
    description["components"]["schemas"].update(SCHEMAS)
    description["paths"].update(PATHS)
    return description
