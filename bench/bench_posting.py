"""Posting throughput: 10,000 invoices, then 10,000 payments applied to them.

    .venv/bin/python bench/bench_posting.py [--n 10000] [--pg URL]

Prints one JSON object: journal lines per second for invoices and for payments on
SQLite (a file in a temp dir) and, when reachable, PostgreSQL. Invoices are posted as
journal lines (customer vs. revenue) in batches of 1,000 lines, payments as cash-receipt
lines with Applies-to Doc. No. against the bank.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from pgbench_db import fresh_pg_database
from sqlmodel import SQLModel

import core.tables  # noqa: F401
from core.ledger.check import run_check
from core.ledger.drafts import LineDraft
from core.ledger.models import BankAccount, Party
from core.ledger.posting import PostingService
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine

BATCH = 1000
DAY = date(2025, 3, 1)


def _prepare(store: SqlStore, customers: int = 100) -> None:
    create_company(store, "Bench AG")
    with store.write() as s:
        for i in range(customers):
            s.add(Party(party_type="customer", no=f"C{i:05d}", name=f"Customer {i}",
                        payment_terms_code="2/10N30"))
        s.add(BankAccount(no="BANK1", name="Bank", gl_account_no="1100"))


def _invoices(n: int) -> list[LineDraft]:
    return [LineDraft(DAY, "customer", f"C{i % 100:05d}", Decimal(100 + i % 900) + Decimal("0.5"),
                      document_type="invoice", document_no=f"INV{i:07d}",
                      bal_account_type="gl_account", bal_account_no="4100") for i in range(n)]


def _payments(n: int) -> list[LineDraft]:
    return [LineDraft(DAY + timedelta(days=5), "customer", f"C{i % 100:05d}",
                      -(Decimal(100 + i % 900) + Decimal("0.5")), document_type="payment",
                      document_no=f"PAY{i:07d}", bal_account_type="bank_account",
                      bal_account_no="BANK1", applies_to_doc_no=f"INV{i:07d}")
            for i in range(n)]


def _timed(service: PostingService, lines: list[LineDraft]) -> float:
    start = time.perf_counter()
    for i in range(0, len(lines), BATCH):
        service.post_lines(lines[i:i + BATCH])
    return time.perf_counter() - start


def run(url: str, n: int) -> dict[str, object]:
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    _prepare(store)
    service = PostingService(store, user="bench")
    inv = _timed(service, _invoices(n))
    pay = _timed(service, _payments(n))
    ok = run_check(store).ok
    engine.dispose()
    return {"invoices": n, "invoice_seconds": round(inv, 2),
            "invoice_lines_per_s": round(n / inv), "payments": n,
            "payment_seconds": round(pay, 2), "payment_lines_per_s": round(n / pay),
            "total_lines_per_s": round(2 * n / (inv + pay)),
            "check_ok": ok}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/lettrage_bench")
    args = parser.parse_args()
    out: dict[str, object] = {"benchmark": "posting", "target_sqlite_lines_per_s": 2000}
    with tempfile.TemporaryDirectory() as tmp:
        out["sqlite"] = run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.n)
    if fresh_pg_database(args.pg):
        out["postgresql"] = run(args.pg, args.n)
    else:
        out["postgresql"] = "unreachable"
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
