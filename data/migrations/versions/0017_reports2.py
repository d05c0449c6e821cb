"""Covering indexes for the aging at a date (reports): the open entries with their party,
due date and remaining amount; each entry's aging fields by number; the detailed
entries after a date with their type (initial entries after the date never count).

Revision ID: reports2
Revises: sepa2
Create Date: 2026-12-03 17:00:00
"""
from alembic import op


revision = 'reports2'
down_revision = 'sepa2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_le_open_posting', table_name='ledgerentry')
    op.drop_index('ix_dle_type_date', table_name='detailedledgerentry')
    op.create_index('ix_le_aging_open', 'ledgerentry',
                    ['party_type', 'open', 'posting_date', 'party_no', 'due_date',
                     'remaining_amount'])
    op.create_index('ix_le_aging_ref', 'ledgerentry',
                    ['entry_no', 'posting_date', 'due_date', 'party_no'])
    op.create_index('ix_dle_aging', 'detailedledgerentry',
                    ['party_type', 'posting_date', 'entry_type', 'ledger_entry_no', 'amount'])


def downgrade() -> None:
    op.drop_index('ix_dle_aging', table_name='detailedledgerentry')
    op.drop_index('ix_le_aging_ref', table_name='ledgerentry')
    op.drop_index('ix_le_aging_open', table_name='ledgerentry')
    op.create_index('ix_dle_type_date', 'detailedledgerentry',
                    ['party_type', 'posting_date', 'ledger_entry_no', 'amount'])
    op.create_index('ix_le_open_posting', 'ledgerentry', ['party_type', 'open', 'posting_date'])
