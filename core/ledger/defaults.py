"""Default master data of a new company: chart of accounts, posting groups, payment
terms and number series, for a small European trading and services company."""

from __future__ import annotations

from core.i18n import N_

# (no, name, account_type, income_balance, category)
CHART: tuple[tuple[str, str, str, str, str], ...] = (
    ("1000", N_("ASSETS"), "heading", "balance", "assets"),
    ("1100", N_("Bank, operating account"), "posting", "balance", "assets"),
    ("1110", N_("Bank, savings account"), "posting", "balance", "assets"),
    ("1150", N_("Cash"), "posting", "balance", "assets"),
    ("1200", N_("Customers (trade receivables)"), "posting", "balance", "assets"),
    ("1300", N_("Input VAT"), "posting", "balance", "assets"),
    ("1400", N_("Inventory"), "posting", "balance", "assets"),
    ("1500", N_("Prepaid expenses"), "posting", "balance", "assets"),
    ("2000", N_("LIABILITIES"), "heading", "balance", "liabilities"),
    ("2100", N_("Vendors (trade payables)"), "posting", "balance", "liabilities"),
    ("2300", N_("Output VAT"), "posting", "balance", "liabilities"),
    ("2400", N_("Accrued expenses"), "posting", "balance", "liabilities"),
    ("2500", N_("Bank loans"), "posting", "balance", "liabilities"),
    ("3000", N_("EQUITY"), "heading", "balance", "equity"),
    ("3100", N_("Share capital"), "posting", "balance", "equity"),
    ("3200", N_("Retained earnings"), "posting", "balance", "equity"),
    ("3900", N_("Opening balance account"), "posting", "balance", "equity"),
    ("4000", N_("INCOME"), "heading", "income", "income"),
    ("4100", N_("Sales of goods"), "posting", "income", "income"),
    ("4200", N_("Sales of services"), "posting", "income", "income"),
    ("4500", N_("Interest and fees charged"), "posting", "income", "income"),
    ("4810", N_("Payment discounts received"), "posting", "income", "income"),
    ("4820", N_("Payment tolerance received"), "posting", "income", "income"),
    ("4900", N_("Other income"), "posting", "income", "income"),
    ("5000", N_("COST OF SALES"), "heading", "income", "expense"),
    ("5100", N_("Purchases of goods"), "posting", "income", "expense"),
    ("5200", N_("Subcontracted services"), "posting", "income", "expense"),
    ("6000", N_("OPERATING EXPENSES"), "heading", "income", "expense"),
    ("6100", N_("Rent"), "posting", "income", "expense"),
    ("6200", N_("Office supplies"), "posting", "income", "expense"),
    ("6300", N_("Telephone and internet"), "posting", "income", "expense"),
    ("6400", N_("Bank charges"), "posting", "income", "expense"),
    ("6500", N_("Interest expense"), "posting", "income", "expense"),
    ("6810", N_("Payment discounts granted"), "posting", "income", "expense"),
    ("6820", N_("Payment tolerance granted"), "posting", "income", "expense"),
    ("6830", N_("Application rounding"), "posting", "income", "expense"),
    ("6900", N_("Other expenses"), "posting", "income", "expense"),
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
    ("COD", N_("Cash on delivery"), "0D", "", "0"),
    ("7D", N_("Net 7 days"), "7D", "", "0"),
    ("14D", N_("Net 14 days"), "14D", "", "0"),
    ("30D", N_("Net 30 days"), "30D", "", "0"),
    ("60D", N_("Net 60 days"), "60D", "", "0"),
    ("2/10N30", N_("2 % 10 days, net 30"), "30D", "10D", "2"),
    ("3/8N30", N_("3 % 8 days, net 30"), "30D", "8D", "3"),
    ("CM", N_("End of month"), "CM", "", "0"),
    ("CM+30D", N_("30 days after end of month"), "CM+30D", "", "0"),
)

# code, description, prefix, width
NO_SERIES: tuple[tuple[str, str, str, int], ...] = (
    ("S-INV", N_("Sales invoices"), "SI", 6),
    ("S-CR", N_("Sales credit memos"), "SC", 6),
    ("P-INV", N_("Purchase invoices"), "PI", 6),
    ("P-CR", N_("Purchase credit memos"), "PC", 6),
    ("CASHRCPT", N_("Cash receipts"), "CR", 6),
    ("PAYMENT", N_("Payments"), "PMT", 6),
    ("GENJNL", N_("General journal"), "GJ", 6),
    ("BANKSTMT", N_("Bank statements"), "ST", 6),
    ("OPENING", N_("Opening entries"), "OB", 6),
)

OPENING_BALANCE_ACCOUNT = "3900"
VAT_OUTPUT_ACCOUNT = "2300"
VAT_INPUT_ACCOUNT = "1300"
