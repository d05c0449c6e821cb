"""Aged receivables on a big ledger: 10,000 customers, 1,000,000 customer ledger
entries (invoices and the payments that closed most of them, with their detailed
entries), aged at the last day and at a date three months back (entries closed since
count), on SQLite and PostgreSQL; and the aging screen opening on that data (a Textual
pilot). Prints one JSON object per backend.

    PYTHONPATH=. python bench/bench_aging.py [--backend sqlite|postgresql|both]
        [--customers 10000] [--entries 1000000] [--keep DIR]

The data is generated once per size with bulk inserts (SQLite: executemany of tuples,
PostgreSQL: COPY; secondary indexes built after) into a template (a file under the
temporary folder, a PostgreSQL template database), then copied for each run (--fresh
builds it again); nothing is written into the repository. PostgreSQL's own execution
time (EXPLAIN ANALYZE) is reported as server_ms.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import resource
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

from pydantic_core import PydanticUndefined
from sqlalchemy import text
from sqlmodel import SQLModel
from textual.events import Mount

import core.tables  # noqa: F401
import tui.app as tui_app
from core.ledger.models import DetailedLedgerEntry, LedgerEntry, Party
from core.ledger.setup import create_company
from core.reports.aging import AgingOptions, aging_query, roomy
from core.reports.service import ReportsService
from data.engine import SqlStore, make_engine
from screens.reports.aging import AgingScreen
from tui.app import LettrageApp
from tui.bootstrap import Services
from tui.context import Context
from tui.home import HomeScreen

END = date(2026, 6, 30)
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
MODELS: dict[str, Any] = {"party": Party, "ledgerentry": LedgerEntry,
                          "detailedledgerentry": DetailedLedgerEntry}


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def generate(customers: int, entries: int, seed: int = 7) -> tuple[list[dict[str, Any]],
                                                                  list[dict[str, Any]]]:
    """Per customer, invoices over two years; payments close them two by two (on the
    payment date), the newest invoices and some late ones stay open."""
    rng = random.Random(seed)
    per = entries // customers
    les: list[dict[str, Any]] = []
    dles: list[dict[str, Any]] = []
    eno = dno = 0
    for c in range(customers):
        party = f"C{c:06d}"
        day = END - timedelta(days=730)
        step = 730 / per
        made = 0
        pending: list[dict[str, Any]] = []
        while made < per:
            posting = day + timedelta(days=int(made * step))
            eno += 1
            amount = rng.randint(5_000, 500_000)
            inv = _entry(eno, party, posting, "invoice", f"SI{eno:08d}", amount,
                         posting + timedelta(days=30))
            les.append(inv)
            dno += 1
            dles.append(_detail(dno, eno, party, "initial", posting, amount))
            pending.append(inv)
            made += 1
            if len(pending) == 2 and made < per and rng.random() < 0.93:
                paid = min(posting + timedelta(days=rng.randint(20, 80)), END)
                eno += 1
                total = sum(p["amount"] for p in pending)
                les.append(_entry(eno, party, paid, "payment", f"PAY{eno:08d}", -total,
                                  paid, open_=False))
                dno += 1
                dles.append(_detail(dno, eno, party, "initial", paid, -total))
                for p in pending:
                    p["open"], p["remaining_amount"], p["closed_at_date"] = False, 0, paid
                    dno += 1
                    dles.append(_detail(dno, p["entry_no"], party, "application", paid,
                                        -p["amount"]))
                    dno += 1
                    dles.append(_detail(dno, eno, party, "application", paid, p["amount"]))
                les[-1]["remaining_amount"] = 0
                made += 1
                pending = []
            elif len(pending) == 2:
                pending = []
    return les, dles


def _entry(eno: int, party: str, posting: date, doc_type: str, doc_no: str, amount: int,
           due: date, open_: bool = True) -> dict[str, Any]:
    return {"entry_no": eno, "party_type": "customer", "party_no": party,
            "transaction_no": eno, "posting_date": posting, "document_date": posting,
            "document_type": doc_type, "document_no": doc_no, "amount": amount,
            "remaining_amount": amount, "open": open_, "positive": amount > 0,
            "due_date": due, "closed_at_date": None}


def _detail(dno: int, eno: int, party: str, kind: str, day: date, amount: int
            ) -> dict[str, Any]:
    return {"entry_no": dno, "ledger_entry_no": eno, "party_type": "customer",
            "party_no": party, "entry_type": kind, "posting_date": day, "amount": amount,
            "transaction_no": eno}


def load(store: SqlStore, customers: int, les: list[dict[str, Any]],
         dles: list[dict[str, Any]]) -> None:
    create_company(store, "Bench GmbH", "EUR")
    parties = [{"party_type": "customer", "no": f"C{c:06d}", "name": f"Customer {c}",
                "country": "DE" if c % 3 else "FR"} for c in range(customers)]
    if store.dialect == "postgresql":
        raw = store.engine.raw_connection()
        try:
            cur = raw.cursor()
            for table, rows in (("party", parties), ("ledgerentry", les),
                                ("detailedledgerentry", dles)):
                cols = _columns(table, rows[0])
                defaults = _defaults(MODELS[table])
                buf = io.StringIO()
                for r in rows:
                    row = {**defaults, **r}
                    buf.write("\t".join(_pg(row.get(c)) for c in cols) + "\n")
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    copy.write(buf.getvalue())
            raw.commit()
            cur.execute("ANALYZE")
            raw.commit()
        finally:
            raw.close()
        return
    # SQLite: plain tuples through the driver's executemany in one transaction, without
    # a journal (a scratch database): SQLAlchemy's per-dict inserts took minutes.
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA journal_mode = OFF")
        cur.execute("PRAGMA synchronous = OFF")
        for table, rows in (("party", parties), ("ledgerentry", les),
                            ("detailedledgerentry", dles)):
            cols = _columns(table, rows[0])
            defaults = _defaults(MODELS[table])
            marks = ", ".join("?" for _ in cols)
            cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                            [tuple(_lite(r.get(c, defaults[c])) for c in cols) for r in rows])
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


def _lite(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _defaults(model: Any) -> dict[str, Any]:
    """Every column's model default (SQLModel keeps them on the model, not the table)."""
    out = {}
    for c in model.__table__.columns:
        info = model.model_fields.get(c.name)
        default = info.default if info is not None else None
        out[c.name] = None if default is PydanticUndefined else default
    return out


