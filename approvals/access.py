"""Who may see which requests. Every view and API call fetches requests through here."""

from flask import abort
from sqlalchemy import and_, false, or_, select

from approvals.gates import GATES
from extensions import db
from models import AssistanceRequest

# Roles that read requests at all. FOI officers see only aggregate reports; admins manage users.
READER_ROLES = {"force_lead", "chief_officer", "pcc_office", "home_office", "ipab"}


def visibility_clause(user):
    """A WHERE clause selecting the requests `user` may read.

    Force leads see all their force's requests, drafts included; chief officers and PCC offices see
    their force's submitted requests; the Home Office and IPAB see every submitted request.
    Nobody but the force's leads ever sees a draft.
    """
    submitted = AssistanceRequest.state != "draft"
    clauses = []
    if user.has_role("force_lead") and user.force_id:
        clauses.append(AssistanceRequest.force_id == user.force_id)
    if user.has_role("chief_officer", "pcc_office") and user.force_id:
        clauses.append(and_(AssistanceRequest.force_id == user.force_id, submitted))
    if user.has_role("home_office", "ipab"):
        clauses.append(submitted)
    return or_(*clauses) if clauses else false()


def visible_requests(user):
    return select(AssistanceRequest).where(visibility_clause(user))


def can_read(user, request):
    if request.state == "draft":
        return user.has_role("force_lead") and user.force_id == request.force_id
    if user.has_role("home_office", "ipab"):
        return True
    return user.has_role("force_lead", "chief_officer", "pcc_office") and user.force_id == request.force_id


def can_edit(user, request):
    return request.state in {"draft", "returned"} and user.has_role("force_lead") and user.force_id == request.force_id


def get_visible_or_404(user, request_id, lock=False):
    """The request if `user` may read it; otherwise 404, so its existence is not revealed."""
    stmt = select(AssistanceRequest).where(AssistanceRequest.id == request_id)
    request = db.session.scalars(stmt).first()
    if request is None or not can_read(user, request):
        abort(404)
    return request


def inbox_clause(user):
    """Requests waiting for `user` at a gate they hold."""
    clauses = []
    for gate in GATES:
        if not user.has_role(gate.role):
            continue
        if gate.national:
            clauses.append(AssistanceRequest.state == gate.state)
        elif user.force_id:
            clauses.append(and_(AssistanceRequest.state == gate.state, AssistanceRequest.force_id == user.force_id))
    if user.has_role("force_lead") and user.force_id:
        clauses.append(
            and_(AssistanceRequest.state.in_(("draft", "returned")), AssistanceRequest.force_id == user.force_id)
        )
    return or_(*clauses) if clauses else false()
