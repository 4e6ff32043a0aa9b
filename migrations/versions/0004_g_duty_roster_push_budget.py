"""the duty roster, LINE's push budget, pushes counted and merged per outbox row

Revision ID: 0004g
Revises: 0004e
Create Date: 2026-12-02 13:50:00
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0004g'
down_revision = '0004e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('officer') as batch:
        batch.add_column(sa.Column('on_duty_until', models.base.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('off_duty_until', models.base.UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        'duty_slot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=False),
        sa.Column('weekday', sa.Integer(), nullable=False),
        sa.Column('starts', sa.String(length=5), nullable=False),
        sa.Column('ends', sa.String(length=5), nullable=False),
        sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_duty_slot_officer_id_officer'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_duty_slot')),
    )
    op.create_index(op.f('ix_duty_slot_officer_id'), 'duty_slot', ['officer_id'], unique=False)
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('pushes', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('merged_into', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('held', sa.String(length=10), nullable=True))
    op.create_table(
        'push_budget',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('quota', sa.Integer(), nullable=True),
        sa.Column('consumed', sa.Integer(), nullable=False),
        sa.Column('read_at', models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('warned', sa.Integer(), nullable=False),
        sa.Column('exhausted_at', models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('exhausted_told', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_push_budget')),
    )


def downgrade() -> None:
    op.drop_table('push_budget')
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('held')
        batch.drop_column('merged_into')
        batch.drop_column('pushes')
    op.drop_index(op.f('ix_duty_slot_officer_id'), table_name='duty_slot')
    op.drop_table('duty_slot')
    with op.batch_alter_table('officer') as batch:
        batch.drop_column('off_duty_until')
        batch.drop_column('on_duty_until')
