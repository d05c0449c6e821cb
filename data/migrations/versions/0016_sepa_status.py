"""SEPA direct debit: imported pain.002 status reports (never applied twice)

Revision ID: sepa2
Revises: reports1
Create Date: 2026-12-03 16:45:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'sepa2'
down_revision = 'reports1'
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('ddstatusreport',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('msg_id', S(length=35), nullable=False),
    sa.Column('file_name', S(length=255), nullable=False),
    sa.Column('file_sha256', S(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by', S(length=50), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('msg_id', name='uq_ddsr_msg_id')
    )
    op.create_index('ix_ddsr_sha', 'ddstatusreport', ['file_sha256'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ddsr_sha', table_name='ddstatusreport')
    op.drop_table('ddstatusreport')
