"""SEPA direct debit speed on SQLite: a collection of 10,000 invoices (2,000 customers
with a mandate each, 5 open invoices each) created, then exported as pain.008 (built,
validated against the official XSD, written); target < 5 s for both together. Prints ONE
JSON object with wall and CPU seconds (on a shared machine the CPU seconds are the fairer
number) and the machine's load.

    .venv/bin/python bench/bench_sepa.py [--customers 2000] [--per 5] [--format pain.008.001.02]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from schwifty import IBAN
from sqlalchemy import insert
from sqlmodel import SQLModel

import core.tables  # noqa: F401
from core.direct_debit.models import DDMandate
from core.direct_debit.service import DirectDebitService
from core.direct_debit.views import CollectRequest
from core.ledger.models import (
    BankAccount,
    DetailedLedgerEntry,
    LedgerEntry,
    NoSeries,
    Party,
    PartyBankAccount,
)
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine

TODAY = date(2026, 11, 27)
DUE = TODAY + timedelta(days=5)
CHUNK = 5000


def _rows(customers: int, per: int) -> dict[Any, list[dict[str, Any]]]:
    out: dict[Any, list[dict[str, Any]]] = {m: [] for m in (
        Party, PartyBankAccount, DDMandate, LedgerEntry, DetailedLedgerEntry)}
    no = 0
    for c in range(customers):
        party_no = f"C{c + 1:05d}"
        out[Party].append({"party_type": "customer", "no": party_no,
                           "name": f"Kunde {c + 1} GmbH", "posting_group": "DOMESTIC",
                           "version": 1})
        iban = str(IBAN.generate("DE", bank_code="37040044", account_code=f"{c + 1:010d}"))
        out[PartyBankAccount].append({"party_type": "customer", "party_no": party_no,
                                      "code": "MAIN", "iban": iban, "bic": "COBADEFFXXX"})
        out[DDMandate].append({"id": f"M-{party_no}", "customer_no": party_no,
                               "bank_account_code": "MAIN", "valid_from": TODAY - timedelta(400),
                               "date_of_signature": TODAY - timedelta(400),
                               "type_of_payment": "recurrent", "partner_type": "person",
                               "expected_debits": 1, "ignore_expected": True,
                               "debit_counter": c % 3, "blocked": False, "closed": False,
                               "is_default": True, "version": 1})
        for _ in range(per):
            no += 1
            amount = 5_000 + (no * 7919) % 200_000
            day = TODAY - timedelta(days=25)
            doc = f"SI{no:07d}"
            out[LedgerEntry].append({
                "entry_no": no, "party_type": "customer", "party_no": party_no,
                "transaction_no": no, "posting_date": day, "document_date": day,
                "document_type": "invoice", "document_no": doc, "amount": amount,
                "remaining_amount": amount, "open": True, "positive": True, "due_date": DUE,
                "version": 1})
            out[DetailedLedgerEntry].append({
                "entry_no": no, "ledger_entry_no": no, "party_type": "customer",
                "party_no": party_no, "entry_type": "initial", "posting_date": day,
                "document_type": "invoice", "document_no": doc, "amount": amount,
                "transaction_no": no, "initial_document_type": "invoice"})
    return out


def _prepare(store: SqlStore, customers: int, per: int) -> None:
    create_company(store, "Bench GmbH", "EUR")
    with store.write() as s:
        s.add(BankAccount(no="BANK1", name="Collections", gl_account_no="1100",
                          iban="DE89370400440532013000", bic="COBADEFFXXX"))
        s.add(NoSeries(code="DDMSG", prefix="DD", width=5))
    rows = _rows(customers, per)
    with store.write() as s:
        for model, data in rows.items():
            for i in range(0, len(data), CHUNK):
                s.execute(insert(model), data[i:i + CHUNK])


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=2000)
    ap.add_argument("--per", type=int, default=5)
    ap.add_argument("--format", default="pain.008.001.02")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = SqlStore(make_engine(str(Path(tmp) / "bench.db")))
        SQLModel.metadata.create_all(store.engine)
        _prepare(store, args.customers, args.per)
        dd = DirectDebitService(store, lambda: TODAY, user="bench")
        dd.setup_bank("BANK1", creditor_id="DE98ZZZ09999999999", msg_nos="DDMSG",
                      export_format=args.format, return_fee_account="6400")
        wall0, cpu0 = time.perf_counter(), _cpu()
        view = dd.create_collection(CollectRequest("BANK1", DUE, DUE))
        wall1, cpu1 = time.perf_counter(), _cpu()
        out = Path(tmp) / "collection.xml"
        result = dd.export(view.no, out)
        wall2, cpu2 = time.perf_counter(), _cpu()
        size = out.stat().st_size
    total = wall2 - wall0
    print(json.dumps({
        "bench": "sepa_collection", "invoices": view.entries, "customers": args.customers,
        "format": result.format, "transactions": result.transactions,
        "batches": result.batches, "total": str(result.total), "file_bytes": size,
        "create_wall_s": round(wall1 - wall0, 3), "create_cpu_s": round(cpu1 - cpu0, 3),
        "export_wall_s": round(wall2 - wall1, 3), "export_cpu_s": round(cpu2 - cpu1, 3),
        "total_wall_s": round(total, 3), "total_cpu_s": round(cpu2 - cpu0, 3),
        "target_s": 5.0, "ok": (cpu2 - cpu0) < 5.0 and view.entries == args.customers * args.per,
        "load_avg_1m": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    main()
