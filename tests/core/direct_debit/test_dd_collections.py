"""Direct Debit Collections (bc-spec §10): create, BC's errors, export to pain.008 valid
against the official XSD and read back by xmlschema, reject, close, post receipts, and
the migration loads."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal as D
from functools import cache
from pathlib import Path

import pytest
import xmlschema
from sqlmodel import select

from core.direct_debit.models import DDBankSetup, DDMandate
from core.direct_debit.pain008 import XSD_DIR
from core.direct_debit.rules import DirectDebitError
from core.direct_debit.service import DirectDebitService
from core.direct_debit.views import CollectRequest
from core.kernel.errors import ImportFileError
from core.kernel.store import Store
from core.ledger.check import run_check
from core.ledger.models import Company, LedgerEntry, PartyBankAccount
from tests.helpers import dd_ready, invoice

TODAY = date(2025, 1, 10)
FEB = CollectRequest("BANK1", date(2025, 2, 1), date(2025, 2, 28))
ROOT = Path(__file__).resolve().parents[3]
CORPUS = Path(os.environ.get("LETTRAGE_CORPUS") or ROOT.parent / "shared" / "corpus")
SQLITE = pytest.mark.parametrize("empty_store", ["sqlite"], indirect=True)


@pytest.fixture
def dd(store: Store):  # type: ignore[no-untyped-def]
    svc = dd_ready(store, TODAY)
    invoice(store, "C001", "1000", TODAY)  # due 2025-02-09 (2/10N30)
    invoice(store, "C001", "250.50", TODAY)
    invoice(store, "C002", "400", TODAY)  # due 2025-02-09 (30D)
    return svc


@cache
def _schema(fmt: str) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD_DIR / f"{fmt}.xsd"))


def _read(path: Path, fmt: str) -> dict:  # type: ignore[type-arg]
    return _schema(fmt).to_dict(str(path))  # type: ignore[return-value]


@pytest.mark.parametrize(("empty_store", "fmt"), [
    ("sqlite", "pain.008.001.02"), ("sqlite", "pain.008.001.08"),
    ("postgresql", "pain.008.001.08")], indirect=["empty_store"])
def test_create_export_read_back(dd, store: Store, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    c = dd.create_collection(FEB)
    assert (c.entries, c.total, c.status) == (3, D("1650.50"), "new")
    entries = dd.entries(c.no)
    assert [e.sequence_type for e in entries] == ["FRST", "RCUR", "FRST"]
    out = tmp_path / "dd.xml"
    result = dd.export(c.no, out, fmt)
    assert (result.transactions, result.total, result.format) == (3, D("1650.50"), fmt)
    doc = _read(out, fmt)  # second implementation: xmlschema decodes and validates
    init = doc["CstmrDrctDbtInitn"]
    assert init["GrpHdr"]["NbOfTxs"] == "3" and D(str(init["GrpHdr"]["CtrlSum"])) == D("1650.50")
    txs = [(p["PmtTpInf"]["SeqTp"], t) for p in init["PmtInf"] for t in p["DrctDbtTxInf"]]
    assert sorted(D(str(t["InstdAmt"]["$"])) for _s, t in txs) == [D("250.50"), D("400"),
                                                                    D("1000")]
    ibans = {t["DbtrAcct"]["Id"]["IBAN"] for _s, t in txs}
    assert ibans == {"DE02120300000000202051", "FR1420041010050500013M02606"}
    assert {t["DrctDbtTx"]["MndtRltdInf"]["MndtId"] for _s, t in txs} == {"M-C001", "M-C002"}
    assert {t["PmtId"]["EndToEndId"] for _s, t in txs} == {e.transaction_id for e in entries}
    assert init["PmtInf"][0]["CdtrSchmeId"]["Id"]["PrvtId"]["Othr"][0]["Id"] \
        == "DE98ZZZ09999999999"
    assert {s for s, _t in txs} == {"FRST", "RCUR"}  # grouped per sequence type
    assert dd.collection(c.no).status == "file_created"
    counters = {m.id: m.debit_counter for m in dd.mandates()}
    assert counters == {"M-C001": 2, "M-C002": 1}
    # exported twice: refused, nothing written
    again = tmp_path / "again.xml"
    with pytest.raises(DirectDebitError, match="already been exported"):
        dd.export(c.no, again, fmt)
    assert not again.exists()
    # reject rolls the counter back; post the others; the books stay correct
    rejected = dd.reject(entries[0].id, "MD06")
    assert (rejected.status, rejected.reject_reason) == ("rejected", "MD06")
    assert {m.id: m.debit_counter for m in dd.mandates()}["M-C001"] == 1
    with pytest.raises(DirectDebitError, match="cannot be rejected"):
        dd.reject(entries[0].id, "MD06")
    posted = dd.post_receipts(c.no)
    assert posted.status == "posted"
    with store.read() as s:
        open_docs = {e.document_no for e in s.exec(select(LedgerEntry).where(
            LedgerEntry.party_type == "customer", LedgerEntry.open == True)).all()}  # noqa: E712
    assert open_docs == {entries[0].document_no}
    assert run_check(store).ok
    assert dd.close(c.no).status == "closed"


@SQLITE
def test_bc_errors(dd, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DirectDebitError, match="To Date must be equal to or greater"):
        dd.create_collection(CollectRequest("BANK1", date(2025, 3, 1), date(2025, 2, 1)))
    with pytest.raises(DirectDebitError, match="No entries have been created"):
        dd.create_collection(CollectRequest("BANK1", date(2026, 1, 1), date(2026, 1, 31)))
    c = dd.create_collection(FEB)
    # all invoices are on entries now: nothing more to collect
    with pytest.raises(DirectDebitError, match="No entries have been created"):
        dd.create_collection(FEB)
    out = tmp_path / "x.xml"
    e1, e2, _e3 = dd.entries(c.no)
    with store.write() as s:  # a blocked mandate
        m = s.get(DDMandate, "M-C002")
        assert m is not None
        m.blocked = True
    with pytest.raises(DirectDebitError, match="M-C002 is blocked"):
        dd.export(c.no, out)
    with store.write() as s:  # an expired mandate
        m = s.get(DDMandate, "M-C002")
        assert m is not None
        m.blocked, m.valid_to = False, date(2025, 1, 31)
    with pytest.raises(DirectDebitError, match="is not valid on"):
        dd.export(c.no, out)
    dd.delete_entry(_e3.id)
    with pytest.raises(DirectDebitError, match="is in the past: enter today or a later date"):
        dd.edit_entry(e1.id, date(2025, 1, 9))
    with pytest.raises(DirectDebitError, match="must be greater than 0"):
        dd.edit_entry(e1.id, date(2025, 2, 9), D("0"))
    with pytest.raises(DirectDebitError, match="cannot exceed"):
        dd.edit_entry(e1.id, date(2025, 2, 9), D("1000.01"))
    dd.edit_entry(e2.id, date(2025, 2, 12), D("200"))
    tomorrow = DirectDebitService(store, lambda: date(2025, 2, 10))
    with pytest.raises(DirectDebitError, match="is in the past"):
        tomorrow.export(c.no, out)
    with store.write() as s:  # missing IBAN
        pba = s.get(PartyBankAccount, ("customer", "C001", "MAIN"))
        assert pba is not None
        pba.iban = ""
    with pytest.raises(DirectDebitError, match="has no IBAN"):
        dd.export(c.no, out)
    assert not out.exists()


@SQLITE
def test_setup_errors(dd, store: Store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DirectDebitError, match="creditor identifier"):
        dd.setup_bank("BANK1", creditor_id="DE00ZZZ0999", msg_nos="DDMSG")
    with store.write() as s:  # bank without Direct Debit Msg. Nos.
        setup = s.get(DDBankSetup, "BANK1")
        assert setup is not None
        setup.msg_nos = ""
    with pytest.raises(DirectDebitError, match="not set up for direct debit"):
        dd.create_collection(FEB)
    with store.write() as s:  # not EUR
        setup = s.get(DDBankSetup, "BANK1")
        assert setup is not None
        setup.msg_nos = "DDMSG"
        company = s.get(Company, 1)
        assert company is not None
        company.currency = "USD"
    with pytest.raises(DirectDebitError, match="Only transactions in euro"):
        dd.create_collection(FEB)
    with pytest.raises(DirectDebitError, match="already exists"):
        dd.add_mandate("C001", "MAIN", "M-C001")


@SQLITE
def test_load_migrations(dd, store: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    csv = tmp_path / "banks.csv"
    csv.write_text("party_type,party_no,code,iban,bic,dd_mandate_id,dd_mandate_valid_from\n"
                   "customer,C002,SECOND,DE89370400440532013000,,M-NEW,2024-05-01\n")
    assert dd.load_bank_accounts(csv).written == 1
    m = next(m for m in dd.mandates("C002") if m.id == "M-NEW")
    assert (m.valid_from, m.type_of_payment, m.is_default) == (date(2024, 5, 1), "recurrent",
                                                               True)
    bad = tmp_path / "bad.csv"
    bad.write_text("party_type,party_no,code,iban,bic,dd_mandate_id\n"
                   "customer,C001,OTHER,DE89370400440532013000,,M-C001\n")
    with pytest.raises(ImportFileError, match="dd_mandate_id: mandate M-C001 already exists"):
        dd.load_bank_accounts(bad)
    rows = tmp_path / "dd.csv"
    rows.write_text("batch_id,collection_date,entry_no,customer_no,document_no,mandate_id,"
                    "end_to_end_id,amount,status\n"
                    "OLD-1,2025-01-05,,C001,SI000001,M-C001,OLD-1-A,1000.00,sent\n"
                    "OLD-1,2025-01-05,,C002,SI000003,M-C002,OLD-1-B,400.00,returned\n")
    with store.read() as s:
        docs = sorted(e.document_no for e in s.exec(select(LedgerEntry)).all())
    rows.write_text(rows.read_text().replace("SI000001", docs[0]).replace("SI000003", docs[2]))
    assert dd.load_collections(rows).written == 2
    c = dd.collections()[0]
    assert (c.identifier, c.status) == ("OLD-1", "file_created")
    assert [e.status for e in dd.entries(c.no)] == ["file_created", "rejected"]
    assert dd.load_collections(rows).already_loaded
    with pytest.raises(ImportFileError, match="end-to-end ID OLD-1-A is already registered"):
        dup = tmp_path / "dup.csv"
        dup.write_text(rows.read_text().replace("OLD-1,", "OLD-2,"))
        dd.load_collections(dup)


@pytest.mark.skipif(not (CORPUS / "pain").is_dir(), reason="corpus not available")
def test_corpus_pain008_files_valid_for_our_reader() -> None:
    """The corpus's pain.008.001.02 file decodes with the XSD we ship (same schema)."""
    doc = _read(CORPUS / "pain" / "sepa_king__pain.008.001.02.xml", "pain.008.001.02")
    init = doc["CstmrDrctDbtInitn"]
    total = sum(D(str(t["InstdAmt"]["$"])) for p in init["PmtInf"] for t in p["DrctDbtTxInf"])
    assert total == D(str(init["PmtInf"][0]["CtrlSum"])) or total > 0


