"""The OSJA assessment of a request (issue 24): one assessment, kept as numbered versions.

Written only through approvals.osja. A version is never changed: every save appends the next one, so a
decider can be shown what changed since the version they last looked at.
"""

from extensions import db
from models.types import utcnow


class OsjaVersion(db.Model):
    """One version of a request's OSJA assessment; the highest number is the current assessment."""

    __tablename__ = "osja_version"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number = db.Column(db.Integer, nullable=False)
    # The assessment's answers (approvals.osja.FIELDS): owner, country, assistance, risks, the test, consultees.
    content = db.Column(db.JSON, nullable=False)
    # The labels of the parts that changed from the version before (empty for version 1).
    changed = db.Column(db.JSON, nullable=True)
    author_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    author = db.relationship("User", lazy="joined")

    __table_args__ = (db.UniqueConstraint("request_id", "number", name="uq_osja_version_request_number"),)


class OsjaSeen(db.Model):
    """The version of a request's assessment a person last looked at (on the decision page)."""

    __tablename__ = "osja_seen"

    request_id = db.Column(db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    number = db.Column(db.Integer, nullable=False)
    seen_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class OsjaReview(db.Model):
    """A review of long-running work: the PCC office's decision to continue or stop, with reasons."""

    __tablename__ = "osja_review"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    due_on = db.Column(db.Date, nullable=False)
    outcome = db.Column(db.String(10), nullable=False)  # continue | stop
    reasons = db.Column(db.Text, nullable=False)
    osja_number = db.Column(db.Integer, nullable=True)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    decided_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    decided_by = db.relationship("User", lazy="joined")
