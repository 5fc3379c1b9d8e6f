"""the request row carries its audit head (last seq and hash)

Revision ID: e1a7c0d4b9f2
Revises: 71feaebbb6bf
Create Date: 2026-11-26 05:30:00.000000

The head is backfilled from the chains as they stand: run `flask audit verify` before upgrading, since
whatever the chains say at this moment becomes what later verifications hold them to.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1a7c0d4b9f2'
down_revision = '71feaebbb6bf'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTERs, not batch mode: see downgrade().
    op.add_column('assistance_request', sa.Column('audit_seq', sa.Integer(), server_default=sa.text('0'), nullable=False))
    op.add_column('assistance_request', sa.Column('audit_hash', sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE assistance_request SET audit_seq = COALESCE("
        "(SELECT MAX(e.seq) FROM audit_event e WHERE e.request_id = assistance_request.id), 0)"
    )
    op.execute(
        "UPDATE assistance_request SET audit_hash = (SELECT e.hash FROM audit_event e "
        "WHERE e.request_id = assistance_request.id AND e.seq = assistance_request.audit_seq)"
    )


def downgrade():
    # Not batch mode: on SQLite it rebuilds the table, and dropping the old copy with foreign keys on
    # cascades into every request's audit events, decisions and cost lines. SQLite 3.35+ drops a
    # plain column in place.
    op.drop_column('assistance_request', 'audit_hash')
    op.drop_column('assistance_request', 'audit_seq')
