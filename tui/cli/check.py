"""``lettrage check``: prove the ledger's invariants. Its own module so the command
loads only the check queries and the store, not the tables of every capability
(a cron job runs it often; issue #15)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from core.i18n import N_, _
from core.ledger.check import run_check, shown_detail, shown_name
from tui.cli.context import Context


def register(sub: Any) -> None:
    p = sub.add_parser("check", help=N_("prove the ledger's invariants"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    report = run_check(ctx.services.store)
    data = {"ok": report.ok, "checks": [asdict(r) for r in report.results]}

    def text() -> str:
        lines = []
        for r in report.results:
            verdict = _("ok  ") if r.ok else _("FAIL")
            lines.append(f"{verdict}  {shown_name(r.name)}")
            lines += [f"        {shown_detail(d)}" for d in r.details]
        lines.append(_("All checks passed.") if report.ok else _("Some checks FAILED."))
        return "\n".join(lines)

    ctx.emit(data, text)
    return 0 if report.ok else 1
