"""Create Reminders / Suggest lines as pure functions (bc-spec §9.2, §9.3, §15.6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from core.collections.calc import FeeRow, Movement, Rate
from core.collections.suggest import (
    NOT_DUE,
    ON_HOLD,
    OVERDUE,
    ChargeTerms,
    History,
    Level,
    NoProposal,
    OpenEntry,
    Options,
    Proposal,
    Terms,
    suggest_finance_charge,
    suggest_reminder,
)
from core.kernel.errors import LettrageError

DUE = date(2025, 1, 31)
TERMS = Terms("T", (Level(1, "5D", "14D", D("10")), Level(2, "7D", "14D", D("20")),
                    Level(3, "7D", "14D", D("40"), calculate_interest=True)))
CHARGE = ChargeTerms("FC", (Rate(date.min, D("1.5"), 30),))


def inv(no: int = 1, remaining: str = "1000", due: date = DUE, **kw: object) -> OpenEntry:
    values: dict[str, object] = {
        "entry_no": no, "document_type": "invoice", "document_no": f"SI{no}",
        "document_date": date(2025, 1, 1), "posting_date": date(2025, 1, 1), "due_date": due,
        "amount": D(remaining), "remaining": D(remaining)}
    values.update(kw)
    return OpenEntry(**values)  # type: ignore[arg-type]


def opts(d: date, **kw: bool) -> Options:
    return Options(document_date=d, posting_date=d, **kw)


@pytest.mark.parametrize(("doc_date", "reminded"), [
    (date(2025, 2, 5), False),  # grace 5D: 01-31 + 5D = 02-05, not < 02-05
    (date(2025, 2, 6), True),
])
def test_grace_rule(doc_date: date, reminded: bool) -> None:
    result = suggest_reminder([inv()], TERMS, opts(doc_date), History())
    assert isinstance(result, Proposal) is reminded


def test_sections_and_header() -> None:
    entries = [inv(1), inv(2, due=date(2025, 3, 1)), inv(3, on_hold="DSP"),
               inv(4, "-100", document_type="payment")]
    result = suggest_reminder(entries, TERMS, opts(date(2025, 2, 10)), History())
    assert isinstance(result, Proposal)
    sections = {ln.entry.entry_no: ln.section for ln in result.lines}
    assert sections == {1: OVERDUE, 2: NOT_DUE, 4: OVERDUE}  # on hold left out
    assert result.remaining == D("900")  # the payment offsets the overdue invoice
    assert (result.level, result.due_date, result.additional_fee) == (1, date(2025, 2, 24),
                                                                      D("10.00"))
    with_hold = suggest_reminder(entries, TERMS, opts(date(2025, 2, 10), include_on_hold=True,
                                                      only_overdue=True), History())
    assert isinstance(with_hold, Proposal)
    assert {ln.entry.entry_no: ln.section for ln in with_hold.lines} == {
        1: OVERDUE, 3: ON_HOLD, 4: OVERDUE}
    assert with_hold.interest == 0


@pytest.mark.parametrize(("entries", "kw", "reason"), [
    ([inv(1, on_hold="X")], {}, "no entry is overdue"),
    ([inv(1, "50")], {"minimum": D("100")}, "below the minimum"),
    ([inv(1), inv(2, "-1000", document_type="payment")], {}, "covered by open payments"),
    ([inv(1)], {"blocked": "all"}, "blocked for all"),
    ([inv(1, due=date(2025, 3, 1))], {}, "no entry is overdue"),
])
def test_no_reminder(entries: list[OpenEntry], kw: dict[str, object], reason: str) -> None:
    terms = Terms("T", TERMS.levels, minimum_amount=kw.get("minimum", D(0)))  # type: ignore[arg-type]
    result = suggest_reminder(entries, terms, opts(date(2025, 2, 10)), History(),
                              blocked=str(kw.get("blocked", "")))
    assert isinstance(result, NoProposal) and reason in result.reason


def test_blocked_invoice_is_still_reminded() -> None:
    result = suggest_reminder([inv()], TERMS, opts(date(2025, 2, 10)), History(),
                              blocked="invoice")
    assert isinstance(result, Proposal)


def test_terms_without_levels() -> None:
    with pytest.raises(LettrageError, match="have no levels"):
        suggest_reminder([inv()], Terms("EMPTY", ()), opts(date(2025, 2, 10)), History())


def test_negative_rate_is_refused() -> None:
    with pytest.raises(LettrageError, match="between 0 and 100"):
        ChargeTerms("BAD", (Rate(date.min, D("-1"), 30),))


def test_level_escalation_over_three_runs() -> None:
    """Run 1 at level 1; the level's due date (14D) plus the next grace (7D) decides
    when run 2 reminds at level 2; level 3 calculates interest; max reminders stops."""
    history = History()
    entry = inv()
    runs = [(date(2025, 2, 10), 1, D("10.00")), (date(2025, 3, 4), 2, D("20.00")),
            (date(2025, 3, 26), 3, D("40.00"))]
    for doc_date, level, fee in runs:
        too_early = suggest_reminder([entry], TERMS, opts(doc_date.replace(day=doc_date.day - 1)
                                                          if level > 1 else date(2025, 2, 5)),
                                     history, charge_terms=CHARGE)
        assert isinstance(too_early, NoProposal)
        result = suggest_reminder([entry], TERMS, opts(doc_date), history, charge_terms=CHARGE)
        assert isinstance(result, Proposal)
        assert (result.level, result.additional_fee) == (level, fee)
        assert (result.interest > 0) == (level == 3)
        history.reminder_due[(entry.entry_no, level)] = result.due_date
        entry = inv(last_level=level)
    limited = Terms("T", TERMS.levels, max_reminders=3)
    assert isinstance(suggest_reminder([entry], limited, opts(date(2025, 6, 1)), history),
                      NoProposal)
    beyond = suggest_reminder([entry], TERMS, opts(date(2025, 6, 1)), history)
    assert isinstance(beyond, Proposal) and beyond.level == 3
    assert beyond.lines[0].level == 4  # the entry's 4th reminder
    assert beyond.additional_fee == D("40.00")  # the highest level's conditions


def test_dynamic_fee_levels() -> None:
    rows = (FeeRow(D("1000"), D("10"), D("1"), max_fee=D("50")), FeeRow(D("0"), D("5")))
    for kind, fee in (("single_dynamic", D("35.00")), ("accumulated_dynamic", D("30.00"))):
        terms = Terms("T", (Level(1, fee_type=kind, fee_rows=rows,
                                  add_fee_per_line=D("2")),))
        result = suggest_reminder([inv(1, "2000"), inv(2, "500")], terms,
                                  opts(date(2025, 2, 10)), History())
        assert isinstance(result, Proposal)
        assert result.additional_fee == fee
    fixed = Terms("T", (Level(1, add_fee_per_line=D("2")),))
    result = suggest_reminder([inv(1, "2000"), inv(2, "500")], fixed, opts(date(2025, 2, 10)),
                              History())
    assert isinstance(result, Proposal) and result.line_fees == D("4.00")


def test_reminder_interest_needs_level_and_customer_terms() -> None:
    level = (Level(1, calculate_interest=True),)
    with_terms = suggest_reminder([inv()], Terms("T", level), opts(date(2025, 3, 2)),
                                  History(), charge_terms=CHARGE)
    without = suggest_reminder([inv()], Terms("T", level), opts(date(2025, 3, 2)), History())
    assert isinstance(with_terms, Proposal) and with_terms.interest == D("15.00")
    assert isinstance(without, Proposal) and without.interest == 0


@pytest.mark.parametrize(("method", "expected"), [
    ("average_daily_balance", D("12.00")), ("balance_due", D("9.00"))])
def test_finance_charge_partial_payment(method: str, expected: D) -> None:
    terms = ChargeTerms("FC", (Rate(date.min, D("1.5"), 30),), method=method)
    entry = inv(1, "600", amount=D("1000"))
    moves = {1: [Movement("initial", date(2025, 1, 1), D("1000")),
                 Movement("application", date(2025, 2, 15), D("-400"))]}
    result = suggest_finance_charge([entry], terms, opts(date(2025, 3, 2)), History(),
                                    movements=moves)
    assert not isinstance(result, NoProposal)
    assert result.interest == expected


@pytest.mark.parametrize(("interest_on", "charged"), [
    ("open", {1}), ("closed", {2}), ("all", {1, 2})])
def test_finance_charge_open_closed_all(interest_on: str, charged: set[int]) -> None:
    terms = ChargeTerms("FC", CHARGE.rates, interest_on=interest_on)
    closed = inv(2, "0", amount=D("1000"), open=False, closed_at=date(2025, 2, 15))
    moves = {2: [Movement("initial", date(2025, 1, 1), D("1000")),
                 Movement("application", date(2025, 2, 15), D("-1000"))]}
    result = suggest_finance_charge([inv(1), closed, inv(3, on_hold="X")], terms,
                                    opts(date(2025, 3, 2)), History(), movements=moves)
    assert not isinstance(result, NoProposal)
    assert {ln.entry.entry_no for ln in result.lines} == charged


def test_finance_charge_minimum_fee_and_blocked() -> None:
    small = ChargeTerms("FC", CHARGE.rates, minimum_amount=D("20"))
    assert isinstance(suggest_finance_charge([inv()], small, opts(date(2025, 3, 2)),
                                             History()), NoProposal)
    with_fee = ChargeTerms("FC", CHARGE.rates, minimum_amount=D("20"), additional_fee=D("40"))
    result = suggest_finance_charge([inv()], with_fee, opts(date(2025, 3, 2)), History())
    assert not isinstance(result, NoProposal) and result.total == D("55.00")
    assert isinstance(suggest_finance_charge([inv()], CHARGE, opts(date(2025, 3, 2)),
                                             History(), blocked="all"), NoProposal)
    grace = ChargeTerms("FC", CHARGE.rates, grace_period="5D")
    assert isinstance(suggest_finance_charge([inv()], grace, opts(date(2025, 2, 5)),
                                             History()), NoProposal)
