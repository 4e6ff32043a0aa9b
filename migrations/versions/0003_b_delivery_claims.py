"""outbox claims name their sender process; replies remember when their token was issued

`claimed_by` lets a restarted worker take back at once the messages its dead predecessor held
(instead of waiting for the claim to run out). `reply_token_issued_at` and `reply_unsure` let a
reply whose first try may have reached LINE be settled with the same token instead of a push
that could arrive twice.

Revision ID: 0003b
Revises: 0002
Create Date: 2026-12-02 08:00:00
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0003b'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('reply_token_issued_at', models.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('reply_unsure', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('reply_unsure')
        batch_op.drop_column('reply_token_issued_at')
        batch_op.drop_column('claimed_by')
