"""the memo's secrecy and urgency marks, the office's document number and the day the memo was issued

Revision ID: 0004d
Revises: 0003g
Create Date: 2026-12-02 14:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004d'
down_revision = '0003g'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('protection_case') as batch:
        batch.add_column(sa.Column('secrecy', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('urgency', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('doc_number', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('memo_issued_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('protection_case') as batch:
        batch.drop_column('memo_issued_on')
        batch.drop_column('doc_number')
        batch.drop_column('urgency')
        batch.drop_column('secrecy')
