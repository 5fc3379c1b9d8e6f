"""The API's contract, declared once per operation (issue 27).

`@api(method, rule, ...)` registers a view on the API blueprint and declares its body, query, answers by status,
roles and examples. The same declaration checks the bearer token and the role, validates the JSON body and query
with pydantic (each error becomes a field of the RFC 9457 problem, in the web forms' words), and builds the
OpenAPI 3.1 document (`document()`). Bodies are pydantic models beside their routes; their rules (lengths,
choices, bounds) come from approvals.validation, config.settings and models.reference_data, as the forms' do.

Why not flask-openapi3 or spectree: both replace Flask's blueprint and route machinery with their own and answer
validation errors in their own format; here the blueprint, the access markers the url_map test walks, and the
problem JSON stay as they are. Why not apispec: pydantic already writes every schema, and apispec would only
assemble the paths this registry holds (`document()` and its helpers, about ninety lines), its pydantic support
a third-party plugin (apispec-pydantic-plugin).
"""

import logging
import re
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Annotated, Any, ClassVar, Literal

from flask import Blueprint, g, request
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from sqlalchemy import select
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from approvals import access, validation
from approvals.commands import NotFound, WorkflowError
from approvals.responses import problem, refusal_problem
from config.settings import LONG_TEXT_MAX, MAX_MONEY_PENCE, SHORT_TEXT_MAX
from extensions import db
from models import ApiToken, User
from models.types import utcnow
from models.user import hash_token

bp = Blueprint("api", __name__, url_prefix="/api/v1")
log = logging.getLogger("s26.api")
MAX_ID = 2**31 - 1  # ids are 32-bit integers; a larger one in a path names nothing (404, BoundedIntConverter)


class Invalid(Exception):
    def __init__(self, errors):
        super().__init__("invalid input")
        self.errors = errors


@bp.errorhandler(HTTPException)
def _http_error(error):
    response = problem(error.code, error.name, error.description)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


@bp.errorhandler(Invalid)
def _invalid(error):
    db.session.rollback()
    return problem(422, "Your request has errors", "Correct the fields listed in errors", error.errors)


@bp.errorhandler(WorkflowError)
def _workflow_error(error):
    db.session.rollback()
    return refusal_problem(error)


@bp.before_request
def _refuse_nul_in_query():
    # PostgreSQL text cannot hold NUL: refused here as bad input, never left to fail in the database.
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        raise Invalid({"query": "Must not contain NUL characters"})


# --- Field types: each carries its JSON Schema and its check ------------------------------------------------------


def whole(value):
    # JSON has one number type: 9999999.0 is the integer 9999999, as JSON Schema says.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def iso_date(value):
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("Must be a date like 2027-03-27")


def Whole(low=0, high=MAX_ID):  # noqa: N802 - a type
    return Annotated[int, Field(ge=low, le=high), BeforeValidator(whole)]


def Text(high=SHORT_TEXT_MAX, low=0):  # noqa: N802 - a type
    return Annotated[str, Field(min_length=low, max_length=high) if low else Field(max_length=high)]


def Choice(pairs_or_codes):  # noqa: N802 - a type
    codes = tuple(item[0] if isinstance(item, tuple) else item for item in pairs_or_codes)
    return Literal[codes]


Id = Whole(1)
Pence = Annotated[int, Field(ge=0, le=MAX_MONEY_PENCE, description="Whole pence"), BeforeValidator(whole)]
Day = Annotated[date, BeforeValidator(iso_date)]
ShortText = Text()
LongText = Text(LONG_TEXT_MAX)
Reason = Text(LONG_TEXT_MAX, 1)
Version = Annotated[int, Field(ge=0, le=MAX_ID, description="The version you read"), BeforeValidator(whole)]


class Body(BaseModel):
    """A request body: unknown fields refused, strict JSON types. WORDS: a field's message in the form's words."""

    model_config = ConfigDict(extra="forbid", strict=True)
    WORDS: ClassVar[dict] = {}

    def given(self):
        return self.model_dump(exclude_unset=True)


