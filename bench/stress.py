"""Several clerks at once: N processes against one company database, each doing a fixed
number of random operations, then the books are proven right.

    .venv/bin/python -m bench.stress --backend sqlite --processes 8 --ops 40
    .venv/bin/python -m bench.stress --backend postgresql \\
        --url postgresql://postgres@127.0.0.1:5432/lt_stress --processes 8 --ops 40

Operations (chosen at random, seeded): post an invoice; post a payment applied by
document no. (or on account); apply a payment to an invoice (Post Application, with the
versions read just before); unapply an application; import one of several statement
files whose ranges overlap (the same file by several processes); open the payment
reconciliation journal and apply automatically; post the journal (transfer what stays
unapplied to an account, post payments and reconcile). Journal work claims the journal
(``core.audit.claims``), as the app does.

Each operation either succeeds or reports a clear conflict (a ``LettrageError`` the
clerk can act on: counted by kind); any other exception (a lock timeout, a unique
violation, a serialization failure) is a failure. Afterwards: ``run_check`` passes; no
entry is over-applied; invoice numbers are unique and gapless; every successful posting
is in the books exactly once and every refused one not at all; every statement line was
imported exactly once. Prints JSON: ops/s overall and per kind, conflicts by kind,
failures, the check result.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script too

from sqlalchemy import func, text
from sqlmodel import SQLModel, col, select

import core.tables  # noqa: F401
from core.application.service import ApplicationService
from core.kernel.errors import ConflictError, LettrageError
from core.kernel.money import from_minor
from core.ledger.bank_statements import BankStatementLine
from core.ledger.check import run_check
from core.ledger.drafts import DocumentDraft, DocumentLineDraft, LineDraft
from core.ledger.models import BankAccount, LedgerEntry, Party, PostedDocument
from core.ledger.posting import PostingService
from core.ledger.setup import create_company
from core.reconciliation.models import ReconJournal
from core.reconciliation.service import ReconciliationService
from core.statements.importer import StatementImportService
from data.engine import SqlStore, make_engine

BANK, IBAN = "BANK1", "DE89370400440532013000"
CUSTOMERS = 12
INVOICES = 120  # posted before the run; the statements pay the first STATEMENT_LINES
STATEMENT_LINES = 96
FILE_WINDOW, FILE_STEP = 24, 12  # statement k covers lines [12k, 12k + 24): overlaps
DAY = date(2025, 3, 3)
KINDS = ("invoice", "payment", "apply", "unapply", "import", "apply_auto", "post_recon")
WEIGHTS = (1, 4, 3, 2, 2, 2, 1)
MIXED_CONFLICT = "LettrageError"


# --- the company -----------------------------------------------------------------------


def _name(i: int) -> str:
    return f"Stress Customer {i:02d}"


def _amount(i: int) -> Decimal:
    return Decimal(100 + (i * 37) % 900) + Decimal(i % 100) / 100


def setup_company(url: str) -> SqlStore:
    """An empty schema, a company, customers, the bank and INVOICES open invoices."""
    store = SqlStore(make_engine(url))
    SQLModel.metadata.create_all(store.engine)
    create_company(store, "Stress AG", "EUR")
    with store.write() as s:
        for i in range(1, CUSTOMERS + 1):
            s.add(Party(party_type="customer", no=f"C{i:03d}", name=_name(i),
                        payment_terms_code="30D"))
        s.add(BankAccount(no=BANK, name="Operating account", gl_account_no="1100",
                          iban=IBAN))
    drafts = [DocumentDraft("customer", f"C{i % CUSTOMERS + 1:03d}", "invoice", DAY,
                            (DocumentLineDraft("4100", _amount(i)),))
              for i in range(INVOICES)]
    PostingService(store, user="setup").post_documents(drafts)
    return store


def _camt_entry(no: int, amount: Decimal, name: str, doc: str, ref: str = "STRESS") -> str:
    return f"""
      <Ntry><NtryRef>{ref}{no:05d}</NtryRef><Amt Ccy="EUR">{amount:.2f}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>{DAY.isoformat()}</Dt></BookgDt><ValDt><Dt>{DAY.isoformat()}</Dt></ValDt>
        <AcctSvcrRef>{ref}{no:05d}</AcctSvcrRef>
        <NtryDtls><TxDtls><Refs><AcctSvcrRef>{ref}{no:05d}</AcctSvcrRef></Refs>
          <RltdPties><Dbtr><Nm>{name}</Nm></Dbtr></RltdPties>
          <RmtInf><Ustrd>Invoice {doc}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""


