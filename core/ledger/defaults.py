"""Default master data of a new company: chart of accounts, posting groups, payment
terms and number series, for a small European trading and services company."""

from __future__ import annotations

# (no, name, account_type, income_balance, category)
CHART: tuple[tuple[str, str, str, str, str], ...] = (
    ("1000", "ASSETS", "heading", "balance", "assets"),
    ("1100", "Bank, operating account", "posting", "balance", "assets"),
    ("1110", "Bank, savings account", "posting", "balance", "assets"),
    ("1150", "Cash", "posting", "balance", "assets"),
    ("1200", "Customers (trade receivables)", "posting", "balance", "assets"),
    ("1300", "Input VAT", "posting", "balance", "assets"),
    ("1400", "Inventory", "posting", "balance", "assets"),
    ("1500", "Prepaid expenses", "posting", "balance", "assets"),
    ("2000", "LIABILITIES", "heading", "balance", "liabilities"),
    ("2100", "Vendors (trade payables)", "posting", "balance", "liabilities"),
    ("2300", "Output VAT", "posting", "balance", "liabilities"),
    ("2400", "Accrued expenses", "posting", "balance", "liabilities"),
    ("2500", "Bank loans", "posting", "balance", "liabilities"),
    ("3000", "EQUITY", "heading", "balance", "equity"),
    ("3100", "Share capital", "posting", "balance", "equity"),
    ("3200", "Retained earnings", "posting", "balance", "equity"),
    ("3900", "Opening balance account", "posting", "balance", "equity"),
    ("4000", "INCOME", "heading", "income", "income"),
    ("4100", "Sales of goods", "posting", "income", "income"),
    ("4200", "Sales of services", "posting", "income", "income"),
    ("4500", "Interest and fees charged", "posting", "income", "income"),
    ("4810", "Payment discounts received", "posting", "income", "income"),
    ("4820", "Payment tolerance received", "posting", "income", "income"),
    ("4900", "Other income", "posting", "income", "income"),
    ("5000", "COST OF SALES", "heading", "income", "expense"),
    ("5100", "Purchases of goods", "posting", "income", "expense"),
    ("5200", "Subcontracted services", "posting", "income", "expense"),
    ("6000", "OPERATING EXPENSES", "heading", "income", "expense"),
    ("6100", "Rent", "posting", "income", "expense"),
    ("6200", "Office supplies", "posting", "income", "expense"),
    ("6300", "Telephone and internet", "posting", "income", "expense"),
    ("6400", "Bank charges", "posting", "income", "expense"),
    ("6500", "Interest expense", "posting", "income", "expense"),
    ("6810", "Payment discounts granted", "posting", "income", "expense"),
    ("6820", "Payment tolerance granted", "posting", "income", "expense"),
    ("6830", "Application rounding", "posting", "income", "expense"),
    ("6900", "Other expenses", "posting", "income", "expense"),
)

# party_type, code, receivables/payables, disc debit, disc credit, tol debit, tol credit,
# rounding, interest, fee
POSTING_GROUPS: tuple[tuple[str, ...], ...] = (
    ("customer", "DOMESTIC", "1200", "6810", "6810", "6820", "4820", "6830", "4500", "4500"),
    ("customer", "EU", "1200", "6810", "6810", "6820", "4820", "6830", "4500", "4500"),
    ("customer", "FOREIGN", "1200", "6810", "6810", "6820", "4820", "6830", "4500", "4500"),
    ("vendor", "DOMESTIC", "2100", "4810", "4810", "6820", "4820", "6830", "6500", "6900"),
    ("vendor", "EU", "2100", "4810", "4810", "6820", "4820", "6830", "6500", "6900"),
    ("vendor", "FOREIGN", "2100", "4810", "4810", "6820", "4820", "6830", "6500", "6900"),
)

# code, description, due formula, discount formula, discount %
PAYMENT_TERMS: tuple[tuple[str, str, str, str, str], ...] = (
    ("COD", "Cash on delivery", "0D", "", "0"),
    ("7D", "Net 7 days", "7D", "", "0"),
    ("14D", "Net 14 days", "14D", "", "0"),
    ("30D", "Net 30 days", "30D", "", "0"),
    ("60D", "Net 60 days", "60D", "", "0"),
    ("2/10N30", "2 % 10 days, net 30", "30D", "10D", "2"),
    ("3/8N30", "3 % 8 days, net 30", "30D", "8D", "3"),
    ("CM", "End of month", "CM", "", "0"),
    ("CM+30D", "30 days after end of month", "CM+30D", "", "0"),
)

# code, description, prefix, width
NO_SERIES: tuple[tuple[str, str, str, int], ...] = (
    ("S-INV", "Sales invoices", "SI", 6),
    ("S-CR", "Sales credit memos", "SC", 6),
    ("P-INV", "Purchase invoices", "PI", 6),
    ("P-CR", "Purchase credit memos", "PC", 6),
    ("CASHRCPT", "Cash receipts", "CR", 6),
    ("PAYMENT", "Payments", "PMT", 6),
    ("GENJNL", "General journal", "GJ", 6),
    ("BANKSTMT", "Bank statements", "ST", 6),
    ("OPENING", "Opening entries", "OB", 6),
)

OPENING_BALANCE_ACCOUNT = "3900"
VAT_OUTPUT_ACCOUNT = "2300"
VAT_INPUT_ACCOUNT = "1300"
