"""The route a request takes to its consent (issue 23): the Home Secretary's general authorisations, and their
events. Which requests an authorisation covers is decided in approvals.route."""

from extensions import db
from models.types import utcnow


class GeneralAuthorisation(db.Model):
    """A general authorisation given by the Home Secretary under section 26(3): assistance within its scope needs
    no individual consent while it is in force. Empty lists mean any; a missing maximum means no limit."""

    __tablename__ = "general_authorisation"

    id = db.Column(db.Integer, primary_key=True)
    reference = db.Column(db.String(40), nullable=False, unique=True)
    title = db.Column(db.String(200), nullable=False)
    countries = db.Column(db.JSON, nullable=False, default=list)
    purposes = db.Column(db.JSON, nullable=False, default=list)
    assistance_kinds = db.Column(db.JSON, nullable=False, default=list)
    max_personnel = db.Column(db.Integer, nullable=True)
    max_days = db.Column(db.Integer, nullable=True)
    max_cost_pence = db.Column(db.BigInteger, nullable=True)
    valid_from = db.Column(db.Date, nullable=False)
    valid_to = db.Column(db.Date, nullable=False)
    conditions = db.Column(db.Text, nullable=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    revoked_at = db.Column(db.DateTime, nullable=True)
    revoked_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=True)
    revoked_reason = db.Column(db.Text, nullable=True)

    created_by = db.relationship("User", foreign_keys=[created_by_id])
    revoked_by = db.relationship("User", foreign_keys=[revoked_by_id])

    def in_force_on(self, day):
        return self.revoked_at is None and self.valid_from <= day <= self.valid_to

    def __repr__(self):
        return f"<GeneralAuthorisation {self.reference}>"


class AuthorisationEvent(db.Model):
    """Every change to a general authorisation (recorded, revoked): never updated or deleted."""

    __tablename__ = "authorisation_event"

    id = db.Column(db.Integer, primary_key=True)
    authorisation_id = db.Column(
        db.Integer, db.ForeignKey("general_authorisation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    actor_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    event = db.Column(db.String(40), nullable=False)
    detail = db.Column(db.Text, nullable=True)

    actor = db.relationship("User")


class ContributingForce(db.Model):
    """Another force sending its own officers and staff on a lead force's request (issue 23 section 4). Its chief
    officer recommends and its PCC office approves its own people's part, in parallel with the lead force's gates:
    `state` is the part's own (awaiting_chief_officer, awaiting_pcc, approved, declined); None while a draft."""

    __tablename__ = "contributing_force"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(
        db.Integer, db.ForeignKey("assistance_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    force_id = db.Column(db.Integer, db.ForeignKey("force.id"), nullable=False, index=True)
    officers = db.Column(db.Integer, nullable=False, default=0)
    staff = db.Column(db.Integer, nullable=False, default=0)
    state = db.Column(db.String(30), nullable=True)
    decided_at = db.Column(db.DateTime, nullable=True)

    force = db.relationship("Force", lazy="joined", innerjoin=True)

    __table_args__ = (db.UniqueConstraint("request_id", "force_id", name="uq_contributing_force_request_force"),)
