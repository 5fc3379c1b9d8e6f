"""outbox stores the template and its values; the sender renders

Revision ID: b165c93bc513
Revises: 9277ab5d273d
Create Date: 2026-11-23 10:29:30.152477

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b165c93bc513'
down_revision = '9277ab5d273d'
branch_labels = None
depends_on = None


def upgrade():
    # Messages already queued keep their rendered text; new ones carry a template and its values.
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('context', sa.JSON(), nullable=True))
        batch_op.alter_column('subject',
               existing_type=sa.VARCHAR(length=250),
               nullable=True)
        batch_op.alter_column('body_text',
               existing_type=sa.TEXT(),
               nullable=True)



def downgrade():
    # The old schema cannot hold a message that has not been rendered yet: such messages are marked failed
    # with a reason an admin sees, rather than dropped silently.
    op.execute(
        "UPDATE outbox SET subject = '(not rendered before a downgrade)', body_text = '', status = 'failed', "
        "last_error = 'Queued before a database downgrade: not sent' WHERE body_text IS NULL"
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('body_text',
               existing_type=sa.TEXT(),
               nullable=False)
        batch_op.alter_column('subject',
               existing_type=sa.VARCHAR(length=250),
               nullable=False)
        batch_op.drop_column('context')
        batch_op.drop_column('template')

