"""Posting the Payment Reconciliation Journal (bc-spec §5, §15.5): post payments only vs
post and reconcile, BC's messages, all or nothing, concurrency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlmodel import select

from core.kernel.errors import ConflictError, PostingError
from core.kernel.store import Store
from core.ledger.bank_statements import BankStatementLine
from core.ledger.check import run_check
from core.ledger.models import BankAccount, BankLedgerEntry, LedgerEntry
from core.queries.service import QueryService
from core.reconciliation.models import PostedStatement, ReconJournal
from tests.helpers import invoice, payment
from tests.recon_support import SL, auto

INV_DAY = date(2025, 1, 10)
EARLY = date(2025, 1, 15)
LATE = date(2025, 2, 3)


def _bank(store: Store) -> BankAccount:
    with store.read() as s:
        bank = s.get(BankAccount, "BANK1")
        assert bank is not None
        return bank


def _entry(store: Store, no: int) -> LedgerEntry:
    with store.read() as s:
        e = s.get(LedgerEntry, no)
        assert e is not None
        return e


def _statuses(store: Store) -> set[str]:
    with store.read() as s:
        return set(s.exec(select(BankStatementLine.status)).all())


def _ready(store: Store, closing: str | None = "962.50"):  # type: ignore[no-untyped-def]
    """Invoice 1000 of C001 paid 980 within the discount period, a bank fee mapped."""
    doc = invoice(store, "C001", "1000", INV_DAY)
    svc, jid = auto(store, [SL("980", f"Adatum Corporation {doc}", EARLY),
                            SL("-17.50", "BANK FEE January", EARLY)], closing=closing)
    fee = svc.lines(jid)[1]
    svc.map_text_to_account(fee.id, "BANK FEE", debit_acc_no="6400", credit_acc_no="6400")
    svc.apply_automatically(jid)
    return svc, jid


def test_post_and_reconcile(store: Store) -> None:
    svc, jid = _ready(store)
    preview = svc.post(jid, reconcile=True, preview=True)
    assert preview.preview and preview.posting is not None and preview.posting.gl_entries
    assert _bank(store).last_statement_no == "" and _entry(store, 1).open
    result = svc.post(jid, reconcile=True)
    assert (result.statement_no, result.lines_posted, result.total_amount) == ("1", 2,
                                                                              D("962.50"))
    bank = _bank(store)
    assert (bank.last_statement_no, bank.balance_last_statement) == ("1", 96250)
    row = next(r for r in QueryService(store).bank_accounts().rows if r.no == bank.no)
    assert (row.last_statement_no, row.balance_last_statement) == ("1", D("962.50"))
    inv = _entry(store, 1)
    assert (inv.open, inv.remaining_amount) == (False, 0)
    with store.read() as s:
        pay = s.exec(select(LedgerEntry).where(LedgerEntry.document_type == "payment")).one()
        assert (pay.amount, pay.pmt_disc_given, pay.open) == (-98000, 2000, False)
        bles = s.exec(select(BankLedgerEntry)).all()
        assert {(b.open, b.statement_status, b.statement_no, b.closed_at_date)
                for b in bles} == {(False, "closed", "1", EARLY)}
        assert s.exec(select(PostedStatement)).one().reconciled
        assert s.get(ReconJournal, jid).status == "posted"  # type: ignore[union-attr]
    assert _statuses(store) == {"reconciled"}
    assert run_check(store).ok
    assert svc.open_journal("BANK1").statement_no == "2"


def test_post_payments_only_leaves_bank_entries_open(store: Store) -> None:
    svc, jid = _ready(store, closing=None)
    result = svc.post(jid, reconcile=False)
    assert not result.reconciled and result.bank_entries_closed == ()
    assert (_bank(store).last_statement_no, _bank(store).balance_last_statement) == ("", 0)
    with store.read() as s:
        assert all(b.open and b.statement_status == "open"
                   for b in s.exec(select(BankLedgerEntry)).all())
    assert _statuses(store) == {"posted"}
    assert not _entry(store, 1).open and run_check(store).ok
    # the next journal gets the next free statement no.
    assert svc.open_journal("BANK1").statement_no == "2"


def test_ending_balance_must_equal_total_balance(store: Store) -> None:
    svc, jid = _ready(store)
    with pytest.raises(PostingError, match=r"Statement Ending Balance must be equal to Total "
                       r"Balance"):
        svc.post(jid, reconcile=True, ending_balance=D("1000"))
    svc.post(jid, reconcile=True, ending_balance=D("962.50"), statement_date=date(2025, 1, 31))
    assert _bank(store).balance_last_statement == 96250


def test_unapplied_line_refused_and_nothing_written(store: Store) -> None:
    doc = invoice(store, "C001", "500", INV_DAY)
    svc, jid = auto(store, [SL("500", f"Adatum Corporation {doc}", LATE),
                            SL("42", "mystery", LATE)], closing="542")
    with pytest.raises(PostingError, match=r"The line with transaction date 2025-02-03 and "
                       r"transaction text 'mystery' is not applied. You must apply all lines."):
        svc.post(jid, reconcile=True)
    assert _entry(store, 1).open and _statuses(store) == {"in_journal"}
    assert run_check(store).ok


def test_not_fully_applied_message(store: Store) -> None:
    invoice(store, "C001", "500", INV_DAY)
    svc, jid = auto(store, [SL("600", "x", LATE)])
    line = svc.lines(jid)[0]
    svc.apply_manually(line.id, [(1, None)])
    with pytest.raises(PostingError, match=r"One or more payments are not fully applied. The "
                       r"sum of applied amounts is 500.00. It must be 600.00."):
        svc.post(jid, reconcile=False)


def test_many_to_one_differences_refused(store: Store) -> None:
    """§15.5: line 1 = 200 applied to 180, line 2 = 350 applied to 370: net 0, refused."""
    invoice(store, "C001", "180", INV_DAY)  # 1
    invoice(store, "C002", "200", INV_DAY)  # 2
    invoice(store, "C002", "170", INV_DAY)  # 3
    svc, jid = auto(store, [SL("200", "a", LATE), SL("350", "b", LATE)])
    one, two = svc.lines(jid)
    svc.remove_applications([one.id, two.id])
    svc.apply_manually(one.id, [(1, None)])
    svc.apply_manually(two.id, [(2, D("200")), (3, D("170"))])
    assert svc.journal(jid).total_difference == 0
    with pytest.raises(PostingError, match=r"has a difference of 20.00"):
        svc.post(jid, reconcile=False)


def test_all_or_nothing_when_posting_fails(store: Store) -> None:
    """A blocked customer makes the poster refuse: nothing is written, not even the
    bank entries that would have closed."""
    from core.ledger.models import Party

    doc = invoice(store, "C001", "300", INV_DAY)
    payment(store, "C002", "50", INV_DAY)  # posts a bank entry of 50 (open)
    svc, jid = auto(store, [SL("300", f"Adatum Corporation {doc}", LATE),
                            SL("50", "Trey Research PAY1", LATE)])
    assert svc.lines(jid)[1].account_type == "bank_account"
    with store.write() as s:
        party = s.get(Party, ("customer", "C001"))
        assert party is not None
        party.blocked = "all"
    with pytest.raises(PostingError, match=r"blocked"):
        svc.post(jid, reconcile=False)
    assert _entry(store, 1).open and _statuses(store) == {"in_journal"}
    with store.read() as s:
        assert all(b.open for b in s.exec(select(BankLedgerEntry)).all())
    assert svc.journal(jid).status == "open" and run_check(store).ok


def test_bank_entry_line_closes_existing_entry(store: Store) -> None:
    payment(store, "C002", "50", INV_DAY)
    svc, jid = auto(store, [SL("50", "Trey Research PAY1", LATE)], closing="50")
    line = svc.lines(jid)[0]
    assert (line.account_type, line.applications[0].entry_no) == ("bank_account", 1)
    result = svc.post(jid, reconcile=True)
    assert result.register_no is None and result.bank_entries_closed == (1,)
    with store.read() as s:
        ble = s.get(BankLedgerEntry, 1)
        assert ble is not None and (ble.open, ble.statement_no) == (False, "1")
    assert run_check(store).ok


def test_conflict_when_entry_changed_after_matching(store: Store) -> None:
    doc = invoice(store, "C001", "400", INV_DAY)
    svc, jid = auto(store, [SL("400", f"Adatum Corporation {doc}", LATE)])
    payment(store, "C001", "100", LATE, applies_to=doc, doc_no="CASH1")  # another clerk
    with pytest.raises(ConflictError, match=r"ledger entry 1 .* changed by someone else"):
        svc.post(jid, reconcile=False)
    view = svc.journal(jid)
    with pytest.raises(ConflictError, match=r"changed by someone else"):
        svc.apply_automatically(jid, version=view.version - 1)
    svc.apply_automatically(jid, version=view.version)
    line = svc.lines(jid)[0]
    assert line.applications[0].applied_amount == D("300.00")


def test_posted_journal_is_closed(store: Store) -> None:
    svc, jid = _ready(store)
    svc.post(jid, reconcile=True)
    with pytest.raises(Exception, match=r"already posted"):
        svc.post(jid, reconcile=True)
