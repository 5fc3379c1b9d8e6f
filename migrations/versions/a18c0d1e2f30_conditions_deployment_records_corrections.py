"""approval conditions, deployment end and reasons, record corrections (issues 18 and 26)

Revision ID: a18c0d1e2f30
Revises: a3c5e7f9b1d2
Create Date: 2026-11-26 08:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a18c0d1e2f30'
down_revision = 'a3c5e7f9b1d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'approval_condition',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=True),
        sa.Column('gate', sa.String(length=30), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=False),
        sa.Column('set_at', sa.DateTime(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('superseded_at', sa.DateTime(), nullable=True),
        sa.Column('met', sa.Boolean(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('reported_at', sa.DateTime(), nullable=True),
        sa.Column('reported_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['decision_id'], ['gate_decision.id']),
        sa.ForeignKeyConstraint(['reported_by_id'], ['user_account.id']),
        sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['set_by_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_approval_condition_request_id', 'approval_condition', ['request_id'])
    op.create_index('ix_approval_condition_decision_id', 'approval_condition', ['decision_id'])
    op.create_table(
        'record_correction',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=40), nullable=False),
        sa.Column('old_value', sa.String(length=40), nullable=True),
        sa.Column('new_value', sa.String(length=40), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('corrected_by_id', sa.Integer(), nullable=False),
        sa.Column('corrected_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['corrected_by_id'], ['user_account.id']),
        sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_record_correction_request_id', 'record_correction', ['request_id'])
    # Plain ALTERs, not batch mode (see e1a7c0d4b9f2): batch mode rebuilds the table on SQLite.
    op.add_column('assistance_request', sa.Column('deployment_ended_on', sa.Date(), nullable=True))
    op.add_column('assistance_request', sa.Column('deployment_dates_reason', sa.Text(), nullable=True))
    op.add_column('assistance_request', sa.Column('close_out_reason', sa.Text(), nullable=True))
    op.add_column('assistance_request', sa.Column('conditions_briefed_at', sa.DateTime(), nullable=True))


def downgrade():
    op.drop_column('assistance_request', 'conditions_briefed_at')
    op.drop_column('assistance_request', 'close_out_reason')
    op.drop_column('assistance_request', 'deployment_dates_reason')
    op.drop_column('assistance_request', 'deployment_ended_on')
    op.drop_index('ix_record_correction_request_id', table_name='record_correction')
    op.drop_table('record_correction')
    op.drop_index('ix_approval_condition_decision_id', table_name='approval_condition')
    op.drop_index('ix_approval_condition_request_id', table_name='approval_condition')
    op.drop_table('approval_condition')
