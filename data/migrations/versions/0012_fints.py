"""FinTS access per bank account (bank feed, second source)

Revision ID: fints1
Revises: matching1
Create Date: 2026-12-03 12:15:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'fints1'
down_revision = 'matching1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fintsaccess',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_account_no', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('blz', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('customer_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('server_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('product_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('iban', sqlmodel.sql.sqltypes.AutoString(length=34), nullable=False),
    sa.Column('client_state', sa.Text(), nullable=False),
    sa.Column('last_fetch_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_fetch_until', sa.Date(), nullable=True),
    sa.Column('last_fetch_files', sa.Integer(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('bank_account_no', name='uq_fintsaccess_bank')
    )


def downgrade() -> None:
    op.drop_table('fintsaccess')
