"""SEPA direct debit: bank setup, mandates, collections, entries; batch reference of
statement lines

Revision ID: sepa1
Revises: fints1
Create Date: 2026-12-03 14:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'sepa1'
down_revision = 'fints1'
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('ddbanksetup',
    sa.Column('bank_account_no', S(length=20), nullable=False),
    sa.Column('export_format', S(length=20), nullable=False),
    sa.Column('msg_nos', S(length=20), nullable=False),
    sa.Column('creditor_id', S(length=35), nullable=False),
    sa.Column('return_fee_account', S(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bank_account_no'], ['bankaccount.no']),
    sa.PrimaryKeyConstraint('bank_account_no')
    )
    op.create_table('ddmandate',
    sa.Column('id', S(length=35), nullable=False),
    sa.Column('customer_no', S(length=20), nullable=False),
    sa.Column('bank_account_code', S(length=20), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('date_of_signature', sa.Date(), nullable=True),
    sa.Column('type_of_payment', S(length=10), nullable=False),
    sa.Column('partner_type', S(length=10), nullable=False),
    sa.Column('expected_debits', sa.Integer(), nullable=False),
    sa.Column('ignore_expected', sa.Boolean(), nullable=False),
    sa.Column('debit_counter', sa.Integer(), nullable=False),
    sa.Column('blocked', sa.Boolean(), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_ddm_customer', 'ddmandate', ['customer_no'], unique=False)
    op.create_table('ddcollection',
    sa.Column('no', sa.Integer(), nullable=False),
    sa.Column('identifier', S(length=35), nullable=False),
    sa.Column('bank_account_no', S(length=20), nullable=False),
    sa.Column('from_date', sa.Date(), nullable=True),
    sa.Column('to_date', sa.Date(), nullable=True),
    sa.Column('partner_type', S(length=10), nullable=False),
    sa.Column('status', S(length=15), nullable=False),
    sa.Column('export_format', S(length=20), nullable=False),
    sa.Column('exported_file', S(length=500), nullable=False),
    sa.Column('exported_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', S(length=50), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bank_account_no'], ['bankaccount.no']),
    sa.PrimaryKeyConstraint('no'),
    sa.UniqueConstraint('identifier', name='uq_ddc_identifier')
    )
    op.create_table('ddentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collection_no', sa.Integer(), nullable=False),
    sa.Column('customer_no', S(length=20), nullable=False),
    sa.Column('ledger_entry_no', sa.Integer(), nullable=False),
    sa.Column('document_no', S(length=40), nullable=False),
    sa.Column('transfer_date', sa.Date(), nullable=False),
    sa.Column('currency', S(length=10), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('transaction_id', S(length=35), nullable=False),
    sa.Column('sequence_type', S(length=4), nullable=False),
    sa.Column('mandate_id', S(length=35), nullable=False),
    sa.Column('status', S(length=15), nullable=False),
    sa.Column('reject_reason', S(length=35), nullable=False),
    sa.Column('payment_info_id', S(length=35), nullable=False),
    sa.Column('payment_entry_no', sa.Integer(), nullable=True),
    sa.Column('returned', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['collection_no'], ['ddcollection.no']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('transaction_id', name='uq_dde_transaction')
    )
    op.create_index('ix_dde_collection', 'ddentry', ['collection_no'], unique=False)
    op.create_index('ix_dde_ledger_entry', 'ddentry', ['ledger_entry_no'], unique=False)
    op.create_index('ix_dde_pmtinf', 'ddentry', ['payment_info_id'], unique=False)
    with op.batch_alter_table('bankstatementline') as batch:
        batch.add_column(sa.Column('batch_ref', S(length=35), nullable=False,
                                   server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('bankstatementline') as batch:
        batch.drop_column('batch_ref')
    op.drop_index('ix_dde_pmtinf', table_name='ddentry')
    op.drop_index('ix_dde_ledger_entry', table_name='ddentry')
    op.drop_index('ix_dde_collection', table_name='ddentry')
    op.drop_table('ddentry')
    op.drop_table('ddcollection')
    op.drop_index('ix_ddm_customer', table_name='ddmandate')
    op.drop_table('ddmandate')
    op.drop_table('ddbanksetup')
