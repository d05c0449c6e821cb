"""``lettrage aging`` (aged receivables / payables) and ``lettrage statements`` (customer
statements: text, PDF, e-mail). Same services as the screens."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.i18n import N_, _, format_amount, format_date
from core.kernel.errors import LettrageError
from core.reports.aging import AgingError, AgingOptions, AgingReport, parse_buckets
from core.reports.labels import bucket_title
from core.reports.service import ReportsService
from tui.cli.argtypes import iso_date


def _buckets(text: str) -> tuple[int, ...]:
    try:
        return parse_buckets(text)
    except AgingError as exc:
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
    p.set_defaults(func=cmd_aging)

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
    p.set_defaults(func=cmd_statements)


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
