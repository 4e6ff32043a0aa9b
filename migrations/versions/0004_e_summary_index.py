"""a covering index for the summary: a period's cases counted from the index alone

The summary groups a month's or a fiscal year's cases by category, district and state and reads
the time until each was taken. With these columns in one index beside filed_at, PostgreSQL
answers from the index (an index-only scan) and SQLite from its covering index, instead of
reading every case row (the facts make them wide): a fiscal year at a million cases reads a few
megabytes instead of 300 (docs/benchmarks.md).

Revision ID: 0004e
Revises: 0004d
Create Date: 2026-12-02 14:45:00
"""
from alembic import op


revision = '0004e'
down_revision = '0004d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_summary', 'protection_case',
                    ['filed_at', 'category', 'state', 'reporter_district', 'taken_at'])


def downgrade() -> None:
    op.drop_index('ix_case_summary', table_name='protection_case')
