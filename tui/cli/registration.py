"""``lettrage sales post`` and ``lettrage registration list|post``: sales documents and
Payment Registration for scripts, through the same services the screens use.

``sales post FILE.json``: a list of documents (or ``{"documents": [...]}``), each
``{"type": "invoice"|"credit_memo", "customer": "C001", "posting_date": "2025-01-31",
"lines": [{"account": "4100", "quantity": 1, "unit_price": "100.00", "vat_pct": 19,
"description": "..."}]}`` (or ``{"item": "SERV-01", "quantity": 2}``: the item's
description, unit price and VAT % unless the line gives them) with optional
``document_date``, ``due_date``,
``external_document_no``, ``payment_method`` and ``applies_to`` (credit memos). All
documents post in one transaction: one bad document writes nothing.

``sales items [--load FILE.csv] [--json]``: the items and service codes (a CSV with
``no,description,unit_price,vat_pct,gl_account_no`` creates or changes them first).

``registration post FILE.csv``: rows ``document_no,date_received,amount_received``
(the rows BC would tick; amounts in the document's sign), ``--lump`` for one lump
payment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.i18n import N_
from tui.cli.argtypes import later

RUN = "tui.cli.registration_run"


def register(sub: Any) -> None:
    p = sub.add_parser("sales", help=N_("sales invoices and credit memos"))
    cmds = p.add_subparsers(dest="sales_command", metavar="ACTION", required=True)
    c = cmds.add_parser("post", help=N_("post sales documents from a JSON file"))
    c.add_argument("file", type=Path)
    c.add_argument("--preview", action="store_true", help=N_("show, write nothing"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_sales_post"))
    c = cmds.add_parser("items", help=N_("items and service codes for sales lines "
                        "(list, or load a CSV first)"))
    c.add_argument("--load", type=Path, metavar="FILE.csv",
                   help=N_("create or change items: no,description,unit_price,vat_pct,"
                           "gl_account_no"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_items"))

    p = sub.add_parser("registration", help=N_("Payment Registration: open documents, post "
                       "payments received"))
    cmds = p.add_subparsers(dest="registration_command", metavar="ACTION", required=True)
    c = cmds.add_parser("list", help=N_("open customer documents (not payments) by due date"))
    c.add_argument("--customer", default="", metavar="NO")
    c.add_argument("--search", default="", metavar="TEXT")
    c.add_argument("--limit", type=int, default=100)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_list"))
    c = cmds.add_parser("post", help=N_("post payments: CSV document_no,date_received,"
                        "amount_received"))
    c.add_argument("file", type=Path)
    c.add_argument("--lump", action="store_true", help=N_("one lump payment (one customer, "
                   "one date)"))
    c.add_argument("--preview", action="store_true", help=N_("show, write nothing"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_post"))
