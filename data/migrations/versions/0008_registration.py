"""payment registration, sales documents and payment methods

Revision ID: registration1
Revises: prediction1
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "registration1"
down_revision = "prediction1"  # re-chained after the feed merge (plan: "0004")
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "paymentmethod",
        sa.Column("code", _S(length=10), nullable=False),
        sa.Column("description", _S(), nullable=False),
        sa.Column("bal_account_type", _S(), nullable=False),
        sa.Column("bal_account_no", _S(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"))
    op.create_table(
        "salesheader",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_type", _S(length=12), nullable=False),
        sa.Column("no", _S(length=20), nullable=False),
        sa.Column("customer_no", _S(length=20), nullable=False),
        sa.Column("posting_date", sa.Date(), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("payment_terms_code", _S(), nullable=False),
        sa.Column("pmt_discount_date", sa.Date(), nullable=True),
        sa.Column("payment_discount_pct", _S(), nullable=False),
        sa.Column("external_document_no", _S(), nullable=False),
        sa.Column("payment_method_code", _S(), nullable=False),
        sa.Column("currency", _S(), nullable=False),
        sa.Column("applies_to_doc_no", _S(), nullable=False),
        sa.Column("posting_no", _S(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_type", "no"))
    op.create_index("ix_sales_header_customer", "salesheader", ["customer_no"])
    op.create_table(
        "salesline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("header_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("line_type", _S(), nullable=False),
        sa.Column("no", _S(), nullable=False),
        sa.Column("description", _S(), nullable=False),
        sa.Column("quantity", _S(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("vat_pct", _S(), nullable=False),
        sa.ForeignKeyConstraint(["header_id"], ["salesheader.id"]),
        sa.PrimaryKeyConstraint("id"))
    op.create_index(op.f("ix_salesline_header_id"), "salesline", ["header_id"])
    op.create_table(
        "registrationsetup",
        sa.Column("user_id", _S(length=50), nullable=False),
        sa.Column("journal_batch_id", sa.Integer(), nullable=True),
        sa.Column("bal_account_type", _S(), nullable=False),
        sa.Column("bal_account_no", _S(), nullable=False),
        sa.Column("use_as_default", sa.Boolean(), nullable=False),
        sa.Column("auto_fill_date_received", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["journal_batch_id"], ["journalbatch.id"]),
        sa.PrimaryKeyConstraint("user_id"))
    with op.batch_alter_table("party") as batch:
        batch.add_column(sa.Column("payment_method_code", _S(), nullable=False,
                                   server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("party") as batch:
        batch.drop_column("payment_method_code")
    op.drop_table("registrationsetup")
    op.drop_index(op.f("ix_salesline_header_id"), table_name="salesline")
    op.drop_table("salesline")
    op.drop_index("ix_sales_header_customer", table_name="salesheader")
    op.drop_table("salesheader")
    op.drop_table("paymentmethod")
