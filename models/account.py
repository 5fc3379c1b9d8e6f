"""What stands behind a signed-in person: server-side sessions, invitations, and the account security log."""

from extensions import db
from models.types import utcnow


class UserSession(db.Model):
    """One signed-in browser. The signed cookie carries a random key whose SHA-256 is `key_hash`; deleting the
    row ends the session, however many copies of the cookie exist. Timeouts are judged from this row."""

    __tablename__ = "user_session"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True)
    key_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_seen_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    user_agent = db.Column(db.String(200), nullable=False, default="")
    ip = db.Column(db.String(45), nullable=False, default="")

    user = db.relationship("User")


class Invitation(db.Model):
    """A single-use link to choose a password (and enrol two-factor). Only the token's SHA-256 is kept."""

    __tablename__ = "invitation"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime, nullable=False)
    used_at = db.Column(db.DateTime, nullable=True)

    user = db.relationship("User", foreign_keys=[user_id])


class AccountEvent(db.Model):
    """Append-only record of what was done to an account and by whom (invitations, two-factor resets, sessions
    ended, disabling). Request changes have their own hash-chained trail in audit_event."""

    __tablename__ = "account_event"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    event = db.Column(db.String(40), nullable=False)
    detail = db.Column(db.String(200), nullable=True)

    actor = db.relationship("User", foreign_keys=[actor_id])
