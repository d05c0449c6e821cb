"""The bank's pain.002 status report (a file built as banks send them from the exported
pain.008: rejected transactions, a rejected payment information block, a report applied
twice, one for another message, and a rejection after the receipts were posted, which
reopens the invoice) and Post Payment Receipts with Create Journal Only."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from lxml import etree
from sqlmodel import select

from core.application.journal import JournalService
from core.direct_debit.rules import DirectDebitError
from core.direct_debit.views import CollectRequest
from core.kernel.store import Store
from core.ledger.check import run_check
from core.ledger.models import JournalBatch, LedgerEntry
from tests.helpers import dd_ready, invoice

TODAY = date(2025, 1, 10)
FEB = CollectRequest("BANK1", date(2025, 2, 1), date(2025, 2, 28))
SQLITE = pytest.mark.parametrize("empty_store", ["sqlite"], indirect=True)
ROOT = Path(__file__).resolve().parents[3]
CORPUS = Path(os.environ.get("LETTRAGE_CORPUS") or ROOT.parent / "shared" / "corpus")
P8 = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"
P2 = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"


@pytest.fixture
def dd(store: Store):  # type: ignore[no-untyped-def]
    svc = dd_ready(store, TODAY)
    invoice(store, "C001", "1000", TODAY)
    invoice(store, "C001", "250.50", TODAY)
    invoice(store, "C002", "400", TODAY)
    return svc


def pain002(pain008: Path, msg_id: str, rejects: dict[str, str], *,
            reject_blocks: dict[str, str] | None = None) -> bytes:
    """A Customer Payment Status Report (pain.002.001.03) answering ``pain008`` as a
    bank does: the original message and each payment information block with its
    transactions, ``rejects`` (end-to-end ID -> reason) RJCT, the others ACCP (a
    rejected ID the file does not hold is added to the last block); ``reject_blocks``
    (PmtInfId -> reason) rejected as a whole, without transactions."""
    doc = etree.parse(str(pain008)).getroot()
    ns = {"p": P8}
    blocks = reject_blocks or {}
    root = etree.Element(f"{{{P2}}}Document", nsmap={None: P2})
    rpt = etree.SubElement(root, f"{{{P2}}}CstmrPmtStsRpt")

    def sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
        el = etree.SubElement(parent, f"{{{P2}}}{tag}")
        if text is not None:
            el.text = text
        return el

    hdr = sub(rpt, "GrpHdr")
    sub(hdr, "MsgId", msg_id)
    sub(hdr, "CreDtTm", "2025-01-12T08:15:00")
    sub(sub(sub(hdr, "DbtrAgt"), "FinInstnId"), "BIC", "COBADEFFXXX")
    grp = sub(rpt, "OrgnlGrpInfAndSts")
    sub(grp, "OrgnlMsgId", doc.findtext("p:CstmrDrctDbtInitn/p:GrpHdr/p:MsgId", namespaces=ns))
    sub(grp, "OrgnlMsgNmId", "pain.008.001.02")
    sub(grp, "OrgnlNbOfTxs", doc.findtext("p:CstmrDrctDbtInitn/p:GrpHdr/p:NbOfTxs",
                                          namespaces=ns))
    sub(grp, "GrpSts", "PART" if rejects or blocks else "ACCP")
    seen: set[str] = set()
    block = grp
    for pmt in doc.findall("p:CstmrDrctDbtInitn/p:PmtInf", ns):
        pid = pmt.findtext("p:PmtInfId", namespaces=ns) or ""
        block = sub(rpt, "OrgnlPmtInfAndSts")
        sub(block, "OrgnlPmtInfId", pid)
        if pid in blocks:
            sub(block, "PmtInfSts", "RJCT")
            sub(sub(sub(block, "StsRsnInf"), "Rsn"), "Cd", blocks[pid])
            continue
        for k, tx in enumerate(pmt.findall("p:DrctDbtTxInf", ns), 1):
            e2e = tx.findtext("p:PmtId/p:EndToEndId", namespaces=ns) or ""
            seen.add(e2e)
            info = sub(block, "TxInfAndSts")
            sub(info, "StsId", f"{msg_id}-{pid}-{k}"[:35])
            sub(info, "OrgnlEndToEndId", e2e)
            sub(info, "TxSts", "RJCT" if e2e in rejects else "ACCP")
            if e2e in rejects:
                sub(sub(sub(info, "StsRsnInf"), "Rsn"), "Cd", rejects[e2e])
            ref = sub(info, "OrgnlTxRef")
            amt = sub(ref, "Amt")
            instd = sub(amt, "InstdAmt", tx.findtext("p:InstdAmt", namespaces=ns))
            instd.set("Ccy", "EUR")
    for e2e in sorted(set(rejects) - seen):
        info = sub(block, "TxInfAndSts")
        sub(info, "OrgnlEndToEndId", e2e)
        sub(info, "TxSts", "RJCT")
        sub(sub(sub(info, "StsRsnInf"), "Rsn"), "Cd", rejects[e2e])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _export(dd, tmp_path: Path):  # type: ignore[no-untyped-def]
    c = dd.create_collection(FEB)
    out = tmp_path / "dd.xml"
    dd.export(c.no, out, "pain.008.001.02")
    return c, out


@SQLITE
def test_status_report_rejects_and_is_applied_once(dd, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c, out = _export(dd, tmp_path)
    first, second, third = dd.entries(c.no)
    report = tmp_path / "status.xml"
    report.write_bytes(pain002(out, "STS-0001", {first.transaction_id: "AC04",
                                                 "DD0001-99": "MD01"}))
    result = dd.import_status_report(report)
    assert result.rejected == (first.id,) and result.unknown == ("DD0001-99",)
    assert result.original_msg_id == c.identifier
    rows = {e.id: e for e in dd.entries(c.no)}
    assert (rows[first.id].status, rows[first.id].reject_reason) == ("rejected", "AC04")
    assert rows[second.id].status == rows[third.id].status == "file_created"
    assert {m.id: m.debit_counter for m in dd.mandates()}["M-C001"] == 1  # rolled back
    # the same report again, under its name or another: refused, nothing changes
    copy = tmp_path / "copy.xml"
    copy.write_bytes(report.read_bytes())
    for again in (report, copy):
        with pytest.raises(DirectDebitError, match="STS-0001 was already imported"):
            dd.import_status_report(again)
    assert {m.id: m.debit_counter for m in dd.mandates()}["M-C001"] == 1
    # a report answering a message that is no collection here: refused clearly
    other = tmp_path / "other.xml"
    other.write_bytes(report.read_bytes().replace(b"STS-0001", b"STS-0002").replace(
        f">{c.identifier}<".encode(), b">NOT-OURS<"))
    with pytest.raises(DirectDebitError, match="answers message NOT-OURS, which is no direct "
                                               "debit collection here; nothing was changed"):
        dd.import_status_report(other)
    assert run_check(store).ok


@SQLITE
def test_status_report_rejects_a_whole_batch(dd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c, out = _export(dd, tmp_path)
    entries = dd.entries(c.no)
    rcur = next(e for e in entries if e.sequence_type == "RCUR")
    report = tmp_path / "status.xml"
    report.write_bytes(pain002(out, "STS-B", {}, reject_blocks={rcur.payment_info_id: "MS03"}))
    result = dd.import_status_report(report)
    assert result.rejected == (rcur.id,)
    statuses = {e.id: (e.status, e.reject_reason) for e in dd.entries(c.no)}
    assert statuses[rcur.id] == ("rejected", "MS03")
    assert sorted(s for s, _r in statuses.values()) == ["file_created", "file_created",
                                                        "rejected"]


@pytest.mark.parametrize("empty_store", ["sqlite", "postgresql"], indirect=True)
def test_rejection_after_posting_reopens_the_invoice(dd, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c, out = _export(dd, tmp_path)
    dd.post_receipts(c.no)
    first = dd.entries(c.no)[0]
    assert first.status == "posted"
    with store.read() as s:
        inv = s.get(LedgerEntry, first.ledger_entry_no)
        assert inv is not None and not inv.open
    report = tmp_path / "status.xml"
    report.write_bytes(pain002(out, "STS-LATE", {first.transaction_id: "AM04"}))
    result = dd.import_status_report(report)
    assert result.rejected == result.reopened == (first.id,)
    e = dd.entries(c.no)[0]
    assert (e.status, e.reject_reason, e.returned) == ("rejected", "AM04", True)
    with store.read() as s:
        inv = s.get(LedgerEntry, first.ledger_entry_no)
        assert inv is not None and inv.open and inv.remaining_amount == 100000
        pays = s.exec(select(LedgerEntry).where(
            LedgerEntry.party_no == "C001",
            LedgerEntry.external_document_no == first.transaction_id)).all()
        kinds = sorted((p.document_type, p.amount, p.open) for p in pays)
        assert kinds == [("payment", -100000, False), ("refund", 100000, False)]
    assert run_check(store).ok


@SQLITE
def test_post_receipts_journal_only(dd, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c, _out = _export(dd, tmp_path)
    view = dd.post_receipts(c.no, journal_only=True)
    assert "cash receipt journal batch DIRDEBIT" in view.message
    assert view.status == "file_created"  # nothing posted
    assert {e.status for e in dd.entries(c.no)} == {"file_created"}
    with store.read() as s:
        assert s.exec(select(LedgerEntry).where(LedgerEntry.document_type == "payment")
                      ).first() is None
        batch = s.exec(select(JournalBatch).where(JournalBatch.name == "DIRDEBIT")).one()
    journal = JournalService(store, user="clerk")
    lines = journal.lines(batch.id or 0)
    assert [(ln.account_no, ln.amount, ln.applies_to_doc_type) for ln in lines] == [
        ("C001", D("-1000.00"), "invoice"), ("C001", D("-250.50"), "invoice"),
        ("C002", D("-400.00"), "invoice")]
    assert {ln.bal_account_no for ln in lines} == {"BANK1"}
    assert lines[0].description.endswith("C001 Direct Debit")
    # twice, or posting directly while the lines wait: refused, nothing written
    for kwargs in ({"journal_only": True}, {}):
        with pytest.raises(DirectDebitError, match="already in cash receipt journal batch "
                                                   "DIRDEBIT"):
            dd.post_receipts(c.no, **kwargs)
    assert len(journal.lines(batch.id or 0)) == 3
    # the clerk posts the batch: the entries become Posted on the next Post Receipts
    journal.post_batch(batch.id or 0)
    with store.read() as s:
        assert all(not le.open for le in s.exec(select(LedgerEntry).where(
            LedgerEntry.document_type == "invoice")).all())
    view = dd.post_receipts(c.no)
    assert "3 entries of collection 1 were posted from a cash receipt journal" in view.message
    assert view.status == "posted"
    assert {e.status for e in dd.entries(c.no)} == {"posted"}
    with pytest.raises(DirectDebitError, match="no File Created entries"):
        dd.post_receipts(c.no)
    assert run_check(store).ok


@SQLITE
def test_partner_type_filter(dd) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DirectDebitError, match="Unknown partner type robot"):
        dd.create_collection(CollectRequest("BANK1", FEB.from_date, FEB.to_date, "robot"))
    with pytest.raises(DirectDebitError, match="No entries have been created"):
        dd.create_collection(CollectRequest("BANK1", FEB.from_date, FEB.to_date, "company"))
    c = dd.create_collection(CollectRequest("BANK1", FEB.from_date, FEB.to_date, "person"))
    assert (c.entries, c.partner_type) == (3, "person")


@SQLITE
def test_status_report_rejects_the_whole_message(dd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c, out = _export(dd, tmp_path)
    data = pain002(out, "STS-ALL", {})
    root = etree.fromstring(data)
    ns = {"p": P2}
    for block in root.findall("p:CstmrPmtStsRpt/p:OrgnlPmtInfAndSts", ns):
        block.getparent().remove(block)  # type: ignore[union-attr]
    grp = root.find("p:CstmrPmtStsRpt/p:OrgnlGrpInfAndSts", ns)
    assert grp is not None
    status = grp.find("p:GrpSts", ns)
    assert status is not None
    status.text = "RJCT"
    reason = etree.SubElement(etree.SubElement(etree.SubElement(grp, f"{{{P2}}}StsRsnInf"),
                                               f"{{{P2}}}Rsn"), f"{{{P2}}}Cd")
    reason.text = "FF01"
    report = tmp_path / "status.xml"
    report.write_bytes(etree.tostring(root))
    result = dd.import_status_report(report)
    assert len(result.rejected) == 3
    assert {(e.status, e.reject_reason) for e in dd.entries(c.no)} == {("rejected", "FF01")}
    assert {m.id: m.debit_counter for m in dd.mandates()} == {"M-C001": 0, "M-C002": 0}