def write_statements(store: SqlStore, folder: Path, ref: str = "STRESS") -> list[Path]:
    """Overlapping CAMT.053 files paying the first STATEMENT_LINES open invoices (bank
    references ``ref`` + number, so a new ``ref`` makes new lines)."""
    with store.read() as s:
        docs = s.exec(select(LedgerEntry).where(LedgerEntry.document_type == "invoice",
                                                col(LedgerEntry.open).is_(True))
                      .order_by(col(LedgerEntry.entry_no))).all()
        lines = [(i, from_minor(e.remaining_amount), _party_name(e.party_no),
                  e.document_no, ref) for i, e in enumerate(docs[:STATEMENT_LINES])]
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for k, start in enumerate(range(0, max(len(lines) - FILE_STEP, 1), FILE_STEP)):
        part = lines[start:start + FILE_WINDOW]
        entries = "".join(_camt_entry(*ln) for ln in part)
        total = sum((ln[1] for ln in part), Decimal(0))
        path = folder / f"{ref.lower()}-{k}.xml"
        path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
  <GrpHdr><MsgId>{ref}-{k}</MsgId><CreDtTm>{DAY.isoformat()}T18:00:00</CreDtTm></GrpHdr>
  <Stmt><Id>{ref}{k}</Id><ElctrncSeqNb>{k + 1}</ElctrncSeqNb>
    <CreDtTm>{DAY.isoformat()}T18:00:00</CreDtTm>
    <Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>
    <Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt>
      <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{DAY.isoformat()}</Dt></Dt></Bal>
    <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{total:.2f}</Amt>
      <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{DAY.isoformat()}</Dt></Dt></Bal>{entries}
  </Stmt></BkToCstmrStmt></Document>
""", encoding="utf-8")
        files.append(path)
    return files


def _party_name(no: str) -> str:
    return _name(int(no[1:]))


# --- one clerk -----------------------------------------------------------------------------


@dataclass
class Clerk:
    """One worker process: its services, random source and operation tags."""

    store: SqlStore
    proc: int
    rng: random.Random
    files: list[Path]
    n: int = 0

    def tag(self, prefix: str) -> str:
        return f"{prefix}{self.proc:02d}{self.n:04d}"

    @property
    def user(self) -> str:
        return f"clerk{self.proc}"

    def pick_open(self, *, payments: bool) -> LedgerEntry | None:
        with self.store.read() as s:
            stmt = select(LedgerEntry).where(col(LedgerEntry.open).is_(True),
                                             LedgerEntry.party_type == "customer")
            stmt = stmt.where(LedgerEntry.amount < 0) if payments \
                else stmt.where(LedgerEntry.document_type == "invoice")
            rows = s.exec(stmt.order_by(col(LedgerEntry.entry_no))).all()
            return self.rng.choice(rows) if rows else None

    # every op returns a tag (what to look for afterwards) or None (nothing to do)

    def invoice(self) -> Any:
        cust = f"C{self.rng.randint(1, CUSTOMERS):03d}"
        result = PostingService(self.store, self.user).post_document(DocumentDraft(
            "customer", cust, "invoice", DAY, (DocumentLineDraft("4100", _amount(self.n)),)))
        return result.document_nos[0]

    def payment(self) -> Any:
        target = self.pick_open(payments=False)
        if target is None:
            return None
        doc = self.tag("P")
        full = from_minor(target.remaining_amount)
        amount = full if self.rng.random() < 0.7 else (full / 2).quantize(Decimal("0.01"))
        on_account = self.rng.random() < 0.3
        PostingService(self.store, self.user).post_lines([LineDraft(
            posting_date=DAY, account_type="customer", account_no=target.party_no,
            amount=-amount, document_type="payment", document_no=doc,
            bal_account_type="bank_account", bal_account_no=BANK,
            applies_to_doc_no="" if on_account else target.document_no, ref="line 1")])
        return doc

    def apply(self) -> Any:
        pay = self.pick_open(payments=True)
        if pay is None:
            return None
        with self.store.read() as s:
            invoices = s.exec(select(LedgerEntry).where(
                LedgerEntry.party_no == pay.party_no, LedgerEntry.party_type == "customer",
                col(LedgerEntry.open).is_(True), LedgerEntry.amount > 0)).all()
        if not invoices:
            return None
        inv = self.rng.choice(invoices)
        doc = self.tag("A")
        ApplicationService(self.store, self.user).post_application(
            pay.entry_no, [inv.entry_no], versions={pay.entry_no: pay.version,
                                                    inv.entry_no: inv.version},
            document_no=doc)
        return doc

    def unapply(self) -> Any:
        with self.store.read() as s:
            nos = s.exec(select(LedgerEntry.entry_no).where(
                LedgerEntry.party_type == "customer", LedgerEntry.amount < 0,
                LedgerEntry.remaining_amount != LedgerEntry.amount)).all()
        if not nos:
            return None
        entry = self.rng.choice(list(nos))
        svc = ApplicationService(self.store, self.user)
        latest = svc.latest_application(entry)
        if latest is None:
            return None
        doc = self.tag("U")
        svc.unapply(entry, application_no=latest, document_no=doc)
        return doc

    def import_(self) -> Any:
        path = self.rng.choice(self.files)
        result = StatementImportService(self.store, self.user).import_(path)
        return result.imported

    def _recon(self) -> ReconciliationService:
        return ReconciliationService(self.store, user=self.user,
                                     session=f"{self.user}-{self.n}")

    def apply_auto(self) -> Any:
        svc = self._recon()
        j = svc.open_journal(BANK)
        with svc.claims.hold(j.id, every=None):
            view = svc.apply_automatically(j.id)
        return view.line_count

    def post_recon(self) -> Any:
        svc = self._recon()
        j = svc.open_journal(BANK)
        if not j.line_count:
            return None
        with svc.claims.hold(j.id, every=None):
            for attempt in range(3):  # as a clerk would: reload, apply again, post
                svc.apply_automatically(j.id)
                for line in svc.lines(j.id):
                    if line.difference != 0:  # unapplied or partly: the rest to an account
                        svc.transfer_difference(line.id, "gl_account", "4900",
                                                "Stress: not matched")
                view = svc.journal(j.id)
                try:
                    result = svc.post(j.id, reconcile=True,
                                      ending_balance=view.ending_balance_from_lines)
                except ConflictError:
                    if attempt == 2:
                        raise
                    continue
                return result.register_no
        return None


OPS: dict[str, Callable[[Clerk], Any]] = {
    "invoice": Clerk.invoice, "payment": Clerk.payment, "apply": Clerk.apply,
    "unapply": Clerk.unapply, "import": Clerk.import_, "apply_auto": Clerk.apply_auto,
    "post_recon": Clerk.post_recon,
}


def worker(url: str, proc: int, ops: int, seed: int, files: list[str],
           out: mp.Queue[list[dict[str, Any]]]) -> None:
    store = SqlStore(make_engine(url))
    clerk = Clerk(store, proc, random.Random(seed * 1009 + proc), [Path(f) for f in files])
    records: list[dict[str, Any]] = []
    for n in range(ops):
        clerk.n = n
        kind = clerk.rng.choices(KINDS, WEIGHTS)[0]
        start = time.perf_counter()
        record: dict[str, Any] = {"kind": kind, "tag": clerk.tag(kind[0].upper())}
        try:
            value = OPS[kind](clerk)
            record.update(outcome="noop" if value is None else "ok", value=value)
        except LettrageError as exc:
            record.update(outcome="conflict", error=type(exc).__name__, message=str(exc))
        except Exception as exc:
            record.update(outcome="failure", error=type(exc).__name__,
                          message=f"{exc}"[:400], trace=_frames(exc))
        record["seconds"] = time.perf_counter() - start
        records.append(record)
    store.engine.dispose()
    out.put(records)


def _frames(exc: BaseException) -> str:
    """Where it happened: the project's own frames of the traceback."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if "site-packages" not in f.filename]
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                       for f in reversed(frames[-8:]))


