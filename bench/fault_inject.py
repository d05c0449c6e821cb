"""Crash safety: kill a worker with SIGKILL in the middle of posting and reconciliation
steps, reopen the database after each kill and prove nothing was half-written.

    .venv/bin/python -m bench.fault_inject --backend sqlite --rounds 200
    .venv/bin/python -m bench.fault_inject --backend postgresql \\
        --url postgresql://postgres@127.0.0.1:5432/lt_faults --rounds 200

Each round a forked worker runs one step (a batch of payments applied by document no.,
Post Application, Unapply, a statement import, Apply Automatically, post payments and
reconcile). The worker's engine gets a ``before_cursor_execute`` listener (installed
only here) that SIGKILLs the process at its K-th SQL statement, K drawn at random over
the statements the step needs, so the kill lands anywhere inside the transaction(s).

After every round the parent reopens the database and checks: ``run_check`` passes;
every register's G/L entries balance; every statement import has all its lines; no
journal is half-posted (its lines' status agrees with its own, a posted one has its
posted statement and register); the step's own writes are all there or none of them.
Then the parent runs the interrupted step again, as a clerk would, and checks that it
worked exactly once: the batch is posted once, the import brings the rest and nothing
twice, the journal is posted once. The killed worker's claim on the journal must not
stand in the way (same host, dead process: expired at once). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script too

from sqlalchemy import event, text
from sqlmodel import col, select

import core.tables  # noqa: F401
from bench.stress import BANK, CUSTOMERS, DAY, setup_company, write_statements
from core.application.service import ApplicationService
from core.audit.claims import ClaimedError
from core.kernel.errors import LettrageError
from core.kernel.money import from_minor
from core.ledger.check import run_check
from core.ledger.drafts import DocumentDraft, DocumentLineDraft, LineDraft
from core.ledger.models import LedgerEntry
from core.ledger.posting import PostingService
from core.reconciliation.service import ReconciliationService
from core.statements.importer import StatementImportService
from data.engine import SqlStore, make_engine

PHASES = ("payments", "apply", "unapply", "import", "apply_auto", "post_recon")
BATCH = 5
KILLED, DONE, REFUSED, CRASHED = "killed", "done", "refused", "crashed"


class Step:
    """One step of round ``n``; the same ``n`` picks the same targets again."""

    def __init__(self, store: SqlStore, n: int, files: list[Path]) -> None:
        self.store, self.n, self.files = store, n, files
        self.rng = random.Random(n)
        self.user = f"faulty{n}"

    def _open(self, payments: bool) -> list[LedgerEntry]:
        with self.store.read() as s:
            stmt = select(LedgerEntry).where(col(LedgerEntry.open).is_(True),
                                             LedgerEntry.party_type == "customer")
            stmt = stmt.where(LedgerEntry.amount < 0) if payments \
                else stmt.where(LedgerEntry.document_type == "invoice")
            return list(s.exec(stmt.order_by(col(LedgerEntry.entry_no))).all())

    def payments(self) -> None:
        """A cash receipt batch: BATCH payments in one register, most applied by doc no."""
        invoices = self._open(payments=False)
        if len(invoices) < BATCH:
            raise LettrageError("too few open invoices")
        lines = []
        for i, inv in enumerate(self.rng.sample(invoices, BATCH)):
            lines.append(LineDraft(
                posting_date=DAY, account_type="customer", account_no=inv.party_no,
                amount=-from_minor(inv.remaining_amount), document_type="payment",
                document_no=f"{self.tag('FB')}-{i}", bal_account_type="bank_account",
                bal_account_no=BANK, applies_to_doc_no="" if i < 2 else inv.document_no,
                ref=f"line {i + 1}"))
        PostingService(self.store, self.user).post_lines(lines)

    def apply(self) -> None:
        pays = self._open(payments=True)
        if not pays:
            raise LettrageError("no open payment")
        pay = self.rng.choice(pays)
        invoices = [e for e in self._open(payments=False) if e.party_no == pay.party_no]
        if not invoices:
            raise LettrageError("no open invoice of the payer")
        ApplicationService(self.store, self.user).post_application(
            pay.entry_no, [self.rng.choice(invoices).entry_no], document_no=self.tag("FA"))

    def unapply(self) -> None:
        with self.store.read() as s:
            nos = list(s.exec(select(LedgerEntry.entry_no).where(
                LedgerEntry.party_type == "customer", LedgerEntry.amount < 0,
                LedgerEntry.remaining_amount != LedgerEntry.amount)
                .order_by(col(LedgerEntry.entry_no))).all())
        if not nos:
            raise LettrageError("nothing applied")
        ApplicationService(self.store, self.user).unapply(self.rng.choice(nos),
                                                          document_no=self.tag("FU"))

    def import_(self) -> None:
        StatementImportService(self.store, self.user).import_(self.file)

    @property
    def file(self) -> Path:
        return self.files[self.n % len(self.files)]

    def _recon(self) -> ReconciliationService:
        return ReconciliationService(self.store, user=self.user,
                                     session=f"{self.user}-{os.getpid()}")

    def apply_auto(self) -> None:
        svc = self._recon()
        j = svc.open_journal(BANK)
        with svc.claims.hold(j.id, every=None):
            svc.apply_automatically(j.id)

    def post_recon(self) -> None:
        svc = self._recon()
        j = svc.open_journal(BANK)
        if not j.line_count:
            raise LettrageError("no lines to post")
        with svc.claims.hold(j.id, every=None):
            svc.apply_automatically(j.id)
            for line in svc.lines(j.id):
                if line.difference != 0:
                    svc.transfer_difference(line.id, "gl_account", "4900", "not matched")
            view = svc.journal(j.id)
            svc.post(j.id, reconcile=True, ending_balance=view.ending_balance_from_lines)

    def tag(self, prefix: str) -> str:
        return f"{prefix}{self.n:05d}"

    def run(self, phase: str) -> None:
        steps: dict[str, Callable[[], None]] = {
            "payments": self.payments, "apply": self.apply, "unapply": self.unapply,
            "import": self.import_, "apply_auto": self.apply_auto,
            "post_recon": self.post_recon}
        steps[phase]()


# --- the worker ------------------------------------------------------------------------------


def _worker(url: str, phase: str, n: int, kill_at: int, files: list[str],
            counter_file: str) -> None:
    """Run the step; SIGKILL itself at SQL statement ``kill_at`` (0: never)."""
    engine = make_engine(url)
    seen = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def _maybe_die(*_args: Any) -> None:
        seen[0] += 1
        if seen[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    code = 0
    try:
        Step(SqlStore(engine), n, [Path(f) for f in files]).run(phase)
    except LettrageError:
        code = 3
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    Path(counter_file).write_text(str(seen[0]))
    os._exit(code)  # no clean-up of anything inherited from the parent


# --- the checks ------------------------------------------------------------------------------


def _ids(store: SqlStore, sql: str, **params: Any) -> list[Any]:
    with store.read() as s:
        return [r[0] for r in s.execute(text(sql), params).fetchmany(20)]


def partial_writes(store: SqlStore) -> list[str]:
    """Half-written state anywhere in the database (empty: none)."""
    problems = [f"check: {r.name}: {'; '.join(r.details)}"
                for r in run_check(store).results if not r.ok]
    for no in _ids(store, """
            SELECT r.no FROM register r JOIN glentry g
              ON g.entry_no BETWEEN r.from_gl_entry_no AND r.to_gl_entry_no
            WHERE r.from_gl_entry_no > 0 GROUP BY r.no HAVING SUM(g.amount) <> 0"""):
        problems.append(f"register {no}: its G/L entries do not balance")
    for no in _ids(store, """
            SELECT i.id FROM statementimport i
            LEFT JOIN (SELECT import_id, COUNT(*) AS c FROM bankstatementline
                       GROUP BY import_id) l ON l.import_id = i.id
            WHERE COALESCE(l.c, 0) <> i.lines_new"""):
        problems.append(f"statement import {no} is incomplete")
    for no in _ids(store, """
            SELECT DISTINCT j.id FROM reconjournal j JOIN reconline l ON l.journal_id = j.id
            WHERE (j.status = 'posted') <> (l.status = 'posted')"""):
        problems.append(f"journal {no} is half-posted (line and journal status differ)")
    for no in _ids(store, """
            SELECT j.id FROM reconjournal j WHERE j.status = 'posted' AND NOT EXISTS (
              SELECT 1 FROM postedstatement p JOIN register r ON r.no = p.register_no
              WHERE p.bank_account_no = j.bank_account_no
                AND p.statement_no = j.statement_no)"""):
        problems.append(f"journal {no} is posted without its posted statement/register")
    for key in _ids(store, """
            SELECT dedup_key FROM bankstatementline
            GROUP BY bank_account_no, dedup_key, occurrence HAVING COUNT(*) > 1"""):
        problems.append(f"statement line {key} imported twice")
    return problems


def step_writes(store: SqlStore, phase: str, n: int) -> int:
    """How many units of round ``n``'s own writes are in the books."""
    step_tag = {"payments": "FB", "apply": "FA", "unapply": "FU"}.get(phase)
    if step_tag == "FB":
        return len(_ids(store, "SELECT entry_no FROM ledgerentry WHERE document_no LIKE :p",
                        p=f"FB{n:05d}-%"))
    if step_tag:
        return len(_ids(store, "SELECT DISTINCT transaction_no FROM detailedledgerentry "
                               "WHERE document_no = :d", d=f"{step_tag}{n:05d}"))
    return 0


