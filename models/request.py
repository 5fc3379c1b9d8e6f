from extensions import db
from models.reference_data import OPERATIONAL_PURPOSE_CODES, duration_band
from models.types import utcnow

# The answers a force lead gives (and a variation copies); the audit snapshot covers them too.
ANSWER_FIELDS = (
    "title",
    "requesting_body",
    "requesting_body_kind",
    "destination",
    "destination_place",
    "purpose",
    "purpose_details",
    "sponsor",
    "sponsor_other",
    "start_date",
    "end_date",
    "retrospective",
    "retrospective_reason",
    "officers",
    "staff",
    "personnel_roles",
    "coordinating_unit",
    "mission_reference",
    "uk_investigation",
    "uk_investigation_justification",
    "sensitive",
    "marking",
    "urgent",
    "urgent_reason",
    "hr_risks",
    "hr_likelihood",
    "hr_mitigations",
    "hr_residual",
    "assistance_kind",
    "foreign_personnel",
    "location",
    "general_authorisation",
)


class AssistanceRequest(db.Model):
    """A force's request to assist an overseas body, and where it stands in the section 26 workflow.

    `state` is changed only by approvals.workflow. `version` guards against two people acting on
    the same request at once: every flush checks and bumps it.
    """

    __tablename__ = "assistance_request"

    id = db.Column(db.Integer, primary_key=True)
    reference = db.Column(db.String(24), nullable=False, unique=True)
    force_id = db.Column(db.Integer, db.ForeignKey("force.id"), nullable=False)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    # A variation of an approved request points at it; it goes through the gates on its own.
    variation_of_id = db.Column(db.Integer, db.ForeignKey("assistance_request.id"), nullable=True, index=True)

    state = db.Column(db.String(30), nullable=False, default="draft")
    version = db.Column(db.Integer, nullable=False)
    # The gate that returned the request, so an unchanged resubmission goes back to it.
    returned_from = db.Column(db.String(30), nullable=True)
    # The material answers (approvals.material.snapshot) when a gate returned the request: compared on resubmission.
    returned_material = db.Column(db.JSON, nullable=True)
    gate_entered_at = db.Column(db.DateTime, nullable=True)
    gate_due_on = db.Column(db.Date, nullable=True)
    last_reminded_on = db.Column(db.Date, nullable=True)
    # When the daily reminder escalated this gate visit (once per visit; cleared on entering a gate).
    escalated_on = db.Column(db.Date, nullable=True)

    title = db.Column(db.String(200), nullable=False, default="")
    requesting_body = db.Column(db.String(200), nullable=True)
    requesting_body_kind = db.Column(db.String(40), nullable=True)
    destination = db.Column(db.String(2), nullable=True)
    # The town or city, as the submitter names it (the country is `destination`).
    destination_place = db.Column(db.String(200), nullable=True)
    purpose = db.Column(db.String(40), nullable=True)
    purpose_details = db.Column(db.Text, nullable=True)
    sponsor = db.Column(db.String(20), nullable=True)
    sponsor_other = db.Column(db.String(200), nullable=True)
    start_date = db.Column(db.Date, nullable=True)
    end_date = db.Column(db.Date, nullable=True)
    retrospective = db.Column(db.Boolean, nullable=False, default=False)
    retrospective_reason = db.Column(db.Text, nullable=True)
    officers = db.Column(db.Integer, nullable=True)
    staff = db.Column(db.Integer, nullable=True)
    personnel_roles = db.Column(db.Text, nullable=True)
    coordinating_unit = db.Column(db.String(200), nullable=True)
    mission_reference = db.Column(db.String(200), nullable=True)
    uk_investigation = db.Column(db.Boolean, nullable=True)
    uk_investigation_justification = db.Column(db.Text, nullable=True)
    sensitive = db.Column(db.Boolean, nullable=True)
    # The Government Security Classification (approvals.marking): OFFICIAL or OFFICIAL-SENSITIVE.
    marking = db.Column(db.String(20), nullable=False, default="OFFICIAL", server_default="OFFICIAL")
    urgent = db.Column(db.Boolean, nullable=True)
    urgent_reason = db.Column(db.Text, nullable=True)
    # Political or reputational sensitivity, marked by the lead or any gate: it sends the request to ministers.
    contentious = db.Column(db.Boolean, nullable=True)
    contentious_reason = db.Column(db.Text, nullable=True)

    # The kind of assistance (models.reference_data.ASSISTANCE_KINDS); the UK-delivered kinds say how many foreign
    # personnel are trained or hosted, and where.
    assistance_kind = db.Column(
        db.String(30), nullable=False, default="deployment_overseas", server_default="deployment_overseas"
    )
    foreign_personnel = db.Column(db.Integer, nullable=True)
    location = db.Column(db.String(200), nullable=True)

    # The route to consent (approvals.route): the general authorisation the lead names, if any; how consent was
    # given once the PCC approved (individual_consent | general_authorisation); a Home Office call-in.
    general_authorisation = db.Column(
        db.String(40), db.ForeignKey("general_authorisation.reference"), nullable=True, index=True
    )
    consent_basis = db.Column(db.String(30), nullable=True)
    called_in_at = db.Column(db.DateTime, nullable=True)
    called_in_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=True)
    call_in_reasons = db.Column(db.Text, nullable=True)

    # The submitter's human-rights assessment; every gate reviews it (see GateDecision).
    hr_risks = db.Column(db.JSON, nullable=True)
    hr_likelihood = db.Column(db.String(20), nullable=True)
    hr_mitigations = db.Column(db.Text, nullable=True)
    hr_residual = db.Column(db.String(10), nullable=True)

    withdrawn_reason = db.Column(db.Text, nullable=True)
    actual_cost_pence = db.Column(db.BigInteger, nullable=True)
    recovered_pence = db.Column(db.BigInteger, nullable=True)
    deployed_on = db.Column(db.Date, nullable=True)
    deployment_ended_on = db.Column(db.Date, nullable=True)
    # Why the deployment's dates fall outside the approved ones, or its actual cost above the approved full cost.
    deployment_dates_reason = db.Column(db.Text, nullable=True)
    close_out_reason = db.Column(db.Text, nullable=True)
    # When the lead confirmed the standing conditions were briefed to the deploying officers and staff.
    conditions_briefed_at = db.Column(db.DateTime, nullable=True)
    closed_at = db.Column(db.DateTime, nullable=True)
    variation_applied_at = db.Column(db.DateTime, nullable=True)

    # The head of this request's audit chain (its last event's seq and hash), written by audit.append in
    # the same transaction as the event: deleting the chain's last events no longer leaves a chain that
    # verifies, because it no longer ends where the request says it does.
    audit_seq = db.Column(db.Integer, nullable=False, default=0, server_default=db.text("0"))
    audit_hash = db.Column(db.String(64), nullable=True)

    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    submitted_at = db.Column(db.DateTime, nullable=True)

    force = db.relationship("Force", lazy="joined", innerjoin=True)
    created_by = db.relationship("User", foreign_keys=[created_by_id])
    called_in_by = db.relationship("User", foreign_keys=[called_in_by_id])
    authorisation = db.relationship("GeneralAuthorisation", foreign_keys=[general_authorisation])
    # Loaded when used: inboxes and lists never need them; the API list loads them in bulk (selectinload).
    cost_lines = db.relationship("CostLine", cascade="all, delete-orphan", order_by="CostLine.id")
    funding = db.relationship("FundingSource", cascade="all, delete-orphan", order_by="FundingSource.id")
    decisions = db.relationship("GateDecision", order_by="GateDecision.id", back_populates="request")
    variation_of = db.relationship("AssistanceRequest", remote_side=[id])
    conditions = db.relationship("Condition", order_by="Condition.id", cascade="all, delete-orphan")
    # Other forces sending their own people (issue 23): each decides its own part (approvals.route).
    contributing_forces = db.relationship(
        "ContributingForce", cascade="all, delete-orphan", order_by="ContributingForce.id"
    )

    # Facts a decision's rules read, loaded with the locked row in the lock's own statement (approvals.workflow.decide,
    # issue 28); None wherever a query did not ask for them (with_expression), and again once the row is expired.
    open_query_count = db.query_expression()
    osja_number = db.query_expression()
    # "email:count": how many named people have this (lower-cased) email, so that the answer says whose it is.
    named_check = db.query_expression()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        db.Index("ix_assistance_request_state_force", "state", "force_id", "gate_due_on"),
        # The national inbox: one state, every force, most overdue first; read in index order with its LIMIT.
        db.Index("ix_assistance_request_state_due", "state", "gate_due_on", "gate_entered_at", "id"),
        db.Index("ix_assistance_request_force_updated", "force_id", "updated_at"),
        db.Index("ix_assistance_request_dates", "end_date", "start_date"),
        # The periodic returns read a period's requests by these dates, every force at once.
        db.Index("ix_assistance_request_submitted_at", "submitted_at"),
        db.Index("ix_assistance_request_deployed_on", "deployed_on"),
        db.Index("ix_assistance_request_closed_at", "closed_at"),
    )

    @property
    def operational(self):
        return self.purpose in OPERATIONAL_PURPOSE_CODES if self.purpose else None

    @property
    def duration_days(self):
        if self.start_date and self.end_date:
            return (self.end_date - self.start_date).days + 1
        return None

    @property
    def duration_band(self):
        days = self.duration_days
        return None if days is None else duration_band(days)

    @property
    def is_variation(self):
        return self.variation_of_id is not None

    def __repr__(self):
        return f"<AssistanceRequest {self.reference} {self.state}>"


