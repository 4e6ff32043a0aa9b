"""identical pushes of one unit of work go as one LINE multicast: the group's key on each outbox row

Revision ID: 0005a
Revises: 0004c
Create Date: 2026-12-03 13:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005a'
down_revision = '0004c'
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('multicast_key', sa.String(length=36), nullable=True))
    op.create_index('ix_outbox_multicast_pending', 'outbox', ['multicast_key'], unique=False,
                    postgresql_where=PENDING, sqlite_where=PENDING)


def downgrade() -> None:
    op.drop_index('ix_outbox_multicast_pending', table_name='outbox')
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('multicast_key')
