"""What an approval produces and what is recorded after it, on the API (issues 18 and 26): the authority letter,
corrections of a deployment record, and the bodies' new fields (conditions on a decision, `conditions_briefed` on
the deployment, the close-out's end date, reason and conditions). Each body's input is read by one function here,
so the API contract work can port it whole.

Registered on the API blueprint (approvals.api.routes.bp), through the same commands as the pages.
"""

from datetime import date

from flask import Response, g, jsonify

from approvals import letters, policy, records
from approvals.api.routes import _checked, _visible, bp, json_body, token_required
from approvals.api.schemas import Invalid
from approvals.validation import conditions_error
from config.settings import LONG_TEXT_MAX

# --- Bodies --------------------------------------------------------------------------------------------------


def _date(errors, data, name):
    value = data.get(name)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        errors[name] = "Must be a date like 2027-03-27"
        return None


def _reason(errors, data, name="reason"):
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = "Must be text"
        return ""
    if len(value) > LONG_TEXT_MAX:
        errors[name] = f"Must be {LONG_TEXT_MAX} characters or fewer"
    return value


def decision_conditions(errors, data):
    """The decision body's `conditions`: a list of strings (blank ones dropped)."""
    value = data.get("conditions")
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        errors["conditions"] = "Must be a list of strings"
        return []
    conditions = [item for item in value if item]
    if (message := conditions_error(conditions)) is not None:
        errors["conditions"] = message
    return conditions


def deploy_body(data):
    """The deploy body: `deployed_on` (default the approved start date), `reason` (needed outside the approved
    dates), `conditions_briefed` (true is needed when the approval carries conditions)."""
    errors = {}
    day = _date(errors, data, "deployed_on")
    reason = _reason(errors, data)
    briefed = data.get("conditions_briefed", False)
    if not isinstance(briefed, bool):
        errors["conditions_briefed"] = "Must be true or false"
    if errors:
        raise Invalid(errors)
    return {"deployed_on": day, "reason": reason, "conditions_briefed": briefed is True}


def close_body(data):
    """The close body: `actual_cost_pence`, `recovered_pence`, `ended_on` (default the approved end date),
    `reason` (needed outside the approved dates or above the approved cost), `conditions: [{id, met, note}]`."""
    errors = {}
    for name in ("actual_cost_pence", "recovered_pence"):
        value = data.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            errors[name] = "Enter a whole number of pence"
    day = _date(errors, data, "ended_on")
    reason = _reason(errors, data)
    reports = []
    items = data.get("conditions", [])
    if not isinstance(items, list):
        errors["conditions"] = "Must be a list of {id, met, note}"
        items = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"conditions.{index}"] = "Must be an object"
            continue
        if not isinstance(item.get("id"), int) or isinstance(item.get("id"), bool):
            errors[f"conditions.{index}.id"] = "Must be the condition's id"
        if not isinstance(item.get("met"), bool):
            errors[f"conditions.{index}.met"] = "Must be true or false"
        note = _reason(errors, item, "note")
        if f"conditions.{index}.id" not in errors:
            reports.append(
                records.ConditionReport(
                    item["id"], item.get("met") if isinstance(item.get("met"), bool) else None, note
                )
            )
    if errors:
        raise Invalid(errors)
    return {
        "actual_cost_pence": data["actual_cost_pence"],
        "recovered_pence": data["recovered_pence"],
        "ended_on": day,
        "reason": reason,
        "conditions": reports,
    }


def correction_body(data):
    """The correction body: `field` (deployed_on, deployment_ended_on, actual_cost_pence or recovered_pence), `value`
    (a date like 2027-03-27 or whole pence), `reason`."""
    errors = {}
    field = data.get("field")
    if field not in records.CORRECTABLE:
        errors["field"] = f"Must be one of: {', '.join(records.CORRECTABLE)}"
    value = data.get("value")
    if field in records.CORRECTABLE:
        if records.CORRECTABLE[field][1] == "date":
            value = _date(errors, data, "value")
            if value is None and "value" not in errors:
                errors["value"] = "Must be a date like 2027-03-27"
        elif not isinstance(value, int) or isinstance(value, bool):
            errors["value"] = "Enter a whole number of pence"
    reason = _reason(errors, data)
    if not reason and "reason" not in errors:
        errors["reason"] = "Enter the reason for the correction"
    if errors:
        raise Invalid(errors)
    return field, value, reason


# --- Output --------------------------------------------------------------------------------------------------


def condition_json(condition):
    return {
        "id": condition.id,
        "text": condition.text,
        "gate": condition.gate,
        "set_by": condition.set_by.email if condition.set_by else None,
        "set_at": condition.set_at.isoformat() + "Z",
        "met": condition.met,
        "note": condition.note,
    }


def correction_json(row):
    return {
        "id": row.id,
        "field": row.field,
        "old_value": row.old_value,
        "new_value": row.new_value,
        "reason": row.reason,
        "corrected_by": row.corrected_by.email,
        "corrected_at": row.corrected_at.isoformat() + "Z",
    }


def record_json(request):
    """The request JSON's fields for conditions and the deployment record."""
    return {
        "conditions": [condition_json(c) for c in request.conditions if not c.superseded],
        "deployed_on": request.deployed_on.isoformat() if request.deployed_on else None,
        "deployment_ended_on": request.deployment_ended_on.isoformat() if request.deployment_ended_on else None,
        "deployment_dates_reason": request.deployment_dates_reason,
        "close_out_reason": request.close_out_reason,
        "conditions_briefed": request.conditions_briefed_at is not None,
    }


# --- Routes --------------------------------------------------------------------------------------------------


@bp.route("/requests/<int:request_id>/authority-letter")
@token_required()
def authority_letter(request_id):
    """The letter of authority in force, as a PDF: 409 before approval, 404 for anyone who may not see it."""
    item = _visible(request_id)
    document = letters.for_reader(g.api_user, item)
    return Response(
        document.content,
        mimetype=letters.CONTENT_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{document.filename}"',
            "X-Content-SHA256": document.sha256,
        },
    )


@bp.route("/requests/<int:request_id>/corrections", methods=["GET"])
@token_required(*policy.roles_for(policy.CORRECT))
def list_corrections(request_id):
    """The corrections of the request's deployment record, oldest first."""
    item = records.request_for_correction(g.api_user, request_id)
    return jsonify({"items": [correction_json(row) for row in records.corrections(item)]})


@bp.route("/requests/<int:request_id>/corrections", methods=["POST"])
@token_required(*policy.roles_for(policy.CORRECT))
def correct(request_id):
    """Correct a recorded deployment date or close-out figure, with a reason."""
    item = records.request_for_correction(g.api_user, request_id)
    data = json_body()
    if isinstance(data, Response):
        return data
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object"})
    data = _checked(data)
    field, value, reason = correction_body(data)
    version = data.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise Invalid({"version": "Must be a whole number"})
    row = records.correct(item.id, g.api_user, field, value, reason, version)
    return jsonify(correction_json(row)), 201