def all_or_nothing(phase: str, count: int) -> bool:
    if phase == "payments":
        return count in (0, BATCH)
    return count in (0, 1)


# --- the run ---------------------------------------------------------------------------------


def run_faults(url: str, rounds: int = 200, seed: int = 1, workdir: Path | None = None,
               backend: str = "") -> dict[str, Any]:
    store = setup_company(url)
    folder = workdir or Path(tempfile.mkdtemp(prefix="lettrage-faults-"))
    files = [str(p) for p in write_statements(store, folder / "statements")]
    store.engine.dispose()
    rng = random.Random(seed)
    ctx = mp.get_context("fork")
    statements: dict[str, int] = dict.fromkeys(PHASES, 40)  # K is drawn from 1..this
    learnt: dict[str, int] = dict.fromkeys(PHASES, 0)  # most SQL a finished step used
    outcomes: dict[str, Counter[str]] = {p: Counter() for p in PHASES}
    failures: list[dict[str, Any]] = []
    start = time.perf_counter()
    for n in range(1, rounds + 1):
        if n % len(PHASES) == 1:
            files = replenish(url, folder, n, files)
        phase = PHASES[(n - 1) % len(PHASES)] if n <= len(PHASES) else rng.choice(PHASES)
        kill_at = rng.randint(1, statements[phase])
        counter_file = str(folder / "statements-seen")
        proc = ctx.Process(target=_worker, args=(url, phase, n, kill_at, files, counter_file))
        proc.start()
        proc.join(120)
        if proc.exitcode == -signal.SIGKILL:
            outcome = KILLED
            if not learnt[phase] and kill_at > statements[phase] * 0.8:
                statements[phase] *= 2  # not seen to finish yet: it may be longer
        elif proc.exitcode == 0:
            outcome = DONE
            learnt[phase] = max(learnt[phase], int(Path(counter_file).read_text()))
            statements[phase] = learnt[phase] + 1  # K up to one past the step's end
        elif proc.exitcode == 3:
            outcome = REFUSED
        else:
            outcome = CRASHED
        outcomes[phase][outcome] += 1
        store = SqlStore(make_engine(url))  # reopen
        problems = partial_writes(store)
        count = step_writes(store, phase, n)
        if not all_or_nothing(phase, count):
            problems.append(f"{phase}: {count} of the step's writes are in the books")
        if outcome == CRASHED:
            problems.append(f"the worker failed with exit code {proc.exitcode}")
        if outcome == KILLED:
            problems += rerun(store, phase, n, files, count)
        if problems:
            failures.append({"round": n, "phase": phase, "outcome": outcome,
                             "kill_at": kill_at, "problems": problems[:10]})
        store.engine.dispose()
    seconds = time.perf_counter() - start
    if workdir is None:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    kills = {p: c[KILLED] for p, c in outcomes.items()}
    return {"backend": backend, "rounds": rounds, "seed": seed, "seconds": round(seconds, 1),
            "kills": sum(kills.values()), "kills_per_phase": kills,
            "outcomes_per_phase": {p: dict(c) for p, c in outcomes.items()},
            "statements_per_step": statements, "failures": failures,
            "ok": not failures}