def _columns(table: str, sample: dict[str, Any]) -> list[str]:
    model = MODELS[table]
    defaults = _defaults(model)
    return [c for c in {**defaults, **sample} if c in model.__table__.columns]  # type: ignore[attr-defined]


def _pg(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def timed(fn: Any) -> tuple[Any, float, float]:
    w, c = time.perf_counter(), cpu()
    value = fn()
    return value, round(time.perf_counter() - w, 3), round(cpu() - c, 3)


class AgingOnlyApp(LettrageApp):
    """The app without its home screen (whose figures would load meanwhile)."""

    CSS_PATH: ClassVar[Any] = [str(Path(tui_app.__file__).parent / "styles" / "app.tcss")]

    # the event, to stop LettrageApp's handler (which pushes the home screen)
    def on_mount(self, event: Mount) -> None:  # type: ignore[override]
        event.prevent_default()  # not LettrageApp's: no home screen


async def screen_open(store: SqlStore) -> tuple[float, float]:
    """Open the aging screen in a headless 80x24 app; seconds until its list and chart
    are drawn (the report loaded in its worker, the first page in the table)."""
    services = Services(store, today=lambda: END)
    app = AgingOnlyApp(services, log_path=Path(tempfile.gettempdir()) / "bench_aging.log")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, HomeScreen)
        w, c = time.perf_counter(), cpu()
        screen = AgingScreen(Context(services))
        await app.push_screen(screen)
        while screen.report is None or screen.table.is_loading:
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.pause()
        assert screen.table.loaded_rows, "the aging list is empty"
        return round(time.perf_counter() - w, 3), round(cpu() - c, 3)


TEMPLATES = Path(tempfile.gettempdir()) / "bench_aging_templates"


def _without_indexes(conn: Any, dialect: str) -> list[str]:
    """Drop the tables' secondary indexes (bulk loading is much faster without them);
    the statements that recreate them."""
    if dialect == "postgresql":
        rows = conn.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND "
            "indexname NOT IN (SELECT conname FROM pg_constraint)")).all()
    else:
        rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                 "AND sql IS NOT NULL")).all()
    for name, _sql in rows:
        conn.execute(text(f'DROP INDEX "{name}"'))
    return [sql for _name, sql in rows]


def build(engine: Any, customers: int, entries: int) -> tuple[float, float]:
    """Create the schema and load the generated ledger; (wall, cpu) seconds."""
    w, c = time.perf_counter(), cpu()
    SQLModel.metadata.create_all(engine)
    with engine.begin() as conn:
        indexes = _without_indexes(conn, engine.dialect.name)
    les, dles = generate(customers, entries)
    load(SqlStore(engine), customers, les, dles)
    del les, dles
    with engine.begin() as conn:
        for sql in indexes:
            conn.execute(text(sql))
    # VACUUM as autovacuum would have by then: PostgreSQL reads an index alone only
    # for pages its visibility map knows
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql"
                          else "ANALYZE"))
    return round(time.perf_counter() - w, 3), round(cpu() - c, 3)


