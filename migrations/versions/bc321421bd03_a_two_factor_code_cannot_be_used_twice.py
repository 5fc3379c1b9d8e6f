"""a two-factor code cannot be used twice

Revision ID: bc321421bd03
Revises: b165c93bc513
Create Date: 2026-11-23 11:15:35.755195

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bc321421bd03'
down_revision = 'b165c93bc513'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))



def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')

