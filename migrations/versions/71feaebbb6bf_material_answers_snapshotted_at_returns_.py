"""material answers snapshotted at returns and decisions

Revision ID: 71feaebbb6bf
Revises: 5f7b065f134c
Create Date: 2026-11-26 05:37:11.085412

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '71feaebbb6bf'
down_revision = '5f7b065f134c'
branch_labels = None
depends_on = None


def upgrade():
    # A request already returned when this runs has no snapshot: approvals.material treats that as a material
    # change, so its resubmission restarts at the chief officer (the safe side).
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('returned_material', sa.JSON(), nullable=True))
        batch_op.drop_column('returned_material_hash')

    with op.batch_alter_table('gate_decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seen_material', sa.JSON(), nullable=True))



def downgrade():
    with op.batch_alter_table('gate_decision', schema=None) as batch_op:
        batch_op.drop_column('seen_material')

    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('returned_material_hash', sa.VARCHAR(length=64), nullable=True))
        batch_op.drop_column('returned_material')

