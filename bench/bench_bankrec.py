"""Bank account reconciliation on SQLite, end to end through the services.

A generated bank ledger and statement with known answers (bench/bankrec_gen.py) is
written to a fresh SQLite file (bank entries, check entries, one reconciliation with
its lines); then Match Automatically runs through ``BankRecService.match_auto`` (read,
match, write) and is scored; the unmatched lines are dropped, the ending balance set
and ``BankRecPosting.post`` runs. Each size in a fresh subprocess; prints ONE JSON.

    .venv/bin/python bench/bench_bankrec.py [--sizes 2000:3000,10000:40000] [--tolerance 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, insert, select
from sqlmodel import SQLModel

import core.tables  # noqa: F401
from bench.bankrec_gen import generate, score
from core.bank_reconciliation.models import BankRec, BankRecLine, BankRecMatch, CheckLedgerEntry
from core.bank_reconciliation.posting import BankRecPosting
from core.bank_reconciliation.service import BankRecService
from core.ledger.models import BankAccount, BankLedgerEntry
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine

CHUNK = 2000
BANK = "BENCH"


def _insert(s: Any, model: type, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        s.execute(insert(model), rows[i:i + CHUNK])


def _build(store: SqlStore, lines: int, outstanding: int, seed: int) -> Any:
    world = generate(lines, outstanding, seed)
    create_company(store, "Bench GmbH", "EUR")
    with store.write() as s:
        s.add(BankAccount(no=BANK, name="Bench bank", gl_account_no="1100"))
        s.flush()
        _insert(s, BankLedgerEntry, [{
            "entry_no": e.entry_no, "bank_account_no": BANK, "transaction_no": e.entry_no,
            "posting_date": e.posting_date, "document_type": "payment",
            "document_no": e.document_no, "external_document_no": e.external_document_no,
            "description": e.description, "amount": e.amount, "remaining_amount": e.amount,
            "open": True, "statement_status": "open",
            "statement_no": "", "reversed": False, "version": 1} for e in world.entries])
        _insert(s, CheckLedgerEntry, [{
            "entry_no": i, "bank_account_no": BANK, "bank_entry_no": e.entry_no,
            "posting_date": e.posting_date, "check_date": e.posting_date, "check_no": e.check_no,
            "document_no": e.document_no, "amount": -e.amount, "status": "posted", "open": True,
            "statement_status": "open", "version": 1}
            for i, e in enumerate((e for e in world.entries if e.check_no), 1)])
        rec = BankRec(bank_account_no=BANK, statement_no="1", statement_date=world.statement_date,
                      created_at=datetime.now(UTC))
        s.add(rec)
        s.flush()
        _insert(s, BankRecLine, [{
            "id": ln.id, "rec_id": rec.id, "line_no": ln.id * 10, "transaction_date": ln.date,
            "transaction_id": f"T{ln.id}", "description": ln.description, "amount": ln.amount,
            "applied_amount": 0, "difference": ln.amount, "match_kind": "none",
            "details_json": "[]", "version": 1} for ln in world.lines])
    return world, rec.id


def run_one(lines: int, outstanding: int, tolerance: int, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        SQLModel.metadata.create_all(engine)
        store = SqlStore(engine)
        world, rec_id = _build(store, lines, outstanding, seed)
        service, posting = BankRecService(store, "bench"), BankRecPosting(store, "bench")
        t0, c0 = time.perf_counter(), time.process_time()
        summary = service.match_auto(rec_id, tolerance)
        match_s, match_cpu = time.perf_counter() - t0, time.process_time() - c0
        with store.read() as s:
            pairs = s.execute(select(BankRecMatch.line_id, BankRecMatch.entry_no)).all()
        matched: dict[int, set[int]] = {}
        for lid, no in pairs:
            matched.setdefault(lid, set()).add(no)
        result = score(world, {k: frozenset(v) for k, v in matched.items()})
        with store.write() as s:  # keep what can be posted; the rest stays for later
            s.execute(delete(BankRecLine).where(BankRecLine.rec_id == rec_id,
                                                BankRecLine.difference != 0))
            rec = s.get(BankRec, rec_id)
            total = sum(s.execute(select(BankRecLine.amount)
                                  .where(BankRecLine.rec_id == rec_id)).scalars())
            rec.statement_ending_balance = rec.balance_last_statement + total
        t1, c1 = time.perf_counter(), time.process_time()
        posted = posting.post(rec_id)
        post_s, post_cpu = time.perf_counter() - t1, time.process_time() - c1
        engine.dispose()
    return {"lines": lines, "open_entries": len(world.entries), "tolerance_days": tolerance,
            "match_seconds": round(match_s, 3), "post_seconds": round(post_s, 3),
            # CPU time of this process: what the wall time is on an idle machine
            "match_cpu_seconds": round(match_cpu, 3), "post_cpu_seconds": round(post_cpu, 3),
            "load_average_1m": round(os.getloadavg()[0], 2),
            "posted_lines": posted.statement.line_count,
            "closed_entries": len(posted.closed_entries), "by_kind": summary.by_kind,
            **result,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="2000:3000,10000:40000",
                    help="LINES:OUTSTANDING pairs, comma separated")
    ap.add_argument("--tolerance", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        n, out = (int(x) for x in args.one.split(":"))
        print(json.dumps(run_one(n, out, args.tolerance, args.seed)))
        return
    runs = []
    for size in args.sizes.split(","):
        done = subprocess.run([sys.executable, __file__, "--one", size, "--tolerance",
                               str(args.tolerance), "--seed", str(args.seed)],
                              capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout))
    targets = {"precision_pct": ">= 99.5", "recall_pct": ">= 95", "outstanding_matched": "0",
               "match_seconds": "< 3 (10,000 x 50,000)", "post_seconds": "< 5",
               "peak_rss_mb": "< 500"}
    print(json.dumps({"bench": "bankrec", "runs": runs, "targets": targets}, indent=2))


if __name__ == "__main__":
    main()
