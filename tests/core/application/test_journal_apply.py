"""Apply Entries from an unposted journal line, the tolerance warnings before posting a
batch, the Application setup and the Change Payment Tolerance batch job."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from core.application import Decisions, PaymentToleranceWarning
from core.application.journal import JournalLineInput, JournalService
from core.application.service import ApplicationService, apply_totals
from core.application.tolerance import SetupChanges, ToleranceService
from core.kernel.errors import ApplicationError, ConflictError, LettrageError, NotFoundError
from core.ledger.check import run_check
from core.ledger.models import DetailedLedgerEntry, LedgerEntry
from core.ledger.parties import PartyChanges, PartyService
from tests.helpers import invoice


def _entries(store, party_no="C001"):  # type: ignore[no-untyped-def]
    with store.read() as s:
        return {e.document_no: e for e in s.exec(
            select(LedgerEntry).where(LedgerEntry.party_no == party_no)
            .order_by(LedgerEntry.entry_no)).all()}


def _batch(journal: JournalService) -> int:
    return journal.batches("cash_receipt")[0].id


def test_mark_from_journal_line_fills_amount_and_posting_applies(store, day):
    a = invoice(store, "C001", "1000", day)
    b = invoice(store, "C001", "500", day)
    journal, apps = JournalService(store), ApplicationService(store)
    batch = _batch(journal)
    line = journal.add_line(batch, JournalLineInput(day + timedelta(days=3), "C001"))
    view = apps.journal_apply_view(line.id)
    assert view.journal_line_id == line.id and view.applying.entry_no == 0
    assert [r.document_no for r in view.entries] == [a, b]
    assert not any(r.marked for r in view.entries)
    e = _entries(store)
    marks = {e[a].entry_no: None, e[b].entry_no: None}
    assert apply_totals(view, marks).pmt_disc_amount == Decimal("-30.00")

    changed = apps.set_journal_applies_to(line.id, line.version, list(marks))
    assert changed.applies_to_id == line.document_no and changed.amount == Decimal("-1470")
    again = apps.journal_apply_view(line.id)
    assert all(r.marked for r in again.entries) and again.totals.balance == 0
    with pytest.raises(ConflictError, match="changed by someone else"):
        apps.set_journal_applies_to(line.id, line.version, [])

    result = journal.post_batch(batch)
    e = _entries(store)
    assert all(not x.open for x in e.values())
    assert e[a].applies_to_id == "" and journal.lines(batch) == []
    assert sum(d.amount for d in result.detailed_entries
               if d.entry_type == "payment_discount") == Decimal("-30")
    assert run_check(store).ok


def test_unmarking_clears_the_line_and_doc_no_is_replaced(store, day):
    a = invoice(store, "C001", "1000", day)
    journal, apps = JournalService(store), ApplicationService(store)
    line = journal.add_line(_batch(journal), JournalLineInput(
        day, "C001", Decimal("-980"), applies_to_doc_no=a))
    view = apps.journal_apply_view(line.id)
    assert [r.marked for r in view.entries] == [True]  # shown from Applies-to Doc. No.
    entry_no = view.entries[0].entry_no
    marked = apps.set_journal_applies_to(line.id, line.version, [entry_no],
                                         {entry_no: Decimal("500")})
    assert (marked.applies_to_doc_no, marked.applies_to_id) == ("", line.document_no)
    assert marked.amount == Decimal("-980")  # an entered amount is kept
    assert _entries(store)[a].amount_to_apply == 50000
    cleared = apps.set_journal_applies_to(line.id, marked.version, [])
    assert cleared.applies_to_id == "" and _entries(store)[a].applies_to_id == ""


def test_apply_entries_needs_a_party_line(store, day):
    journal, apps = JournalService(store), ApplicationService(store)
    line = journal.add_line(_batch(journal), JournalLineInput(
        day, "6400", Decimal("10"), account_type="gl_account"))
    with pytest.raises(ApplicationError, match="customer or vendor line"):
        apps.journal_apply_view(line.id)
    blank = journal.add_line(_batch(journal), JournalLineInput(day))
    with pytest.raises(NotFoundError, match="enter an existing customer"):
        apps.journal_apply_view(blank.id)


def test_tolerance_warning_then_decision_on_journal_posting(store, day):
    """bc-spec 15.1 row 3: 975 paid for 1,000 less 20 discount, tolerance 5."""
    a = invoice(store, "C001", "1000", day)
    changed = ToleranceService(store).change_payment_tolerance("0", "5")
    assert (changed.entries_updated, _entries(store)[a].max_payment_tolerance) == (1, 500)
    journal = JournalService(store)
    batch = _batch(journal)
    line = journal.add_line(batch, JournalLineInput(day + timedelta(days=5), "C001",
                                                    Decimal("-975"), applies_to_doc_no=a))
    (asked,) = journal.posting_warnings(batch)
    assert asked.line_id == line.id
    (warning,) = asked.warnings
    assert isinstance(warning, PaymentToleranceWarning) and not warning.answered
    decisions = {line.id: Decisions(accept_tolerance=True)}
    (answered,) = journal.posting_warnings(batch, decisions)
    assert all(w.answered for w in answered.warnings)
    preview = journal.post_batch(batch, preview=True, decisions=decisions)
    assert any(d.entry_type == "payment_tolerance" for d in preview.detailed_entries)
    assert journal.lines(batch)  # a preview writes nothing
    journal.post_batch(batch, decisions=decisions)
    assert not _entries(store)[a].open
    assert run_check(store).ok


def test_declined_tolerance_leaves_the_balance(store, day):
    a = invoice(store, "C001", "1000", day)
    ToleranceService(store).change_payment_tolerance("0", "5")
    journal = JournalService(store)
    batch = _batch(journal)
    line = journal.add_line(batch, JournalLineInput(day + timedelta(days=5), "C001",
                                                    Decimal("-975"), applies_to_doc_no=a))
    journal.post_batch(batch, decisions={line.id: Decisions(accept_tolerance=False)})
    entry = _entries(store)[a]
    assert entry.open and entry.remaining_amount > 0  # the shortfall stays on the invoice
    assert run_check(store).ok


def test_setup_version_grace_period_and_posting_options(store, day):
    invoice(store, "C001", "1000", day)  # 2/10N30: discount date day + 10
    service = ToleranceService(store)
    setup = service.setup()
    assert (setup.pmt_disc_grace_days, setup.payment_tolerance_warning) == (5, True)
    saved = service.update_setup(setup.version, SetupChanges(
        pmt_disc_grace_days=3, payment_tolerance_warning=False,
        payment_tolerance_posting="payment_discount_accounts"))
    assert saved.entries_updated == 1 and not saved.setup.payment_tolerance_warning
    (entry,) = _entries(store).values()
    assert entry.pmt_disc_tolerance_date == day + timedelta(days=13)
    with pytest.raises(ConflictError, match="changed by someone else"):
        service.update_setup(setup.version, SetupChanges(pmt_disc_grace_days=1))
    with pytest.raises(LettrageError, match="must be one of"):
        service.update_setup(None, SetupChanges(pmt_disc_tolerance_posting="x"))


@pytest.mark.parametrize(("pct", "max_amount", "text"), [
    ("101", "0", "between 0 and 100"), ("abc", "0", "not a number"),
    ("1", "-5", "must not be negative"), ("1", "x", "not an amount")])
def test_change_tolerance_refuses_bad_values(store, pct, max_amount, text):
    with pytest.raises(LettrageError, match=text):
        ToleranceService(store).change_payment_tolerance(pct, max_amount)


def test_change_tolerance_by_pct_honours_block_and_currency(store, day):
    a = invoice(store, "C001", "1000", day)
    b = invoice(store, "C002", "400", day)
    with pytest.raises(LettrageError, match="only the company currency"):
        ToleranceService(store).change_payment_tolerance("1", "0", "USD")
    parties = PartyService(store)
    card = parties.update_party("customer", "C002", 1,
                                PartyChanges(block_payment_tolerance=True))
    assert card.block_payment_tolerance
    result = ToleranceService(store).change_payment_tolerance("0.5", "0", "eur")
    assert (result.entries_checked, result.entries_updated, result.blocked_parties) == (
        2, 1, 1)
    assert _entries(store)[a].max_payment_tolerance == 500
    assert _entries(store, "C002")[b].max_payment_tolerance == 0
    parties.update_party("customer", "C002", card.version,
                         PartyChanges(block_payment_tolerance=False))
    assert _entries(store, "C002")[b].max_payment_tolerance == 200
    parties.update_party("customer", "C002", card.version + 1,
                         PartyChanges(block_payment_tolerance=True))
    assert _entries(store, "C002")[b].max_payment_tolerance == 0


def test_create_batch(store):
    journal = JournalService(store)
    made = journal.create_batch("cash_receipt", " lockbox ", "Lockbox receipts",
                                bal_account_no="BANK1")
    assert (made.name, made.no_series_code, made.bal_account_type) == (
        "LOCKBOX", "CASHRCPT", "bank_account")
    assert [b.name for b in journal.batches("cash_receipt")] == ["DEFAULT", "LOCKBOX"]
    with pytest.raises(ConflictError, match="already has a batch LOCKBOX"):
        journal.create_batch("cash_receipt", "lockbox")
    with pytest.raises(NotFoundError, match="BANK9 does not exist"):
        journal.create_batch("cash_receipt", "X", bal_account_no="BANK9")


def test_detailed_entries_of_journal_discount(store, day):
    """The posted application writes discount detailed entries on the payment."""
    a = invoice(store, "C001", "1000", day)
    journal, apps = JournalService(store), ApplicationService(store)
    batch = _batch(journal)
    line = journal.add_line(batch, JournalLineInput(day + timedelta(days=1), "C001"))
    entry_no = apps.journal_apply_view(line.id).entries[0].entry_no
    apps.set_journal_applies_to(line.id, line.version, [entry_no])
    journal.post_batch(batch)
    with store.read() as s:
        types = sorted(d.entry_type for d in s.exec(select(DetailedLedgerEntry).where(
            DetailedLedgerEntry.document_no != a)).all())
    assert types.count("payment_discount") == 1


def test_payment_journal_pays_vendor_invoices(store, day):
    """The vendor side: a payment journal line for V001 marked against two purchase
    invoices gets the settling amount (positive: money leaves the bank) and closes both."""
    a = invoice(store, "V001", "500", day, party_type="vendor")
    b = invoice(store, "V001", "300", day, party_type="vendor")
    journal, apps = JournalService(store), ApplicationService(store)
    batch = journal.batches("payment")[0].id
    line = journal.add_line(batch, JournalLineInput(day + timedelta(days=20), "V001"))
    assert (line.account_type, line.document_type) == ("vendor", "payment")
    view = apps.journal_apply_view(line.id)
    assert [r.document_no for r in view.entries] == [a, b]
    marked = apps.set_journal_applies_to(line.id, line.version,
                                         [r.entry_no for r in view.entries])
    assert marked.amount == Decimal("800")
    assert journal.batch_totals(batch).balance == 0  # the batch's bank account balances
    journal.post_batch(batch)
    entries = _entries(store, "V001")
    assert not entries[a].open and not entries[b].open
    assert all(e.remaining_amount == 0 for e in entries.values())
    assert run_check(store).ok
