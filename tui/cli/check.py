"""``lettrage check``: prove the ledger's invariants. Its own module so the command
loads only the check queries and the store, not the tables of every capability
(a cron job runs it often; issue #15)."""

from __future__ import annotations

from typing import Any

from core.i18n import N_
from tui.cli.argtypes import later

RUN = "tui.cli.check_run"


def register(sub: Any) -> None:
    p = sub.add_parser("check", help=N_("prove the ledger's invariants"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=later(RUN, "cmd_check"))
