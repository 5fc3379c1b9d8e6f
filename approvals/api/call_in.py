"""A chief officer calls in travel recorded as UK police work (issue 26): "Needs section 26 approval", the API twin
of the request page's button."""

from typing import ClassVar

from flask import g, jsonify

from approvals import policy, workflow
from approvals.api.contract import Action, Reason, api, visible
from approvals.api.request_bodies import RequestOut, request_json


class CallIn(Action):
    reasons: Reason
    WORDS: ClassVar[dict] = {"reasons": "Enter why the request needs section 26 approval"}


@api(
    "POST",
    "/requests/<int:request_id>/require-approval",
    body=CallIn,
    optional_body=True,
    ok={200: RequestOut},
    roles=tuple(sorted(policy.roles_for(policy.REQUIRE_APPROVAL))),
    errors=(403, 409),
    example={"reasons": "The travel is an overseas deployment, not UK police work"},
)
def require_approval(request_id, body):
    """Decide that travel recorded as UK police work needs section 26 approval: the request becomes a draft."""
    item = visible(request_id)
    return jsonify(request_json(workflow.require_approval(item.id, g.api_user, body.reasons, body.version)))
