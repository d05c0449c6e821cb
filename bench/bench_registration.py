"""Payment Registration benchmarks, printing ONE JSON object.

(a) the registration list's first page on N open customer entries (the service, and
    the screen opened headless at 80x24 until its rows are painted);
(b) posting 1,000 ticked rows (one payment per row, applied to its invoice) as one
    register.

The company (N open invoices over 1,000 customers, bulk INSERT) is cached in the temp
dir; each posting run works on a fresh copy.

Usage: .venv/bin/python bench/bench_registration.py [--open 100000] [--rows 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VERSION = 2
TODAY = date(2025, 6, 30)
CACHE = Path(tempfile.gettempdir()) / "lettrage-bench"


def build(path: Path, n: int) -> None:
    from sqlmodel import SQLModel

    import core.tables  # noqa: F401
    from core.ledger.models import BankAccount, DetailedLedgerEntry, GLEntry, LedgerEntry, Party
    from core.ledger.setup import create_company
    from data.engine import SqlStore, make_engine

    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    create_company(store, "Registration Bench AG", "EUR")
    with store.write() as s:
        s.add(BankAccount(no="BANK1", name="Operating account", gl_account_no="1100"))
        for i in range(1000):
            s.add(Party(party_type="customer", no=f"C{i:05d}", name=f"Customer {i}",
                        payment_terms_code="30D"))
    engine.dispose()
    le_cols = [c.name for c in LedgerEntry.__table__.columns]  # type: ignore[attr-defined]
    dle_cols = [c.name for c in DetailedLedgerEntry.__table__.columns]  # type: ignore[attr-defined]
    start, rnd = date(2024, 1, 1), random.Random(7)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    entries, details = [], []
    for no in range(1, n + 1):
        day = start + timedelta(days=no * 500 // n)
        amount = rnd.randrange(1000, 1_000_000)
        le = {"entry_no": no, "party_type": "customer", "transaction_no": no,
              "party_no": f"C{rnd.randrange(1000):05d}", "posting_date": day.isoformat(),
              "document_date": day.isoformat(), "document_type": "invoice",
              "document_no": f"SI{no:08d}", "description": f"Invoice {no}", "amount": amount,
              "remaining_amount": amount, "open": 1, "positive": 1,
              "due_date": (day + timedelta(days=30)).isoformat()}
        dle = {"entry_no": no, "ledger_entry_no": no, "party_type": "customer",
               "party_no": le["party_no"], "entry_type": "initial",
               "posting_date": day.isoformat(), "document_type": "invoice",
               "document_no": le["document_no"], "amount": amount, "transaction_no": no,
               "initial_document_type": "invoice"}
        entries.append(tuple(le.get(c, _default(LedgerEntry, c)) for c in le_cols))
        details.append(tuple(dle.get(c, _default(DetailedLedgerEntry, c)) for c in dle_cols))
    con.executemany(f"INSERT INTO ledgerentry ({','.join(le_cols)}) VALUES "
                    f"({','.join('?' * len(le_cols))})", entries)
    con.executemany(f"INSERT INTO detailedledgerentry ({','.join(dle_cols)}) VALUES "
                    f"({','.join('?' * len(dle_cols))})", details)
    gl_cols = [c.name for c in GLEntry.__table__.columns]  # type: ignore[attr-defined]
    gls = []
    for le in entries:
        row = dict(zip(le_cols, le, strict=True))
        for k, (account, amount) in enumerate((("1200", row["amount"]),
                                              ("4100", -row["amount"]))):
            g = {"entry_no": 2 * row["entry_no"] - 1 + k, "transaction_no": row["entry_no"],
                 "gl_account_no": account, "posting_date": row["posting_date"],
                 "document_type": "invoice", "document_no": row["document_no"],
                 "amount": amount, "source_type": "customer" if k == 0 else "",
                 "source_no": row["party_no"] if k == 0 else ""}
            gls.append(tuple(g.get(c, _default(GLEntry, c)) for c in gl_cols))
    con.executemany(f"INSERT INTO glentry ({','.join(gl_cols)}) VALUES "
                    f"({','.join('?' * len(gl_cols))})", gls)
    con.execute("INSERT INTO register (no, transaction_no, from_gl_entry_no, to_gl_entry_no, "
                "from_entry_no, to_entry_no, from_detailed_entry_no, to_detailed_entry_no, "
                "from_bank_entry_no, to_bank_entry_no, source_code, journal_batch, user_id, "
                "created_at, reversed) VALUES (1, 1, 1, ?, 1, ?, 1, ?, 0, 0, 'SALES', '', "
                "'bench', '2024-01-01 00:00:00', 0)", (2 * n, n, n))
    for name, value in (("ledger_entry", n), ("detailed_entry", n), ("transaction", n),
                        ("gl_entry", 2 * n), ("register", 1)):
        con.execute("UPDATE counter SET value = ? WHERE name = ?", (value, name))
    con.commit()
    con.execute("ANALYZE")
    con.close()


def _default(model: type, column: str) -> object:
    value = model.model_fields[column].default  # type: ignore[attr-defined]
    return int(value) if isinstance(value, bool) else value


def cached(n: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"registration-{n}-v{VERSION}.db"
    if not path.exists():
        tmp = path.with_suffix(".building")
        tmp.unlink(missing_ok=True)
        build(tmp, n)
        tmp.rename(path)
    return path


def _services(path: Path):  # type: ignore[no-untyped-def]
    from data.engine import SqlStore, make_engine
    from tui.bootstrap import Services

    return Services(SqlStore(make_engine(f"sqlite:///{path}")), today=lambda: TODAY)


def time_list(path: Path, repeats: int = 5) -> dict[str, float]:
    from core.queries.types import PageRequest

    services = _services(path)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        page = services.registration.rows(PageRequest(limit=100))
        times.append(time.perf_counter() - t)
        assert len(page.rows) == 100
    t = time.perf_counter()
    last = services.registration.rows(PageRequest(limit=100, from_end=True))
    end = time.perf_counter() - t
    assert last.rows
    services.store.engine.dispose()
    return {"first_page_median_s": round(statistics.median(times), 4),
            "last_page_s": round(end, 4)}


async def time_screen(path: Path) -> dict[str, float]:
    from screens.registration.payment_registration import PaymentRegistrationScreen
    from tui.app import LettrageApp

    services = _services(path)
    app = LettrageApp(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        times = []
        for _ in range(3):
            t = time.perf_counter()
            screen = PaymentRegistrationScreen(app.ctx)
            await app.push_screen(screen)
            deadline = time.perf_counter() + 30
            # poll (Pilot.pause() itself costs about a second on a loaded machine)
            while not screen.table.loaded_rows and time.perf_counter() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.002)
            times.append(time.perf_counter() - t)
            assert screen.table.loaded_rows
            app.pop_screen()
            await pilot.pause()
    services.store.engine.dispose()
    return {"first_open_s": round(times[0], 4), "warm_open_s": round(min(times[1:]), 4)}


def time_post(path: Path, rows: int) -> dict[str, object]:
    from core.ledger.check import run_check
    from core.ledger.drafts import LineDraft
    from core.ledger.posting import PostingService
    from core.queries.types import PageRequest
    from core.registration.marks import tick

    work = Path(tempfile.mkdtemp()) / "post.db"
    shutil.copy(path, work)
    services = _services(work)
    reg = services.registration
    marks, request = [], PageRequest(limit=500)
    while len(marks) < rows:
        page = reg.rows(request)
        marks += [tick(r, TODAY) for r in page.rows]
        request = PageRequest(after=page.keys[-1], limit=500)
    marks = marks[:rows]
    t = time.perf_counter()
    result = reg.post(marks)
    elapsed = time.perf_counter() - t
    ok = run_check(services.store).ok
    services.store.engine.dispose()
    # the baseline: the same payment lines posted straight through the posting engine
    shutil.copy(path, work)
    services = _services(work)
    lines = [LineDraft(TODAY, "customer", m.row.customer_no, -m.amount_received,
                       document_type="payment", document_no=f"CR{i:06d}",
                       bal_account_type="bank_account", bal_account_no="BANK1",
                       applies_to_doc_type="invoice", applies_to_doc_no=m.row.document_no,
                       ref=f"line {i}") for i, m in enumerate(marks, start=1)]
    t = time.perf_counter()
    PostingService(services.store).post_lines(lines, source_code="CASHRECJNL")
    engine_s = time.perf_counter() - t
    services.store.engine.dispose()
    shutil.rmtree(work.parent, ignore_errors=True)
    return {"rows": rows, "post_s": round(elapsed, 3), "register": result.register_no,
            "payments": len(result.document_nos), "check_ok": ok,
            "same_lines_through_engine_s": round(engine_s, 3)}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--open", type=int, default=100_000, dest="n")
    p.add_argument("--rows", type=int, default=1000)
    args = p.parse_args()
    t = time.perf_counter()
    path = cached(args.n)
    build_s = time.perf_counter() - t
    out = {"open_entries": args.n, "build_or_cache_s": round(build_s, 2),
           "list": time_list(path), "screen_open_s": asyncio.run(time_screen(path)),
           "post": time_post(path, args.rows),
           "targets": {"screen_open_s": 0.5, "post_s": 2.0}}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
