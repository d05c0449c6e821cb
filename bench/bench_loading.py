"""Loading 100,000 open entries from CSV (``lettrage load open-entries``) on SQLite.

    .venv/bin/python bench/bench_loading.py [--n 100000]

Prints one JSON object with the seconds for customers and for open entries (target:
100,000 open entries in under 60 s) and whether ``check`` passes afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from core.ledger.check import run_check
from core.ledger.loading import LoadingService
from core.ledger.setup import create_company
from tui.bootstrap import open_store


def _write_files(tmp: Path, n: int, customers: int) -> tuple[Path, Path]:
    rng = random.Random(7)
    cust = tmp / "customers.csv"
    with cust.open("w", encoding="utf-8") as f:
        f.write("no,name,address,city,country,email,vat_no,payment_terms_days\n")
        for i in range(customers):
            f.write(f"C{i:06d},Customer {i} GmbH,Street {i},Berlin,DE,c{i}@x.de,DE{i:09d},30\n")
    entries = tmp / "open.csv"
    with entries.open("w", encoding="utf-8") as f:
        f.write("party_type,party_no,document_type,document_no,external_document_no,"
                "posting_date,due_date,amount,remaining_amount,pmt_discount_date,"
                "remaining_pmt_disc_possible,currency,description,payment_reference\n")
        for i in range(n):
            amount = rng.randint(1000, 500000)
            remaining = amount if i % 5 else amount // 2
            f.write(f"customer,C{i % customers:06d},invoice,INV{i:07d},PO{i},2025-0{1 + i % 9}-1"
                    f"{i % 9},2025-1{i % 3}-0{1 + i % 9},{amount / 100:.2f},"
                    f"{remaining / 100:.2f},,,EUR,Invoice {i},RF{i:08d}\n")
    return cust, entries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cust, entries = _write_files(tmp, args.n, args.customers)
        store = open_store(f"sqlite:///{tmp / 'load.db'}")
        create_company(store, "Load AG")
        service = LoadingService(store, user="bench")
        t0 = time.perf_counter()
        service.load_parties("customer", cust)
        t1 = time.perf_counter()
        result = service.load_open_entries(entries)
        t2 = time.perf_counter()
        ok = run_check(store).ok
        t3 = time.perf_counter()
    print(json.dumps({"benchmark": "load_open_entries", "customers": args.customers,
                      "customers_seconds": round(t1 - t0, 2), "open_entries": result.written,
                      "open_entries_seconds": round(t2 - t1, 2), "target_seconds": 60,
                      "check_seconds": round(t3 - t2, 2), "check_ok": ok}, indent=2))


if __name__ == "__main__":
    main()
