"""the web console: sign-in codes, sessions, and where each audit record was made (channel, address)

Revision ID: 0004b
Revises: 0004f
Create Date: 2026-12-02 14:00:00
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0004b'
down_revision = '0004f'
branch_labels = None
depends_on = None

NO_UPDATE_SQLITE = """
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
"""
NO_UPDATE_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$ LANGUAGE plpgsql
"""
NO_UPDATE_PG = """
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
"""


def upgrade() -> None:
    op.create_table(
        'console_sign_in',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('browser_hash', sa.String(length=64), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('used_at', models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_console_sign_in_officer_id_officer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_console_sign_in')),
        sa.UniqueConstraint('browser_hash', name=op.f('uq_console_sign_in_browser_hash')),
    )
    op.create_index('ix_console_sign_in_code_hash', 'console_sign_in', ['code_hash'])
    op.create_index('ix_console_sign_in_address', 'console_sign_in', ['address', 'created_at'])
    op.create_table(
        'console_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('ended_at', models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('end_reason', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_console_session_officer_id_officer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_console_session')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_console_session_token_hash')),
    )
    op.create_index('ix_console_session_officer_id', 'console_session', ['officer_id'])
    with op.batch_alter_table('audit_log') as batch:
        batch.add_column(sa.Column('channel', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('address', sa.String(length=64), nullable=True))
    # Records are added, and deleted only whole by the retention rules; never changed afterwards.
    if op.get_context().dialect.name == 'postgresql':
        op.execute(NO_UPDATE_PG_FUNCTION)
        op.execute(NO_UPDATE_PG)
    else:
        op.execute(NO_UPDATE_SQLITE)


def downgrade() -> None:
    op.execute('DROP TRIGGER IF EXISTS audit_log_append_only' +
               (' ON audit_log' if op.get_context().dialect.name == 'postgresql' else ''))
    with op.batch_alter_table('audit_log') as batch:
        batch.drop_column('address')
        batch.drop_column('channel')
    op.drop_table('console_session')
    op.drop_table('console_sign_in')
