"""The demo company and its sample statements stay in step."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import SQLModel, select

import core.tables  # noqa: F401
from core.kernel.money import from_minor
from core.ledger.check import run_check
from core.ledger.models import BankAccount, LedgerEntry
from core.statements import parse_file
from data.demo import build_demo
from data.demo_story import STATEMENT_100_BALANCE, story_invoices
from data.engine import SqlStore, make_engine
from data.make_samples import SAMPLES, render


def test_committed_samples_are_what_the_generator_writes() -> None:
    for name, text in render().items():
        assert (SAMPLES / name).read_bytes() == text.encode("utf-8"), name


def test_samples_parse_and_chain_balances() -> None:
    first = parse_file(SAMPLES / "statement-101.camt053.xml").statements[0]
    second = parse_file(SAMPLES / "statement-102.mt940.sta").statements[0]
    assert first.opening_balance == STATEMENT_100_BALANCE
    assert first.closing_balance == second.opening_balance
    assert second.closing_balance == second.opening_balance + sum(
        (ln.amount for ln in second.lines), Decimal(0))


def test_demo_holds_the_story_invoices_open_and_balances() -> None:
    engine = make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    store = SqlStore(engine)
    build_demo(store, "small", 7)
    assert run_check(store).ok
    with store.read() as s:
        for inv in story_invoices():
            entry = s.exec(select(LedgerEntry).where(
                LedgerEntry.document_no == inv.document_no)).one()
            assert entry.open and from_minor(entry.remaining_amount) == inv.amount
        bank = s.get(BankAccount, "BANK1")
        assert bank is not None and bank.last_statement_no == "100"
        assert from_minor(bank.balance_last_statement) == STATEMENT_100_BALANCE
