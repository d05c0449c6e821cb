"""matching: beyond-BC amount settings (under/overpayments, completing lumps)

Revision ID: matching1
Revises: collections1
"""
from alembic import op
import sqlalchemy as sa


revision = 'matching1'
down_revision = 'collections1'
branch_labels = None
depends_on = None

_COLUMNS = ("apply_underpayments", "apply_overpayments", "complete_lumps")


def upgrade() -> None:
    with op.batch_alter_table('paymentapplicationsettings') as batch:
        for name in _COLUMNS:
            batch.add_column(sa.Column(name, sa.Boolean(), nullable=False,
                                       server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table('paymentapplicationsettings') as batch:
        for name in _COLUMNS:
            batch.drop_column(name)
