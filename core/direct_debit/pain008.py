"""The pain.008 Customer Direct Debit Initiation file (pain.008.001.02 and .08).

``build`` turns a ``Message`` into XML, one ``PmtInf`` per (sequence type, collection
date, scheme) as banks require; ``validate`` checks it against the official ISO 20022
XSD shipped in ``xsd/`` and returns the validator's first message, so nothing invalid
is ever written.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from lxml import etree

XSD_DIR = Path(__file__).parent / "xsd"
NS = "urn:iso:std:iso:20022:tech:xsd:{fmt}"


@dataclass(frozen=True, slots=True)
class Transaction:
    end_to_end_id: str
    amount: Decimal
    mandate_id: str
    date_of_signature: date
    debtor_name: str
    debtor_iban: str
    debtor_bic: str
    remittance: str


@dataclass(frozen=True, slots=True)
class Batch:
    payment_info_id: str
    sequence_type: str
    collection_date: date
    local_instrument: str  # CORE | B2B
    transactions: tuple[Transaction, ...]

    @property
    def total(self) -> Decimal:
        return sum((t.amount for t in self.transactions), Decimal(0))


@dataclass(frozen=True, slots=True)
class Message:
    message_id: str
    created_at: datetime
    creditor_name: str
    creditor_iban: str
    creditor_bic: str
    creditor_id: str
    batches: tuple[Batch, ...]


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def _agent(parent: etree._Element, tag: str, bic: str, fmt: str) -> None:
    fin = _sub(_sub(parent, tag), "FinInstnId")
    if bic:
        _sub(fin, "BIC" if fmt.endswith(".02") else "BICFI", bic)
    else:
        _sub(_sub(fin, "Othr"), "Id", "NOTPROVIDED")


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _text(value: str, size: int) -> str:
    """SEPA's restricted Latin character set, cut to ``size``."""
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")
    out = "".join(c if c in allowed else _ascii(c) for c in value)
    return (out.strip() or "NOTPROVIDED")[:size]


def _ascii(c: str) -> str:
    base = unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode()
    return base if base and base.isalnum() else " "


def build(msg: Message, fmt: str) -> bytes:
    """The XML of the message in ``fmt`` (pain.008.001.02 or pain.008.001.08)."""
    root = etree.Element("Document", nsmap={None: NS.format(fmt=fmt)})
    init = _sub(root, "CstmrDrctDbtInitn")
    hdr = _sub(init, "GrpHdr")
    _sub(hdr, "MsgId", msg.message_id)
    _sub(hdr, "CreDtTm", msg.created_at.replace(microsecond=0, tzinfo=None).isoformat())
    count = sum(len(b.transactions) for b in msg.batches)
    _sub(hdr, "NbOfTxs", str(count))
    _sub(hdr, "CtrlSum", _amount(sum((b.total for b in msg.batches), Decimal(0))))
    _sub(_sub(hdr, "InitgPty"), "Nm", _text(msg.creditor_name, 70))
    for b in msg.batches:
        _batch(init, msg, b, fmt)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


def _batch(init: etree._Element, msg: Message, b: Batch, fmt: str) -> None:
    pmt = _sub(init, "PmtInf")
    _sub(pmt, "PmtInfId", b.payment_info_id)
    _sub(pmt, "PmtMtd", "DD")
    _sub(pmt, "BtchBookg", "true")
    _sub(pmt, "NbOfTxs", str(len(b.transactions)))
    _sub(pmt, "CtrlSum", _amount(b.total))
    tp = _sub(pmt, "PmtTpInf")
    _sub(_sub(tp, "SvcLvl"), "Cd", "SEPA")
    _sub(_sub(tp, "LclInstrm"), "Cd", b.local_instrument)
    _sub(tp, "SeqTp", b.sequence_type)
    _sub(pmt, "ReqdColltnDt", b.collection_date.isoformat())
    _sub(_sub(pmt, "Cdtr"), "Nm", _text(msg.creditor_name, 70))
    _sub(_sub(_sub(pmt, "CdtrAcct"), "Id"), "IBAN", msg.creditor_iban)
    _agent(pmt, "CdtrAgt", msg.creditor_bic, fmt)
    _sub(pmt, "ChrgBr", "SLEV")
    othr = _sub(_sub(_sub(_sub(pmt, "CdtrSchmeId"), "Id"), "PrvtId"), "Othr")
    _sub(othr, "Id", msg.creditor_id)
    _sub(_sub(othr, "SchmeNm"), "Prtry", "SEPA")
    for t in b.transactions:
        tx = _sub(pmt, "DrctDbtTxInf")
        _sub(_sub(tx, "PmtId"), "EndToEndId", t.end_to_end_id)
        _sub(tx, "InstdAmt", _amount(t.amount)).set("Ccy", "EUR")
        mandate = _sub(_sub(tx, "DrctDbtTx"), "MndtRltdInf")
        _sub(mandate, "MndtId", t.mandate_id)
        _sub(mandate, "DtOfSgntr", t.date_of_signature.isoformat())
        _agent(tx, "DbtrAgt", t.debtor_bic, fmt)
        _sub(_sub(tx, "Dbtr"), "Nm", _text(t.debtor_name, 70))
        _sub(_sub(_sub(tx, "DbtrAcct"), "Id"), "IBAN", t.debtor_iban)
        _sub(_sub(tx, "RmtInf"), "Ustrd", _text(t.remittance, 140))


@cache
def schema(fmt: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / f"{fmt}.xsd")))


def validate(xml: bytes, fmt: str) -> str | None:
    """None when ``xml`` is valid against the official XSD of ``fmt``, else the
    validator's first message (line and text)."""
    s = schema(fmt)
    doc = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False))
    if s.validate(doc):
        return None
    err = s.error_log[0]  # type: ignore[index]
    return f"line {err.line}: {err.message}"
