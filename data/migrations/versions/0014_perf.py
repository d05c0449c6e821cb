"""Items / service codes on sales lines

Revision ID: perf1
Revises: sepa1
Create Date: 2026-12-03 14:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'perf1'
down_revision = 'sepa1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('item',
    sa.Column('no', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('vat_pct', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('gl_account_no', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('blocked', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('no')
    )


def downgrade() -> None:
    op.drop_table('item')