def replenish(url: str, folder: Path, n: int, files: list[str]) -> list[str]:
    """Between rounds (no faults here): new invoices when few are open, new statement
    files when everything imported is already in a journal or posted."""
    store = SqlStore(make_engine(url))
    try:
        with store.read() as s:
            open_invoices = len(s.exec(select(LedgerEntry.entry_no).where(
                col(LedgerEntry.open).is_(True), LedgerEntry.document_type == "invoice",
                LedgerEntry.party_type == "customer")).all())
            waiting = s.execute(text("SELECT COUNT(*) FROM bankstatementline "
                                     "WHERE status = 'new'")).scalar_one()
        if open_invoices < 40:
            PostingService(store, "setup").post_documents([DocumentDraft(
                "customer", f"C{i % CUSTOMERS + 1:03d}", "invoice", DAY,
                (DocumentLineDraft("4100", Decimal(100 + i)),)) for i in range(60)])
        if not waiting:
            files = [str(p) for p in write_statements(store, folder / f"g{n}", f"G{n}R")]
    finally:
        store.engine.dispose()
    return files


def rerun(store: SqlStore, phase: str, n: int, files: list[str], before: int) -> list[str]:
    """Run the interrupted step again, as the clerk would; it must work exactly once."""
    problems: list[str] = []
    if before and phase in ("payments", "apply", "unapply"):
        return problems  # it had committed before the kill: a clerk would not redo it
    try:
        Step(store, n, [Path(f) for f in files]).run(phase)
    except LettrageError as exc:
        if phase in ("payments", "import") or isinstance(exc, ClaimedError):
            problems.append(f"re-running {phase} was refused: {exc}")
        return problems  # e.g. nothing left to apply: a clear message is fine
    except Exception as exc:
        return [f"re-running {phase} failed: {type(exc).__name__}: {exc}"[:400]]
    problems += partial_writes(store)
    count = step_writes(store, phase, n)
    if phase in ("payments", "apply", "unapply") and count != (BATCH if phase == "payments"
                                                               else 1):
        problems.append(f"after re-running {phase}: {count} of its writes")
    if phase == "import":
        again = StatementImportService(store).preview(Path(files[n % len(files)]))
        fresh = sum(1 for sp in again.statements for v in sp.lines if v.kind == "new")
        if fresh:
            problems.append(f"after re-importing, {fresh} lines of the file are still new")
    if phase == "post_recon":
        problems += _journal_posted_once(store)
    return problems


def _journal_posted_once(store: SqlStore) -> list[str]:
    twice = _ids(store, "SELECT statement_no FROM postedstatement GROUP BY bank_account_no, "
                        "statement_no HAVING COUNT(*) > 1")
    return [f"statement {no} posted twice" for no in twice]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--db", default="/tmp/lettrage-faults/faults.db",
                        help="SQLite file (replaced)")
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/lt_faults",
                        help="PostgreSQL database (emptied)")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from bench.pgbench_db import fresh_database

    url = fresh_database(args.backend, args.db, args.url)
    if url is None:
        print(json.dumps({"error": f"PostgreSQL at {args.url} is unreachable"}))
        return 2
    result = run_faults(url, args.rounds, args.seed, backend=args.backend)
    print(json.dumps(result, indent=2, default=str))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())

