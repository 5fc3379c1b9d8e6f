"""FOI cases on the API (issue 25), registered on the API blueprint, through approvals.disclosure as the pages are."""

from datetime import date

from flask import Response, g, jsonify, request
from sqlalchemy import select

from approvals import disclosure, policy
from approvals.api.routes import bp, json_body, problem, token_required
from approvals.api.schemas import Invalid
from approvals.responses import response_download
from extensions import db
from models import Force


@bp.errorhandler(disclosure.Invalid)
def _disclosure_invalid(error):
    db.session.rollback()
    return problem(422, "Your request has errors", "Correct the fields listed in errors", error.errors)


def _case_not_found():
    return problem(404, "Not found", "There is no FOI case with that id that you may see")


def _date(errors, data, name, required=False):
    value = data.get(name)
    if value is None:
        if required:
            errors[name] = "Must be a date like 2026-01-31"
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else errors.setdefault(name, "Must be a date")
    except ValueError:
        errors[name] = "Must be a date like 2026-01-31"
        return None


@bp.route("/foi-cases", methods=["GET"])
@token_required(policy.FOI_ROLE)
def list_foi_cases():
    """FOI cases you answer: your force's, or every case for a national FOI officer."""
    cases = db.session.scalars(disclosure.visible_foi_cases(g.api_user)).all()
    return jsonify({"items": [disclosure.case_json(c) for c in cases]})


@bp.route("/foi-cases", methods=["POST"])
@token_required(policy.FOI_ROLE)
def create_foi_case():
    """Open an FOI case; the response is due 20 working days after it was received."""
    data = json_body()
    if isinstance(data, Response):
        return data
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object"})
    errors = {}
    received_on = _date(errors, data, "received_on", required=True)
    period_from, period_to = _date(errors, data, "period_from"), _date(errors, data, "period_to")
    questions = data.get("questions")
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions) or len(questions) > 50:
        errors["questions"] = "Must be a list of question texts (at most 50)"
    force = None
    slug = data.get("force")
    if slug is not None:
        force = db.session.scalars(select(Force).where(Force.slug == slug)).first() if isinstance(slug, str) else None
        if force is None:
            errors["force"] = "Unknown force slug"
        elif g.api_user.force_id is not None and force.id != g.api_user.force_id:
            return problem(403, "Forbidden", "You answer FOI requests for your own force only")
    if errors:
        raise Invalid(errors)
    case = disclosure.open_case(
        g.api_user, data.get("request_text"), received_on, questions, period_from, period_to, force
    )
    return jsonify(disclosure.case_json(case)), 201, {"Location": f"/api/v1/foi-cases/{case.id}"}


@bp.route("/foi-cases/<int:case_id>", methods=["GET"])
@token_required(policy.FOI_ROLE)
def get_foi_case(case_id):
    """One FOI case, with its questions, items and decisions."""
    case = disclosure.get_foi_case(g.api_user, case_id)
    return jsonify(disclosure.case_json(case)) if case else _case_not_found()


@bp.route("/foi-cases/<int:case_id>", methods=["PATCH"])
@token_required(policy.FOI_ROLE)
def patch_foi_case(case_id):
    """Change the case, set each question's items and decisions, or record the response as sent."""
    case = disclosure.get_foi_case(g.api_user, case_id)
    if case is None:
        return _case_not_found()
    data = json_body()
    if isinstance(data, Response):
        return data
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object"})
    errors, changes = {}, {}
    for name in ("received_on", "period_from", "period_to"):
        if name in data:
            changes[name] = _date(errors, data, name, required=True)
    for name in ("request_text", "status"):
        if name in data:
            changes[name] = data[name]
    questions = data.get("questions", [])
    by_id = {q.id: q for q in case.questions}
    if not isinstance(questions, list):
        errors["questions"] = "Must be a list of {id, items}"
        questions = []
    for index, entry in enumerate(questions):
        if not isinstance(entry, dict) or entry.get("id") not in by_id or not isinstance(entry.get("items"), list):
            errors[f"questions[{index}]"] = "Give the id of one of this case's questions and its items (a list)"
    if errors:
        raise Invalid(errors)
    status = changes.pop("status", None)
    for entry in questions:
        disclosure.replace_items(by_id[entry["id"]], g.api_user, entry["items"])
    if changes:
        disclosure.update_case(case, g.api_user, **changes)
    else:
        db.session.commit()
    if status is not None:
        disclosure.update_case(case, g.api_user, status=status)
    return jsonify(disclosure.case_json(case))


@bp.route("/foi-cases/<int:case_id>/response", methods=["GET"])
@token_required(policy.FOI_ROLE)
def foi_case_response(case_id):
    """The response letter, as PDF, .docx (for editing) or plain text."""
    case = disclosure.get_foi_case(g.api_user, case_id)
    if case is None:
        return _case_not_found()
    fmt = request.args.get("format", "pdf")
    if fmt not in ("pdf", "docx", "txt"):
        raise Invalid({"format": "Must be pdf, docx or txt"})
    return response_download(case, fmt)