# --- afterwards ----------------------------------------------------------------------------


def verify(store: SqlStore, records: list[dict[str, Any]]) -> list[str]:
    """Problems found in the books (empty: all good)."""
    problems: list[str] = []
    report = run_check(store)
    problems += [f"check: {r.name}: {'; '.join(r.details)}" for r in report.results
                 if not r.ok]
    ok = [r for r in records if r["outcome"] == "ok"]
    with store.read() as s:
        numbers = sorted(s.exec(select(PostedDocument.document_no)).all())
        if numbers != [f"SI{i:06d}" for i in range(1, len(numbers) + 1)]:
            problems.append(f"invoice numbers not gapless/unique: {numbers[:5]}...")
        posted_invoices = {r["value"] for r in ok if r["kind"] == "invoice"}
        if len(numbers) != INVOICES + len(posted_invoices):
            problems.append(f"{len(numbers)} invoices, expected {INVOICES} + "
                            f"{len(posted_invoices)}")
        by_doc: Counter[str] = Counter(s.exec(select(LedgerEntry.document_no).where(
            col(LedgerEntry.document_type) == "payment")).all())
        for r in records:
            if r["kind"] != "payment":
                continue
            want = 1 if r["outcome"] == "ok" else 0
            if by_doc.get(r["value"] if r["outcome"] == "ok" else r["tag"], 0) != want:
                problems.append(f"payment {r['tag']} ({r['outcome']}) is in the books "
                                f"{by_doc.get(r['tag'], 0)} times")
        for kind in ("apply", "unapply"):
            for r in records:
                if r["kind"] != kind:
                    continue
                doc = r["value"] if r["outcome"] == "ok" else r["tag"]
                txs = s.execute(text("SELECT COUNT(DISTINCT transaction_no) FROM "
                                     "detailedledgerentry WHERE document_no = :d AND "
                                     "entry_type <> 'initial'"), {"d": doc}).scalar_one()
                if int(txs) != (1 if r["outcome"] == "ok" else 0):
                    problems.append(f"{kind} {doc} ({r['outcome']}) is in {txs} transactions")
        lines = int(s.exec(select(func.count()).select_from(BankStatementLine)).one())
        keys = int(s.execute(text("SELECT COUNT(*) FROM (SELECT DISTINCT bank_account_no, "
                                  "dedup_key, occurrence FROM bankstatementline) k")
                             ).scalar_one())
        imported = sum(int(r["value"]) for r in ok if r["kind"] == "import")
        if not lines == keys == imported:
            problems.append(f"statement lines: {lines} rows, {keys} distinct, "
                            f"{imported} reported imported")
        if lines > STATEMENT_LINES:
            problems.append(f"{lines} statement lines, the files hold {STATEMENT_LINES}")
        posted = s.exec(select(ReconJournal).where(ReconJournal.status == "posted")).all()
        registers = [r["value"] for r in ok if r["kind"] == "post_recon"]
        if len(posted) != len(registers) or len(set(registers)) != len(registers):
            problems.append(f"{len(posted)} journals posted, {len(registers)} posts "
                            f"reported (registers {registers})")
    return problems


