from extensions import db
from models.types import utcnow


class GateDecision(db.Model):
    """One gate's decision, with the cost-recovery and human-rights view as the decider saw it.

    Rows are never deleted. A material change after a return marks every standing decision
    `superseded`; they stay in the timeline.
    """

    __tablename__ = "gate_decision"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    gate = db.Column(db.String(30), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False, index=True)
    # A decision made under a delegation: the office holder on whose behalf `actor` decided, and the delegation.
    on_behalf_of_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=True)
    delegation_id = db.Column(db.Integer, db.ForeignKey("delegation.id"), nullable=True)
    decided_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)  # the returns count by period
    outcome = db.Column(db.String(10), nullable=False)  # positive | decline | return
    reasons = db.Column(db.Text, nullable=True)

    full_cost_pence = db.Column(db.BigInteger, nullable=False, default=0)
    committed_pence = db.Column(db.BigInteger, nullable=False, default=0)
    expected_pence = db.Column(db.BigInteger, nullable=False, default=0)
    shortfall_pence = db.Column(db.BigInteger, nullable=False, default=0)
    cost_waiver_reason = db.Column(db.Text, nullable=True)

    hr_risks = db.Column(db.JSON, nullable=True)
    hr_likelihood = db.Column(db.String(20), nullable=True)
    hr_mitigations = db.Column(db.Text, nullable=True)
    hr_residual = db.Column(db.String(10), nullable=True)
    hr_lowering_reason = db.Column(db.Text, nullable=True)
    # The decider's rating against the OSJA assessment (approvals.osja.deciders_rating): agreed with the rating
    # standing, or their own with reasons; and the assessment's version they decided on.
    hr_agreed = db.Column(db.Boolean, nullable=True)
    hr_rating_reasons = db.Column(db.Text, nullable=True)
    osja_version = db.Column(db.Integer, nullable=True)
    ministerial_attention = db.Column(db.Boolean, nullable=False, default=False)
    # Deprecated (issue 17): the Home Office's acknowledgement tick, replaced by the ministerial decision.
    ministerial_attention_acknowledged = db.Column(db.Boolean, nullable=False, default=False)
    # The ministerial route: a positive decision that refers the request to ministers, and (at the Home Office
    # gate) the ministers' decision itself: {"minister", "decided_on", "rationale"}.
    refer_to_ministers = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    referral_reason = db.Column(db.Text, nullable=True)
    ministerial_decision = db.Column(db.JSON, nullable=True)

    ethics_confirmed = db.Column(db.Boolean, nullable=False, default=False)
    ethics_notes = db.Column(db.Text, nullable=True)

    # The material answers as this decider saw them (approvals.material.snapshot): later deciders are shown what
    # changed since.
    seen_material = db.Column(db.JSON, nullable=True)

    # A contributing force's decision on its own people's part (issue 23): the force whose part it is; None for the
    # lead force's gates.
    part_force_id = db.Column(db.Integer, db.ForeignKey("force.id"), nullable=True)

    superseded = db.Column(db.Boolean, nullable=False, default=False)
    superseded_at = db.Column(db.DateTime, nullable=True)

    request = db.relationship("AssistanceRequest", back_populates="decisions")
    actor = db.relationship("User", lazy="joined", foreign_keys=[actor_id])
    on_behalf_of = db.relationship("User", lazy="joined", foreign_keys=[on_behalf_of_id])
    part_force = db.relationship("Force")

    @property
    def waiver_is_recommendation(self):
        """The chief officer only recommends a waiver; the power to waive is the policing body's (the PCC's gate)."""
        return self.gate == "awaiting_chief_officer"

    @property
    def waiver_pence(self):
        """The shortfall this decision waived (a recommendation waives nothing)."""
        return self.shortfall_pence if self.cost_waiver_reason and not self.waiver_is_recommendation else 0