class CostLine(db.Model):
    __tablename__ = "cost_line"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    category = db.Column(db.String(20), nullable=False)
    description = db.Column(db.String(200), nullable=False, default="")
    amount_pence = db.Column(db.BigInteger, nullable=False)
    # A salary line worked out from the rate card (approvals.rates) for one named person: the amount it came to, and
    # the reason when someone overrode it. Null for a line typed by the lead.
    computed_pence = db.Column(db.BigInteger, nullable=True)
    person_id = db.Column(db.Integer, db.ForeignKey("deployed_person.id", ondelete="SET NULL"), nullable=True)
    override_reason = db.Column(db.Text, nullable=True)

    @property
    def computed(self):
        return self.computed_pence is not None


class FundingSource(db.Model):
    __tablename__ = "funding_source"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    source = db.Column(db.String(30), nullable=False)
    description = db.Column(db.String(200), nullable=False, default="")
    amount_pence = db.Column(db.BigInteger, nullable=False)
    committed = db.Column(db.Boolean, nullable=False, default=False)


class ReferenceCounter(db.Model):
    """The last reference number issued in a year; incremented under a row lock."""

    __tablename__ = "reference_counter"

    year = db.Column(db.Integer, primary_key=True)
    last_number = db.Column(db.Integer, nullable=False, default=0)
