"""The case file of a request: its documents, questions to the submitter, and case notes.

Written only through approvals.documents, approvals.queries and approvals.notes, each change in one
transaction with its audit event and emails.
"""

from sqlalchemy.orm import deferred

from extensions import db
from models.types import utcnow


class Document(db.Model):
    """A file on the case, stored in the database (several app servers need no shared disk, and a database
    backup holds everything). `content_type` is decided from the file's bytes, never from its name."""

    __tablename__ = "document"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = db.Column(db.String(30), nullable=False)
    description = db.Column(db.String(500), nullable=False)
    filename = db.Column(db.String(200), nullable=False)
    content_type = db.Column(db.String(120), nullable=False)
    # The Government Security Classification declared at upload (approvals.marking); SECRET and above are refused.
    marking = db.Column(db.String(20), nullable=False, default="OFFICIAL", server_default="OFFICIAL")
    size_bytes = db.Column(db.Integer, nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    # Deferred: listing a case's documents never loads their bytes.
    content = deferred(db.Column(db.LargeBinary, nullable=False))
    uploaded_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    uploaded_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # The state the request was in when it was uploaded (a gate, or draft/returned for the submitter).
    uploaded_in_state = db.Column(db.String(30), nullable=True)
    # Attached to the answer of a question to the submitter.
    query_id = db.Column(db.Integer, db.ForeignKey("case_query.id", ondelete="SET NULL"), nullable=True)
    # A newer version of the same kind replaces this one; the old one stays on the case.
    superseded_by_id = db.Column(db.Integer, db.ForeignKey("document.id"), nullable=True)

    uploaded_by = db.relationship("User", lazy="joined")
    request = db.relationship("AssistanceRequest")

    @property
    def superseded(self):
        return self.superseded_by_id is not None


class CaseQuery(db.Model):
    """A question the decider at a gate asks the submitter without returning the request. While any is open
    the gate's working-day clock is paused."""

    __tablename__ = "case_query"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    gate = db.Column(db.String(30), nullable=False)
    question = db.Column(db.Text, nullable=False)
    asked_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    asked_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # The day the gate clock stopped for the pause this question belongs to: its own asking day, or that of
    # an earlier question still open when it was asked (overlapping questions make one pause).
    paused_on = db.Column(db.Date, nullable=False)
    answer = db.Column(db.Text, nullable=True)
    answered_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=True)
    answered_at = db.Column(db.DateTime, nullable=True)
    # Working days the gate's due date moved on when this answer ended the pause.
    paused_working_days = db.Column(db.Integer, nullable=True)

    asked_by = db.relationship("User", foreign_keys=[asked_by_id], lazy="joined")
    answered_by = db.relationship("User", foreign_keys=[answered_by_id])
    documents = db.relationship("Document", order_by="Document.id")

    __table_args__ = (db.Index("ix_case_query_open", "request_id", "answered_at"),)

    @property
    def is_open(self):
        return self.answered_at is None


class CaseNote(db.Model):
    """A note on the case: internal (deciders only) or visible to the submitter."""

    __tablename__ = "case_note"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    text = db.Column(db.Text, nullable=False)
    visible_to_submitter = db.Column(db.Boolean, nullable=False, default=False)
    mentions = db.Column(db.JSON, nullable=True)  # the user ids emailed
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    author = db.relationship("User", lazy="joined")
