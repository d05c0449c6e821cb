"""The command list ``lettrage --help`` shows, without importing a command module.

``lettrage --help``, ``lettrage`` alone and a mistyped command word are answered from this
table, so they cost no SQLAlchemy, no table and no service import (issue #15: a script's
``--help`` or usage error answers in well under a second). A test checks that it says
the same as the parsers the command modules register.
"""

from __future__ import annotations

from core.i18n import N_

COMMAND_HELP = {
    "init": N_("create an empty company with the default setup"),
    "demo": N_("fill an empty database with a believable demo company"),
    "load": N_("load master data or open entries from a CSV file"),
    "check": N_("prove the ledger's invariants"),
    "serve": N_("serve the app to a browser (textual-serve), behind a token printed at start "
                "or $LETTRAGE_SERVE_PASSWORD"),
    "statement": N_("bank statements: parse, import, CSV profiles"),
    "reconcile": N_("payment reconciliation journal: apply, list, post"),
    "setup": N_("application setup: payment tolerance, warnings"),
    "audit": N_("who changed what: the audit trail, newest first"),
    "backup": N_("copy the company database while others keep working (SQLite), then check "
                 "the copy"),
    "feed": N_("bank feed: inbox folders imported and applied by themselves"),
    "bank-rec": N_("bank account reconciliation: import, match, post"),
    "predict": N_("late payment prediction (a local, explained model)"),
    "sales": N_("sales invoices and credit memos"),
    "registration": N_("Payment Registration: open documents, post payments received"),
    "reminders": N_("reminders: create, list, show, issue, cancel, write, send"),
    "finance-charges": N_("finance charge memos: create, list, show, issue, cancel, write, "
                          "send"),
    "collections": N_("reminder automation (create, issue, send)"),
    "aging": N_("aged receivables (or payables) at a date, per customer and bucket"),
    "statements": N_("customer statements: text, PDF files, e-mail"),
    "sepa": N_("SEPA direct debit: mandates, collections, pain.008 export, pain.002 status "
               "reports, reject, post"),
}
