"""The case file's part of the OpenAPI description: documents, questions to the submitter, case notes."""

from approvals.documents import ALLOWED_TYPES, KINDS, UPLOADABLE_KINDS
from config.settings import LONG_TEXT_MAX

DATETIME = {"type": "string", "format": "date-time"}
LONG_TEXT = {"type": "string", "maxLength": LONG_TEXT_MAX}
ID_PARAM = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
}


def _id_param(name):
    return {**ID_PARAM, "name": name}


def _nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


DOCUMENT = {
    "type": "object",
    "required": ["id", "kind", "filename", "description", "size_bytes", "sha256", "content_type", "uploaded_by"],
    "properties": {
        "id": {"type": "integer"},
        "kind": {"enum": [code for code, _ in KINDS]},
        "filename": {"type": "string"},
        "description": {"type": "string"},
        "size_bytes": {"type": "integer", "minimum": 1},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "content_type": {"enum": list(ALLOWED_TYPES)},
        "marking": {"enum": ["OFFICIAL", "OFFICIAL-SENSITIVE"]},
        "uploaded_by": {"type": "string"},
        "uploaded_at": DATETIME,
        "query_id": _nullable({"type": "integer"}),
        "superseded_by": _nullable({"type": "integer"}),
    },
}
QUERY = {
    "type": "object",
    "required": ["id", "gate", "question", "asked_by", "asked_at", "answer", "answered_at"],
    "properties": {
        "id": {"type": "integer"},
        "gate": {"type": "string"},
        "question": {"type": "string"},
        "asked_by": {"type": "string"},
        "asked_at": DATETIME,
        "answer": _nullable({"type": "string"}),
        "answered_at": _nullable(DATETIME),
        "paused_working_days": _nullable({"type": "integer"}),
    },
}
NOTE = {
    "type": "object",
    "required": ["id", "text", "visible_to_submitter", "author", "created_at"],
    "properties": {
        "id": {"type": "integer"},
        "text": {"type": "string"},
        "visible_to_submitter": {"type": "boolean"},
        "author": {"type": "string"},
        "created_at": DATETIME,
    },
}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _problem(description):
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    }


ERRORS = {
    "401": _problem("No token, or a bad one"),
    "403": _problem("Your role may not do this here"),
    "404": _problem("No such request (or document, or question) that you may see"),
    "409": _problem("The request's state does not allow this now"),
    "413": _problem("The file is larger than the limit (S26_MAX_DOCUMENT_MB)"),
    "415": _problem("The file's content is not an allowed type, or the body is not the expected media type"),
    "422": _problem("Validation failed or a rule refused it; errors names each field or rule"),
}


def _errors(*codes):
    return {code: ERRORS[code] for code in codes}


def _json(description, schema, status="200"):
    return {status: {"description": description, "content": {"application/json": {"schema": schema}}}}


def _listing(item_ref):
    return {
        "type": "object",
        "required": ["request_id", "items"],
        "properties": {"request_id": {"type": "integer"}, "items": {"type": "array", "items": item_ref}},
    }


def _json_body(schema):
    return {"required": True, "content": {"application/json": {"schema": schema}}}


SCHEMAS = {"Document": DOCUMENT, "Query": QUERY, "Note": NOTE}