def summarize(records: list[dict[str, Any]], seconds: float, problems: list[str],
              meta: dict[str, Any]) -> dict[str, Any]:
    kinds: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        mine = [r for r in records if r["kind"] == kind]
        outcomes = Counter(r["outcome"] for r in mine)
        kinds[kind] = {"ops": len(mine), **dict(outcomes),
                       "ops_per_s": round(len(mine) / seconds, 1) if seconds else 0,
                       "mean_ms": round(1000 * sum(r["seconds"] for r in mine)
                                        / len(mine), 1) if mine else 0}
    conflicts = Counter(f"{r['kind']}: {r['error']}: {_short(r['message'])}"
                        for r in records if r["outcome"] == "conflict")
    failures = [{k: r[k] for k in ("kind", "tag", "error", "message", "trace")}
                for r in records if r["outcome"] == "failure"]
    return {**meta, "ops": len(records), "seconds": round(seconds, 2),
            "ops_per_s": round(len(records) / seconds, 1) if seconds else 0,
            "per_kind": kinds, "conflicts": dict(conflicts.most_common()),
            "failures": failures, "problems": problems,
            "ok": not failures and not problems}


def _short(message: str) -> str:
    """A conflict message without its numbers, so equal kinds count together."""
    words = [w for w in message.split() if not any(c.isdigit() for c in w)]
    return " ".join(words)[:90]


def run_stress(url: str, processes: int = 8, ops: int = 40, seed: int = 1,
               workdir: Path | None = None, backend: str = "") -> dict[str, Any]:
    """Set up the company at ``url`` (an empty database), run, verify, summarize."""
    store = setup_company(url)
    folder = workdir or Path(tempfile.mkdtemp(prefix="lettrage-stress-"))
    files = [str(p) for p in write_statements(store, folder / "statements")]
    ctx = mp.get_context("spawn")
    queue: mp.Queue[list[dict[str, Any]]] = ctx.Queue()
    procs = [ctx.Process(target=worker, args=(url, p, ops, seed, files, queue))
             for p in range(processes)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    records: list[dict[str, Any]] = []
    for _ in procs:
        records += queue.get(timeout=600)
    seconds = time.perf_counter() - start
    for p in procs:
        p.join(30)
    crashed = [p.exitcode for p in procs if p.exitcode != 0]
    problems = verify(store, records)
    if crashed:
        problems.append(f"worker exit codes {crashed}")
    store.engine.dispose()
    if workdir is None:
        shutil.rmtree(folder, ignore_errors=True)
    return summarize(records, seconds, problems, {
        "backend": backend or store.dialect, "processes": processes,
        "ops_per_process": ops, "seed": seed})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--db", default="/tmp/lettrage-stress/stress.db",
                        help="SQLite file (replaced)")
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/lt_stress",
                        help="PostgreSQL database (emptied)")
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--ops", type=int, default=40, help="operations per process")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from bench.pgbench_db import fresh_database

    url = fresh_database(args.backend, args.db, args.url)
    if url is None:
        print(json.dumps({"error": f"PostgreSQL at {args.url} is unreachable"}))
        return 2
    result = run_stress(url, args.processes, args.ops, args.seed, backend=args.backend)
    print(json.dumps(result, indent=2, default=str))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
