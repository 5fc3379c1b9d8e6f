"""SQLAlchemy models, one module per aggregate. Models never import Flask request objects."""

from models.account import AccountEvent, Invitation, UserSession
from models.audit import AuditEvent
from models.casefile import CaseNote, CaseQuery, Document
from models.content import CountryNote, PageContent
from models.decision import GateDecision
from models.disclosure import DecisionRecord, DisclosureEvent, FoiCase, FoiItem, FoiQuestion
from models.force import Force
from models.outbox import OutboxMessage
from models.request import AssistanceRequest, CostLine, FundingSource, ReferenceCounter
from models.route import AuthorisationEvent, ContributingForce, GeneralAuthorisation
from models.user import ApiToken, User, UserRole

__all__ = [
    "AccountEvent",
    "Invitation",
    "UserSession",
    "ApiToken",
    "AssistanceRequest",
    "AuditEvent",
    "AuthorisationEvent",
    "CaseNote",
    "CaseQuery",
    "ContributingForce",
    "CostLine",
    "CountryNote",
    "DecisionRecord",
    "DisclosureEvent",
    "Document",
    "FoiCase",
    "FoiItem",
    "FoiQuestion",
    "Force",
    "FundingSource",
    "GateDecision",
    "GeneralAuthorisation",
    "OutboxMessage",
    "PageContent",
    "ReferenceCounter",
    "User",
    "UserRole",
]
