"""Bank feed: a camt.053 file of 5,000 lines dropped into a watched inbox, against
20,000 open entries (bench/matchgen.py): seconds from the drop (rename into place) to the
file imported, Apply Automatically run and the file archived, with a real watcher
(watchdog events) on a SQLite file. Prints ONE JSON object.

    .venv/bin/python bench/bench_feed.py [--lines 5000] [--entries 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import SQLModel

import core.tables  # noqa: F401
from bench.bench_reconcile import _entries, _parties
from bench.matchgen import generate
from core.feed.service import FeedService, FileOutcome
from core.feed.watch import FeedWatcher
from core.ledger.check import run_check
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine
from tests.helpers import seed_basics
from tests.statement_samples import IBAN, Tx, camt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--entries", type=int, default=20000)
    args = ap.parse_args()
    world = generate(seed=11, lines=args.lines, entries=args.entries,
                     customers=max(args.entries // 10, 10), vendors=max(args.entries // 100, 2))
    txs = [Tx(amount=f"{ln.amount:.2f}", day=ln.transaction_date.isoformat(),
              ref=f"L{ln.line_no}", name=escape(ln.related_party_name or "Unknown"),
              text=escape(ln.text or "-"), iban=ln.related_party_iban or "")
           for ln in world.lines]
    day = max(ln.transaction_date for ln in world.lines).isoformat()
    data = camt(txs, stmt_id="FEED-1", start=day, end=day, iban=IBAN)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        SQLModel.metadata.create_all(engine)
        store = SqlStore(engine)
        create_company(store, "Bench AG")
        seed_basics(store)
        _parties(store, world)
        _entries(store, world)
        inbox = Path(tmp) / "inbox"
        FeedService(store).add_inbox(inbox)
        outcomes: queue.Queue[FileOutcome] = queue.Queue()
        stop = threading.Event()
        watcher = FeedWatcher(FeedService(store), settle=1.0, interval=2.0,
                              report=outcomes.put)
        watcher.stop_event_wakes(stop)
        thread = threading.Thread(target=watcher.run, args=(stop,))
        thread.start()
        part = inbox / "statement.xml.part"
        part.write_bytes(data)
        t0 = time.perf_counter()
        os.rename(part, inbox / "statement.xml")
        out = outcomes.get(timeout=600)
        elapsed = time.perf_counter() - t0
        stop.set()
        thread.join()
        checks = run_check(store)
        result = {
            "lines": args.lines, "open_entries": len(world.entries),
            "file_bytes": len(data), "drop_to_applied_s": round(elapsed, 2),
            "status": out.status, "lines_new": out.lines_new,
            "lines_applied": out.lines_applied, "lines_to_review": out.lines_to_review,
            "archived": Path(out.moved_to).parent.name == "archive",
            "check_ok": checks.ok,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "target_s": 10,
        }
        engine.dispose()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
