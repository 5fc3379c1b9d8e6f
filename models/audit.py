from extensions import db
from models.types import utcnow


class AuditEvent(db.Model):
    """An append-only record of a transition or edit.

    Each request has its own hash chain: `hash` covers this event's fields and `prev_hash`, the
    hash of the request's previous event. `seq` is unique per request, so two writers can never
    fork a chain. Rows are never updated or deleted; `flask audit verify` recomputes every chain.
    """

    __tablename__ = "audit_event"

    id = db.Column(db.BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True)
    request_id = db.Column(db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False)
    seq = db.Column(db.Integer, nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    event = db.Column(db.String(40), nullable=False)
    from_state = db.Column(db.String(30), nullable=True)
    to_state = db.Column(db.String(30), nullable=True)
    reasons = db.Column(db.Text, nullable=True)
    snapshot_hash = db.Column(db.String(64), nullable=False)
    prev_hash = db.Column(db.String(64), nullable=True)
    hash = db.Column(db.String(64), nullable=False)

    actor = db.relationship("User", lazy="joined")

    __table_args__ = (
        db.UniqueConstraint("request_id", "seq", name="uq_audit_event_request_seq"),
        db.Index("ix_audit_event_at", "at"),  # the periodic returns count a period's transitions
    )
