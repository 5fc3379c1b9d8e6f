"""What an approval produces and what is recorded after it: the conditions attached to an approval, and the
corrections of recorded deployment dates and close-out figures.

Written only through approvals.workflow (conditions, with the decision that sets them) and
approvals.records (corrections), each change in one transaction with its audit event.
"""

from extensions import db
from models.types import utcnow


class Condition(db.Model):
    """A condition a positive decision attached to the approval: one line of text, the gate and person that set
    it. It stands until a material restart (or an approved variation) supersedes it; at close-out the lead says
    whether it was met, with a note where it was not."""

    __tablename__ = "approval_condition"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    decision_id = db.Column(db.Integer, db.ForeignKey("gate_decision.id"), nullable=True, index=True)
    gate = db.Column(db.String(30), nullable=False)
    set_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    set_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    text = db.Column(db.Text, nullable=False)
    superseded_at = db.Column(db.DateTime, nullable=True)
    # Reported at close-out: met (True/False) and a note (required where not met).
    met = db.Column(db.Boolean, nullable=True)
    note = db.Column(db.Text, nullable=True)
    reported_at = db.Column(db.DateTime, nullable=True, index=True)  # the returns read a period's close-outs
    reported_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=True)

    set_by = db.relationship("User", foreign_keys=[set_by_id], lazy="joined")
    decision = db.relationship("GateDecision")

    @property
    def superseded(self):
        return self.superseded_at is not None


class RecordCorrection(db.Model):
    """A correction of a recorded deployment date or close-out figure: the old and new values (as text, the
    way the audit event carries them), why, and who corrected it. The request row holds the corrected value,
    so every statistic reads it."""

    __tablename__ = "record_correction"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    field = db.Column(db.String(40), nullable=False)
    old_value = db.Column(db.String(40), nullable=True)
    new_value = db.Column(db.String(40), nullable=False)
    reason = db.Column(db.Text, nullable=False)
    corrected_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    corrected_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    corrected_by = db.relationship("User", lazy="joined")
