"""The people a request deploys, on the API (issue 24): `GET/POST /requests/{id}/people`,
`GET/PATCH/DELETE /requests/{id}/people/{pid}`.

Registered on the API blueprint (approvals.api.routes.bp). Personal data: every read goes through
approvals.people.read / read_one, which ask the policy and record the view. The body's checks are
approvals.people.parse (one place, for the web form too).
"""

from datetime import date

from flask import Response, g, jsonify

from approvals import people, policy
from approvals.api.routes import _version, bp, json_body, token_required
from approvals.api.routes import _visible as visible
from approvals.api.schemas import Invalid


def person_json(row):
    result = {"id": row.id}
    for key in people.FIELDS:
        value = getattr(row, key)
        result[key] = value.isoformat() if isinstance(value, date) else value
    return result


def _body():
    data = json_body()
    if isinstance(data, Response):
        return data, None
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object"})
    version = _version(data)
    values = {key: value for key, value in data.items() if key not in ("id", "version")}
    return values, version


def _checked(values, partial):
    _, errors = people.parse(values, partial=partial)
    if errors:
        raise Invalid(errors)


@bp.route("/requests/<int:request_id>/people", methods=["GET"])
@token_required(*sorted(policy.READER_ROLES))
def list_people(request_id):
    """The people the request deploys (each read is recorded)."""
    item = visible(request_id)
    rows = people.read(g.api_user, item, "api")
    officers, staff = people.counts(item)
    return jsonify(
        {
            "request_id": item.id,
            "officers_named": officers,
            "staff_named": staff,
            "officers": item.officers,
            "staff": item.staff,
            "items": [person_json(row) for row in rows],
        }
    )


@bp.route("/requests/<int:request_id>/people", methods=["POST"])
@token_required(policy.LEAD_ROLE)
def add_person(request_id):
    """Name a person on the request."""
    item = visible(request_id)
    policy.raise_if(policy.people_refusal(g.api_user, item))
    values, version = _body()
    if isinstance(values, Response):
        return values
    _checked(values, partial=False)
    row = people.add(item.id, g.api_user, values, version)
    return jsonify(person_json(row)), 201, {"Location": f"/api/v1/requests/{item.id}/people/{row.id}"}


@bp.route("/requests/<int:request_id>/people/<int:pid>", methods=["GET"])
@token_required(*sorted(policy.READER_ROLES))
def get_person(request_id, pid):
    """One named person (the read is recorded)."""
    item = visible(request_id)
    return jsonify(person_json(people.read_one(g.api_user, item, pid, "api")))


@bp.route("/requests/<int:request_id>/people/<int:pid>", methods=["PATCH"])
@token_required(policy.LEAD_ROLE)
def patch_person(request_id, pid):
    """Change some of a named person's details."""
    item = visible(request_id)
    policy.raise_if(policy.people_refusal(g.api_user, item))
    values, version = _body()
    if isinstance(values, Response):
        return values
    _checked(values, partial=True)
    row = people.update(item.id, pid, g.api_user, values, version)
    return jsonify(person_json(row))


@bp.route("/requests/<int:request_id>/people/<int:pid>", methods=["DELETE"])
@token_required(policy.LEAD_ROLE)
def delete_person(request_id, pid):
    """Remove a named person."""
    item = visible(request_id)
    policy.raise_if(policy.people_refusal(g.api_user, item))
    people.remove(item.id, pid, g.api_user)
    return "", 204
