"""The bank's side of direct debit (bc-spec §3 Direct Debit rule, M6): a camt.053 batch
credit applied by Apply Automatically to exactly the invoices of its collection, a return
(R-transaction) reopening its invoice with the fee posted, an unknown return and a return
arriving twice going to review, and a credit per end-to-end ID (M6, score 3999)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from core.direct_debit.models import DDMandate
from core.direct_debit.recon import extension
from core.direct_debit.views import CollectRequest
from core.kernel.store import Store
from core.ledger.check import run_check
from core.ledger.models import GLEntry, LedgerEntry
from core.reconciliation.service import ReconciliationService
from core.statements.importer import StatementImportService
from tests.helpers import dd_ready, invoice

TODAY = date(2025, 1, 10)
DAY = date(2025, 2, 11)
IBAN = "DE89370400440532013000"
SQLITE = pytest.mark.parametrize("empty_store", ["sqlite"], indirect=True)


def _camt(entries: list[str], no: str, opening: D, closing: D) -> str:
    bal = "".join(
        f"<Bal><Tp><CdOrPrtry><Cd>{c}</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{abs(a):.2f}</Amt>"
        f"<CdtDbtInd>{'CRDT' if a >= 0 else 'DBIT'}</CdtDbtInd><Dt><Dt>{DAY}</Dt></Dt></Bal>"
        for c, a in (("PRCD", opening), ("CLBD", closing)))
    return (f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:'
            f'tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>T{no}</MsgId><CreDtTm>'
            f"{DAY}T18:00:00</CreDtTm></GrpHdr><Stmt><Id>S{no}</Id><CreDtTm>{DAY}T18:00:00"
            f"</CreDtTm><Acct><Id><IBAN>{IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>{bal}"
            f"{''.join(entries)}</Stmt></BkToCstmrStmt></Document>")


def _entry(amount: D, ref: str, details: str) -> str:
    return (f'<Ntry><Amt Ccy="EUR">{abs(amount):.2f}</Amt><CdtDbtInd>'
            f"{'CRDT' if amount >= 0 else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{DAY}"
            f"</Dt></BookgDt><ValDt><Dt>{DAY}</Dt></ValDt><AcctSvcrRef>{ref}</AcctSvcrRef>"
            f"<NtryDtls>{details}</NtryDtls></Ntry>")


def _batch(amount: D, ref: str, batch: str) -> str:
    return _entry(amount, ref, f"<Btch><PmtInfId>{batch}</PmtInfId></Btch>")


def _tx(e2e: str, amount: D) -> str:
    return (f"<TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs><AmtDtls><TxAmt>"
            f'<Amt Ccy="EUR">{abs(amount):.2f}</Amt></TxAmt></AmtDtls></TxDtls>')


def _return(amount: D, ref: str, e2e: str, reason: str) -> str:
    tx = _tx(e2e, amount).replace("</TxDtls>", f"<RtrInf><Rsn><Cd>{reason}</Cd></Rsn>"
                                               "</RtrInf></TxDtls>")
    return _entry(amount, ref, tx)


def _import(store: Store, tmp: Path, xml: str, name: str) -> None:
    path = tmp / name
    path.write_text(xml, encoding="utf-8")
    StatementImportService(store).import_(path, "BANK1")


def _auto(store: Store):  # type: ignore[no-untyped-def]
    recon = ReconciliationService(store, user="clerk", extensions=(extension(),))
    j = recon.open_journal("BANK1")
    recon.apply_automatically(j.id)
    return recon, j.id


@pytest.fixture
def exported(store: Store, tmp_path: Path):  # type: ignore[no-untyped-def]
    dd = dd_ready(store, TODAY)
    docs = [invoice(store, "C001", "1000", TODAY), invoice(store, "C001", "250.50", TODAY),
            invoice(store, "C002", "400", TODAY)]
    c = dd.create_collection(CollectRequest("BANK1", date(2025, 2, 1), date(2025, 2, 28)))
    dd.export(c.no, tmp_path / "dd.xml")
    return dd, c, docs


def _open(store: Store) -> dict[str, int]:
    with store.read() as s:
        return {e.document_no: e.remaining_amount for e in s.exec(select(LedgerEntry).where(
            LedgerEntry.party_type == "customer", col(LedgerEntry.open).is_(True))).all()}


def test_batch_credit_and_return(exported, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dd, c, docs = exported
    entries = dd.entries(c.no)
    back = next(e for e in entries if e.customer_no == "C002")
    _import(store, tmp_path, _camt([_batch(D("1650.50"), "B1", c.identifier),
                                    _return(D("-403.50"), "R1", back.transaction_id, "AM04")],
                                   "1", D(0), D("1247.00")), "s1.xml")
    recon, jid = _auto(store)
    lines = recon.lines(jid)
    credit = [ln for ln in lines if ln.amount > 0]
    assert sorted((ln.account_no, ln.amount) for ln in credit) == [
        ("C001", D("250.50")), ("C001", D("1000")), ("C002", D("400"))]
    assert all(ln.confidence == "high" and ln.score == 3999 and not ln.review_required
               and ln.difference == 0 for ln in credit)
    assert {a.document_no for ln in credit for a in ln.applications} == set(docs)
    assert all(c.identifier in ln.description for ln in credit)  # the line shows its batch
    debit = sorted((ln.account_type, ln.account_no, ln.amount) for ln in lines if ln.amount < 0)
    assert debit == [("customer", "C002", D("-400")), ("gl_account", "6400", D("-3.50"))]
    recon.post(jid, reconcile=True, statement_date=DAY, ending_balance=D("1247.00"))
    assert _open(store) == {docs[2]: 40000}  # the returned invoice reopened
    statuses = {e.customer_no + e.document_no: (e.status, e.reject_reason, e.returned)
                for e in dd.entries(c.no)}
    assert statuses[f"C002{docs[2]}"] == ("rejected", "AM04", True)
    assert statuses[f"C001{docs[0]}"] == ("posted", "", False)
    assert dd.collection(c.no).status == "posted"
    with store.read() as s:
        m = s.get(DDMandate, "M-C002")
        assert m is not None and m.debit_counter == 0
        fee = s.exec(select(func.sum(GLEntry.amount)).where(GLEntry.gl_account_no == "6400")
                     ).one()
        assert fee == 350
        c002 = s.exec(select(LedgerEntry).where(LedgerEntry.party_no == "C002")).all()
        assert {(e.document_type, e.open) for e in c002} == {
            ("invoice", True), ("payment", False), ("refund", False)}
    assert run_check(store).ok
    # an unknown end-to-end ID and the same return again: review, nothing undone
    _import(store, tmp_path, _camt([_return(D("-50"), "R2", "NOPE-1", "MD06"),
                                    _return(D("-403.50"), "R3", back.transaction_id, "AM04")],
                                   "2", D("1247.00"), D("793.50")), "s2.xml")
    recon, jid = _auto(store)
    lines = recon.lines(jid)
    assert all(ln.review_required and not ln.account_no for ln in lines)
    notes = " ".join(d for ln in lines for d in ln.details)
    assert "NOPE-1" in notes and "already returned" in notes
    assert _open(store) == {docs[2]: 40000}
    assert run_check(store).ok


@SQLITE
def test_m6_credit_per_end_to_end_id(exported, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A batch booked with its transaction details: each line names its entry (M6)."""
    dd, c, docs = exported
    entries = dd.entries(c.no)
    details = "".join(_tx(e.transaction_id, e.amount) for e in entries)
    _import(store, tmp_path, _camt([_entry(D("1650.50"), "B9", details)], "1", D(0),
                                   D("1650.50")), "s.xml")
    recon, jid = _auto(store)
    lines = recon.lines(jid)
    assert len(lines) == 3
    assert all(ln.score == 3999 and ln.confidence == "high" for ln in lines)
    assert {a.document_no for ln in lines for a in ln.applications} == set(docs)
    recon.apply_automatically(jid)  # again: same result, nothing doubled
    assert len(recon.lines(jid)) == 3
    recon.post(jid, reconcile=False)
    assert _open(store) == {}
    assert run_check(store).ok
