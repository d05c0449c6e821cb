"""The ``lettrage`` commands of ``tui.cli.registration`` (its parsers)."""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from core.i18n import N_, _, ngettext
from core.kernel.errors import ImportFileError
from core.queries.types import PageRequest
from core.registration.items import ItemService
from core.registration.marks import Mark
from core.registration.sales_types import SalesDocumentInput, SalesLineInput
from core.registration.service import RegistrationService
from tui.cli.context import Context

CSV_COLUMNS = ("document_no", "date_received", "amount_received")


# --- sales post --------------------------------------------------------------------------


def _date(value: Any, where: str, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise ImportFileError(_("{where}: missing date").format(where=where))
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ImportFileError(_("{where}: {value!r} is not a date (YYYY-MM-DD)").format(
                                 where=where, value=value)) from None


def _dec(value: Any, where: str, default: str | None = None) -> Decimal:
    if value in (None, "") and default is not None:
        return Decimal(default)
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ImportFileError(_("{where}: {value!r} is not a number").format(where=where,
                                 value=value)) from None


def read_documents(path: Path, items: ItemService | None = None) -> list[SalesDocumentInput]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImportFileError(N_("{path}: {strerror}"), path=path, strerror=exc.strerror) from None
    except ValueError as exc:
        raise ImportFileError(_("{path}: not JSON ({exc})").format(path=path, exc=exc)) from None
    if isinstance(data, dict):
        data = data.get("documents")
    if not isinstance(data, list) or not data:
        raise ImportFileError(_("{path}: expected a list of documents").format(path=path))
    docs = []
    for i, d in enumerate(data, start=1):
        where = _("{path} document {i}").format(path=path, i=i)
        if not isinstance(d, dict):
            raise ImportFileError(_("{where}: not an object").format(where=where))
        lines = []
        for j, ln in enumerate(d.get("lines") or [], start=1):
            lw = _("{where} line {j}").format(where=where, j=j)
            if isinstance(ln, dict) and ln.get("item") and items is not None:
                qty_where = _("{lw} quantity").format(lw=lw)
                price_where = _("{lw} unit_price").format(lw=lw)
                vat_where = _("{lw} vat_pct").format(lw=lw)
                lines.append(items.line(
                    str(ln["item"]), _dec(ln.get("quantity"), qty_where, "1"),
                    _dec(ln["unit_price"], price_where) if "unit_price" in ln else None,
                    _dec(ln["vat_pct"], vat_where) if "vat_pct" in ln else None,
                    str(ln.get("description", ""))))
                continue
            if not isinstance(ln, dict) or not ln.get("account"):
                raise ImportFileError(_("{lw}: needs an account or an item").format(lw=lw))
            lines.append(
                SalesLineInput(
                    str(ln["account"]),
                    _dec(ln.get("quantity"), _("{lw} quantity").format(lw=lw), "1"),
                    _dec(ln.get("unit_price"), _("{lw} unit_price").format(lw=lw)),
                    _dec(ln.get("vat_pct"), _("{lw} vat_pct").format(lw=lw), "0"),
                    str(ln.get("description", "")),
                )
            )
        if not d.get("customer"):
            raise ImportFileError(_("{where}: needs a customer").format(where=where))
        posting = _date(d.get("posting_date"), _("{where} posting_date").format(where=where))
        assert posting is not None
        docs.append(SalesDocumentInput(
            str(d.get("type", "invoice")), str(d["customer"]), posting, tuple(lines),
            document_date=_date(d.get("document_date"), _("{where} document_date").format(
                                                           where=where), False),
            due_date=_date(d.get("due_date"), _("{where} due_date").format(where=where), False),
            external_document_no=str(d.get("external_document_no", "")),
            payment_method_code=d.get("payment_method"),
            applies_to_doc_no=str(d.get("applies_to", ""))))
    return docs


def cmd_sales_post(args: Any, ctx: Context) -> int:
    sales = ctx.services.sales
    docs = read_documents(args.file, sales.items)
    results = sales.post_inputs(docs, preview=args.preview)
    out = [{"document_no": r.document_nos[0], "register_no": r.register_no,
            "amount": str(next((e.amount for e in r.ledger_entries
                                if e.document_no == r.document_nos[0]
                                and e.document_type in ("invoice", "credit_memo")), "")),
            "paid": any(e.document_type in ("payment", "refund") for e in r.ledger_entries)}
           for r in results]
    verb = _("Would post") if args.preview else _("Posted")
    ctx.emit({"preview": args.preview, "documents": out}, lambda: "\n".join(
        f"{verb} {o['document_no']} {o['amount']}" + (_(" (paid)") if o["paid"] else "")
        + ("" if args.preview else _(" register {register_no}").format(
                                      register_no=o['register_no'])) for o in out))
    return 0


def cmd_items(args: Any, ctx: Context) -> int:
    items = ctx.services.sales.items
    loaded = items.load_csv(args.load) if args.load else []
    rows = items.items()
    head = ngettext("Loaded {count} item from {file}\n", "Loaded {count} items from {file}\n",
                    len(loaded)).format(count=len(loaded), file=args.load) if args.load else ""
    ctx.emit({"loaded": len(loaded), "items": [i.as_dict() for i in rows]},
             lambda: head + ("\n".join(
                 f"{i.no:<10} {i.description[:30]:<30} {i.unit_price:>10.2f} "
                 f"{i.vat_pct.normalize():f}% G/L {i.gl_account_no}"
                 + (_(" (blocked)") if i.blocked else "") for i in rows) or _("No items.")))
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
        head = (_("{value:<9} {value2:<11} {value3:<10} {value4:<10} {value5:>12} "
                   "{value6:>12}  Name").format(value=_('Customer'), value2=_('Document'),
                                                value3=_('Due'),
                   value4=_('Disc. date'), value5=_('Remaining'), value6=_('After disc.')))
        body = [f"{r.customer_no:<9} {r.document_no:<11} {r.due_date or ''!s:<10} "
                f"{r.pmt_discount_date or ''!s:<10} {r.remaining:>12} "
                f"{r.rem_after_discount:>12}  {r.name}" for r in page.rows]
        more = [_("(more: use --limit)")] if page.more_after else []
        return "\n".join([head, *body, *more]) if body else _("No open documents")

    ctx.emit({"rows": rows, "more": page.more_after}, text)
    return 0


def read_marks(path: Path, svc: RegistrationService) -> list[Mark]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
            header = set(rows[0]) if rows else set()
    except OSError as exc:
        raise ImportFileError(N_("{path}: {strerror}"), path=path, strerror=exc.strerror) from None
    if not rows:
        raise ImportFileError(_("{path}: no rows (header {CSV_COLUMNS})").format(path=path,
                                 CSV_COLUMNS=','.join(CSV_COLUMNS)))
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(_("{path}: missing column {missing}").format(path=path,
                                 missing=', '.join(missing)))
    found = svc.rows_by_document([(r["document_no"] or "").strip() for r in rows])
    marks = []
    for i, r in enumerate(rows, start=2):
        doc = (r["document_no"] or "").strip()
        row = found.get(doc)
        if row is None:
            raise ImportFileError(_("{path} row {i} document_no: no open customer "
                                     "document {doc!r}").format(path=path, i=i, doc=doc))
        day = _date(r["date_received"], _("{path} row {i} date_received").format(path=path, i=i),
                    required=False)
        amount = _dec(r["amount_received"], _("{path} row {i} amount_received").format(path=path,
                                               i=i), "0")
        marks.append(Mark(row, day, amount, row.pmt_discount_date))
    return marks


def cmd_post(args: Any, ctx: Context) -> int:
    svc = ctx.services.registration
    marks = read_marks(args.file, svc)
    result = svc.post(marks, lump=args.lump, preview=args.preview)
    data = {"preview": args.preview, "register_no": None if args.preview
            else result.register_no, "payments": list(result.document_nos),
            "rows": len(marks), "lump": args.lump}
    verb = _("Would post") if args.preview else _("Posted")
    ctx.emit(
        data,
        lambda: (
            _("{verb} {count} payment(s) for {count2} document(s): {document_nos}").format(
                verb=verb,
                count=len(result.document_nos),
                count2=len(marks),
                document_nos=", ".join(result.document_nos),
            )
            + (
                ""
                if args.preview
                else _(" (register {register_no})").format(register_no=result.register_no)
            )
        ),
    )
    return 0