@SQLITE
def test_pain002_rejects_before_settlement(dd, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c = dd.create_collection(FEB)
    dd.export(c.no, tmp_path / "dd.xml")
    first = dd.entries(c.no)[0]
    report = tmp_path / "status.xml"
    report.write_text(
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>'
        "<GrpHdr><MsgId>S1</MsgId><CreDtTm>2025-01-11T10:00:00</CreDtTm></GrpHdr>"
        f"<OrgnlGrpInfAndSts><OrgnlMsgId>{c.identifier}</OrgnlMsgId><OrgnlMsgNmId>pain.008"
        "</OrgnlMsgNmId></OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><OrgnlPmtInfId>X</OrgnlPmtInfId>"
        f"<TxInfAndSts><OrgnlEndToEndId>{first.transaction_id}</OrgnlEndToEndId><TxSts>RJCT"
        "</TxSts><StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts>"
        "<TxInfAndSts><OrgnlEndToEndId>NOPE</OrgnlEndToEndId><TxSts>RJCT</TxSts>"
        "</TxInfAndSts></OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>")
    result = dd.import_status_report(report)
    assert result.rejected == (first.id,) and result.unknown == ("NOPE",)
    e = dd.entries(c.no)[0]
    assert (e.status, e.reject_reason) == ("rejected", "AC04")
    assert {m.id: m.debit_counter for m in dd.mandates()}["M-C001"] == 1
    with pytest.raises(DirectDebitError, match="S1 was already imported"):
        dd.import_status_report(report)  # twice: refused
    with pytest.raises(DirectDebitError, match="Not a pain"):
        bad = tmp_path / "bad.xml"
        bad.write_text("<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'/>")
        dd.import_status_report(bad)
