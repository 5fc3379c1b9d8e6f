"""route: general authorisations, call-in, kinds of assistance

Revision ID: be1a4b610145
Revises: db7cd713745c
Create Date: 2026-11-26 08:00:30.845132

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'be1a4b610145'
down_revision = 'db7cd713745c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'general_authorisation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=40), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('countries', sa.JSON(), nullable=False),
        sa.Column('purposes', sa.JSON(), nullable=False),
        sa.Column('assistance_kinds', sa.JSON(), nullable=False),
        sa.Column('max_personnel', sa.Integer(), nullable=True),
        sa.Column('max_days', sa.Integer(), nullable=True),
        sa.Column('max_cost_pence', sa.BigInteger(), nullable=True),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('valid_to', sa.Date(), nullable=False),
        sa.Column('conditions', sa.Text(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['user_account.id'], name=op.f('fk_general_authorisation_created_by_id_user_account')
        ),
        sa.ForeignKeyConstraint(
            ['revoked_by_id'], ['user_account.id'], name=op.f('fk_general_authorisation_revoked_by_id_user_account')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_general_authorisation')),
        sa.UniqueConstraint('reference', name=op.f('uq_general_authorisation_reference')),
    )
    op.create_table(
        'authorisation_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('authorisation_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('event', sa.String(length=40), nullable=False),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ['actor_id'], ['user_account.id'], name=op.f('fk_authorisation_event_actor_id_user_account')
        ),
        sa.ForeignKeyConstraint(
            ['authorisation_id'],
            ['general_authorisation.id'],
            name=op.f('fk_authorisation_event_authorisation_id_general_authorisation'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_authorisation_event')),
    )
    with op.batch_alter_table('authorisation_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authorisation_event_authorisation_id'), ['authorisation_id'], unique=False)

    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'assistance_kind', sa.String(length=30), server_default='deployment_overseas', nullable=False
            )
        )
        batch_op.add_column(sa.Column('foreign_personnel', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('location', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('general_authorisation', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('consent_basis', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('called_in_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('called_in_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('call_in_reasons', sa.Text(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_assistance_request_general_authorisation'), ['general_authorisation'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_assistance_request_general_authorisation_general_authorisation'),
            'general_authorisation',
            ['general_authorisation'],
            ['reference'],
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_assistance_request_called_in_by_id_user_account'), 'user_account', ['called_in_by_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('assistance_request', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_assistance_request_called_in_by_id_user_account'), type_='foreignkey'
        )
        batch_op.drop_constraint(
            batch_op.f('fk_assistance_request_general_authorisation_general_authorisation'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_assistance_request_general_authorisation'))
        batch_op.drop_column('call_in_reasons')
        batch_op.drop_column('called_in_by_id')
        batch_op.drop_column('called_in_at')
        batch_op.drop_column('consent_basis')
        batch_op.drop_column('general_authorisation')
        batch_op.drop_column('location')
        batch_op.drop_column('foreign_personnel')
        batch_op.drop_column('assistance_kind')

    with op.batch_alter_table('authorisation_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authorisation_event_authorisation_id'))
    op.drop_table('authorisation_event')
    op.drop_table('general_authorisation')