PATHS = {
    "/api/v1/requests/{id}/documents": {
        "post": {
            "summary": "Add a document (force lead: draft, returned or a question open; a decider: at their gate)",
            "description": "The type is decided from the file's bytes: PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG or "
            "plain text. Every upload is an audit event carrying the file's SHA-256.",
            "parameters": [ID_PARAM],
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["file", "kind", "description"],
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "kind": {"enum": [code for code, _ in UPLOADABLE_KINDS]},
                                "description": {"type": "string", "minLength": 1, "maxLength": 500},
                                "marking": {
                                    "enum": ["OFFICIAL", "OFFICIAL-SENSITIVE"],
                                    "description": "As marked on the document (default: the request's marking). "
                                    "SECRET and above are refused (422): the service is not accredited for them",
                                },
                                "replaces": {
                                    "type": "integer",
                                    "description": "A current document of the same kind this one supersedes",
                                },
                            },
                        }
                    }
                },
            },
            "responses": {
                **_json("The stored document", _ref("Document"), "201"),
                **_errors("401", "403", "404", "409", "413", "415", "422"),
            },
        },
        "get": {
            "summary": "The request's documents (without their bytes)",
            "parameters": [ID_PARAM],
            "responses": {**_json("Documents, oldest first", _listing(_ref("Document"))), **_errors("401", "404")},
        },
    },
    "/api/v1/requests/{id}/documents/{document_id}": {
        "get": {
            "summary": "A document's bytes, as an attachment of its stored type",
            "parameters": [ID_PARAM, _id_param("document_id")],
            "responses": {
                "200": {
                    "description": "The file (Content-Disposition: attachment; X-Content-Type-Options: nosniff)",
                    "content": {media: {"schema": {"type": "string", "format": "binary"}} for media in ALLOWED_TYPES},
                },
                **_errors("401", "404"),
            },
        },
        "delete": {
            "summary": "Delete a document you uploaded; one a decision was made with can only be superseded",
            "parameters": [ID_PARAM, _id_param("document_id")],
            "responses": {"204": {"description": "Deleted"}, **_errors("401", "403", "404", "409")},
        },
    },
    "/api/v1/requests/{id}/queries": {
        "post": {
            "summary": "Ask the submitter a question (the decider at the current gate); the gate clock pauses",
            "parameters": [ID_PARAM],
            "requestBody": _json_body(
                {"type": "object", "required": ["question"], "properties": {"question": LONG_TEXT}}
            ),
            "responses": {
                **_json("The question", _ref("Query"), "201"),
                **_errors("401", "403", "404", "409", "415", "422"),
            },
        },
        "get": {
            "summary": "The request's questions to the submitter",
            "parameters": [ID_PARAM],
            "responses": {**_json("Questions, oldest first", _listing(_ref("Query"))), **_errors("401", "404")},
        },
    },
    "/api/v1/requests/{id}/queries/{query_id}/answer": {
        "post": {
            "summary": "Answer a question (the force's lead); the gate's due date moves on by the days paused",
            "parameters": [ID_PARAM, _id_param("query_id")],
            "requestBody": _json_body({"type": "object", "required": ["answer"], "properties": {"answer": LONG_TEXT}}),
            "responses": {
                **_json("The answered question", _ref("Query")),
                **_errors("401", "403", "404", "409", "415", "422"),
            },
        }
    },
    "/api/v1/requests/{id}/notes": {
        "post": {
            "summary": "Add a case note; @email mentions email people who may read it",
            "parameters": [ID_PARAM],
            "requestBody": _json_body(
                {
                    "type": "object",
                    "required": ["text"],
                    "properties": {
                        "text": LONG_TEXT,
                        "visible_to_submitter": {
                            "type": "boolean",
                            "description": "false (the default) is internal: deciders only",
                        },
                    },
                }
            ),
            "responses": {
                **_json("The note", _ref("Note"), "201"),
                **_errors("401", "403", "404", "415", "422"),
            },
        },
        "get": {
            "summary": "The notes you may read (the submitter sees only those visible to them)",
            "parameters": [ID_PARAM],
            "responses": {**_json("Notes, oldest first", _listing(_ref("Note"))), **_errors("401", "404")},
        },
    },
}

REQUEST_PROPERTIES = {
    "open_queries": {"type": "integer", "minimum": 0, "description": "Questions to the submitter not yet answered"},
    "gate_clock_paused": {"type": "boolean", "description": "Whether an open question pauses the gate's clock"},
    "gate_due_on": {
        "anyOf": [{"type": "string", "format": "date"}, {"type": "null"}],
        "description": "The gate's due date as it stands today (moving on while the clock is paused)",
    },
}


def extend(description):
    """Add the case file's schemas and paths to the API description."""
    description["components"]["schemas"].update(SCHEMAS)
    description["components"]["schemas"]["Request"]["properties"].update(REQUEST_PROPERTIES)
    description["paths"].update(PATHS)
    return description
