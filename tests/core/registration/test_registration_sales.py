"""Sales invoices and credit memos: terms, totals with VAT, posting through the engine,
blocked customers (BC §11), payment methods paid at posting, credit memo applied."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import col, func, select

from core.kernel.errors import BlockedError, NotFoundError, PostingError
from core.kernel.money import from_minor
from core.ledger.check import run_check
from core.ledger.models import GLEntry, LedgerEntry, Party, PostedDocument, Register
from core.registration.models import PaymentMethod, SalesHeader
from core.registration.sales import SalesService
from core.registration.sales_types import SalesDocumentInput, SalesLineInput
from data.engine import SqlStore
from tests.core.registration.reg_support import sales_invoice

DAY = date(2025, 1, 10)


def _doc(customer: str = "C001", doc_type: str = "invoice", **kw: object) -> SalesDocumentInput:
    lines = (SalesLineInput("4100", Decimal(2), Decimal("250"), Decimal(19), "Goods"),
             SalesLineInput("4200", Decimal(1), Decimal("100"), Decimal(7), "Service"))
    return SalesDocumentInput(doc_type, customer, DAY, lines, **kw)  # type: ignore[arg-type]


def _count(store: SqlStore, model: type) -> int:
    with store.read() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def test_invoice_takes_terms_totals_and_posts_with_vat(store: SqlStore) -> None:
    svc = SalesService(store, user="anna")
    doc = svc.create(_doc())
    # C001 has 2 % 10 days, net 30: from the document date
    assert doc.due_date == date(2025, 2, 9)
    assert doc.pmt_discount_date == date(2025, 1, 20)
    assert doc.payment_discount_pct == Decimal(2)
    assert doc.totals.amount_excl_vat == Decimal("600.00")
    assert doc.totals.vat_amount == Decimal("102.00")  # 95 + 7
    assert doc.totals.amount_incl_vat == Decimal("702.00")
    assert doc.totals.pmt_discount == Decimal("14.04")
    result = svc.post(doc.id)
    no = result.document_nos[0]
    assert no.startswith("SI")
    with store.read() as s:
        entry = s.exec(select(LedgerEntry).where(col(LedgerEntry.document_no) == no)).one()
        assert from_minor(entry.amount) == Decimal("702.00")
        assert from_minor(entry.remaining_pmt_disc_possible) == Decimal("14.04")
        assert entry.pmt_discount_date == date(2025, 1, 20)
        assert entry.due_date == date(2025, 2, 9)
        vat = s.exec(select(func.sum(GLEntry.amount)).where(
            col(GLEntry.gl_account_no) == "2300")).one()
        assert from_minor(vat) == Decimal("-102.00")
        assert s.exec(select(PostedDocument).where(col(PostedDocument.document_no) == no)
                      ).one().amount_incl_vat == 70200
        assert s.exec(select(SalesHeader)).first() is None
    assert run_check(store).ok


def test_preview_writes_nothing(store: SqlStore) -> None:
    svc = SalesService(store)
    doc = svc.create(_doc())
    result = svc.post(doc.id, preview=True)
    assert len(result.gl_entries) == 5  # customer, 2 income, 2 VAT
    assert _count(store, GLEntry) == 0
    assert svc.document(doc.id).no == doc.no


@pytest.mark.parametrize(("blocked", "doc_type", "message"), [
    ("invoice", "invoice", "blocked with type Invoice"),
    ("all", "credit_memo", "blocked with type All"),
])
def test_blocked_customer_cannot_create_or_post(store: SqlStore, blocked: str, doc_type: str,
                                                message: str) -> None:
    svc = SalesService(store)
    doc = svc.create(_doc(doc_type=doc_type))
    with store.write() as s:
        party = s.get(Party, ("customer", "C001"))
        assert party is not None
        party.blocked = blocked
    with pytest.raises(BlockedError, match=f"You cannot post this type of document when "
                       f"Customer C001 .* {message}"):
        svc.post(doc.id)
    with pytest.raises(BlockedError, match="You cannot create this type of document"):
        svc.create(_doc(doc_type=doc_type))
    assert _count(store, GLEntry) == 0


def test_blocked_ship_or_invoice_allows_what_bc_allows(store: SqlStore) -> None:
    svc = SalesService(store)
    with store.write() as s:
        party = s.get(Party, ("customer", "C001"))
        assert party is not None
        party.blocked = "ship"
    svc.post(svc.create(_doc()).id)
    with store.write() as s:
        party = s.get(Party, ("customer", "C001"))
        assert party is not None
        party.blocked, party.privacy_blocked = "invoice", False
    svc.post(svc.create(_doc(doc_type="credit_memo")).id)  # credit memos still allowed
    with store.write() as s:
        party = s.get(Party, ("customer", "C001"))
        assert party is not None
        party.privacy_blocked = True
    with pytest.raises(BlockedError, match="blocked for privacy"):
        svc.create(_doc(doc_type="credit_memo"))


def test_paypal_invoice_is_paid_at_posting_in_one_register(store: SqlStore) -> None:
    with store.write() as s:
        s.add(PaymentMethod(code="PAYPAL", description="PayPal", bal_account_type="gl_account",
                            bal_account_no="1150"))
        party = s.get(Party, ("customer", "C002"))
        assert party is not None
        party.payment_method_code = "PAYPAL"
    no = sales_invoice(store, "C002", "119", DAY, vat="0")  # the customer's default method
    with store.read() as s:
        entries = s.exec(select(LedgerEntry).order_by(col(LedgerEntry.entry_no))).all()
        assert [(e.document_type, e.amount, e.open) for e in entries] == [
            ("invoice", 11900, False), ("payment", -11900, False)]
        assert entries[0].closed_by_entry_no == entries[1].entry_no
        cash = s.exec(select(func.sum(GLEntry.amount)).where(
            col(GLEntry.gl_account_no) == "1150")).one()
        assert cash == 11900
    assert _count(store, Register) == 1
    assert no.startswith("SI")
    assert run_check(store).ok


def test_paid_at_posting_on_bank_with_discount_closes_both(store: SqlStore) -> None:
    with store.write() as s:
        s.add(PaymentMethod(code="CARD", description="Card", bal_account_type="bank_account",
                            bal_account_no="BANK1"))
    sales_invoice(store, "C001", "1000", DAY, method="CARD")  # 2/10N30: 20 discount
    with store.read() as s:
        entries = s.exec(select(LedgerEntry).order_by(col(LedgerEntry.entry_no))).all()
        assert [(e.amount, e.remaining_amount, e.open) for e in entries] == [
            (100000, 0, False), (-98000, 0, False)]
    assert run_check(store).ok


def test_credit_memo_applied_to_invoice_at_posting(store: SqlStore) -> None:
    inv = sales_invoice(store, "C002", "500", DAY)
    sales_invoice(store, "C002", "200", DAY, doc_type="credit_memo", applies_to=inv)
    with store.read() as s:
        e = s.exec(select(LedgerEntry).where(col(LedgerEntry.document_no) == inv)).one()
        assert e.remaining_amount == 30000 and e.open
        cm = s.exec(select(LedgerEntry).where(
            col(LedgerEntry.document_type) == "credit_memo")).one()
        assert cm.remaining_amount == 0 and not cm.open
    assert run_check(store).ok


def test_bad_input_gets_a_message_and_nothing_written(store: SqlStore) -> None:
    svc = SalesService(store)
    with pytest.raises(NotFoundError, match="Customer C999 does not exist"):
        svc.create(_doc("C999"))
    with pytest.raises(NotFoundError, match="line 1: G/L account 9999 does not exist"):
        svc.create(SalesDocumentInput("invoice", "C001", DAY,
                                      (SalesLineInput("9999", Decimal(1), Decimal(1)),)))
    empty = svc.create(SalesDocumentInput("invoice", "C001", DAY))
    with pytest.raises(PostingError, match="There is nothing to post"):
        svc.post(empty.id)
    with pytest.raises(NotFoundError, match=r"document 2: .*Customer C999"):
        svc.post_inputs([_doc(), _doc("C999")])
    assert _count(store, GLEntry) == 0
    assert _count(store, SalesHeader) == 1  # only the empty one created above


def test_stale_version_is_a_conflict(store: SqlStore) -> None:
    from core.kernel.errors import ConflictError

    svc = SalesService(store)
    doc = svc.create(_doc())
    svc.update(doc.id, doc.as_input(), expected_version=doc.version)
    with pytest.raises(ConflictError, match="changed by someone else"):
        svc.post(doc.id, expected_version=doc.version)


def test_check_finds_a_posted_document_that_disagrees_with_its_entry(store: SqlStore) -> None:
    no = sales_invoice(store, "C002", "100", DAY)
    assert run_check(store).ok
    with store.write() as s:
        doc = s.exec(select(PostedDocument).where(col(PostedDocument.document_no) == no)).one()
        doc.amount_incl_vat += 1
    report = run_check(store)
    assert not report.ok
    bad = [r for r in report.results if not r.ok]
    assert [r.name for r in bad] == ["posted documents agree with their ledger entries"]
