"""``lettrage aging`` (aged receivables / payables) and ``lettrage statements`` (customer
statements: text, PDF, e-mail). Same services as the screens."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import Any

from core.i18n import N_
from tui.cli.argtypes import iso_date, later

RUN = "tui.cli.reports_run"


def _buckets(text: str) -> tuple[int, ...]:
    # the aging module (its queries and tables) is imported only when --buckets is given
    aging = importlib.import_module("core.reports.aging")
    try:
        return aging.parse_buckets(text)  # type: ignore[no-any-return]
    except aging.AgingError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub: Any) -> None:
    p = sub.add_parser("aging", help=N_("aged receivables (or payables) at a date, per "
                                        "customer and bucket"))
    p.add_argument("--date", type=iso_date, required=True, metavar="YYYY-MM-DD",
                   help=N_("the aging date: entries open then count, even if closed since"))
    p.add_argument("--by", choices=("due", "posting"), default="due",
                   help=N_("age by due date (default) or posting date"))
    p.add_argument("--buckets", type=_buckets, default=(30, 60, 90), metavar="30,60,90",
                   help=N_("day limits of the buckets (default 30,60,90)"))
    p.add_argument("--vendors", action="store_true", help=N_("aged payables (vendors)"))
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--csv", action="store_true", help=N_("CSV on standard output"))
    p.set_defaults(func=later(RUN, "cmd_aging"))

    p = sub.add_parser("statements", help=N_("customer statements: text, PDF files, e-mail"))
    p.add_argument("--date", type=iso_date, required=True, metavar="YYYY-MM-DD",
                   help=N_("statement date (end of the period and aging date)"))
    p.add_argument("--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD",
                   help=N_("start of the period (default: the first day of its month)"))
    p.add_argument("--customer", metavar="NO", help=N_("only this customer"))
    p.add_argument("--overdue-only", action="store_true",
                   help=N_("only customers with overdue entries (default: with a balance)"))
    p.add_argument("--out", type=Path, metavar="DIR", help=N_("write PDF and text files here"))
    p.add_argument("--send", action="store_true",
                   help=N_("e-mail each statement (PDF attached) to the customer"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=later(RUN, "cmd_statements"))
