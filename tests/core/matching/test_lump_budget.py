"""The lump search is bounded by a count of steps, not by the clock: the same input
gives the same answer however slow the machine is (no timing is measured here; the
clock is made to run hours per call instead, which a time cap could not survive)."""

from __future__ import annotations

import random
import time
from datetime import date
from decimal import Decimal as D
from itertools import count

import pytest

from core.matching import BankLine, MatchIndex, MatchSettings, OpenEntryRef, PartyRef, match_lines
from core.matching.lump import find_subsets

DAY = date(2024, 3, 15)
IBAN = "NL91ABNA0417164300"
CUST = PartyRef("customer", "C1", "Northwind Traders BV", ibans=(IBAN,))


def _values() -> list[int]:
    rng = random.Random(7)
    return [rng.randint(10_000, 999_999) for _ in range(30)]


@pytest.fixture
def slow_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every reading of the clock is an hour after the previous one."""
    ticks = count()
    for name in ("perf_counter", "monotonic", "time", "process_time"):
        monkeypatch.setattr(time, name, lambda: next(ticks) * 3600.0)


def test_budget_decides_not_the_clock(slow_clock: None) -> None:
    values = _values()
    chosen = (3, 11, 17, 25, 28)
    target = sum(values[i] for i in chosen)
    found = find_subsets(values, target, target, 6, step_budget=100_000)
    assert found.complete and found.solutions == (chosen,)
    # No two entries reach the amount (size 2 is skipped); size 3 costs 30 + 435 sums
    # listed + 30 look-ups, size 4 435 look-ups, size 5 4,060 sums + 435 look-ups:
    # 5,425 steps find the lump, one step less stops before size 5, every time.
    for _ in range(3):
        cut = find_subsets(values, target, target, 6, step_budget=1_000)
        assert (cut.solutions, cut.complete) == ((), False)
    assert find_subsets(values, target, target, 6, step_budget=5_425) == found
    assert not find_subsets(values, target, target, 6, step_budget=5_424).complete


def _lump_line() -> tuple[MatchIndex, BankLine, tuple[int, ...]]:
    values = _values()
    entries = [OpenEntryRef(entry_no=n + 1, party_type="customer", party_no="C1",
                            document_type="Invoice", document_no=f"7100{n:02d}",
                            remaining=D(v).scaleb(-2), posting_date=date(2024, 1, 1),
                            due_date=date(2024, 2, 1 + n % 28))
               for n, v in enumerate(values)]
    chosen = (5, 12, 20)
    amount = sum((entries[i].remaining for i in chosen), D(0))
    line = BankLine(line_no=1, transaction_date=DAY, amount=amount, text="Payment March",
                    related_party_iban=IBAN)
    return MatchIndex.build(entries, (CUST,)), line, tuple(i + 1 for i in chosen)


def _outcome(settings: MatchSettings) -> tuple[object, ...]:
    index, line, _ = _lump_line()
    p = match_lines([line], index, settings=settings)[0]
    return (p.confidence, p.score, p.review_required,
            tuple(sorted(a.entry_no for a in p.applications)))


def test_apply_automatically_same_answer_on_a_slow_machine(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, chosen = _lump_line()
    quiet = _outcome(MatchSettings())
    assert quiet[0] == "high" and not quiet[2] and quiet[3] == chosen
    small = MatchSettings(lump_step_budget=100)  # stops before subsets of three
    quiet_small = _outcome(small)
    assert quiet_small[3] != chosen
    ticks = count()
    for name in ("perf_counter", "monotonic", "time", "process_time"):
        monkeypatch.setattr(time, name, lambda: next(ticks) * 3600.0)
    assert _outcome(MatchSettings()) == quiet
    assert _outcome(small) == quiet_small
