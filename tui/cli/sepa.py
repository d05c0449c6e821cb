"""``lettrage sepa ...``: SEPA direct debit mandates and collections (bc-spec §10):
list mandates, create a collection, edit or delete its New entries, export it as
pain.008, reject an entry, import the bank's pain.002 status report, post the payment
receipts (or write them to a cash receipt journal). Same service as the screens
(``services.direct_debit``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.i18n import N_
from tui.cli.argtypes import amount, iso_date, later

RUN = "tui.cli.sepa_run"
# core.direct_debit.models.FORMATS and PARTNER_TYPES, spelt here: importing the models
# defines the tables (a test keeps the two equal)
FORMATS = ("pain.008.001.02", "pain.008.001.08")
PARTNER_TYPES = ("person", "company")


def register(sub: Any) -> None:
    p = sub.add_parser("sepa", help=N_("SEPA direct debit: mandates, collections, pain.008 "
                                       "export, pain.002 status reports, reject, post"))
    cmds = p.add_subparsers(dest="sepa_command", metavar="ACTION", required=True)
    c = cmds.add_parser("mandates", help=N_("list the direct debit mandates"))
    c.add_argument("--customer", metavar="NO", help=N_("only this customer's mandates"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_mandates"))
    c = cmds.add_parser("collect", help=N_("create a direct debit collection of the invoices "
                                           "due in a date range"))
    c.add_argument("--from", dest="from_date", type=iso_date, required=True, metavar="D")
    c.add_argument("--to", dest="to_date", type=iso_date, required=True, metavar="D")
    c.add_argument("--bank-account", required=True, metavar="NO")
    c.add_argument("--partner-type", choices=PARTNER_TYPES, default="",
                   help=N_("only mandates of this partner type (person: CORE, company: B2B); "
                           "default both"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_collect"))
    c = cmds.add_parser("edit-entry", help=N_("change the transfer date or amount of a New "
                                              "collection entry"))
    c.add_argument("--entry", type=int, required=True, metavar="N")
    c.add_argument("--transfer-date", type=iso_date, metavar="D",
                   help=N_("today or later (default: unchanged)"))
    c.add_argument("--amount", type=amount, metavar="AMOUNT",
                   help=N_("more than 0, at most what the invoice has open and not on other "
                           "entries (default: unchanged)"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_edit_entry"))
    c = cmds.add_parser("delete-entry", help=N_("delete a New collection entry"))
    c.add_argument("--entry", type=int, required=True, metavar="N")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_delete_entry"))
    c = cmds.add_parser("export", help=N_("export a collection as a pain.008 file, "
                                          "validated against its XSD"))
    c.add_argument("--collection", type=int, required=True, metavar="N")
    c.add_argument("--out", type=Path, required=True, metavar="FILE")
    c.add_argument("--format", choices=FORMATS, help=N_("default: the bank account's format"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_export"))
    c = cmds.add_parser("reject", help=N_("reject an exported collection entry"))
    c.add_argument("--entry", type=int, required=True, metavar="N")
    c.add_argument("--reason", required=True, metavar="CODE")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_reject"))
    c = cmds.add_parser("import-status", help=N_("import the bank's pain.002 status report: "
                                                 "the entries it rejects become Rejected"))
    c.add_argument("file", type=Path, metavar="FILE")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_import_status"))
    c = cmds.add_parser("post", help=N_("post the payment receipts of an exported collection"))
    c.add_argument("--collection", type=int, required=True, metavar="N")
    c.add_argument("--journal-only", action="store_true",
                   help=N_("write the payments to a cash receipt journal batch without "
                           "posting them"))
    c.add_argument("--batch", default="", metavar="NAME",
                   help=N_("the cash receipt journal batch of --journal-only (default "
                           "DIRDEBIT, created when missing)"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=later(RUN, "cmd_post"))
