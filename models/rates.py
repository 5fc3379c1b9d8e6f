"""The rate card (issue 24): the charge rates a policing body approves, by rank or grade, from a date.

Written by admins through approvals.rates. A rate is never changed: a later one (a later effective date) supersedes it.
"""

from extensions import db
from models.types import utcnow


class ChargeRate(db.Model):
    __tablename__ = "charge_rate"

    id = db.Column(db.Integer, primary_key=True)
    force_id = db.Column(db.Integer, db.ForeignKey("force.id"), nullable=False, index=True)
    rank = db.Column(db.String(200), nullable=False)
    daily_rate_pence = db.Column(db.BigInteger, nullable=False)
    # Whole percentages: an overtime day costs daily rate x overtime_percent / 100; overhead is added on top.
    overtime_percent = db.Column(db.Integer, nullable=False, default=150)
    overhead_percent = db.Column(db.Integer, nullable=False, default=0)
    effective_from = db.Column(db.Date, nullable=False)
    # Demo data: an example rate, not one any policing body approved.
    example = db.Column(db.Boolean, nullable=False, default=False)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user_account.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    force = db.relationship("Force", lazy="joined")
