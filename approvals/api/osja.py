"""The OSJA assessment on the API (issue 24): `GET/PUT /requests/{id}/osja`, its versions, and reviews.

Registered on the API blueprint (approvals.api.routes.bp), through approvals.osja as the web pages are. A PUT
sends the whole assessment with the `version` its writer read: a stale version answers 409 and writes nothing.
The body's checks are approvals.osja.errors (one place, for the web form too) and `parse_osja` below.
"""

from flask import Response, g, jsonify

from approvals import osja, policy
from approvals.api.routes import _visible as visible
from approvals.api.routes import bp, json_body, token_required
from approvals.api.schemas import Invalid

# What a GET returns besides the answers: a PUT of it is accepted and these are ignored.
READ_ONLY = ("request_id", "updated_at", "updated_by", "changed", "reviews", "next_review_due", "review_overdue")


def _iso(moment):
    return moment.isoformat() + "Z" if moment else None


def osja_json(item):
    row = osja.current(item)
    content = osja.content_of(item, prefill=row is None)
    due = osja.next_review_due(item)
    return {
        "request_id": item.id,
        "version": row.number if row else 0,
        "updated_at": _iso(row.created_at) if row else None,
        "updated_by": row.author.email if row and row.author else None,
        "changed": list(row.changed or []) if row else [],
        **content,
        "next_review_due": due.isoformat() if due else None,
        "review_overdue": osja.is_review_overdue(item),
        "reviews": [
            {
                "due_on": review.due_on.isoformat(),
                "outcome": review.outcome,
                "reasons": review.reasons,
                "decided_by": review.decided_by.email,
                "decided_at": _iso(review.decided_at),
            }
            for review in osja.reviews(item)
        ],
    }


def parse_osja(data):
    """(the assessment's answers, the version the writer read) from a PUT body; Invalid (422) naming each field."""
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object"})
    errors = {}
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        errors["version"] = "Send the version you read (a whole number, 0 before the first)"
    unknown = sorted(set(data) - set(osja.LABELS) - set(READ_ONLY) - {"version"})
    for key in unknown:
        errors[key] = "This field is not part of the assessment"
    content = {name: data.get(name) for name in osja.LABELS if name in data}
    errors.update(osja.errors(osja.normalised(content)))
    if errors:
        raise Invalid(errors)
    return content, version


@bp.route("/requests/<int:request_id>/osja", methods=["GET"])
@token_required(*sorted(policy.READER_ROLES))
def get_osja(request_id):
    """The request's OSJA assessment as it stands, with its version."""
    return jsonify(osja_json(visible(request_id)))


@bp.route("/requests/<int:request_id>/osja", methods=["PUT"])
@token_required(policy.LEAD_ROLE)
def put_osja(request_id):
    """Replace the assessment: a new version, when `version` is the current one (else 409)."""
    item = visible(request_id)
    policy.raise_if(policy.osja_refusal(g.api_user, item))
    data = json_body()
    if isinstance(data, Response):
        return data
    content, version = parse_osja(data)
    full = {**osja.empty(), **content}
    osja.save(item.id, g.api_user, full, expected_number=version)
    return jsonify(osja_json(visible(request_id)))


@bp.route("/requests/<int:request_id>/osja/versions", methods=["GET"])
@token_required(*sorted(policy.READER_ROLES))
def osja_versions(request_id):
    """Every version of the assessment, newest first, each with what changed from the one before."""
    item = visible(request_id)
    return jsonify(
        {
            "request_id": item.id,
            "items": [
                {
                    "version": row.number,
                    "created_at": _iso(row.created_at),
                    "author": row.author.email if row.author else None,
                    "changed": list(row.changed or []),
                    "content": osja.normalised(row.content),
                }
                for row in osja.versions(item)
            ],
        }
    )


@bp.route("/requests/<int:request_id>/osja/reviews", methods=["POST"])
@token_required(policy.OSJA_REVIEW_ROLE)
def review_osja(request_id):
    """The PCC office's review of long-running work: `outcome` continue or stop, with `reasons`."""
    item = visible(request_id)
    policy.raise_if(policy.osja_review_refusal(g.api_user, item))
    data = json_body()
    if isinstance(data, Response):
        return data
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object"})
    errors = osja.review_errors(data.get("outcome"), data.get("reasons"))
    if errors:
        raise Invalid(errors)
    osja.record_review(item.id, g.api_user, data["outcome"], data["reasons"])
    return jsonify(osja_json(visible(request_id))), 201
