"""late payment prediction: payment history, models, predictions

Revision ID: prediction1
Revises: bankrec1
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'prediction1'
down_revision = 'bankrec1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('paymenthistory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_no', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('document_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('posting_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('paid_date', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('customer_no', 'document_no')
    )
    op.create_index(op.f('ix_paymenthistory_customer_no'), 'paymenthistory', ['customer_no'],
                    unique=False)
    op.create_table('predictionmodel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('trained_at', sa.DateTime(), nullable=False),
    sa.Column('trained_on', sa.Date(), nullable=False),
    sa.Column('features', sa.Text(), nullable=False),
    sa.Column('quality', sa.Text(), nullable=False),
    sa.Column('closed_invoices', sa.Integer(), nullable=False),
    sa.Column('usable', sa.Boolean(), nullable=False),
    sa.Column('forests', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('paymentprediction',
    sa.Column('entry_no', sa.Integer(), nullable=False),
    sa.Column('customer_no', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('document_no', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('remaining_amount', sa.BigInteger(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('confidence_pct', sa.Integer(), nullable=False),
    sa.Column('expected_payment_date', sa.Date(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('model_version', sa.Integer(), nullable=False),
    sa.Column('scored_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('entry_no')
    )
    op.create_index('ix_pp_late_due', 'paymentprediction', ['late', 'due_date'], unique=False)
    op.create_index('ix_pp_customer', 'paymentprediction', ['customer_no'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_pp_customer', table_name='paymentprediction')
    op.drop_index('ix_pp_late_due', table_name='paymentprediction')
    op.drop_table('paymentprediction')
    op.drop_table('predictionmodel')
    op.drop_index(op.f('ix_paymenthistory_customer_no'), table_name='paymenthistory')
    op.drop_table('paymenthistory')
