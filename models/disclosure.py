"""Disclosure (issue 25): FOI cases answered item by item, PCC decision records, and their events."""

from extensions import db
from models.types import utcnow


class FoiCase(db.Model):
    """A Freedom of Information request being answered. `force_id` is None for a national case (all forces)."""

    __tablename__ = "foi_case"

    id = db.Column(db.Integer, primary_key=True)
    force_id = db.Column(db.Integer, db.ForeignKey("force.id"), nullable=True, index=True)
    request_text = db.Column(db.Text, nullable=False)
    received_on = db.Column(db.Date, nullable=False)
    due_on = db.Column(db.Date, nullable=False)
    # The period the request asks about: the live figures are computed over it.
    period_from = db.Column(db.Date, nullable=False)
    period_to = db.Column(db.Date, nullable=False)
    status = db.Column(db.String(20), nullable=False, default="open")  # open | responded
    responded_on = db.Column(db.Date, nullable=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    force = db.relationship("Force")
    created_by = db.relationship("User")
    questions = db.relationship(
        "FoiQuestion", cascade="all, delete-orphan", order_by="FoiQuestion.position", back_populates="case"
    )

    __table_args__ = (db.Index("ix_foi_case_status_due", "status", "due_on"),)


class FoiQuestion(db.Model):
    """One question the request asks, answered by one or more items."""

    __tablename__ = "foi_question"

    id = db.Column(db.Integer, primary_key=True)
    case_id = db.Column(db.Integer, db.ForeignKey("foi_case.id", ondelete="CASCADE"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False)
    text = db.Column(db.Text, nullable=False)

    case = db.relationship("FoiCase", back_populates="questions")
    items = db.relationship(
        "FoiItem", cascade="all, delete-orphan", order_by="FoiItem.position", back_populates="question"
    )


class FoiItem(db.Model):
    """One piece of information a question asks for, and the decision on it: disclose, withhold under
    exemptions (with the public-interest test for qualified ones), or neither confirm nor deny."""

    __tablename__ = "foi_item"

    id = db.Column(db.Integer, primary_key=True)
    question_id = db.Column(
        db.Integer, db.ForeignKey("foi_question.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = db.Column(db.Integer, nullable=False)
    label = db.Column(db.String(200), nullable=False)
    source = db.Column(db.String(40), nullable=False, default="text")  # approvals.disclosure.SOURCES
    text = db.Column(db.Text, nullable=True)  # the officer's own answer, or a note beside a figure
    decision = db.Column(db.String(10), nullable=False)  # disclose | withhold | ncnd
    exemptions = db.Column(db.JSON, nullable=False, default=list)
    pit_for = db.Column(db.Text, nullable=True)
    pit_against = db.Column(db.Text, nullable=True)
    pit_conclusion = db.Column(db.Text, nullable=True)

    question = db.relationship("FoiQuestion", back_populates="items")


class DecisionRecord(db.Model):
    """The record of a PCC's decision on a section 26 request, in the shape PCCs publish. Only the public
    part is ever published; the confidential part (Part 2) never leaves the service."""

    __tablename__ = "decision_record"

    id = db.Column(db.Integer, primary_key=True)
    gate_decision_id = db.Column(
        db.Integer, db.ForeignKey("gate_decision.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    force_id = db.Column(db.Integer, db.ForeignKey("force.id"), nullable=False, index=True)
    decided_on = db.Column(db.Date, nullable=False)
    title = db.Column(db.String(200), nullable=False)
    summary = db.Column(db.Text, nullable=False, default="")
    decision = db.Column(db.Text, nullable=False, default="")
    reasons = db.Column(db.Text, nullable=False, default="")
    options_considered = db.Column(db.Text, nullable=False, default="")
    advice_taken = db.Column(db.Text, nullable=False, default="")
    financial_implications = db.Column(db.Text, nullable=False, default="")
    confidential_part = db.Column(db.Text, nullable=False, default="")
    significant_public_interest = db.Column(db.Boolean, nullable=False, default=False)
    published_at = db.Column(db.DateTime, nullable=True)
    withdrawn_at = db.Column(db.DateTime, nullable=True)
    withdrawn_reason = db.Column(db.Text, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    force = db.relationship("Force")
    request = db.relationship("AssistanceRequest")
    gate_decision = db.relationship("GateDecision")

    @property
    def is_published(self):
        return self.published_at is not None and self.withdrawn_at is None


class DisclosureEvent(db.Model):
    """Append-only: every change to an FOI case or a decision record, who made it and when. Never updated or
    deleted (the request audit chain is per assistance request; these subjects are not requests)."""

    __tablename__ = "disclosure_event"

    id = db.Column(db.BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True)
    subject = db.Column(db.String(20), nullable=False)  # foi_case | decision_record
    subject_id = db.Column(db.Integer, nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    event = db.Column(db.String(40), nullable=False)
    detail = db.Column(db.Text, nullable=True)

    actor = db.relationship("User")

    __table_args__ = (db.Index("ix_disclosure_event_subject", "subject", "subject_id", "id"),)
