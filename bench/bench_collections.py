"""Collections speed on SQLite: Create Reminders for 10,000 customers with 100,000 open
entries (target < 10 s), then issuing 1,000 of them, each its own transaction with a
posting through the engine (target < 10 s). Prints ONE JSON object
(wall and CPU seconds, and the machine's load: on a shared machine the CPU seconds are the
fairer number).

    .venv/bin/python bench/bench_collections.py [--customers 10000] [--per 10] [--issue 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text
from sqlmodel import SQLModel

import core.tables  # noqa: F401
from core.collections.defaults import FINANCE_TERMS, REMINDER_TERMS, add_defaults
from core.collections.service import CollectionsService
from core.ledger.check import run_check
from core.ledger.models import DetailedLedgerEntry, LedgerEntry, Party
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine

TODAY = date(2026, 11, 27)
CHUNK = 5000


def _rows(customers: int, per: int, rng: random.Random) -> tuple[list[dict[str, Any]], ...]:
    parties, entries, details = [], [], []
    no = 0
    for c in range(customers):
        party_no = f"C{c + 1:05d}"
        parties.append({"party_type": "customer", "no": party_no, "name": f"Customer {c + 1}",
                        "posting_group": "DOMESTIC", "reminder_terms_code": REMINDER_TERMS,
                        "fin_charge_terms_code": FINANCE_TERMS, "language_code": "fr",
                        "version": 1})
        for _ in range(per):
            no += 1
            day = TODAY - timedelta(days=rng.randint(5, 200))
            amount = rng.randint(5_000, 500_000)
            entries.append({
                "entry_no": no, "party_type": "customer", "party_no": party_no,
                "transaction_no": no, "posting_date": day, "document_date": day,
                "document_type": "invoice", "document_no": f"SI{no:07d}",
                "amount": amount, "remaining_amount": amount, "open": True, "positive": True,
                "due_date": day + timedelta(days=30),
                "last_issued_reminder_level": rng.choice((0, 0, 0, 1, 2)), "version": 1})
            details.append({"entry_no": no, "ledger_entry_no": no, "party_type": "customer",
                            "party_no": party_no, "entry_type": "initial",
                            "posting_date": day, "document_type": "invoice",
                            "document_no": f"SI{no:07d}", "amount": amount,
                            "transaction_no": no, "initial_document_type": "invoice"})
    return parties, entries, details


def _prepare(store: SqlStore, customers: int, per: int) -> None:
    create_company(store, "Bench SAS", "EUR")
    with store.write() as s:
        add_defaults(s)
        # level 1 charges a fee so every issued reminder posts
        s.execute(text("UPDATE reminderlevel SET additional_fee = 500 WHERE no = 1"))
    parties, entries, details = _rows(customers, per, random.Random(7))
    with store.write() as s:
        for model, rows in ((Party, parties), (LedgerEntry, entries),
                            (DetailedLedgerEntry, details)):
            for i in range(0, len(rows), CHUNK):
                s.execute(insert(model), rows[i:i + CHUNK])
        n = len(entries)
        for name in ("ledger_entry", "detailed_entry", "transaction"):
            s.execute(text("UPDATE counter SET value = :v WHERE name = :n"), {"v": n, "n": name})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--per", type=int, default=10)
    parser.add_argument("--issue", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        SQLModel.metadata.create_all(engine)
        store = SqlStore(engine)
        t0 = time.perf_counter()
        _prepare(store, args.customers, args.per)
        prepare_s = time.perf_counter() - t0
        service = CollectionsService(store, user="bench",
                                     clock=lambda: datetime(2026, 11, 27, tzinfo=UTC))
        t0, c0 = time.perf_counter(), time.process_time()
        result = service.create("reminder", TODAY)
        create_s, create_cpu = time.perf_counter() - t0, time.process_time() - c0
        with store.read() as s:
            lines = s.execute(text("SELECT COUNT(*) FROM collectionline")).scalar_one()
        nos = list(result.created[:args.issue])
        t0, c0 = time.perf_counter(), time.process_time()
        done, failed = service.issue_many("reminder", nos)
        issue_s, issue_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0 = time.perf_counter()
        again = service.create("reminder", TODAY)  # re-run: nothing twice
        rerun_s = time.perf_counter() - t0
        # the generated entries carry earlier levels without reminder entries, so only
        # the posting invariants and the issued-document match are checked here
        check_ok = all(r.ok for r in run_check(store).results
                       if "issued reminders" in r.name or "transaction" in r.name
                       or "sums to zero" in r.name)
        engine.dispose()
    print(json.dumps({
        "benchmark": "collections", "customers": args.customers,
        "open_entries": args.customers * args.per, "prepare_s": round(prepare_s, 2),
        "create_reminders_s": round(create_s, 2), "reminders_created": len(result.created),
        "reminder_lines": int(lines), "create_target_s": 10,
        "create_cpu_s": round(create_cpu, 2), "issue_cpu_s": round(issue_cpu, 2),
        "load_average_1m": round(os.getloadavg()[0], 1), "cpus": os.cpu_count(),
        "issued": len(done), "issue_errors": len(failed), "issue_s": round(issue_s, 2),
        "issue_ms_each": round(1000 * issue_s / max(len(done), 1), 2), "issue_target_s": 10,
        "rerun_created": len(again.created), "rerun_s": round(rerun_s, 2),
        "collections_checks_ok": check_ok}))


if __name__ == "__main__":
    main()
