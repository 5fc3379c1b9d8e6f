"""a named person's insurance, when another body holds it, names that body (issue 24)

Revision ID: d24b1f6c0a93
Revises: c31f0a7d2e84
Create Date: 2026-11-26 19:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd24b1f6c0a93'
down_revision = "c31f0a7d2e84"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ALTER, not batch mode (see e1a7c0d4b9f2: batch mode rebuilds the table on SQLite).
    op.add_column('deployed_person', sa.Column('insurance_holder_other', sa.String(length=200), nullable=True))


def downgrade():
    op.drop_column('deployed_person', 'insurance_holder_other')
