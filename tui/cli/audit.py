"""``lettrage audit``: read the audit trail (who changed what, before and after).

Newest first, filtered by period, user, kind of record and record; ``--json`` prints
one JSON document ``{"entries": [...]}`` with each entry's changes as
``{field: [before, after]}``. Read-only: nothing can change the trail.
"""

from __future__ import annotations

import argparse
from typing import Any

from core.i18n import N_, _
from tui.cli.argtypes import iso_date, later

RUN = "tui.cli.audit_run"


def register(sub: Any) -> None:
    p = sub.add_parser("audit", help=N_("who changed what: the audit trail, newest first"))
    p.add_argument("--since", metavar="DATE", type=iso_date,
                   help=N_("from this day (YYYY-MM-DD, local time), included"))
    p.add_argument("--until", metavar="DATE", type=iso_date,
                   help=N_("up to this day (YYYY-MM-DD, local time), included"))
    p.add_argument("--user", metavar="U", default="", help=N_("only changes by this user"))
    p.add_argument("--entity", metavar="E", default="",
                   help=N_("only this kind of record (customer, vendor, statement_line, "
                        "reconciliation_journal, text_to_account_mapping, ...)"))
    p.add_argument("--key", metavar="K", default="",
                   help=N_("only this record (with --entity), e.g. C00010"))
    p.add_argument("--limit", metavar="N", type=_positive, help=N_("at most N entries"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=later(RUN, "cmd_audit"))


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(_("'{text}' is not a positive whole number").format(
                                            text=text))
    return int(text)
