"""Fetching requests for a view or an API call, through the policy: what a user may not see is a 404."""

from flask import abort

from approvals import policy
from extensions import db
from models import AssistanceRequest


def get_visible_or_404(user, request_id):
    """The request if `user` may read it; otherwise 404, so its existence is not revealed."""
    request = db.session.get(AssistanceRequest, request_id)
    if request is None or not policy.can_see(user, request):
        abort(404)
    return request


def get_visible(user, request_id):
    """The request if `user` may read it, else None."""
    request = db.session.get(AssistanceRequest, request_id)
    return request if request is not None and policy.can_see(user, request) else None
