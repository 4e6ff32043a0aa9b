"""officers' own rich menu, the principal's waiting notice, incidents whose time is not known

Revision ID: 0003g
Revises: 0003e
Create Date: 2026-12-02 08:40:00
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0003g'
down_revision = '0003e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('officer') as batch:
        batch.add_column(sa.Column('menu_linked', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('protection_case') as batch:
        batch.add_column(sa.Column('waiting_told_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('occurred_time_unknown', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('protection_case') as batch:
        batch.drop_column('occurred_time_unknown')
        batch.drop_column('waiting_told_at')
    with op.batch_alter_table('officer') as batch:
        batch.drop_column('menu_linked')
