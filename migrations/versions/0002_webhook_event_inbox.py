"""webhook events are stored before the 200 and handled afterwards

Replaces processed_event (ids of handled events) with webhook_event, which also holds events
not yet handled. Ids already recorded are carried over, so redeliveries stay recognised.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 07:00:00
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('webhook_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webhook_event_id', sa.String(length=64), nullable=True),
    sa.Column('event_type', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.Text(), nullable=True),
    sa.Column('received_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('handled_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_event')),
    sa.UniqueConstraint('webhook_event_id', name=op.f('uq_webhook_event_webhook_event_id'))
    )
    op.create_index('ix_webhook_event_pending', 'webhook_event', ['handled_at', 'id'], unique=False)
    op.execute("INSERT INTO webhook_event (webhook_event_id, event_type, received_at, handled_at, outcome) "
               "SELECT webhook_event_id, event_type, received_at, received_at, 'handled' FROM processed_event "
               "ORDER BY received_at")
    op.drop_table('processed_event')


def downgrade() -> None:
    op.create_table('processed_event',
    sa.Column('webhook_event_id', sa.String(length=64), nullable=False),
    sa.Column('event_type', sa.String(length=40), nullable=False),
    sa.Column('received_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('webhook_event_id', name=op.f('pk_processed_event'))
    )
    op.execute("INSERT INTO processed_event (webhook_event_id, event_type, received_at) "
               "SELECT webhook_event_id, event_type, received_at FROM webhook_event "
               "WHERE webhook_event_id IS NOT NULL AND handled_at IS NOT NULL")
    op.drop_index('ix_webhook_event_pending', table_name='webhook_event')
    op.drop_table('webhook_event')
