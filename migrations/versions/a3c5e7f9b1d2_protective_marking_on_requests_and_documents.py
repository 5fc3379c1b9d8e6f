"""protective marking on requests and documents (issue 25 section 4)

Revision ID: a3c5e7f9b1d2
Revises: cc9a2671dc98
Create Date: 2026-11-26 08:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c5e7f9b1d2'
down_revision = "cc9a2671dc98"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('marking', sa.String(length=20), server_default='OFFICIAL', nullable=False))
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('marking', sa.String(length=20), server_default='OFFICIAL', nullable=False))
    # A sensitive request is never less than OFFICIAL-SENSITIVE, and neither are the documents on it.
    op.execute("UPDATE assistance_request SET marking = 'OFFICIAL-SENSITIVE' WHERE sensitive")
    op.execute(
        "UPDATE document SET marking = 'OFFICIAL-SENSITIVE' WHERE request_id IN "
        "(SELECT id FROM assistance_request WHERE sensitive)"
    )


def downgrade():
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('marking')
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.drop_column('marking')
