"""osja: the OSJA assessment as versions, its reviews, the named people, the views of their details and the rate card
(issue 24)

Existing requests are carried over: a request's human-rights answers become version 1 of its assessment; its
officer and staff counts stay as typed (nobody is named yet, so nothing is checked against them).

Revision ID: a24c0e5a1b71
Revises: a18c0d1e2f30
Create Date: 2026-11-26 08:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a24c0e5a1b71'
down_revision = "a18c0d1e2f30"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('osja_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('changed', sa.JSON(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_osja_version_author_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_osja_version_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_osja_version')),
    sa.UniqueConstraint('request_id', 'number', name='uq_osja_version_request_number')
    )
    with op.batch_alter_table('osja_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_osja_version_request_id'), ['request_id'], unique=False)

    op.create_table('osja_seen',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_osja_seen_request_id_assistance_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_osja_seen_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', 'user_id', name=op.f('pk_osja_seen'))
    )

    op.create_table('osja_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('osja_number', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_osja_review_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_osja_review_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_osja_review'))
    )
    with op.batch_alter_table('osja_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_osja_review_request_id'), ['request_id'], unique=False)

    op.create_table('deployed_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('rank', sa.String(length=200), nullable=False),
    sa.Column('home_unit', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('vetting', sa.String(length=20), nullable=True),
    sa.Column('service', sa.String(length=20), nullable=False),
    sa.Column('service_start', sa.Date(), nullable=True),
    sa.Column('reversion_date', sa.Date(), nullable=True),
    sa.Column('travel_risk_assessed_on', sa.Date(), nullable=True),
    sa.Column('travel_risk_assessed_by', sa.String(length=200), nullable=True),
    sa.Column('fcdo_advice', sa.String(length=30), nullable=True),
    sa.Column('insurance_holder', sa.String(length=20), nullable=True),
    sa.Column('liabilities_holder', sa.String(length=20), nullable=True),
    sa.Column('liabilities_holder_other', sa.String(length=200), nullable=True),
    sa.Column('welfare_contact', sa.String(length=200), nullable=True),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('overtime_days', sa.Integer(), nullable=True),
    sa.Column('debrief_on', sa.Date(), nullable=True),
    sa.Column('concerns_observed', sa.Boolean(), nullable=True),
    sa.Column('concerns_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_deployed_person_request_id_assistance_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deployed_person'))
    )
    with op.batch_alter_table('deployed_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deployed_person_request_id'), ['request_id'], unique=False)

    op.create_table('personal_data_view',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('person_ids', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['assistance_request.id'], name=op.f('fk_personal_data_view_request_id_assistance_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_personal_data_view_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_view'))
    )
    with op.batch_alter_table('personal_data_view', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_data_view_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_view_user_id'), ['user_id'], unique=False)

    op.create_table('charge_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('force_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.String(length=200), nullable=False),
    sa.Column('daily_rate_pence', sa.BigInteger(), nullable=False),
    sa.Column('overtime_percent', sa.Integer(), nullable=False),
    sa.Column('overhead_percent', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('example', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_charge_rate_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['force_id'], ['force.id'], name=op.f('fk_charge_rate_force_id_force')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charge_rate'))
    )
    with op.batch_alter_table('charge_rate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_charge_rate_force_id'), ['force_id'], unique=False)

    with op.batch_alter_table('cost_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('computed_pence', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('override_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_cost_line_person_id_deployed_person'), 'deployed_person', ['person_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('gate_decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hr_agreed', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('hr_rating_reasons', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('osja_version', sa.Integer(), nullable=True))

    _carry_over_assessments()


def _carry_over_assessments():
    """Each request's human-rights answers become version 1 of its assessment (the parts the old form did not ask
    are left unanswered, for the lead to complete)."""
    conn = op.get_bind()
    request = sa.table(
        'assistance_request',
        sa.column('id', sa.Integer), sa.column('created_by_id', sa.Integer), sa.column('created_at', sa.DateTime),
        sa.column('hr_risks', sa.JSON), sa.column('hr_likelihood', sa.String),
        sa.column('hr_mitigations', sa.Text), sa.column('hr_residual', sa.String),
    )
    version = sa.table(
        'osja_version',
        sa.column('request_id', sa.Integer), sa.column('number', sa.Integer), sa.column('content', sa.JSON),
        sa.column('changed', sa.JSON), sa.column('author_id', sa.Integer), sa.column('created_at', sa.DateTime),
    )
    rows = conn.execute(
        sa.select(request).where(sa.or_(request.c.hr_residual.is_not(None), request.c.hr_risks.is_not(None)))
    ).all()
    for row in rows:
        content = {
            'risks': list(row.hr_risks or []),
            'likelihood': row.hr_likelihood,
            'mitigations': row.hr_mitigations or '',
            'residual': row.hr_residual,
            'consultees': [],
        }
        conn.execute(sa.insert(version).values(
            request_id=row.id, number=1, content=content, changed=[], author_id=row.created_by_id,
            created_at=row.created_at,
        ))


def downgrade():
    with op.batch_alter_table('gate_decision', schema=None) as batch_op:
        batch_op.drop_column('osja_version')
        batch_op.drop_column('hr_rating_reasons')
        batch_op.drop_column('hr_agreed')
    with op.batch_alter_table('cost_line', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cost_line_person_id_deployed_person'), type_='foreignkey')
        batch_op.drop_column('override_reason')
        batch_op.drop_column('person_id')
        batch_op.drop_column('computed_pence')
    with op.batch_alter_table('charge_rate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_charge_rate_force_id'))
    op.drop_table('charge_rate')
    with op.batch_alter_table('personal_data_view', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_data_view_user_id'))
        batch_op.drop_index(batch_op.f('ix_personal_data_view_request_id'))
    op.drop_table('personal_data_view')
    with op.batch_alter_table('deployed_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deployed_person_request_id'))
    op.drop_table('deployed_person')
    with op.batch_alter_table('osja_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_osja_review_request_id'))
    op.drop_table('osja_review')
    op.drop_table('osja_seen')
    with op.batch_alter_table('osja_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_osja_version_request_id'))
    op.drop_table('osja_version')
