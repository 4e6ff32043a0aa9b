"""indexes for a million cases; webhook events know their chat

Partial indexes (PostgreSQL and SQLite both have them) over what everyday work reads among
rows it does not: open cases (เรื่องค้าง, escalation, reminders, a principal's open cases),
referrals among thread entries, paid aid, pending outbox rows; plain ones for lists by state and
for a period's cases. webhook_event.chat_key lets several event workers share the events, each
chat's in order: events already waiting get theirs from their payload.

On PostgreSQL the indexes are built inside the migration's transaction, which holds writes to
those tables meanwhile: a few seconds at a million cases (docs/benchmarks.md).

Revision ID: 0003e
Revises: 0003b
Create Date: 2026-12-02 08:30:00
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0003e'
down_revision = '0003b'
branch_labels = None
depends_on = None

OPEN = "state <> 'closed'"


def _where(condition: str) -> dict:
    return {"postgresql_where": sa.text(condition), "sqlite_where": sa.text(condition)}


def upgrade() -> None:
    with op.batch_alter_table('webhook_event') as batch:
        batch.add_column(sa.Column('chat_key', sa.String(length=64), nullable=True))
    events = sa.table('webhook_event', sa.column('id', sa.Integer), sa.column('payload', sa.Text),
                      sa.column('handled_at'), sa.column('chat_key', sa.String))
    connection = op.get_bind()
    waiting = connection.execute(sa.select(events.c.id, events.c.payload).where(events.c.handled_at.is_(None)))
    for row_id, payload in list(waiting):
        try:
            source = json.loads(payload or "{}").get("source") or {}
        except (ValueError, AttributeError):
            source = {}
        key = str(source.get("groupId") or source.get("roomId") or source.get("userId") or "")[:64]
        connection.execute(events.update().where(events.c.id == row_id).values(chat_key=key))
    op.create_index('ix_webhook_event_chat_pending', 'webhook_event', ['chat_key', 'id'],
                    **_where("handled_at IS NULL"))
    op.create_index('ix_case_open', 'protection_case', ['filed_at', 'id'], **_where(OPEN))
    op.create_index('ix_case_reporter_open', 'protection_case', ['reporter_line_user_id', 'id'], **_where(OPEN))
    op.create_index('ix_case_state_filed', 'protection_case', ['state', 'filed_at', 'id'])
    op.create_index('ix_case_filed_at', 'protection_case', ['filed_at'])
    op.create_index('ix_case_entry_state_changes', 'case_entry', ['at'], **_where("kind = 'state'"))
    op.create_index('ix_fund_request_paid', 'fund_request', ['paid_on'], **_where("status = 'paid'"))
    op.create_index('ix_outbox_pending', 'outbox', ['id'], **_where("status = 'pending'"))


def downgrade() -> None:
    for name, table in (('ix_outbox_pending', 'outbox'), ('ix_fund_request_paid', 'fund_request'),
                        ('ix_case_entry_state_changes', 'case_entry'), ('ix_case_filed_at', 'protection_case'),
                        ('ix_case_state_filed', 'protection_case'), ('ix_case_reporter_open', 'protection_case'),
                        ('ix_case_open', 'protection_case'), ('ix_webhook_event_chat_pending', 'webhook_event')):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table('webhook_event') as batch:
        batch.drop_column('chat_key')
