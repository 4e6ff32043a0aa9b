"""console-first delivery: when a console page last asked anything, and which pushes wait for the console

An officer whose console polled within CONSOLE_PRESENCE_SECONDS is "at the console": a relay or
notice for them waits CONSOLE_PUSH_GRACE_SECONDS (outbox.console_until) for their console to show
it, and is pushed only if it did not (bot/line/console_delivery.py).

Revision ID: 0005b
Revises: 0004c
Create Date: 2026-12-03 13:30:00
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0005b'
down_revision = '0005a'  # after the multicast key (both were made on 0004c)
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('console_session') as batch:
        batch.add_column(sa.Column('present_at', models.base.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('console_until', models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('console_until')
    with op.batch_alter_table('console_session') as batch:
        batch.drop_column('present_at')
