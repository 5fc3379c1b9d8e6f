"""Salary cost lines from the rate card on the API (issue 24): work them out, or override one with a reason.

Registered on the API blueprint (approvals.api.routes.bp), through approvals.rates as the costs page is.
"""

from flask import Response, g, jsonify

from approvals import policy, rates
from approvals.api.routes import _version, bp, json_body, token_required
from approvals.api.routes import _visible as visible
from approvals.api.schemas import Invalid, request_json


def _lines(item):
    return [
        {
            "id": line.id,
            "description": line.description,
            "amount_pence": line.amount_pence,
            "computed_pence": line.computed_pence,
            "override_reason": line.override_reason,
        }
        for line in item.cost_lines
        if line.computed
    ]


@bp.route("/requests/<int:request_id>/salary-lines", methods=["POST"])
@token_required(policy.LEAD_ROLE)
def compute_salary_lines(request_id):
    """Work out the salary lines from the people named, their days and the rate card."""
    item = visible(request_id)
    policy.require(g.api_user, policy.EDIT, item)
    missing = rates.compute_salary_lines(item.id, g.api_user)
    item = visible(request_id)
    return jsonify({"request": request_json(item), "salary_lines": _lines(item), "people_without_a_line": len(missing)})


@bp.route("/requests/<int:request_id>/salary-lines/<int:line_id>/override", methods=["POST"])
@token_required(policy.LEAD_ROLE)
def override_salary_line(request_id, line_id):
    """Override a worked-out salary line: `amount_pence` and `reason` (required)."""
    item = visible(request_id)
    policy.require(g.api_user, policy.EDIT, item)
    data = json_body()
    if isinstance(data, Response):
        return data
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object"})
    errors = {}
    amount = data.get("amount_pence")
    if not isinstance(amount, int) or isinstance(amount, bool):
        errors["amount_pence"] = "Enter a whole number of pence"
    if not isinstance(data.get("reason"), str) or not data["reason"].strip():
        errors["reason"] = "Give the reason for overriding the rate card"
    if errors:
        raise Invalid(errors)
    rates.override(item.id, g.api_user, line_id, amount, data["reason"], _version(data))
    item = visible(request_id)
    return jsonify({"request": request_json(item), "salary_lines": _lines(item), "people_without_a_line": 0})
