"""TUI benchmarks, headless (Pilot), printing ONE JSON object.

(a) cold start: a fresh Python process, from interpreter start to the home screen
    painted with its figures, on the medium demo company;
(b) Customer Ledger Entries opened and jumped to the last row, with 1,000 and with
    1,000,000 party ledger entries (SQLite files built by bulk INSERT and cached in
    the temp dir under a versioned name);
(c) key latency in that list at 1,000,000: cursor down, page down, open-only toggle,
    timed from the key press until the table has repainted.

Usage: .venv/bin/python bench/bench_tui.py [--big 1000000] [--presses 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VERSION = 1
TODAY = date(2025, 6, 30)
CACHE = Path(tempfile.gettempdir()) / "lettrage-bench"


def _store(path: Path):  # type: ignore[no-untyped-def]
    from sqlmodel import SQLModel

    import core.ledger.models  # noqa: F401
    from data.engine import SqlStore, make_engine

    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    return SqlStore(engine)


def build_medium(path: Path) -> None:
    """The medium demo company (``lettrage demo --size medium``): 400 customers,
    60 vendors, about 8,500 documents and 6,700 payments, migrated schema."""
    from data.demo import build_demo
    from tui.bootstrap import open_store

    store = open_store(f"sqlite:///{path}")
    build_demo(store, size="medium", seed=42)
    store.engine.dispose()  # checkpoint the WAL before the file is renamed


def build_big(path: Path, n: int) -> None:
    """``n`` customer ledger entries over 1,000 customers by bulk INSERT (10 % open)."""
    from core.ledger.models import LedgerEntry, Party
    from core.ledger.setup import create_company

    store = _store(path)
    create_company(store, "Big Ledger AG", "EUR")
    with store.write() as s:
        for i in range(1000):
            s.add(Party(party_type="customer", no=f"C{i:05d}", name=f"Customer {i}",
                        payment_terms_code="30D"))
    store.engine.dispose()
    columns = [c.name for c in LedgerEntry.__table__.columns]  # type: ignore[attr-defined]
    start, rnd = date(2015, 1, 1), random.Random(2)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")

    def rows():  # type: ignore[no-untyped-def]
        for no in range(1, n + 1):
            day = start + timedelta(days=no * 3650 // n)
            amount = rnd.randrange(1000, 1_000_000)
            is_open = rnd.random() < 0.10
            values = {
                "entry_no": no, "party_type": "customer", "transaction_no": no,
                "party_no": f"C{rnd.randrange(1000):05d}", "posting_date": day.isoformat(),
                "document_date": day.isoformat(), "document_type": "invoice",
                "document_no": f"SI{no:08d}", "description": f"Invoice {no}",
                "amount": amount, "remaining_amount": amount if is_open else 0,
                "open": int(is_open), "positive": 1,
                "due_date": (day + timedelta(days=30)).isoformat()}
            yield tuple(values.get(c, _default(c)) for c in columns)

    marks = ",".join("?" * len(columns))
    con.executemany(f"INSERT INTO ledgerentry ({','.join(columns)}) VALUES ({marks})", rows())
    con.commit()
    con.execute("ANALYZE")
    con.close()


def _default(column: str) -> object:
    from core.ledger.models import LedgerEntry

    value = LedgerEntry.model_fields[column].default
    if isinstance(value, bool):
        return int(value)
    return value


def cached(name: str, build) -> Path:  # type: ignore[no-untyped-def]
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{name}-v{VERSION}.db"
    if not path.exists():
        tmp = path.with_suffix(".building")
        tmp.unlink(missing_ok=True)
        build(tmp)
        tmp.rename(path)
    return path


def make_app(path: Path):  # type: ignore[no-untyped-def]
    from data.engine import SqlStore, make_engine
    from tui.app import LettrageApp
    from tui.bootstrap import Services

    return LettrageApp(Services(SqlStore(make_engine(f"sqlite:///{path}")),
                                today=lambda: TODAY))


async def _settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def cold_child(path: Path, t0: float) -> float:
    """Run in a fresh process: seconds from interpreter start to painted figures."""
    from textual.widgets import Static

    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(500):
            await _settle(app, pilot)
            if "As of" in str(app.screen.query_one("#filters", Static).render()):
                return time.perf_counter() - t0
        raise RuntimeError(f"the home screen never showed its figures: {app.screen}")


def cold_start(path: Path, runs: int = 3) -> list[float]:
    out = []
    for _ in range(runs):
        code = ("import time; t0=time.perf_counter(); import sys, asyncio; "
                f"sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench_tui as b; "
                f"print(asyncio.run(b.cold_child(b.Path({str(path)!r}), t0)))")
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True)
        out.append({"in_process_s": round(float(result.stdout.strip().splitlines()[-1]), 3),
                    "wall_s": round(time.perf_counter() - started, 3)})
    return out


async def ledger_run(path: Path, presses: int) -> dict[str, object]:
    from screens.ledger.ledger_entries import LedgerEntriesScreen

    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        t = time.perf_counter()
        screen = LedgerEntriesScreen(app.ctx, "customer")
        await app.push_screen(screen)
        await _settle(app, pilot)
        first_paint = time.perf_counter() - t
        t = time.perf_counter()
        await pilot.press("home")
        await _settle(app, pilot)
        to_first = time.perf_counter() - t
        t = time.perf_counter()
        await pilot.press("end")
        await _settle(app, pilot)
        to_last = time.perf_counter() - t
        last = screen.table.cursor_value.entry_no
        latency = {key: await _latency(app, pilot, key, presses)
                   for key in ("down", "pagedown", "o")}
        return {"first_rows_painted_s": round(first_paint, 4),
                "jump_first_s": round(to_first, 4), "jump_last_s": round(to_last, 4),
                "last_entry_no": last, "key_latency_ms": latency}


async def _latency(app, pilot, key: str, presses: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Key press to repainted frame: the key event is posted, every message it causes
    is handled (including a worker's page and its ``Loaded`` message), then the whole
    screen is rendered. Pilot's ``press`` adds ~100 ms of idle-detection sleeps per key,
    which is harness time, not app time; ``pilot_press_ms`` shows it for comparison."""
    from textual import events

    if key != "o":
        await pilot.press("home")
        await _settle(app, pilot)
    times, pilot_times = [], []
    for _ in range(presses):
        t = time.perf_counter()
        app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot._wait_for_screen()
        await app.workers.wait_for_complete()
        await pilot._wait_for_screen()
        app.screen._compositor.render_update(full=True)
        times.append((time.perf_counter() - t) * 1000)
    for _ in range(min(presses, 5)):
        t = time.perf_counter()
        await pilot.press(key)
        await _settle(app, pilot)
        pilot_times.append((time.perf_counter() - t) * 1000)
    return {"median": round(statistics.median(times), 1), "max": round(max(times), 1),
            "pilot_press_ms": round(statistics.median(pilot_times), 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--presses", type=int, default=20)
    args = parser.parse_args()
    t = time.perf_counter()
    medium = cached("demo-medium", build_medium)
    small = cached("ledger-1000", lambda p: build_big(p, 1000))
    big = cached(f"ledger-{args.big}", lambda p: build_big(p, args.big))
    setup_s = time.perf_counter() - t
    result = {
        "bench": "tui", "setup_s": round(setup_s, 1),
        "cold_start_medium": cold_start(medium),
        "ledger_1000": asyncio.run(ledger_run(small, args.presses)),
        f"ledger_{args.big}": asyncio.run(ledger_run(big, args.presses)),
        "targets": {"cold_start_s": 1.5, "first_rows_s": 0.5, "key_latency_ms": 50},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
