"""Post Application and Unapply on a large application: one payment applied to 1,000
open invoices of one customer, then unapplied.

    .venv/bin/python bench/bench_apply.py [--n 1000] [--pg URL]

Prints one JSON object: seconds for set_applies_to_id, apply_entries_view,
post_application and unapply on SQLite (a file in a temp dir) and, when reachable,
PostgreSQL. Target: post_application and unapply each < 1 s on SQLite.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from pgbench_db import fresh_pg_database
from sqlmodel import SQLModel, select

import core.tables  # noqa: F401
from core.application.service import ApplicationService
from core.ledger.check import run_check
from core.ledger.drafts import LineDraft
from core.ledger.models import BankAccount, LedgerEntry, Party
from core.ledger.posting import PostingService
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine

DAY = date(2025, 3, 1)
T = TypeVar("T")


def _prepare(store: SqlStore, n: int) -> tuple[int, list[int]]:
    create_company(store, "Bench AG")
    with store.write() as s:
        s.add(Party(party_type="customer", no="C00001", name="Big customer",
                    payment_terms_code="2/10N30"))
        s.add(BankAccount(no="BANK1", name="Bank", gl_account_no="1100"))
    amounts = [Decimal(100 + i % 900) + Decimal("0.50") for i in range(n)]
    invoices = [LineDraft(DAY, "customer", "C00001", a, document_type="invoice",
                          document_no=f"INV{i:07d}", bal_account_type="gl_account",
                          bal_account_no="4100") for i, a in enumerate(amounts)]
    service = PostingService(store, user="bench")
    service.post_lines(invoices)
    # Paid after the discount period: the full amount, no discount.
    service.post_lines([LineDraft(DAY + timedelta(days=40), "customer", "C00001",
                                  -sum(amounts, Decimal(0)), document_type="payment",
                                  document_no="PAY0000001", bal_account_type="bank_account",
                                  bal_account_no="BANK1")])
    with store.read() as s:
        rows = s.exec(select(LedgerEntry).order_by(LedgerEntry.entry_no)).all()  # type: ignore[arg-type]
    pay = next(e.entry_no for e in rows if e.document_type == "payment")
    return pay, [e.entry_no for e in rows if e.document_type == "invoice"]


def _timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(url: str, n: int) -> dict[str, object]:
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    pay, invoices = _prepare(store, n)
    service = ApplicationService(store, user="bench")
    mark, _ = _timed(lambda: service.set_applies_to_id(pay, invoices))
    view_s, view = _timed(lambda: service.apply_entries_view(pay))
    apply_s, _ = _timed(lambda: service.post_application(pay))
    with store.read() as s:
        closed = len(s.exec(select(LedgerEntry).where(LedgerEntry.open == False)).all())  # noqa: E712
    unapply_s, _ = _timed(lambda: service.unapply(pay))
    with store.read() as s:
        reopened = len(s.exec(select(LedgerEntry).where(LedgerEntry.open == True)).all())  # noqa: E712
    ok = run_check(store).ok
    engine.dispose()
    return {"invoices": n, "set_applies_to_id_s": round(mark, 3),
            "apply_entries_view_s": round(view_s, 3),
            "marked": sum(1 for r in view.entries if r.marked),
            "post_application_s": round(apply_s, 3), "entries_closed": closed,
            "unapply_s": round(unapply_s, 3), "entries_reopened": reopened,
            "check_ok": ok}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--pg",
                        default="postgresql://postgres@127.0.0.1:5432/lettrage_bench_apply")
    args = parser.parse_args()
    out: dict[str, object] = {"benchmark": "apply", "target_sqlite_seconds": 1.0}
    with tempfile.TemporaryDirectory() as tmp:
        out["sqlite"] = run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.n)
    out["postgresql"] = run(args.pg, args.n) if fresh_pg_database(args.pg) else "unreachable"
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
