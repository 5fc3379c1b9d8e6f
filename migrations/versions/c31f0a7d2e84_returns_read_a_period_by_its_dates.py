"""the periodic returns read a period's requests by date, every force at once (issue 20)

Every force's return for a month is now one statement a figure for all forces, driven by the month's own rows:
requests submitted, deployed and closed in the period are found by these indexes, not by reading each force's
ten years of requests in turn; conditions reported not met, by the time of their close-out report.

Revision ID: c31f0a7d2e84
Revises: b20e1d5c7a90
Create Date: 2026-11-26 15:45:00

"""

from alembic import op


revision = "c31f0a7d2e84"
down_revision = "b20e1d5c7a90"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_assistance_request_submitted_at", "assistance_request", ["submitted_at"])
    op.create_index("ix_assistance_request_deployed_on", "assistance_request", ["deployed_on"])
    op.create_index("ix_assistance_request_closed_at", "assistance_request", ["closed_at"])
    op.create_index("ix_approval_condition_reported_at", "approval_condition", ["reported_at"])


def downgrade():
    op.drop_index("ix_approval_condition_reported_at", table_name="approval_condition")
    op.drop_index("ix_assistance_request_closed_at", table_name="assistance_request")
    op.drop_index("ix_assistance_request_deployed_on", table_name="assistance_request")
    op.drop_index("ix_assistance_request_submitted_at", table_name="assistance_request")
