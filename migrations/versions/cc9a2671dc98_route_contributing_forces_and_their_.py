"""route: contributing forces and their parts

Revision ID: cc9a2671dc98
Revises: be1a4b610145
Create Date: 2026-11-26 08:21:01.042917

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cc9a2671dc98'
down_revision = 'be1a4b610145'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'contributing_force',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('force_id', sa.Integer(), nullable=False),
        sa.Column('officers', sa.Integer(), nullable=False),
        sa.Column('staff', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=30), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['force_id'], ['force.id'], name=op.f('fk_contributing_force_force_id_force')),
        sa.ForeignKeyConstraint(
            ['request_id'],
            ['assistance_request.id'],
            name=op.f('fk_contributing_force_request_id_assistance_request'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contributing_force')),
        sa.UniqueConstraint('request_id', 'force_id', name='uq_contributing_force_request_force'),
    )
    with op.batch_alter_table('contributing_force', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contributing_force_force_id'), ['force_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contributing_force_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('gate_decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('part_force_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_gate_decision_part_force_id_force'), 'force', ['part_force_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('gate_decision', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_gate_decision_part_force_id_force'), type_='foreignkey')
        batch_op.drop_column('part_force_id')

    with op.batch_alter_table('contributing_force', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contributing_force_request_id'))
        batch_op.drop_index(batch_op.f('ix_contributing_force_force_id'))
    op.drop_table('contributing_force')
