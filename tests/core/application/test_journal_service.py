"""Journal batches and lines: CRUD, number series, totals, line errors, posting."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from core.application.journal import JournalLineInput, JournalService
from core.kernel.errors import ConflictError, PostingError
from core.ledger.check import run_check
from core.ledger.models import LedgerEntry, Party
from tests.helpers import invoice


def _cash_batch(service: JournalService) -> int:
    (batch,) = service.batches("cash_receipt")
    return batch.id


def test_batches_by_template(store):
    service = JournalService(store)
    assert {b.template for b in service.batches()} == {"cash_receipt", "payment", "general"}
    (cash,) = service.batches("cash_receipt")
    assert (cash.name, cash.no_series_code, cash.bal_account_no, cash.line_count) == (
        "DEFAULT", "CASHRCPT", "BANK1", 0)


def test_add_update_delete_lines_with_series_and_versions(store, day):
    service = JournalService(store)
    batch = _cash_batch(service)
    a = service.add_line(batch, JournalLineInput(day, "C001", Decimal("-100")))
    b = service.add_line(batch, JournalLineInput(day, "C001", Decimal("-50"),
                                                 document_no="MANUAL"))
    c = service.add_line(batch, JournalLineInput(day, "C001", Decimal("-25")))
    assert (a.document_no, b.document_no, c.document_no) == ("CR000001", "MANUAL", "CR000002")
    assert (a.account_type, a.document_type, a.line_no, c.line_no) == (
        "customer", "payment", 10000, 30000)
    changed = service.update_line(a.id, a.version, {"amount": Decimal("-120"),
                                                    "description": "Adatum"})
    assert changed.amount == Decimal("-120") and changed.version == a.version + 1
    with pytest.raises(ConflictError, match="changed by someone else"):
        service.update_line(a.id, a.version, {"amount": Decimal("-1")})
    with pytest.raises(PostingError, match="cannot be edited"):
        service.update_line(a.id, changed.version, {"id": 99})
    with pytest.raises(PostingError, match="decimals"):
        service.update_line(a.id, changed.version, {"amount": Decimal("1.234")})
    service.delete_line(b.id, b.version)
    with pytest.raises(ConflictError):
        service.delete_line(b.id)
    assert [ln.document_no for ln in service.lines(batch)] == ["CR000001", "CR000002"]
    totals = service.batch_totals(batch)
    assert (totals.total, totals.balance, totals.line_count) == (Decimal("-145"), 0, 2)


@pytest.mark.parametrize(("fields", "text"), [
    ({"account_no": "C999"}, "C999 does not exist"),
    ({"amount": Decimal("0")}, "must not be zero"),
    ({"applies_to_doc_no": "NOPE"}, "no open entry NOPE"),
    ({"applies_to_doc_no": "X", "applies_to_id": "Y"}, "Applies-to ID"),
    ({"account_type": "gl_account", "account_no": "6400", "bal_account_type": "gl_account",
      "bal_account_no": "", "document_no": "G1"}, None),
])
def test_line_errors(store, day, fields, text):
    service = JournalService(store)
    batch = _cash_batch(service)
    base = {"posting_date": day, "account_no": "C001", "amount": Decimal("-10")}
    line = service.add_line(batch, JournalLineInput(**{**base, **fields}))
    errors = service.line_errors(batch)
    if text is None:  # a G/L line with the batch's bank as balancing account: fine
        assert errors == []
        return
    assert [e.line_id for e in errors] == [line.id]
    assert text in errors[0].message


def test_out_of_balance_document_is_reported_on_each_line(store, day):
    service = JournalService(store)
    general = service.batches("general")[0].id
    for amount in ("10", "-9"):
        service.add_line(general, JournalLineInput(day, "6400", Decimal(amount),
                                                   document_no="D1"))
    errors = service.line_errors(general)
    assert len(errors) == 2 and all("out of balance by 1" in e.message for e in errors)
    assert service.batch_totals(general).balance == Decimal("1")


def test_blocked_customer_line_error(store, day):
    with store.write() as s:
        party = s.get(Party, ("customer", "C001"))
        assert party is not None
        party.blocked = "all"
    service = JournalService(store)
    batch = _cash_batch(service)
    service.add_line(batch, JournalLineInput(day, "C001", Decimal("-10")))
    (error,) = service.line_errors(batch)
    assert "blocked with type All" in error.message


def test_post_cash_receipt_batch_applies_and_empties(store, day):
    inv = invoice(store, "C001", "1000", day)
    service = JournalService(store, user="clerk")
    batch = _cash_batch(service)
    service.add_line(batch, JournalLineInput(day + timedelta(days=3), "C001",
                                             Decimal("-980"), applies_to_doc_no=inv))
    assert service.line_errors(batch) == []
    preview = service.post_batch(batch, preview=True)
    assert preview.ledger_entries and len(service.lines(batch)) == 1
    result = service.post_batch(batch)
    assert result.document_nos == ("CR000001",) and service.lines(batch) == []
    with store.read() as s:
        entries = s.exec(select(LedgerEntry)).all()
    assert all(not e.open for e in entries)
    assert run_check(store).ok
