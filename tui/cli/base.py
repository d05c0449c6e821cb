"""Base subcommands: init, demo, load, serve, and opening the TUI (check: tui.cli.check)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.i18n import N_, _
from tui.cli.argtypes import later

RUN = "tui.cli.base_run"


LOAD_KINDS = ("customers", "vendors", "bank-accounts", "own-bank-accounts", "open-entries",
              "bank-entries", "payment-history", "dd-collections")


def register(sub: Any) -> None:
    p = sub.add_parser("init", help=N_("create an empty company with the default setup"))
    p.add_argument("--name", default=_("My Company"))
    p.add_argument("--currency", default="EUR")
    p.set_defaults(func=later(RUN, "cmd_init"))

    p = sub.add_parser("demo", help=N_("fill an empty database with a believable demo company"))
    p.add_argument("--size", choices=("small", "medium", "large"), default="small")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--if-empty", action="store_true",
                   help=N_("do nothing (exit 0) when the database already holds a company"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=later(RUN, "cmd_demo"))

    p = sub.add_parser("load", help=N_("load master data or open entries from a CSV file"))
    p.add_argument("kind", choices=LOAD_KINDS)
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=later(RUN, "cmd_load"))

    p = sub.add_parser("serve", help=N_("serve the app to a browser (textual-serve), behind "
                       "a token printed at start or $LETTRAGE_SERVE_PASSWORD"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--public", action="store_true",
                   help=N_("allow an address other machines can reach (e.g. 0.0.0.0)"))
    p.set_defaults(func=later(RUN, "cmd_serve"))