class Form(BaseModel):
    """A multipart/form-data body: its fields arrive as text (converted), its files as uploads."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)
    WORDS: ClassVar[dict] = {}


class Action(Body):
    version: Version | None = Field(None, description="The version you read; a mismatch is a 409")


class Query(BaseModel):
    """Query parameters arrive as text (converted); an unknown one is refused, as in a body."""

    model_config = ConfigDict(extra="forbid")
    WORDS: ClassVar[dict] = {}


class Out(BaseModel):
    """A response body, for the document (responses are built by the services' own JSON functions)."""


class Problem(Out):
    type: str
    title: str
    status: Whole(100, 599)
    detail: str | None = None
    errors: dict[str, str] | None = Field(None, description="Each field or rule that failed, with why")


def _message(error, words):
    kind, ctx = error["type"], error.get("ctx", {})
    path = ".".join(str(part) for part in error["loc"])
    word = words.get(path, words.get(str(error["loc"][0]) if error["loc"] else ""))
    if kind in ("missing", "string_too_short", "literal_error") and word:
        return word  # the form's own words for an empty or unknown answer
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return {
        "missing": "Enter a value",
        "string_type": "Must be text",
        "string_too_short": "Enter a value",
        "string_too_long": f"Must be {ctx.get('max_length')} characters or fewer",
        "bool_type": "Must be true or false",
        "int_type": "Must be a whole number",
        "greater_than_equal": f"Must be {ctx.get('ge')} or more",
        "less_than_equal": f"Must be {ctx.get('le')} or less",
        "literal_error": f"Must be one of: {str(ctx.get('expected', '')).replace(chr(39), '')}",
        "extra_forbidden": "Unknown field",
        "list_type": "Must be a list",
        "too_long": f"Must be a list of at most {ctx.get('max_length')} items",
        "too_short": f"Must have at least {ctx.get('min_length')} items",
        "dict_type": "Must be an object",
        "model_type": "Must be an object",
    }.get(kind, "Is not valid")


def field_errors(error: ValidationError, words=None):
    errors = {}
    for item in error.errors():
        errors.setdefault(".".join(str(part) for part in item["loc"]) or "body", _message(item, words or {}))
    if errors.get("body") == "Must be an object":
        errors["body"] = "Send a JSON object"
    return errors


def parse(model, data):
    """`data` as `model`, or Invalid with each field's error."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise Invalid(field_errors(error, model.WORDS)) from error


# --- Authentication ------------------------------------------------------------------------------------------------


def api_user(roles=(), allow=None):
    """The user of a valid, unrevoked bearer token; with `roles`, they must hold one (or `allow(user)` must say yes:
    a delegate decides without holding the gate's role). Sets g.api_user; otherwise returns the 401 or 403 problem."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    row = None
    if scheme.lower() == "bearer" and token:
        row = db.session.scalars(
            select(ApiToken).where(ApiToken.token_hash == hash_token(token.strip()), ApiToken.revoked_at.is_(None))
        ).first()
    if row is None or not row.user.can_authenticate():
        return problem(401, "Unauthorised", "Send a valid API token as 'Authorization: Bearer <token>'")
    if roles and not row.user.has_role(*roles) and not (allow is not None and allow(row.user)):
        log.warning("api permission refused user=%s ip=%s path=%s", row.user.id, request.remote_addr, request.path)
        return problem(403, "Forbidden", "Your role does not allow this")
    row.last_used_at = utcnow()
    db.session.commit()
    g.api_user = db.session.get(User, row.user_id)
    return None


def checked(data):
    """Every string in the body: refused if it cannot be stored (NUL, other control characters, unpaired
    surrogates), trimmed, and empty if nothing in it is visible; nesting is bounded."""
    data, errors = validation.clean_payload(data)
    if errors:
        raise Invalid(errors)
    return data


def json_body(optional=False):
    """The request's JSON body, cleaned; {} for an optional body sent empty. Not JSON: a 415 problem (raised)."""
    if optional and not request.data:
        return {}
    if not request.is_json:
        raise Unsupported()
    data = request.get_json(silent=True)
    if data is None:
        raise Invalid({"body": "The body is not valid JSON"})
    return checked(data)


class Unsupported(HTTPException):
    code, name, description = 415, "Unsupported media type", "Send the body as application/json"


def visible(request_id):
    """The request if the caller may see it; otherwise 404 problem JSON (raised), revealing nothing."""
    item = access.get_visible(g.api_user, request_id)
    if item is None:
        raise NotFound()
    return item


# --- The declaration -----------------------------------------------------------------------------------------------

FORM = "multipart/form-data"
ANSWERS = {
    401: "No token, or a bad one",
    403: "Your role or force may not do this",
    404: "Nothing with that id that you may see",
    409: "Wrong state, or it changed since you read it",
    413: "The body is too large",
    415: "The body is not JSON",
    422: "Validation failed; errors names each field or rule",
}


@dataclass
class Operation:
    method: str
    rule: str
    endpoint: str
    summary: str
    body: Any
    query: Any
    ok: dict
    errors: tuple
    roles: tuple
    public: bool
    example: Any
    description: str
    optional_body: bool


REGISTRY: dict[str, Operation] = {}


def api(
    method,
    rule,
    *,
    ok=None,
    body=None,
    query=None,
    errors=(),
    roles=(),
    allow=None,
    public=False,
    example=None,
    optional_body=False,
):
    """Declare an operation. `ok`: {status: response model, content map or None}; `body`/`query`: pydantic models
    (the view gets `body=`/`query=` validated instances); `errors`: the problem statuses besides those implied."""

    def decorator(view):
        implied = set(errors) | ({401} if not public else set()) | ({403} if roles else set())
        if "<int:" in rule:
            implied.add(404)
        if body is not None:
            implied |= {413, 415, 422}
        if query is not None:
            implied.add(422)
        summary, _, description = (view.__doc__ or "").strip().partition("\n")
        REGISTRY[view.__name__] = Operation(
            method=method,
            rule=rule,
            endpoint=view.__name__,
            summary=summary.strip().rstrip("."),
            body=body,
            query=query,
            ok=ok or {200: None},
            errors=tuple(sorted(implied)),
            roles=tuple(roles),
            public=public,
            example=example,
            description=description.strip(),
            optional_body=optional_body,
        )

        @wraps(view)
        def wrapper(**kwargs):
            if not public and (refused := api_user(roles, allow)) is not None:
                return refused
            if query is not None:
                kwargs["query"] = parse(query, request.args.to_dict())
            if body is not None and issubclass(body, Form):
                if request.mimetype != FORM:
                    raise Unsupported(f"Send the body as {FORM}")
                kwargs["body"] = parse(body, {**checked(request.form.to_dict()), **request.files.to_dict()})
            elif body is not None:
                kwargs["body"] = parse(body, json_body(optional_body))
            return view(**kwargs)

        wrapper.access = "public" if public else "token"
        bp.add_url_rule(rule, view.__name__, wrapper, methods=[method])
        return wrapper

    return decorator


# --- The OpenAPI 3.1 document ----------------------------------------------------------------------------------------

REF = "#/components/schemas/{model}"
PATH_PARAMS = {
    "int": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    "authorisation": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9-]{0,39}$"},
}


def _schema(model, schemas, mode="validation"):
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return model
    found = model.model_json_schema(ref_template=REF, mode=mode)
    for name, schema in {**found.pop("$defs", {}), model.__name__: found}.items():
        # One name, one schema: two models of one name would silently describe each other.
        if schemas.setdefault(name, schema) != schema:
            raise TypeError(f"two different schemas are named {name}")
    return {"$ref": REF.format(model=model.__name__)}


def _content(answer, schemas):
    if isinstance(answer, dict) and all("/" in key for key in answer):  # several media types
        return {media: {"schema": _schema(s, schemas, "serialization")} for media, s in answer.items()}
    return {"application/json": {"schema": _schema(answer, schemas, "serialization")}}


def _operation(op, schemas):
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": PATH_PARAMS[kind]}
        for kind, name in re.findall(r"<(\w+):(\w+)>", op.rule)
    ]
    if op.query is not None:
        query = op.query.model_json_schema(ref_template=REF)
        schemas.update(query.pop("$defs", {}))
        for name, schema in query["properties"].items():
            parameters.append(
                {"name": name, "in": "query", "required": name in query.get("required", ()), "schema": schema}
            )
    roles = f"Roles: {', '.join(op.roles)}." if op.roles else "Any signed-in role." if not op.public else "Public."
    result = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "description": f"{op.description}\n\n{roles}".strip(),
        "parameters": parameters,
        "responses": {},
    }
    if op.public:
        result["security"] = []
    if op.body is not None:
        media = {"schema": _schema(op.body, schemas)}
        if op.example is not None:
            media["example"] = op.example
        medium = FORM if issubclass(op.body, Form) else "application/json"
        result["requestBody"] = {"required": not op.optional_body, "content": {medium: media}}
    for status, answer in op.ok.items():
        described = {"description": "Done" if status < 300 else "See the status"}
        if answer is not None:
            described["content"] = _content(answer, schemas)
        if status == 201:
            described["headers"] = {"Location": {"schema": {"type": "string"}}}
        result["responses"][str(status)] = described
    for status in op.errors:
        result["responses"][str(status)] = {
            "description": ANSWERS[status],
            "content": {"application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}},
        }
    return result


def document():
    """The OpenAPI 3.1 document of every declared operation."""
    schemas = {}
    _schema(Problem, schemas, "serialization")
    paths = {}
    for op in sorted(REGISTRY.values(), key=lambda op: (op.rule, op.method)):
        path = "/api/v1" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", op.rule)
        paths.setdefault(path, {})[op.method.lower()] = _operation(op, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Section 26 approvals API",
            "version": "1.0.0",
            "description": "Requests for international police assistance under section 26 of the Police Act 1996. "
            "Errors are RFC 9457 problem JSON; a 405 names the allowed methods in its Allow header.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": schemas},
        "paths": paths,
    }
