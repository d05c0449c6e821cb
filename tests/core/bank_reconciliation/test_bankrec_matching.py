"""Match Automatically (pure): BC's one-to-one algorithm and what goes beyond it."""

from __future__ import annotations

from datetime import date

import pytest

from core.bank_reconciliation.auto import match_automatically
from core.bank_reconciliation.matching import RecEntry, RecLine
from core.bank_reconciliation.subsets import exact_subsets
from core.bank_reconciliation.textkeys import check_number

D = date(2026, 3, 10)


def L(i, amount, day=D, text="", check=""):
    return RecLine(i, day, amount, description=text, check_no=check)


def E(no, amount, day=D, doc="", ext="", desc="", check=""):
    return RecEntry(no, day, amount, doc, ext, desc, check)


def pairs(result):
    return {(m.kind, m.line_ids, m.entry_nos) for m in result.matches}


@pytest.mark.parametrize("text,no", [
    ("CHQ 0001234", "1234"), ("CHEQUE N 1234", "1234"), ("Check #1234", "1234"),
    ("CHK NO. 001234 ACME", "1234"), ("cheque no 98", "98"), ("Scheck Nr. 4711", "4711"),
    ("CHEQUE N° 55", "55"), ("SEPA transfer 1234", ""), ("CHECKOUT 1234", ""),
])
def test_check_numbers_in_the_forms_banks_print(text, no):
    assert check_number(text) == no


def test_equal_amount_same_date_matches_one_to_one():
    r = match_automatically([L(1, 10000)], [E(7, 10000), E(8, 9999)])
    assert pairs(r) == {("one_to_one", (1,), (7,))}
    assert any("equals the remaining amount" in d for d in r.matches[0].details)


def test_date_outside_tolerance_is_not_a_candidate():
    r = match_automatically([L(1, 10000, date(2026, 3, 14))], [E(7, 10000)], 3)
    assert pairs(r) == set()
    r = match_automatically([L(1, 10000, date(2026, 3, 13))], [E(7, 10000)], 3,
                            amount_alone_needs_text=False)  # BC's rule
    assert pairs(r) == {("one_to_one", (1,), (7,))}


def test_different_amount_needs_a_matching_text_and_closeness():
    # 95.00 against 100.00: close (0.95) but no text -> no match
    assert pairs(match_automatically([L(1, 9500)], [E(7, 10000, doc="PMT000123")])) == set()
    r = match_automatically([L(1, 9500, text="PAYMENT PMT000123")], [E(7, 10000, doc="PMT000123")])
    assert pairs(r) == {("one_to_one", (1,), (7,))}
    # 50.00 against 100.00 is not close (ratio 0.5) even with the document named
    assert pairs(match_automatically([L(1, 5000, text="PMT000123")],
                                     [E(7, 10000, doc="PMT000123")])) == set()


def test_opposite_signs_never_match():
    assert pairs(match_automatically([L(1, -10000)], [E(7, 10000)])) == set()


def test_best_candidate_smaller_amount_difference_then_text_then_date():
    lines = [L(1, 10000, text="INV-77 ACME")]
    entries = [E(7, 10000, date(2026, 3, 9)), E(8, 10000, D, desc="ACME payment INV-77")]
    r = match_automatically(lines, entries, 2)
    assert pairs(r) == {("one_to_one", (1,), (8,))}  # the text decides between the twins
    r = match_automatically([L(1, 10000)], [E(7, 10000, date(2026, 3, 9)), E(8, 10000)], 2,
                            amount_alone_needs_text=False)  # BC's rule
    assert pairs(r) == {("one_to_one", (1,), (8,))}  # the date decides


