"""Bank account reconciliation service: import, match, post, undo; BC's §15.5 cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from core.application.journal import JournalLineInput, JournalService
from core.bank_reconciliation.models import BankRec, BankRecLine, BankStatement, CheckLedgerEntry
from core.bank_reconciliation.store import BankRecError
from core.kernel.errors import LettrageError
from core.ledger.bank_statements import BankStatementLine
from core.ledger.check import run_check
from core.ledger.models import BankAccount
from tests.core.bank_reconciliation.bankrec_support import BANK, Kit
from tests.statement_samples import OTHER_IBAN, Tx, camt, write

AUG = date(2026, 8, 31)


@pytest.fixture
def kit(store) -> Kit:  # type: ignore[no-untyped-def]
    return Kit(store)


def _rows(store, model):  # type: ignore[no-untyped-def]
    with store.read() as s:
        return list(s.exec(select(model)))


def test_import_match_post_closes_entries_and_keeps_the_statement(kit: Kit, tmp_path: Path):
    a = kit.entry("500.00", date(2026, 8, 3), "DEP-1001")
    b = kit.entry("-120.00", date(2026, 8, 4), "PAY-77", desc="Office rent")
    c = kit.entry("75.00", date(2026, 8, 5), "DEP-1002")  # stays outstanding
    f = write(tmp_path, "aug.xml", camt([
        Tx("500.00", "2026-08-03", "R1", text="Deposit DEP-1001"),
        Tx("-120.00", "2026-08-05", "R2", text="Rent August PAY-77"),
        Tx("-4.50", "2026-08-31", "R3", text="Account fee")],
        opening="0.00", start="2026-08-01", end="2026-08-31"))
    rec, message = kit.rec.import_statement(f, BANK)
    assert "Imported 3 new line(s)" in message
    assert rec.statement_no == "1" and rec.statement_date == date(2026, 8, 31)
    assert rec.statement_ending_balance == Decimal("375.50")
    summary = kit.rec.match_auto(rec.id, tolerance_days=2)
    assert summary.matched_lines == 2
    lines = kit.rec.lines(rec.id)
    assert [ln.match for ln in lines] == ["one_to_one", "one_to_one", "none"]
    assert lines[0].matched_entries[0].entry_no == a
    assert lines[1].as_json()["matched_entries"] == [
        {"entry_no": b, "document_no": "PAY-77", "amount": "-120.00"}]
    assert any("PAY-77" in d for d in lines[1].details)
    kit.assert_books_ok()
    # the fee has no entry: transfer it to the general journal
    draft = kit.transfer.draft(rec.id, lines[2].id)
    assert draft.amount == Decimal("-4.50") and draft.bal_gl_account_no == "6400"
    kit.transfer.post(rec.id, lines[2].id, draft.bal_gl_account_no)
    assert kit.rec.rec(rec.id).total_difference == 0
    kit.assert_books_ok()
    result = kit.posting.post(rec.id)
    assert len(result.closed_entries) == 3
    assert not kit.bank_entry(a).open and kit.bank_entry(a).statement_status == "closed"
    assert kit.bank_entry(a).closed_at_date == date(2026, 8, 31)
    assert kit.bank_entry(c).open
    with kit.store.read() as s:
        bank = s.get(BankAccount, BANK)
        assert bank.last_statement_no == "1" and bank.balance_last_statement == 37550
        assert {ln.status for ln in s.exec(select(BankStatementLine))} == {"reconciled"}
    assert _rows(kit.store, BankRec) == []
    assert [st.statement_no for st in kit.posting.statements(BANK)] == ["1"]
    kit.assert_books_ok()


def test_statement_of_another_account_or_currency_is_refused(kit: Kit, tmp_path: Path):
    other = write(tmp_path, "o.xml", camt([Tx("1.00", "2026-08-03", "X1")], iban=OTHER_IBAN))
    with pytest.raises(LettrageError, match="not bank account BANK1"):
        kit.rec.import_statement(other, BANK)
    usd = write(tmp_path, "u.xml", camt([Tx("1.00", "2026-08-03", "X2")], currency="USD"))
    with pytest.raises(LettrageError, match="is in USD but bank account BANK1 is in EUR"):
        kit.rec.import_statement(usd, BANK)
    assert _rows(kit.store, BankRec) == [] and _rows(kit.store, BankStatementLine) == []


def test_ending_balance_that_does_not_fit_is_refused_and_nothing_written(kit, tmp_path):
    f = write(tmp_path, "a.xml", camt([Tx("10.00", "2026-08-03", "X1")], opening="0.00"))
    with pytest.raises(BankRecError, match=r"ending balance 99.00 \(given\) does not fit"):
        kit.rec.import_statement(f, BANK, ending_balance=Decimal("99.00"))
    bad = write(tmp_path, "b.xml", camt([Tx("10.00", "2026-08-03", "X1")], opening="0.00",
                                        closing="12.00"))
    with pytest.raises(BankRecError, match=r"\(of the file\) does not fit"):
        kit.rec.import_statement(bad, BANK)
    assert _rows(kit.store, BankRec) == [] and _rows(kit.store, BankStatementLine) == []


def test_many_to_one_with_compensating_differences_is_refused(kit: Kit):
    """§15.5: line 200 = entries 180 (diff 20), line 350 = entries 370 (diff -20)."""
    day = date(2026, 3, 10)
    e = [kit.entry(a, day, f"D{i}") for i, a in enumerate(["100", "80", "170", "200"])]
    rec = kit.rec.create(BANK, day, Decimal("550"))
    kit.rec.suggest_lines(BANK, day, day, rec_id=rec.id)
    for ln in kit.rec.lines(rec.id):
        kit.rec.remove_match(rec.id, [ln.id])
    rec_id = rec.id
    # replace the suggested lines by the bank's two lines
    with kit.store.write() as s:
        rows = list(s.exec(select(BankRecLine).where(BankRecLine.rec_id == rec_id)))
        rows[0].amount, rows[0].difference = 20000, 20000
        rows[1].amount, rows[1].difference = 35000, 35000
        for r in rows[2:]:
            s.delete(r)
    lines = kit.rec.lines(rec_id)
    kit.rec.match_manual(rec_id, [lines[0].id], e[:2])
    kit.rec.match_manual(rec_id, [lines[1].id], e[2:])
    view = kit.rec.rec(rec_id)
    assert view.total_difference == 0
    with pytest.raises(BankRecError, match=r"Difference must be equal to 0 in Bank Acc. "
                       r"Reconciliation Line: Statement No.=1, Statement Line No.=10. "
                       r"Current value is '20.00'"):
        kit.posting.post(rec_id)
    assert kit.bank_entry(e[0]).open
    kit.assert_books_ok()


def test_posting_checks_in_bcs_words(kit: Kit):
    day = date(2026, 3, 10)
    kit.entry("100", day, "D1")
    rec = kit.rec.create(BANK, None, Decimal("100"))
    kit.rec.suggest_lines(BANK, day, day, rec_id=rec.id)
    with pytest.raises(BankRecError, match="Statement Date must have a value"):
        kit.posting.post(rec.id)
    kit.rec.set_header(rec.id, statement_date=day, ending_balance=Decimal("90"))
    with pytest.raises(BankRecError, match="Statement Ending Balance must be equal to Total "
                       "Balance"):
        kit.posting.post(rec.id)
    kit.rec.set_header(rec.id, ending_balance=Decimal("100"))
    line = kit.rec.lines(rec.id)[0]
    kit.rec.remove_match(rec.id, [line.id])
    with pytest.raises(BankRecError, match=r"The total difference is 100.00. It must be 0.00."):
        kit.posting.post(rec.id)
    assert _rows(kit.store, BankStatement) == []


def test_outstanding_a_b_c_across_two_months(kit: Kit):
    """§15.5: August A, B, C; the August statement matches A; September reconciles B;
    the August report still shows B and C outstanding."""
    a = kit.entry("100", date(2026, 8, 10), "A-1")
    b = kit.entry("200", date(2026, 8, 20), "B-2")
    c = kit.entry("300", date(2026, 8, 25), "C-3")
    aug = kit.rec.create(BANK, AUG, Decimal("100"))
    kit.rec.suggest_lines(BANK, date(2026, 8, 10), date(2026, 8, 10), rec_id=aug.id)
    kit.posting.post(aug.id)
    out = kit.posting.outstanding(BANK, AUG)
    assert [i.entry_no for i in out.transactions] == [b, c]
    sep = kit.rec.create(BANK, date(2026, 9, 30), Decimal("300"))
    kit.rec.suggest_lines(BANK, date(2026, 8, 20), date(2026, 8, 20), rec_id=sep.id)
    kit.posting.post(sep.id)
    assert [i.entry_no for i in kit.posting.outstanding(BANK, AUG).transactions] == [b, c]
    assert [i.entry_no for i in kit.posting.outstanding(BANK, date(2026, 9, 30)).transactions
            ] == [c]
    assert not kit.bank_entry(a).open
    kit.assert_books_ok()


def test_undo_and_change_statement_no(kit: Kit):
    """§15.5: statement 100 undone -> the new reconciliation gets 101; Change Statement
    No. -> 100; after posting, Last Statement No. is 100 and the next gets 101."""
    with kit.store.write() as s:
        s.get(BankAccount, BANK).last_statement_no = "99"
    e = kit.entry("100", date(2026, 3, 5), "M-1")
    rec = kit.rec.create(BANK, date(2026, 3, 31), Decimal("100"))
    assert rec.statement_no == "100"
    kit.rec.suggest_lines(BANK, None, None, rec_id=rec.id)
    kit.posting.post(rec.id)
    new_id = kit.posting.undo(BANK, "100")
    new = kit.rec.rec(new_id)
    assert new.statement_no == "101" and new.matched_count == 1
    assert kit.bank_entry(e).open and kit.bank_entry(e).statement_status == "applied"
    with kit.store.read() as s:
        assert s.get(BankAccount, BANK).balance_last_statement == 0
    kit.assert_books_ok()
    with pytest.raises(BankRecError, match=r"Statement no\. 101"):
        other = kit.rec.create(BANK)
        kit.rec.change_statement_no(other.id, "101")
    kit.rec.delete(other.id)
    kit.rec.change_statement_no(new_id, "100")
    kit.posting.post(new_id)
    with kit.store.read() as s:
        bank = s.get(BankAccount, BANK)
        assert bank.last_statement_no == "100" and bank.balance_last_statement == 10000
    assert kit.rec.create(BANK).statement_no == "101"
    kit.assert_books_ok()


def test_undo_refuses_all_but_the_latest_statement(kit: Kit):
    for month, amount in ((3, "10"), (4, "20")):
        kit.entry(amount, date(2026, month, 5), f"E{month}")
        r = kit.rec.create(BANK, date(2026, month, 28))
        kit.rec.suggest_lines(BANK, date(2026, month, 1), date(2026, month, 28), rec_id=r.id)
        kit.rec.set_header(r.id, ending_balance=kit.rec.rec(r.id).total_balance)
        kit.posting.post(r.id)
    with pytest.raises(BankRecError, match="statement 2 was posted after it"):
        kit.posting.undo(BANK, "1")


def test_manual_many_to_many_and_entries_of_another_reconciliation(kit: Kit):
    day = date(2026, 5, 4)
    e1, e2 = kit.entry("10", day, "X1"), kit.entry("20", day, "X2")
    r1 = kit.rec.create(BANK, day)
    kit.rec.suggest_lines(BANK, day, day, rec_id=r1.id)
    l1, l2 = kit.rec.lines(r1.id)
    kit.rec.remove_match(r1.id, [l1.id, l2.id])
    with pytest.raises(BankRecError, match="Many-to-many matches are not supported"):
        kit.rec.match_manual(r1.id, [l1.id, l2.id], [e1, e2])
    kit.rec.match_manual(r1.id, [l1.id, l2.id], [e1])  # two lines, one entry: allowed
    line = kit.rec.lines(r1.id)[1]
    assert line.match == "manual" and line.difference == Decimal("20")  # 10 + 20 vs 10
    r2 = kit.rec.create(BANK, day)
    kit.rec.suggest_lines(BANK, day, day, rec_id=r2.id)  # only e2 is free
    l3 = kit.rec.lines(r2.id)[0]
    assert l3.matched_entries[0].entry_no == e2
    with pytest.raises(BankRecError, match="matched on statement 1, another open "
                       "reconciliation"):
        kit.rec.match_manual(r2.id, [l3.id], [e1])
    entries = {v.entry_no: v for v in kit.rec.entries(r2.id)}
    assert entries[e1].matched_elsewhere == "1" and entries[e2].matched_here
    kit.rec.delete(r2.id)
    with pytest.raises(BankRecError, match="already matched with line 10"):
        kit.rec.match_manual(r1.id, [l2.id], [e1])  # e1 belongs to lines 10 and 20 already
    kit.rec.match_manual(r1.id, [l2.id], [e2])  # line 20 leaves the group for e2
    assert [ln.match for ln in kit.rec.lines(r1.id)] == ["none", "manual"]
    kit.assert_books_ok()


def test_statement_date_drops_later_matches(kit: Kit):
    kit.entry("10", date(2026, 5, 4), "X1")
    late = kit.entry("20", date(2026, 5, 20), "X2")
    r = kit.rec.create(BANK, date(2026, 5, 31))
    kit.rec.suggest_lines(BANK, None, None, rec_id=r.id)
    assert kit.rec.rec(r.id).matched_count == 2
    kit.rec.set_header(r.id, statement_date=date(2026, 5, 10))
    assert kit.rec.rec(r.id).matched_count == 1
    assert kit.bank_entry(late).statement_status == "open"
    assert late not in {v.entry_no for v in kit.rec.entries(r.id)}


def test_check_payment_writes_a_check_entry_and_reconciling_closes_it(kit: Kit, tmp_path):
    day = date(2026, 6, 1)
    kit.entry("1000", day, "OPEN")
    pay = kit.entry("-250.00", day, "1234", method="check", bal=("vendor", "V001"))
    cheques = kit.checks.checks(BANK)
    assert [(c.check_no, c.amount, c.bank_entry_no) for c in cheques] == [
        ("1234", Decimal("250.00"), pay)]
    f = write(tmp_path, "jun.xml", camt([Tx("1000.00", "2026-06-01", "J1", text="OPEN"),
                                         Tx("-250.00", "2026-07-02", "J2",
                                            text="CHQ 0001234")],
                                        opening="0.00", start="2026-06-01", end="2026-07-02"))
    rec, _msg = kit.rec.import_statement(f, BANK)
    kit.rec.match_auto(rec.id, tolerance_days=0)
    lines = kit.rec.lines(rec.id)
    assert lines[1].matched_entries[0].entry_no == pay
    assert any("Check number 1234" in d for d in lines[1].details)
    kit.posting.post(rec.id)
    c = kit.checks.checks(BANK)[0]
    assert not c.open and c.statement_status == "closed" and c.status == "posted"
    kit.assert_books_ok()


def test_void_check_financially_and_not(kit: Kit):
    day = date(2026, 6, 1)
    kit.entry("-90.00", day, "555", method="check", bal=("vendor", "V001"))
    kit.entry("-40.00", day, "556", method="check", bal=("gl_account", "6900"))
    first, second = kit.checks.checks(BANK)
    voided = kit.checks.void(first.entry_no, financially=True, void_date=date(2026, 6, 3))
    assert voided.status == "financially_voided" and not voided.open
    assert not kit.bank_entry(first.bank_entry_no).open
    kit.checks.void(second.entry_no, financially=False)
    assert kit.bank_entry(second.bank_entry_no).open
    with pytest.raises(BankRecError, match="cannot be voided"):
        kit.checks.void(first.entry_no, financially=True)
    with kit.store.read() as s:
        assert len(list(s.exec(select(CheckLedgerEntry)))) == 2
    kit.assert_books_ok()


def test_check_line_with_wrong_sign_is_refused(kit: Kit):
    with pytest.raises(LettrageError, match="a check pays money out"):
        kit.entry("90.00", date(2026, 6, 1), "557", method="check")
    assert kit.checks.checks(BANK) == []


def test_payment_journal_check_line_writes_its_check_entry(kit: Kit):
    journal = JournalService(kit.store, user="clerk")
    batch = journal.create_batch("payment", "CHECKS", bal_account_type="bank_account",
                                 bal_account_no=BANK)
    journal.add_line(batch.id, JournalLineInput(
        posting_date=date(2026, 6, 2), account_type="vendor", account_no="V001",
        amount=Decimal("75.00"), document_no="2001", payment_method="check"))
    journal.post_batch(batch.id)
    (cheque,) = kit.checks.checks(BANK)
    assert (cheque.check_no, cheque.amount, cheque.status) == ("2001", Decimal("75.00"),
                                                               "posted")
    assert kit.bank_entry(cheque.bank_entry_no).amount == -7500
    kit.assert_books_ok()


def test_check_names_a_broken_bank_reconciliation_invariant(kit: Kit):
    day = date(2026, 6, 1)
    kit.entry("-30.00", day, "3001", method="check")
    e = kit.entry("10", day, "X1")
    rec = kit.rec.create(BANK, day)
    kit.rec.suggest_lines(BANK, day, day, rec_id=rec.id)
    kit.assert_books_ok()
    with kit.store.write() as s:  # what a bug could do: amounts that no longer agree
        s.exec(select(CheckLedgerEntry)).one().amount = 2999
        from_db = s.exec(select(BankRecLine).where(BankRecLine.suggested_entry_no == e)).one()
        from_db.applied_amount = 1
    failed = {r.name for r in run_check(kit.store).results if not r.ok}
    assert failed == {"each check entry has its bank entry (same bank, same amount)",
                      "each reconciliation line: amount = applied + difference"}
