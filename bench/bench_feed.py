"""Bank feed: a camt.053 file of 5,000 lines dropped into a watched inbox.

The company is built as a user builds it (``init`` and ``load`` through the command line,
from the wild generator of bench/matchgen_wild.py: 20,000 open entries), then a real
``lettrage feed watch`` process watches the inbox. The file is written under a temporary
name and renamed into place; the time is taken from the rename to the file reported
imported, applied and archived (the watcher's JSON line). ``check`` runs afterwards.
Prints ONE JSON object.

    .venv/bin/python bench/bench_feed.py [--lines 5000] [--entries 20000] [--seed 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_cli_matching import BANK_NO, cli, write_files  # noqa: E402
from bench.matchgen_wild import generate_wild  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=5000)
    ap.add_argument("--entries", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    parties = max(args.entries // 9, 300)
    world = generate_wild(seed=args.seed, customers=parties * 87 // 100,
                          vendors=parties * 13 // 100, entries=args.entries, lines=args.lines)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = write_files(world, folder)
        db = f"sqlite:///{folder / 'bench.db'}"
        cli(db, "init", "--name", "Bench", "--currency", "EUR")
        for kind in ("customers", "vendors", "bank-accounts", "own-bank-accounts",
                     "open-entries"):
            cli(db, "load", kind, str(files[kind]))
        inbox = folder / "inbox"
        cli(db, "feed", "add", "--dir", str(inbox), "--bank-account", BANK_NO)
        watcher = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "--db", db, "feed", "watch", "--json"],
            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        try:
            time.sleep(2.0)  # let the watcher start before the drop (not part of the time)
            part = inbox / "statement.xml.part"
            part.write_bytes(files["statement"].read_bytes())
            t0 = time.perf_counter()
            os.rename(part, inbox / "statement.xml")
            assert watcher.stdout is not None
            line = watcher.stdout.readline()
            elapsed = time.perf_counter() - t0
        finally:
            watcher.terminate()
            _out, err = watcher.communicate(timeout=60)
        if not line:
            raise SystemExit(f"the watcher reported nothing: {err[-2000:]}")
        outcome = json.loads(line)
        _took, report = cli(db, "check", "--json")
        result = {
            "lines": args.lines, "open_entries": len(world.entries),
            "drop_to_imported_applied_archived_s": round(elapsed, 2),
            "status": outcome["status"], "lines_new": outcome["lines_new"],
            "lines_applied": outcome["lines_applied"],
            "lines_to_review": outcome["lines_to_review"],
            "archived": "/archive/" in outcome["moved_to"],
            "check_ok": bool(json.loads(report).get("ok")),
            "load_average": round(os.getloadavg()[0], 1), "target_s": 10,
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
