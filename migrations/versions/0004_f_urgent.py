"""urgent cases: marked ด่วนที่สุด, filed before their details are complete

Revision ID: 0004f
Revises: 0004g
Create Date: 2026-12-02 14:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004f'
down_revision = '0004g'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('protection_case') as batch:
        batch.add_column(sa.Column('urgent', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('urgent_reason', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('details_pending', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('protection_case') as batch:
        batch.drop_column('details_pending')
        batch.drop_column('urgent_reason')
        batch.drop_column('urgent')
