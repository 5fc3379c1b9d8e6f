"""The named people a request deploys (issue 24), and the record of every view of their details.

Personal data: read only through approvals.people.read, which asks the policy and records the view.
FOI, publication, exports and emails never import approvals.people.
"""

from extensions import db
from models.types import utcnow


class DeployedPerson(db.Model):
    __tablename__ = "deployed_person"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name = db.Column(db.String(200), nullable=False)
    # The work email links the person to their account, where they have one (the own-deployment rule).
    email = db.Column(db.String(254), nullable=False)
    kind = db.Column(db.String(10), nullable=False)  # officer | staff
    rank = db.Column(db.String(200), nullable=False, default="")
    home_unit = db.Column(db.String(200), nullable=False, default="")
    role = db.Column(db.String(200), nullable=False, default="")
    vetting = db.Column(db.String(20), nullable=True)
    service = db.Column(db.String(20), nullable=False, default="visit")  # visit | temporary_service
    service_start = db.Column(db.Date, nullable=True)
    reversion_date = db.Column(db.Date, nullable=True)
    travel_risk_assessed_on = db.Column(db.Date, nullable=True)
    travel_risk_assessed_by = db.Column(db.String(200), nullable=True)
    fcdo_advice = db.Column(db.String(30), nullable=True)
    insurance_holder = db.Column(db.String(20), nullable=True)
    insurance_holder_other = db.Column(db.String(200), nullable=True)  # who, when another body holds it
    liabilities_holder = db.Column(db.String(20), nullable=True)
    liabilities_holder_other = db.Column(db.String(200), nullable=True)
    welfare_contact = db.Column(db.String(200), nullable=True)
    # Days on the deployment and overtime days, for the salary cost lines worked out from the rate card.
    days = db.Column(db.Integer, nullable=True)
    overtime_days = db.Column(db.Integer, nullable=True)
    debrief_on = db.Column(db.Date, nullable=True)
    concerns_observed = db.Column(db.Boolean, nullable=True)
    concerns_note = db.Column(db.Text, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class PersonalDataView(db.Model):
    """Who read which request's named people, when, and where. Appended by approvals.people.read, never changed.

    Kept apart from the request's audit chain: a view is not a change, and must not move the request's version
    under a lead who is editing it."""

    __tablename__ = "personal_data_view"

    id = db.Column(db.BigInteger().with_variant(db.Integer(), "sqlite"), primary_key=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False, index=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    purpose = db.Column(db.String(40), nullable=False)
    person_ids = db.Column(db.JSON, nullable=False)
