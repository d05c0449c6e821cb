"""``lettrage sales post`` and ``lettrage registration list|post``: sales documents and
Payment Registration for scripts, through the same services the screens use.

``sales post FILE.json``: a list of documents (or ``{"documents": [...]}``), each
``{"type": "invoice"|"credit_memo", "customer": "C001", "posting_date": "2025-01-31",
"lines": [{"account": "4100", "quantity": 1, "unit_price": "100.00", "vat_pct": 19,
"description": "..."}]}`` with optional ``document_date``, ``due_date``,
``external_document_no``, ``payment_method`` and ``applies_to`` (credit memos). All
documents post in one transaction: one bad document writes nothing.

``registration post FILE.csv``: rows ``document_no,date_received,amount_received``
(the rows BC would tick; amounts in the document's sign), ``--lump`` for one lump
payment.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from core.kernel.errors import ImportFileError
from core.queries.types import PageRequest
from core.registration.marks import Mark
from core.registration.sales_types import SalesDocumentInput, SalesLineInput
from core.registration.service import RegistrationService
from tui.cli.context import Context

CSV_COLUMNS = ("document_no", "date_received", "amount_received")


def register(sub: Any) -> None:
    p = sub.add_parser("sales", help="sales invoices and credit memos")
    cmds = p.add_subparsers(dest="sales_command", metavar="ACTION", required=True)
    c = cmds.add_parser("post", help="post sales documents from a JSON file")
    c.add_argument("file", type=Path)
    c.add_argument("--preview", action="store_true", help="show, write nothing")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_sales_post)

    p = sub.add_parser("registration", help="Payment Registration: open documents, post "
                       "payments received")
    cmds = p.add_subparsers(dest="registration_command", metavar="ACTION", required=True)
    c = cmds.add_parser("list", help="open customer documents (not payments) by due date")
    c.add_argument("--customer", default="", metavar="NO")
    c.add_argument("--search", default="", metavar="TEXT")
    c.add_argument("--limit", type=int, default=100)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_list)
    c = cmds.add_parser("post", help="post payments: CSV document_no,date_received,"
                        "amount_received")
    c.add_argument("file", type=Path)
    c.add_argument("--lump", action="store_true", help="one lump payment (one customer, "
                   "one date)")
    c.add_argument("--preview", action="store_true", help="show, write nothing")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_post)


# --- sales post --------------------------------------------------------------------------


def _date(value: Any, where: str, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise ImportFileError(f"{where}: missing date")
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ImportFileError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _dec(value: Any, where: str, default: str | None = None) -> Decimal:
    if value in (None, "") and default is not None:
        return Decimal(default)
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ImportFileError(f"{where}: {value!r} is not a number") from None


def read_documents(path: Path) -> list[SalesDocumentInput]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImportFileError(f"{path}: {exc.strerror}") from None
    except ValueError as exc:
        raise ImportFileError(f"{path}: not JSON ({exc})") from None
    if isinstance(data, dict):
        data = data.get("documents")
    if not isinstance(data, list) or not data:
        raise ImportFileError(f"{path}: expected a list of documents")
    docs = []
    for i, d in enumerate(data, start=1):
        where = f"{path} document {i}"
        if not isinstance(d, dict):
            raise ImportFileError(f"{where}: not an object")
        lines = []
        for j, ln in enumerate(d.get("lines") or [], start=1):
            lw = f"{where} line {j}"
            if not isinstance(ln, dict) or not ln.get("account"):
                raise ImportFileError(f"{lw}: needs an account")
            lines.append(SalesLineInput(
                str(ln["account"]), _dec(ln.get("quantity"), f"{lw} quantity", "1"),
                _dec(ln.get("unit_price"), f"{lw} unit_price"),
                _dec(ln.get("vat_pct"), f"{lw} vat_pct", "0"), str(ln.get("description", ""))))
        if not d.get("customer"):
            raise ImportFileError(f"{where}: needs a customer")
        posting = _date(d.get("posting_date"), f"{where} posting_date")
        assert posting is not None
        docs.append(SalesDocumentInput(
            str(d.get("type", "invoice")), str(d["customer"]), posting, tuple(lines),
            document_date=_date(d.get("document_date"), f"{where} document_date", False),
            due_date=_date(d.get("due_date"), f"{where} due_date", False),
            external_document_no=str(d.get("external_document_no", "")),
            payment_method_code=d.get("payment_method"),
            applies_to_doc_no=str(d.get("applies_to", ""))))
    return docs


def cmd_sales_post(args: Any, ctx: Context) -> int:
    docs = read_documents(args.file)
    results = ctx.services.sales.post_inputs(docs, preview=args.preview)
    out = [{"document_no": r.document_nos[0], "register_no": r.register_no,
            "amount": str(next((e.amount for e in r.ledger_entries
                                if e.document_no == r.document_nos[0]
                                and e.document_type in ("invoice", "credit_memo")), "")),
            "paid": any(e.document_type in ("payment", "refund") for e in r.ledger_entries)}
           for r in results]
    verb = "Would post" if args.preview else "Posted"
    ctx.emit({"preview": args.preview, "documents": out}, lambda: "\n".join(
        f"{verb} {o['document_no']} {o['amount']}" + (" (paid)" if o["paid"] else "")
        + ("" if args.preview else f" register {o['register_no']}") for o in out))
    return 0


# --- registration ------------------------------------------------------------------------


def cmd_list(args: Any, ctx: Context) -> int:
    page = ctx.services.registration.rows(
        PageRequest(limit=max(1, args.limit)), customer_no=args.customer, text=args.search)
    rows = [{"entry_no": r.entry_no, "customer_no": r.customer_no, "name": r.name,
             "document_type": r.document_type, "document_no": r.document_no,
             "due_date": r.due_date, "pmt_discount_date": r.pmt_discount_date,
             "remaining": str(r.remaining), "rem_after_discount": str(r.rem_after_discount)}
            for r in page.rows]

    def text() -> str:
        head = (f"{'Customer':<9} {'Document':<11} {'Due':<10} {'Disc. date':<10} "
                f"{'Remaining':>12} {'After disc.':>12}  Name")
        body = [f"{r.customer_no:<9} {r.document_no:<11} {r.due_date or ''!s:<10} "
                f"{r.pmt_discount_date or ''!s:<10} {r.remaining:>12} "
                f"{r.rem_after_discount:>12}  {r.name}" for r in page.rows]
        more = ["(more: use --limit)"] if page.more_after else []
        return "\n".join([head, *body, *more]) if body else "No open documents"

    ctx.emit({"rows": rows, "more": page.more_after}, text)
    return 0


def read_marks(path: Path, svc: RegistrationService) -> list[Mark]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
            header = set(rows[0]) if rows else set()
    except OSError as exc:
        raise ImportFileError(f"{path}: {exc.strerror}") from None
    if not rows:
        raise ImportFileError(f"{path}: no rows (header {','.join(CSV_COLUMNS)})")
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(f"{path}: missing column {', '.join(missing)}")
    found = svc.rows_by_document([(r["document_no"] or "").strip() for r in rows])
    marks = []
    for i, r in enumerate(rows, start=2):
        doc = (r["document_no"] or "").strip()
        row = found.get(doc)
        if row is None:
            raise ImportFileError(f"{path} row {i} document_no: no open customer document "
                                  f"{doc!r}")
        day = _date(r["date_received"], f"{path} row {i} date_received", required=False)
        amount = _dec(r["amount_received"], f"{path} row {i} amount_received", "0")
        marks.append(Mark(row, day, amount, row.pmt_discount_date))
    return marks


def cmd_post(args: Any, ctx: Context) -> int:
    svc = ctx.services.registration
    marks = read_marks(args.file, svc)
    result = svc.post(marks, lump=args.lump, preview=args.preview)
    data = {"preview": args.preview, "register_no": None if args.preview
            else result.register_no, "payments": list(result.document_nos),
            "rows": len(marks), "lump": args.lump}
    verb = "Would post" if args.preview else "Posted"
    ctx.emit(data, lambda: f"{verb} {len(result.document_nos)} payment(s) for {len(marks)} "
             f"document(s): {', '.join(result.document_nos)}"
             + ("" if args.preview else f" (register {result.register_no})"))
    return 0
