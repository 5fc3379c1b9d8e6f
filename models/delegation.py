from extensions import db
from models.types import utcnow


class Delegation(db.Model):
    """A force gate's authority lent to a named person for a period (`starts_on` to `ends_on`, both days
    included). The delegate need not hold the gate's role. Rows are never deleted: revoking one stamps
    `revoked_at`, so the history of who could decide, and when, stays. `kind` is "delegation", or "away" for
    the deputy a role holder names while away (a delegation under the hood)."""

    __tablename__ = "delegation"

    id = db.Column(db.Integer, primary_key=True)
    delegator_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False, index=True)
    delegate_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False, index=True)
    force_id = db.Column(db.Integer, db.ForeignKey("force.id"), nullable=False)
    gate = db.Column(db.String(20), nullable=False)  # chief_officer | pcc
    starts_on = db.Column(db.Date, nullable=False)
    ends_on = db.Column(db.Date, nullable=False)
    reason = db.Column(db.Text, nullable=False)
    kind = db.Column(db.String(12), nullable=False, default="delegation")
    created_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    revoked_at = db.Column(db.DateTime, nullable=True)
    revoked_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=True)

    delegator = db.relationship("User", foreign_keys=[delegator_id], lazy="joined")
    delegate = db.relationship("User", foreign_keys=[delegate_id], lazy="joined")
    force = db.relationship("Force", lazy="joined")

    __table_args__ = (db.Index("ix_delegation_force_gate_dates", "force_id", "gate", "starts_on", "ends_on"),)

    def active_on(self, day):
        return self.revoked_at is None and self.starts_on <= day <= self.ends_on

    def __repr__(self):
        return f"<Delegation {self.id} {self.gate}>"
