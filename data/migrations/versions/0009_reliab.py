"""load ledger: one row per loaded file (kind, SHA-256)

Revision ID: reliab1
Revises: registration1
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'reliab1'
down_revision = 'registration1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'loadrecord',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('loaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'sha256', name='uq_loadrecord_kind_sha256'),
    )


def downgrade() -> None:
    op.drop_table('loadrecord')
