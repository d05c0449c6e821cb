"""The demo's direct debit part and its sample statement stay in step: the committed
``sepa-001.camt053.xml`` is what the generator writes, and on the demo's collection its
batch credit applies to the three invoices while the return reopens one with its fee."""

from __future__ import annotations

import pytest
from sqlmodel import SQLModel, col, select

import core.tables  # noqa: F401
from core.direct_debit.recon import extension
from core.direct_debit.service import DirectDebitService
from core.ledger.check import run_check
from core.ledger.models import LedgerEntry, Party, PartyBankAccount
from core.ledger.setup import create_company
from core.reconciliation.service import ReconciliationService
from core.statements.importer import StatementImportService
from data.demo_names import iban_for
from data.demo_sepa import BANK, RETURNED, SAMPLE, build_sepa_demo, camt053, expected_sample
from data.demo_story import DEMO_TODAY
from data.engine import SqlStore, make_engine


def test_committed_sample_is_what_the_generator_writes() -> None:
    assert SAMPLE.read_text(encoding="utf-8") == camt053(expected_sample(DEMO_TODAY))


@pytest.fixture
def store() -> SqlStore:
    engine = make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    create_company(store, "Demo", "EUR")
    with store.write() as s:
        for i in range(1, 18):
            no = f"C{i:05d}"
            s.add(Party(party_type="customer", no=no, name=f"Customer {i}",
                        payment_terms_code="30D"))
            s.add(PartyBankAccount(party_type="customer", party_no=no, code="MAIN",
                                   iban=iban_for("DE", no)))
    return store


def test_demo_collection_and_sample_statement(store: SqlStore) -> None:
    sample = build_sepa_demo(store, DEMO_TODAY)
    assert sample == expected_sample(DEMO_TODAY)
    StatementImportService(store).import_(SAMPLE, BANK)
    recon = ReconciliationService(store, user="clerk", extensions=(extension(),))
    j = recon.open_journal(BANK)
    recon.apply_automatically(j.id)
    lines = recon.lines(j.id)
    assert len(lines) == 5 and all(ln.confidence == "high" for ln in lines)
    recon.post(j.id, reconcile=True)
    with store.read() as s:
        still_open = s.exec(select(LedgerEntry).where(
            LedgerEntry.party_type == "customer", col(LedgerEntry.open).is_(True))).all()
    owed = {(e.party_no, e.remaining_amount) for e in still_open}
    assert (RETURNED, 83040) in owed  # the returned invoice is open again
    assert {"C00013", "C00015"}.isdisjoint(p for p, _a in owed)
    assert run_check(store).ok
    dd = DirectDebitService(store, lambda: DEMO_TODAY)
    later = {e.customer_no for e in dd.entries(dd.collections()[0].no)}
    assert later == {"C00013", "C00014", "C00015"}
    assert sum(m.debit_counter for m in dd.mandates()) == 2  # the return rolled one back
