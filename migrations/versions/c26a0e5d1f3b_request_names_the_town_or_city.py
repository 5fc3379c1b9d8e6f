"""a request names the town or city of the assistance (issue 26)

Revision ID: c26a0e5d1f3b
Revises: cc9a2671dc98
Create Date: 2026-11-26 08:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c26a0e5d1f3b'
down_revision = "cc9a2671dc98"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ALTER, not batch mode (see e1a7c0d4b9f2: batch mode rebuilds the table on SQLite).
    op.add_column('assistance_request', sa.Column('destination_place', sa.String(length=200), nullable=True))


def downgrade():
    op.drop_column('assistance_request', 'destination_place')
