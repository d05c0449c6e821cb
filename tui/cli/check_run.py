"""The ``lettrage`` commands of ``tui.cli.check`` (its parsers)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from core.i18n import _
from core.ledger.check import run_check, shown_detail, shown_name
from tui.cli.context import Context


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
