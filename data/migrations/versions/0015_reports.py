"""Indexes for the aging at a date (reports)

Revision ID: reports1
Revises: perf1
Create Date: 2026-12-03 14:10:00
"""
from alembic import op


revision = 'reports1'
down_revision = 'perf1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_le_open_posting', 'ledgerentry', ['party_type', 'open', 'posting_date'])
    op.create_index('ix_dle_type_date', 'detailedledgerentry',
                    ['party_type', 'posting_date', 'ledger_entry_no', 'amount'])


def downgrade() -> None:
    op.drop_index('ix_dle_type_date', table_name='detailedledgerentry')
    op.drop_index('ix_le_open_posting', table_name='ledgerentry')
