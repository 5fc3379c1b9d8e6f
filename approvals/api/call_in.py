"""A chief officer calls in travel recorded as UK police work (issue 26): "Needs section 26 approval", the API twin
of the request page's button. Registered on the API blueprint; its body is checked here, in one function, so the
API contract work can port it."""

from flask import g

from approvals import policy, workflow
from approvals.api.openapi import LONG_TEXT, VERSION, _action
from approvals.api.routes import _transition, bp, token_required
from approvals.api.schemas import Invalid
from config.settings import LONG_TEXT_MAX


def parse_require_approval(data):
    """The body: {"reasons": "...", "version": n}. Returns the reasons, or raises Invalid naming the field."""
    reasons = data.get("reasons")
    if not isinstance(reasons, str) or not reasons.strip():
        raise Invalid({"reasons": "Enter why the request needs section 26 approval"})
    if len(reasons) > LONG_TEXT_MAX:
        raise Invalid({"reasons": f"Must be {LONG_TEXT_MAX} characters or fewer"})
    return reasons


@bp.route("/requests/<int:request_id>/require-approval", methods=["POST"])
@token_required(*policy.roles_for(policy.REQUIRE_APPROVAL))
def require_approval(request_id):
    """Decide that travel recorded as UK police work needs section 26 approval: the request becomes a draft."""

    def action(item, data, version):
        return workflow.require_approval(item.id, g.api_user, parse_require_approval(data), version)

    return _transition(request_id, action)


PATHS = {
    "/api/v1/requests/{id}/require-approval": _action(
        "Needs section 26 approval: a chief officer calls in travel recorded as UK police work (back to a draft)",
        {"type": "object", "required": ["reasons"], "properties": {"reasons": LONG_TEXT, **VERSION}},
    ),
}


def extend(description):
    description["paths"].update(PATHS)
    return description