def prepare(backend: str, customers: int, entries: int, keep: Path | None,
            fresh: bool) -> tuple[Any, dict[str, Any]]:
    """The benchmark database, copied from a template built once per size (a file under
    the temporary folder for SQLite, a template database for PostgreSQL): generating and
    loading a million entries takes minutes, copying seconds."""
    info: dict[str, Any] = {}
    tag = f"{customers}_{entries}"
    if backend == "postgresql":
        template = f"bench_aging_tpl_{tag}"
        part = f"{template}_part"  # renamed to the template once fully loaded
        admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": template}).first() is not None
            if fresh or not exists:
                conn.execute(text(f"DROP DATABASE IF EXISTS {template}"))
                conn.execute(text(f"DROP DATABASE IF EXISTS {part}"))
                conn.execute(text(f"CREATE DATABASE {part}"))
        if fresh or not exists:
            tpl = make_engine(PG_URL.rsplit("/", 1)[0] + "/" + part)
            info["build_s"], info["build_cpu_s"] = build(tpl, customers, entries)
            tpl.dispose()
            with admin.connect() as conn:
                conn.execute(text(f"ALTER DATABASE {part} RENAME TO {template}"))
        w = time.perf_counter()
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS bench_aging"))
            conn.execute(text(f"CREATE DATABASE bench_aging TEMPLATE {template}"))
        info["copy_s"] = round(time.perf_counter() - w, 3)
        admin.dispose()
        engine = make_engine(PG_URL.rsplit("/", 1)[0] + "/bench_aging")
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        return engine, info
    TEMPLATES.mkdir(exist_ok=True)
    template_file = TEMPLATES / f"aging_{tag}.db"
    if fresh or not template_file.exists():
        template_file.unlink(missing_ok=True)
        part_file = template_file.with_suffix(".part")
        part_file.unlink(missing_ok=True)
        tpl = make_engine(f"sqlite:///{part_file}")
        info["build_s"], info["build_cpu_s"] = build(tpl, customers, entries)
        tpl.dispose()
        part_file.rename(template_file)
    folder = keep or Path(tempfile.mkdtemp(prefix="bench_aging_"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "aging.db"
    w = time.perf_counter()
    shutil.copyfile(template_file, path)
    info["copy_s"] = round(time.perf_counter() - w, 3)
    return make_engine(f"sqlite:///{path}"), info


def run(backend: str, customers: int, entries: int, keep: Path | None,
        screen: bool = True, fresh: bool = False) -> dict[str, Any]:
    engine, info = prepare(backend, customers, entries, keep, fresh)
    store = SqlStore(engine)
    with engine.connect() as conn:
        n_les = conn.execute(text("SELECT COUNT(*) FROM ledgerentry")).scalar_one()
        n_dles = conn.execute(text("SELECT COUNT(*) FROM detailedledgerentry")).scalar_one()
    service = ReportsService(store, lambda: END)
    out: dict[str, Any] = {"backend": backend, "customers": customers,
                           "entries": n_les, "detailed_entries": n_dles, **info,
                           "load_average": os.getloadavg()}
    for name, day in (("at_end", END), ("three_months_back", END - timedelta(days=91))):
        service.aging(AgingOptions(day))  # warm: the first read pulls the file in
        report, wall, cpu_s = timed(lambda d=day: service.aging(AgingOptions(d)))
        out[name] = {"date": day.isoformat(), "seconds": wall, "cpu_s": cpu_s,
                     "customers_with_balance": len(report.lines), "total": str(report.total)}
        if backend == "postgresql":
            out[name]["server_ms"] = explain_ms(store, AgingOptions(day))
    if screen:
        out["screen_open_s"], out["screen_open_cpu_s"] = asyncio.run(screen_open(store))
        out["screen_under_1s"] = out["screen_open_s"] < 1
    out["under_3s"] = all(out[k]["seconds"] < 3 for k in ("at_end", "three_months_back"))
    engine.dispose()
    return out


def explain_ms(store: SqlStore, options: AgingOptions) -> float:
    """PostgreSQL's own execution time of the aging query (EXPLAIN ANALYZE)."""
    with store.read() as s:
        roomy(s)
        query = aging_query(options, "postgresql").compile(
            dialect=s.get_bind().dialect, compile_kwargs={"literal_binds": True})
        plan = s.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {query}")).scalar_one()
    return float(plan[0]["Execution Time"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--no-screen", action="store_true", help="only the query")
    parser.add_argument("--fresh", action="store_true",
                        help="generate the data again (default: copy the template a "
                             "previous run built)")
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        print(json.dumps(run(backend, args.customers, args.entries, args.keep,
                             not args.no_screen, args.fresh)), flush=True)


if __name__ == "__main__":
    main()
