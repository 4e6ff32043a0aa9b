"""the console's search box: trigram indexes on the school, subject and facts (PostgreSQL only)

A word typed in the search box may be anywhere in these texts (LIKE '%word%'), which no b-tree
index serves; pg_trgm's GIN indexes find a rare word among 100,000 cases in milliseconds
(docs/benchmarks.md, the console). pg_trgm is a trusted extension: the database's owner may create it.

Revision ID: 0004c
Revises: 0004b
Create Date: 2026-12-02 14:30:00
"""
from alembic import op


revision = '0004c'
down_revision = '0004b'  # 0003g in the brief; after the console's own 0004b here (the lead re-chains)
branch_labels = None
depends_on = None

COLUMNS = ("reporter_school", "subject", "facts")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        op.create_index(f"ix_case_{column}_trgm", "protection_case", [column], postgresql_using="gin",
                        postgresql_ops={column: "gin_trgm_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.drop_index(f"ix_case_{column}_trgm", table_name="protection_case")