ID_PARAM = {
    "name": "case_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
}
DATE = {"type": "string", "format": "date"}


def _problem(description):
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


ERRORS = {
    "401": _problem("No token, or a bad one"),
    "403": _problem("Not an FOI officer, or another force's case"),
    "404": _problem("No such FOI case that you may see"),
    "415": _problem("The body is not JSON"),
    "422": _problem("Validation failed; errors names each field"),
}
ITEM = {
    "type": "object",
    "required": ["label", "decision"],
    "properties": {
        "label": {"type": "string", "minLength": 1, "maxLength": 200},
        "source": {"enum": list(disclosure.SOURCE_CODES)},
        "text": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "decision": {"enum": [code for code, _ in disclosure.DECISIONS]},
        "exemptions": {
            "type": "array",
            "items": {"enum": [*disclosure.WITHHOLD_CODES, *disclosure.NCND_CODES]},
            "description": "Withhold: sections 12, 23(1), 24(1), 27(1)(a), 27(1)(c), 31(1)(a), 31(1)(b), 38(1)(b), "
            "40(2). Neither confirm nor deny: 23(5), 24(2), 27(4), 31(3)",
        },
        "pit_for": {"anyOf": [{"type": "string"}, {"type": "null"}], "description": "Needed for qualified exemptions"},
        "pit_against": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "pit_conclusion": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    },
}
FOI_CASE = {
    "type": "object",
    "required": ["id", "received_on", "due_on", "request_text", "status", "questions"],
    "properties": {
        "id": {"type": "integer"},
        "force": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "request_text": {"type": "string"},
        "received_on": DATE,
        "due_on": {**DATE, "description": "20 working days after received_on (England and Wales bank holidays)"},
        "overdue": {"type": "boolean"},
        "period_from": DATE,
        "period_to": DATE,
        "status": {"enum": ["open", "responded"]},
        "responded_on": {"anyOf": [DATE, {"type": "null"}]},
        "questions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "position": {"type": "integer"},
                    "text": {"type": "string"},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/FoiItem"}},
                },
            },
        },
    },
}


def _json(description, schema, status="200"):
    return {status: {"description": description, "content": {"application/json": {"schema": schema}}}}


CASE_REF = {"$ref": "#/components/schemas/FoiCase"}
PATHS = {
    "/api/v1/foi-cases": {
        "get": {
            "summary": "FOI cases you answer (an FOI officer with a force: that force's only)",
            "responses": {
                **_json("Cases", {"type": "object", "properties": {"items": {"type": "array", "items": CASE_REF}}}),
                "401": ERRORS["401"],
                "403": ERRORS["403"],
            },
        },
        "post": {
            "summary": "Open an FOI case",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["received_on", "request_text", "questions"],
                            "properties": {
                                "received_on": DATE,
                                "request_text": {"type": "string", "minLength": 1, "maxLength": 20000},
                                "questions": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                                "period_from": DATE,
                                "period_to": DATE,
                                "force": {"type": "string", "description": "A national FOI officer's choice"},
                            },
                        }
                    }
                },
            },
            "responses": {**_json("The case", CASE_REF, "201"), **{c: ERRORS[c] for c in ("401", "403", "415", "422")}},
        },
    },
    "/api/v1/foi-cases/{case_id}": {
        "get": {
            "summary": "One FOI case",
            "parameters": [ID_PARAM],
            "responses": {**_json("The case", CASE_REF), **{c: ERRORS[c] for c in ("401", "403", "404")}},
        },
        "patch": {
            "summary": "Change the case, set questions' items and decisions, or set status to responded",
            "parameters": [ID_PARAM],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "request_text": {"type": "string"},
                                "received_on": DATE,
                                "period_from": DATE,
                                "period_to": DATE,
                                "status": {"enum": ["open", "responded"]},
                                "questions": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["id", "items"],
                                        "properties": {
                                            "id": {"type": "integer"},
                                            "items": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/FoiItem"},
                                            },
                                        },
                                    },
                                },
                            },
                        }
                    }
                },
            },
            "responses": {**_json("The case", CASE_REF), **{c: ERRORS[c] for c in ("401", "403", "404", "415", "422")}},
        },
    },
    "/api/v1/foi-cases/{case_id}/response": {
        "get": {
            "summary": "The response letter: answers, exemption wording, internal review and ICO complaint rights",
            "parameters": [
                ID_PARAM,
                {"name": "format", "in": "query", "required": False, "schema": {"enum": ["pdf", "docx", "txt"]}},
            ],
            "responses": {
                "200": {
                    "description": "The letter as an attachment",
                    "content": {
                        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                            "schema": {"type": "string", "format": "binary"}
                        },
                        "text/plain": {"schema": {"type": "string"}},
                    },
                },
                **{c: ERRORS[c] for c in ("401", "403", "404", "422")},
            },
        }
    },
}


def extend(description):
    """Add the FOI cases' schemas and paths to the API description."""
    description["components"]["schemas"].update({"FoiCase": FOI_CASE, "FoiItem": ITEM})
    description["paths"].update(PATHS)
    return description
