"""indexes for the periodic returns: audit events and gate decisions by time (issue 20)

A force's monthly return counts the transitions and decisions of a month; without these indexes each return read
the whole ten-year history of audit events and decisions (`make bench-large` found the year's returns of every force
taking longer than 15 minutes at 1,000,000 requests and 10,000,000 events).

Revision ID: b20e1d5c7a90
Revises: a24c0e5a1b71
Create Date: 2026-11-26 13:25:00

"""
from alembic import op


revision = "b20e1d5c7a90"
down_revision = "a24c0e5a1b71"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_audit_event_at", "audit_event", ["at"])
    op.create_index("ix_gate_decision_decided_at", "gate_decision", ["decided_at"])


def downgrade():
    op.drop_index("ix_gate_decision_decided_at", table_name="gate_decision")
    op.drop_index("ix_audit_event_at", table_name="audit_event")
