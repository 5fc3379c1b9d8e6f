from extensions import db
from models.types import utcnow


class OutboxMessage(db.Model):
    """An email written in the same transaction as the change that caused it.

    The message is stored as a template name and a snapshot of the values it needs; the sender renders
    it. Rendering three templates per recipient inside every transition was a third of a decision's cost,
    and a template error can no longer undo a decision.

    status: pending -> sending (claimed by one sender) -> sent; or back to pending with a later
    next_attempt_at after an SMTP failure; or failed after the last attempt (an admin may re-queue).
    """

    __tablename__ = "outbox"

    id = db.Column(db.Integer, primary_key=True)
    idempotency_key = db.Column(db.String(120), nullable=False, unique=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="SET NULL"), nullable=True, index=True
    )
    recipient = db.Column(db.String(254), nullable=False)
    # What to write, as it stood when the change was made: rendered by the sender, not in the change's
    # transaction. subject/body_text/body_html are filled in on the first delivery attempt and kept.
    template = db.Column(db.String(40), nullable=True)
    context = db.Column(db.JSON, nullable=True)
    subject = db.Column(db.String(250), nullable=True)
    body_text = db.Column(db.Text, nullable=True)
    body_html = db.Column(db.Text, nullable=True)
    status = db.Column(db.String(10), nullable=False, default="pending")
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    claimed_by = db.Column(db.String(64), nullable=True)
    claimed_until = db.Column(db.DateTime, nullable=True)
    last_error = db.Column(db.Text, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime, nullable=True)

    __table_args__ = (db.Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),)
