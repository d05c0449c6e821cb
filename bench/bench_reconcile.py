"""Apply Automatically through the reconciliation service on SQLite: index loading from
the database + matching + storing the proposals, for 1,000 and 10,000 statement lines
against 100,000 open entries of 10,000 customers and 1,000 vendors (bench/matchgen.py,
with known answers). Each size runs in a fresh subprocess; prints ONE JSON object.

    .venv/bin/python bench/bench_reconcile.py [--sizes 1000,10000] [--entries 100000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert
from sqlmodel import SQLModel

import core.tables  # noqa: F401
from bench.matchgen import World, generate
from core.kernel.money import to_minor
from core.ledger.bank_statements import BankStatementLine, StatementImport
from core.ledger.models import LedgerEntry, Party, PartyBankAccount
from core.ledger.setup import create_company
from core.reconciliation.models import TextToAccountMapping
from core.reconciliation.service import ReconciliationService
from data.engine import SqlStore, make_engine
from tests.helpers import seed_basics

CHUNK = 2000


def _insert(store: SqlStore, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    with store.write() as s:
        for i in range(0, len(rows), CHUNK):
            s.execute(insert(model), rows[i:i + CHUNK])


def _parties(store: SqlStore, world: World) -> None:
    _insert(store, Party, [{"party_type": p.party_type, "no": p.no, "name": p.name,
                            "address": p.address, "city": p.city, "posting_group": "DOMESTIC",
                            "version": 1} for p in world.parties])
    _insert(store, PartyBankAccount, [
        {"party_type": p.party_type, "party_no": p.no, "code": f"B{k}", "iban": iban,
         "bic": "", "bank_account_no": "", "name": ""}
        for p in world.parties for k, iban in enumerate(p.ibans)])


def _entries(store: SqlStore, world: World) -> None:
    rows = []
    for e in world.entries:
        rem = to_minor(e.remaining)
        rows.append({
            "entry_no": e.entry_no, "party_type": e.party_type, "party_no": e.party_no,
            "transaction_no": 0, "posting_date": e.posting_date, "document_date": e.posting_date,
            "document_type": e.document_type.lower(), "document_no": e.document_no,
            "external_document_no": e.external_document_no,
            "payment_reference": e.payment_reference, "description": "", "currency": "",
            "amount": rem, "remaining_amount": rem, "open": True, "positive": rem > 0,
            "due_date": e.due_date, "pmt_discount_date": e.pmt_discount_date,
            "remaining_pmt_disc_possible": to_minor(e.remaining_pmt_disc_possible),
            "original_pmt_disc_possible": to_minor(e.remaining_pmt_disc_possible),
            "applies_to_id": "", "version": 1})
    _insert(store, LedgerEntry, rows)


def _statement(store: SqlStore, world: World) -> None:
    with store.write() as s:
        imp = StatementImport(bank_account_no="BANK1", file_name="bench.xml",
                              file_sha256="0" * 64, imported_at=datetime.now(UTC))
        s.add(imp)
        s.flush()
        import_id = imp.id
    rows = []
    for ln in world.lines:
        refs = ([{"kind": "creditor", "reference": ln.payment_reference}]
                if ln.payment_reference else [])
        refs += [{"kind": "document", "reference": d} for d in ln.referred_documents]
        rows.append({
            "bank_account_no": "BANK1", "import_id": import_id, "line_no": ln.line_no,
            "booking_date": ln.transaction_date, "value_date": ln.transaction_date,
            "amount": to_minor(ln.amount), "currency": "EUR", "bank_reference": f"L{ln.line_no}",
            "counterparty_name": ln.related_party_name, "counterparty_iban": ln.related_party_iban,
            "counterparty_address": "", "remittance": ln.text, "references_json": json.dumps(refs),
            "bank_text": "", "raw": "", "suspect_reason": "", "dedup_key": f"L{ln.line_no}",
            "content_key": f"L{ln.line_no}", "status": "new", "version": 1})
    _insert(store, BankStatementLine, rows)
    _insert(store, TextToAccountMapping, [
        {"mapping_text": m.mapping_text, "debit_acc_no": m.debit_acc_no,
         "credit_acc_no": m.credit_acc_no, "bal_source_type": m.bal_source_type,
         "bal_source_no": m.bal_source_no} for m in world.mappings])


def _quality(service: ReconciliationService, journal_id: int, world: World) -> dict[str, Any]:
    expected = {f"L{e.line_no}": e for e in world.expected}
    high = right = 0
    for v in service.lines(journal_id, full=False):
        exp = expected[v.transaction_id]
        if v.confidence not in ("high", "high_text_mapping"):
            continue
        high += 1
        if exp.account is not None:
            right += (v.account_type, v.account_no) == exp.account
        else:
            got = sorted((a.entry_no, a.cash, a.pmt_discount) for a in v.applications
                         if a.entry_no is not None)  # an overpayment's unapplied rest
            right += bool(exp.apps) and got == sorted(exp.apps)
    return {"high": high, "precision_high": round(right / max(high, 1), 4)}


def child(lines: int, entries: int) -> None:
    world = generate(seed=7, lines=lines, entries=entries)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        SQLModel.metadata.create_all(engine)
        store = SqlStore(engine)
        create_company(store, "Bench AG")
        seed_basics(store)
        t0 = time.perf_counter()
        _parties(store, world)
        _entries(store, world)
        _statement(store, world)
        t1 = time.perf_counter()
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        service = ReconciliationService(store, user="bench")
        journal = service.open_journal("BANK1")
        t2 = time.perf_counter()
        view = service.apply_automatically(journal.id)
        t3 = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = {
            "lines": lines, "open_entries": len(world.entries), "parties": len(world.parties),
            "load_data_s": round(t1 - t0, 2), "open_journal_s": round(t2 - t1, 2),
            "apply_automatically_s": round(t3 - t2, 2),
            "applied_lines": view.applied_lines, "lines_to_review": view.lines_to_review,
            "rss_before_mb": round(base / 1024, 1), "peak_rss_mb": round(peak / 1024, 1),
        }
        result.update(_quality(service, journal.id, world))
        engine.dispose()
    print(json.dumps(result))


def run(lines: int, entries: int) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", str(lines), str(entries)],
                         check=True, capture_output=True, text=True)
    data: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return data


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    runs = [run(int(n), args.entries) for n in args.sizes.split(",")]
    report = {"backend": "sqlite (file, WAL)", "target": "10,000 lines < 10 s, < 1 GB peak",
              "runs": runs}
    if len(runs) > 1 and runs[0]["apply_automatically_s"]:
        report["per_line_ms"] = [round(1000 * r["apply_automatically_s"] / r["lines"], 3)
                                 for r in runs]
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
