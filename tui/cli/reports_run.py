"""The ``lettrage`` commands of ``tui.cli.reports`` (its parsers)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from decimal import Decimal
from typing import Any

from core.i18n import _, format_amount, format_date
from core.kernel.errors import LettrageError
from core.reports.aging import AgingOptions, AgingReport
from core.reports.labels import bucket_title
from core.reports.service import ReportsService


def service(ctx: Any) -> ReportsService:
    return ctx.services.reports  # type: ignore[no-any-return]


def aging_text(report: AgingReport) -> str:
    titles = [bucket_title(k) for k in report.keys]
    no, name, total = _("No."), _("Name"), _("Total")
    head = f"{no:<10} {name:<24}" + "".join(f"{t[:13]:>14}" for t in titles) + \
        f"{total:>15}"
    lines = [head]
    for ln in report.lines:
        lines.append(f"{ln.party_no:<10} {ln.name[:24]:<24}" + "".join(
            f"{format_amount(a):>14}" for a in ln.amounts) + f"{format_amount(ln.total):>15}")
    lines.append(f"{'':<10} {total:<24}" + "".join(
        f"{format_amount(a):>14}" for a in report.totals) + f"{format_amount(report.total):>15}")
    return "\n".join(lines)


def cmd_aging(args: argparse.Namespace, ctx: Any) -> int:
    options = AgingOptions(args.date, args.by, args.buckets,
                           "vendor" if args.vendors else "customer")
    report = service(ctx).aging(options)
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["no", "name", *report.keys, "total", "share_pct"])
        for ln in report.lines:
            writer.writerow([ln.party_no, ln.name, *map(str, ln.amounts), str(ln.total),
                             str(ln.share)])
        return 0
    ctx.emit(report.as_dict(), lambda: aging_text(report))
    return 0


def cmd_statements(args: argparse.Namespace, ctx: Any) -> int:
    reports = service(ctx)
    nos = [args.customer] if args.customer else reports.statement_customers(
        args.date, args.overdue_only)
    documents = ctx.services.statement_documents
    settings = documents.smtp_settings() if args.send else None
    done: list[dict[str, Any]] = []
    texts: list[str] = []
    failed = 0
    for no in nos:
        st = reports.statement(no, args.date, args.date_from)
        item = st.as_dict()
        if args.overdue_only and args.customer and st.overdue <= 0:
            continue
        if args.out:
            pdf, txt = documents.write(st, args.out)
            item["pdf"], item["text"] = str(pdf), str(txt)
        if settings is not None:
            try:
                item["sent_to"] = documents.send(st, settings=settings)
            except LettrageError as exc:
                item["error"] = str(exc)
                failed += 1
                print(f"lettrage: {exc}", file=sys.stderr)
        done.append(item)
        if not ctx.json:
            texts.append(_summary(item) if args.out or args.send else documents.text(st))
    if ctx.json:
        print(json.dumps(done, indent=2, ensure_ascii=False))
    elif texts:
        print("\n".join(texts))
    else:
        print(_("No customer has a statement to print at {day}.").format(
            day=format_date(args.date)))
    return 1 if failed else 0


def _summary(item: dict[str, Any]) -> str:
    where = [item[k] for k in ("pdf", "sent_to") if k in item]
    return _("{no} {name}: closing balance {balance} {currency} -> {where}").format(
        no=item["customer_no"], name=item["name"],
        balance=format_amount(Decimal(item["closing_balance"])), currency=item["currency"],
        where=", ".join(where) or item.get("error", ""))