def test_amount_alone_needs_text_beyond_bc():
    fee = [L(1, -1327, date(2026, 3, 11), "ACCOUNT FEE")]
    outstanding = [E(7, -1327, D, doc="OUT018530", desc="Not yet through the bank")]
    assert pairs(match_automatically(fee, outstanding, 3, amount_alone_needs_text=False)) \
        == {("one_to_one", (1,), (7,))}  # BC: the equal amount in the window is enough
    r = match_automatically(fee, outstanding, 3)
    assert pairs(r) == set()
    assert "Amount alone needs text" in r.notes[1] and "7" in r.notes[1]
    # even on the same day: the line's text shares nothing with the entry's
    assert pairs(match_automatically([L(1, -1327, D, "ACCOUNT FEE")], outstanding, 3)) == set()
    # related texts (the payer's name in both) keep BC's rule, a day apart
    r = match_automatically([L(1, 48150, date(2026, 3, 11), "Fabrikam SEPA transfer")],
                            [E(7, 48150, D, doc="PMT000042", desc="Fabrikam payment")], 3)
    assert pairs(r) == {("one_to_one", (1,), (7,))}
    # no text at all: only the same day's only entry of the amount within 10 days
    assert pairs(match_automatically([L(1, 10000)], [E(7, 10000)], 3)) \
        == {("one_to_one", (1,), (7,))}
    assert "the line has no text" in match_automatically(
        [L(1, 10000)], [E(7, 10000)], 3).matches[0].details[0]
    assert pairs(match_automatically([L(1, 10000, date(2026, 3, 11))], [E(7, 10000)], 3)) \
        == set()
    assert pairs(match_automatically([L(1, 10000)], [E(7, 10000), E(8, 10000, date(
        2026, 3, 18))], 3)) == set()


def test_twins_are_never_guessed():
    lines = [L(1, 10000), L(2, 10000)]
    entries = [E(7, 10000), E(8, 10000)]
    r = match_automatically(lines, entries, 0)
    assert pairs(r) == set()
    assert "same amount" in r.notes[1]
    # one line, two identical entries: still nothing
    assert pairs(match_automatically([L(1, 10000)], entries)) == set()
    # two identical lines, one entry: nothing either
    assert pairs(match_automatically(lines, [E(7, 10000)])) == set()


def test_each_entry_goes_to_its_best_line():
    lines = [L(1, 10000, date(2026, 3, 12)), L(2, 10000, D)]
    r = match_automatically(lines, [E(7, 10000, D)], 3)
    assert pairs(r) == {("one_to_one", (2,), (7,))}


def test_check_number_decides_and_allows_late_clearing():
    lines = [L(1, -25000, date(2026, 4, 20), "CHQ 0001234")]
    entries = [E(7, -25000, D, doc="PAY1", check="1234"),
               E(8, -25000, D, doc="PAY2", check="1235")]
    r = match_automatically(lines, entries, 3)
    assert pairs(r) == {("one_to_one", (1,), (7,))}
    assert any("Check number 1234" in d for d in r.matches[0].details)


def test_another_check_number_excludes_the_entry():
    r = match_automatically([L(1, -25000, D, "CHEQUE N 999")], [E(7, -25000, D, check="1234")])
    assert pairs(r) == set()


def test_deposit_slip_named_in_the_text_is_many_to_one():
    lines = [L(1, 60000, D, "DEPOSIT SLIP DS-48213")]
    entries = [E(7, 10000, date(2026, 3, 5), ext="DS-48213"),
               E(8, 20000, date(2026, 3, 6), ext="DS-48213"),
               E(9, 30000, date(2026, 3, 8), ext="DS-48213"),
               E(10, 30000, date(2026, 3, 8), ext="DS-99999")]
    r = match_automatically(lines, entries, 1)
    assert pairs(r) == {("many_to_one", (1,), (7, 8, 9))}
    assert "DS-48213" in r.matches[0].details[0]


def test_unreferenced_subset_must_be_unique():
    entries = [E(7, 1234, D), E(8, 4321, D), E(9, 999, D)]
    r = match_automatically([L(1, 5555, D)], entries, 0)
    assert pairs(r) == {("many_to_one", (1,), (7, 8))}
    # 1234 + 4321 = 5555 = 5000 + 555: two combinations -> nothing
    entries += [E(10, 5000, D), E(11, 555, D)]
    assert pairs(match_automatically([L(1, 5555, D)], entries, 0)) == set()


def test_one_entry_cleared_by_two_lines():
    lines = [L(1, 70000, D, "PART 1 TRF-20260310-55"), L(2, 30000, date(2026, 3, 11),
                                                         "PART 2 TRF-20260310-55")]
    r = match_automatically(lines, [E(7, 100000, D, doc="TRF-20260310-55")], 1)
    assert pairs(r) == {("one_to_many", (1, 2), (7,))}


def test_exact_subsets_stops_at_two_and_respects_the_budget():
    items = [(i, v) for i, v in enumerate([5, 5, 5, 5, 10])]
    assert len(exact_subsets(items, 10, 3)) == 2
    assert exact_subsets([(i, 2) for i in range(40)], 7, 7, budget=50) is None
