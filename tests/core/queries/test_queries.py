"""The read side: figures, keyset pages in every direction, filters, cards, searches."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.kernel.errors import ConflictError, LettrageError, NotFoundError
from core.kernel.store import Store
from core.ledger.parties import PartyChanges, PartyService
from core.queries.service import QueryService
from core.queries.types import (
    BankFilter,
    GLFilter,
    LedgerFilter,
    PageRequest,
    PartyFilter,
)
from tests.helpers import invoice, payment

TODAY = date(2025, 3, 1)


@pytest.fixture
def queries(store: Store) -> QueryService:
    return QueryService(store, today=lambda: TODAY)


@pytest.fixture
def books(store: Store) -> dict[str, str]:
    """Five customer invoices over five days (30-day terms for C002), one paid."""
    docs = {}
    for i, (party, amount) in enumerate([("C001", "100"), ("C002", "200"), ("C001", "300"),
                                         ("C002", "400"), ("C001", "500")]):
        docs[f"inv{i}"] = invoice(store, party, amount, date(2025, 1, 1) + timedelta(days=i))
    payment(store, "C002", "200", date(2025, 1, 20), applies_to=docs["inv1"], doc_no="PAY1")
    invoice(store, "V001", "50", date(2025, 1, 3), party_type="vendor")
    return docs


def test_home_figures(queries: QueryService, books: dict[str, str]) -> None:
    home = queries.home()
    assert home.company_name == "Test GmbH"
    assert home.open_receivables == Decimal("1300.00")
    # C002's invoice of 400 (30D from Jan 4) and all of C001's (30D from Jan 1..5) are due.
    assert home.overdue_count == 4
    assert home.overdue_receivables == Decimal("1300.00")
    assert home.open_payables == Decimal("-50.00")
    assert [(b.no, b.open_entries, b.balance) for b in home.banks] == [
        ("BANK1", 1, Decimal("200.00"))]


def test_ledger_pages_forward_backward_and_from_the_end(queries: QueryService,
                                                        books: dict[str, str]) -> None:
    f = LedgerFilter("customer")
    first = queries.ledger_entries(f, PageRequest(limit=2))
    assert [e.document_no for e in first.rows] == [books["inv0"], books["inv1"]]
    assert (first.more_before, first.more_after) == (False, True)
    second = queries.ledger_entries(f, PageRequest(after=first.keys[-1], limit=2))
    assert [e.document_no for e in second.rows] == [books["inv2"], books["inv3"]]
    assert second.more_before
    last = queries.ledger_entries(f, PageRequest(from_end=True, limit=2))
    assert [e.document_no for e in last.rows] == [books["inv4"], "PAY1"]
    assert (last.more_before, last.more_after) == (True, False)
    back = queries.ledger_entries(f, PageRequest(before=last.keys[0], limit=2))
    assert back.rows == second.rows
    assert back.more_after


def test_descending_and_other_sorts(queries: QueryService, books: dict[str, str]) -> None:
    f = LedgerFilter("customer")
    desc = queries.ledger_entries(f, PageRequest(limit=3), descending=True)
    assert desc.rows[0].document_no == "PAY1"
    by_amount = queries.ledger_entries(f, PageRequest(limit=10), sort="amount")
    assert [e.amount for e in by_amount.rows][:2] == [Decimal("-200.00"), Decimal("100.00")]
    by_due = queries.ledger_entries(f, PageRequest(limit=3), sort="due_date")
    rest = queries.ledger_entries(f, PageRequest(after=by_due.keys[-1], limit=10),
                                  sort="due_date")
    assert len(by_due.rows) + len(rest.rows) == 6
    with pytest.raises(LettrageError, match="Cannot sort"):
        queries.ledger_entries(f, sort="colour")


def test_ledger_filters(queries: QueryService, books: dict[str, str]) -> None:
    def docs(**kw: object) -> list[str]:
        page = queries.ledger_entries(LedgerFilter("customer", **kw),  # type: ignore[arg-type]
                                      PageRequest(limit=50))
        return [e.document_no for e in page.rows]

    assert len(docs(open_only=True)) == 4
    assert docs(party_no="C002") == [books["inv1"], books["inv3"], "PAY1"]
    assert docs(document_type="payment") == ["PAY1"]
    assert docs(date_from=date(2025, 1, 4), date_to=date(2025, 1, 5)) == [books["inv3"],
                                                                          books["inv4"]]
    assert docs(amount_min=Decimal("250"), amount_max=Decimal("450")) == [books["inv2"],
                                                                           books["inv3"]]
    assert docs(text="pay") == ["PAY1"]
    assert docs(text=books["inv4"].lower()) == [books["inv4"]]
    assert len(docs(overdue_as_of=date(2025, 2, 3))) == 2  # due Jan 31 and Feb 2
    assert queries.count_ledger_entries(LedgerFilter("customer", open_only=True)) == 4
    assert docs(text="100%") == []  # wildcards are taken literally


def test_entry_details_applied_entries_and_document(queries: QueryService,
                                                    books: dict[str, str]) -> None:
    page = queries.ledger_entries(LedgerFilter("customer", party_no="C002"))
    inv, pay = page.rows[0], page.rows[-1]
    assert inv.party_name == "Trey Research" and not inv.open
    kinds = [d.entry_type for d in queries.detailed_entries(inv.entry_no).rows]
    assert kinds == ["initial", "application"]
    assert [e.entry_no for e in queries.applied_entries(pay.entry_no).rows] == [inv.entry_no]
    assert [e.entry_no for e in queries.applied_entries(inv.entry_no).rows] == [pay.entry_no]
    doc = queries.posted_document(inv.entry_no)
    assert doc.document_no == inv.document_no and doc.amount_incl_vat == Decimal("200.00")
    assert len(doc.lines) == 1 and doc.party_name == "Trey Research"
    with pytest.raises(NotFoundError, match="posted from a journal"):
        queries.posted_document(pay.entry_no)
    with pytest.raises(NotFoundError):
        queries.ledger_entry(99999)


def test_parties_and_card(queries: QueryService, books: dict[str, str]) -> None:
    page = queries.parties(PartyFilter("customer"), PageRequest(limit=1))
    assert [p.no for p in page.rows] == ["C001"] and page.more_after
    nxt = queries.parties(PartyFilter("customer"), PageRequest(after=page.keys[-1]))
    assert [(p.no, p.balance) for p in nxt.rows] == [("C002", Decimal("400.00"))]
    assert [p.no for p in queries.parties(PartyFilter("customer", text="trey"),
                                          PageRequest()).rows] == ["C002"]
    by_name = queries.parties(PartyFilter("customer"), PageRequest(), sort="name")
    assert [p.name for p in by_name.rows] == ["Adatum Corporation", "Trey Research"]
    card = queries.party_card("customer", "C001")
    assert (card.balance, card.overdue, card.open_entries) == (
        Decimal("900.00"), Decimal("900.00"), 3)
    assert card.city == "Berlin" and card.payment_terms_code == "2/10N30"
    assert [b.iban for b in card.bank_accounts] == ["DE02120300000000202051"]
    with pytest.raises(NotFoundError):
        queries.party_card("customer", "NOPE")


def test_update_party_checks_the_version(store: Store, queries: QueryService) -> None:
    parties = PartyService(store, today=lambda: TODAY)
    card = queries.party_card("customer", "C001")
    saved = parties.update_party("customer", "C001", card.version,
                                 PartyChanges(city="Hamburg", blocked="invoice"))
    assert (saved.city, saved.blocked, saved.version) == ("Hamburg", "invoice", card.version + 1)
    with pytest.raises(ConflictError, match="changed by someone else"):
        parties.update_party("customer", "C001", card.version, PartyChanges(city="Paris"))
    with pytest.raises(LettrageError, match="Blocked must be one of"):
        parties.update_party("customer", "C001", saved.version, PartyChanges(blocked="ship?"))
    with pytest.raises(LettrageError, match="e-mail"):
        parties.update_party("customer", "C001", saved.version, PartyChanges(email="x@"))
    with pytest.raises(LettrageError, match="Payment terms"):
        parties.update_party("customer", "C001", saved.version,
                             PartyChanges(payment_terms_code="NOPE"))
    assert queries.party_card("customer", "C001").city == "Hamburg"


def test_gl_chart_bank_registers(queries: QueryService, books: dict[str, str]) -> None:
    gl = queries.gl_entries(GLFilter(gl_account_no="1200"), PageRequest(limit=100))
    assert sum(e.amount for e in gl.rows) == Decimal("1300.00")
    chart = {a.no: a for a in queries.chart_of_accounts().rows}
    assert chart["1200"].balance == Decimal("1300.00")
    assert chart["1000"].balance == chart["1100"].balance + chart["1200"].balance \
        + chart["1300"].balance
    assert [b.open_entries for b in queries.bank_accounts().rows] == [1]
    bank = queries.bank_entries(BankFilter(bank_account_no="BANK1", open_only=True))
    assert [e.document_no for e in bank.rows] == ["PAY1"]
    regs = queries.registers(PageRequest(from_end=True, limit=2))
    assert len(regs.rows) == 2 and regs.more_before and not regs.more_after
    reg = queries.register(regs.rows[-1].no)
    assert reg.from_entry_no <= reg.to_entry_no
    in_reg = queries.ledger_entries(LedgerFilter("vendor", from_entry_no=reg.from_entry_no,
                                                 to_entry_no=reg.to_entry_no))
    assert [e.party_no for e in in_reg.rows] == ["V001"]


def test_search(queries: QueryService, books: dict[str, str]) -> None:
    hits = queries.search("trey")
    assert [(h.kind, h.key) for h in hits] == [("customer", "C002")]
    assert [h.kind for h in queries.search("v00")] == ["vendor"]
    doc_hits = queries.search(books["inv3"].lower())
    assert [h.kind for h in doc_hits] == ["document"]
    assert queries.search("  ") == ()
