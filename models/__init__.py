"""SQLAlchemy models, one module per aggregate. Models never import Flask request objects."""

from models.account import AccountEvent, Invitation, UserSession
from models.audit import AuditEvent
from models.casefile import CaseNote, CaseQuery, Document
from models.content import CountryNote, PageContent
from models.decision import GateDecision
from models.delegation import Delegation
from models.disclosure import DecisionRecord, DisclosureEvent, FoiCase, FoiItem, FoiQuestion
from models.force import Force
from models.osja import OsjaReview, OsjaSeen, OsjaVersion
from models.outbox import OutboxMessage
from models.outputs import Condition, RecordCorrection
from models.people import DeployedPerson, PersonalDataView
from models.rates import ChargeRate
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
    "ChargeRate",
    "CaseQuery",
    "ContributingForce",
    "CostLine",
    "Condition",
    "CountryNote",
    "DecisionRecord",
    "Delegation",
    "DeployedPerson",
    "DisclosureEvent",
    "Document",
    "FoiCase",
    "FoiItem",
    "FoiQuestion",
    "Force",
    "FundingSource",
    "GateDecision",
    "GeneralAuthorisation",
    "OsjaReview",
    "OsjaSeen",
    "OsjaVersion",
    "OutboxMessage",
    "PersonalDataView",
    "PageContent",
    "RecordCorrection",
    "ReferenceCounter",
    "User",
    "UserRole",
]
