"""Property tests: whatever the entries, dates, setup and answers, an application plan
keeps the books right - money is conserved, no entry is over-applied, nothing flips
sign, tolerances stay within each entry's maximum."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from core.application import (
    AccountKind,
    ApplicationPlan,
    Decisions,
    OpenEntry,
    ToleranceSetup,
    plan_application,
)

BASE = date(2003, 1, 1)
cents = st.integers(min_value=1, max_value=500_000).map(lambda c: Decimal(c).scaleb(-2))


@st.composite
def documents(draw: st.DrawFn, no: int, party_sign: int) -> OpenEntry:
    """An invoice (or, one time in four, a credit memo) with random terms."""
    is_cm = draw(st.integers(0, 3)) == 0
    s = party_sign * (-1 if is_cm else 1)
    amount = draw(cents)
    partial = draw(st.booleans())
    remaining = amount if not partial else max(Decimal("0.01"), (amount * draw(
        st.integers(1, 99)) / 100).quantize(Decimal("0.01")))
    disc = (remaining * draw(st.integers(0, 5)) / 100).quantize(Decimal("0.01"))
    disc_day = draw(st.integers(0, 40))
    tol = min(remaining, Decimal(draw(st.integers(0, 1000))).scaleb(-2))
    ata = None
    if draw(st.integers(0, 4)) == 0:
        ata = max(Decimal("0.01"), (remaining * draw(st.integers(1, 100)) / 100).quantize(
            Decimal("0.01")))
    return OpenEntry(
        entry_no=no, party_type="customer" if party_sign > 0 else "vendor",
        document_type="credit_memo" if is_cm else "invoice", posting_date=BASE,
        remaining=remaining * s, party_no="P", document_date=BASE,
        remaining_pmt_disc_possible=disc * s,
        pmt_discount_date=BASE + timedelta(days=disc_day),
        pmt_disc_tolerance_date=BASE + timedelta(days=disc_day + draw(st.integers(0, 7))),
        max_payment_tolerance=tol * s,
        amount_to_apply=None if ata is None else ata * s,
        amount=amount * s,
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[OpenEntry, list[OpenEntry], ToleranceSetup, Decisions]:
    party_sign = draw(st.sampled_from([1, -1]))
    count = draw(st.integers(1, 5))
    docs = [draw(documents(no, party_sign)) for no in range(1, count + 1)]
    if all(e.document_type == "credit_memo" for e in docs):
        docs[0] = OpenEntry(**{**docs[0].__dict__, "document_type": "invoice",
                               "remaining": -docs[0].remaining,
                               "remaining_pmt_disc_possible": -docs[0].remaining_pmt_disc_possible,
                               "max_payment_tolerance": -docs[0].max_payment_tolerance,
                               "amount_to_apply": None, "amount": -(docs[0].amount or 0)})
    on = BASE + timedelta(days=draw(st.integers(0, 50)))
    paid = draw(cents) * -party_sign
    ata = None
    if draw(st.booleans()):
        ata = (paid * draw(st.integers(1, 100)) / 100).quantize(Decimal("0.01")) or paid
    pay = OpenEntry(99, docs[0].party_type, "payment", on, paid, party_no="P",
                    amount_to_apply=ata)
    setup = ToleranceSetup(
        payment_tolerance_warning=draw(st.booleans()),
        pmt_disc_tolerance_warning=draw(st.booleans()),
        payment_tolerance_posting=draw(st.sampled_from(list(AccountKind))),
        pmt_disc_tolerance_posting=draw(st.sampled_from(list(AccountKind))),
        tolerance_allowed=draw(st.booleans()),
    )
    late = {e.entry_no: draw(st.booleans()) for e in docs if draw(st.booleans())}
    decisions = Decisions(late, draw(st.sampled_from([None, True, False])))
    return pay, docs, setup, decisions


def _sign(x: Decimal) -> int:
    return (x > 0) - (x < 0)


def _check(plan: ApplicationPlan, pay: OpenEntry, docs: list[OpenEntry]) -> None:
    by_no = {e.entry_no: e for e in docs}
    assert sorted(ln.entry_no for ln in plan.lines) == sorted(by_no)
    used = Decimal(0)
    for ln in plan.lines:
        entry = by_no[ln.entry_no]
        # never over-applied, never the wrong way, never beyond Amount to Apply unless a
        # discount settles the entry in full
        assert _sign(ln.closed) in (0, _sign(entry.remaining))
        assert abs(ln.closed) <= abs(entry.remaining)
        settled = ln.pmt_discount or ln.pmt_disc_tolerance
        if entry.amount_to_apply is not None and not settled:
            assert abs(ln.closed) <= abs(entry.amount_to_apply)
        # conservation per entry: closed = paid + discount + late discount + tolerance
        assert ln.closed == ln.paid + ln.pmt_discount + ln.pmt_disc_tolerance + ln.pmt_tolerance
        assert abs(ln.pmt_tolerance) <= abs(entry.max_payment_tolerance)
        assert _sign(ln.paid) in (0, _sign(entry.remaining))  # no write-off beyond the debt
        if ln.pmt_tolerance:
            assert ln.is_closed
        if ln.pmt_discount or ln.pmt_disc_tolerance:
            assert ln.pmt_discount + ln.pmt_disc_tolerance == entry.remaining_pmt_disc_possible
        if ln.closed == 0:
            assert not (ln.pmt_discount or ln.pmt_disc_tolerance or ln.pmt_tolerance)
        used += ln.paid
    # money is conserved on the applying side and it never changes sign or overspends
    assert plan.applying_remaining_after == pay.remaining + used
    assert _sign(plan.applying_remaining_after) in (0, _sign(pay.remaining))
    # what went to the other side never exceeds the applying amount plus what the
    # entries of its own sign (credit memos for a payment) brought in
    own = [ln for ln in plan.lines if _sign(ln.remaining_before) == _sign(pay.remaining)]
    brought = sum((abs(ln.paid) for ln in own), Decimal(0))
    spent = sum((abs(ln.paid) for ln in plan.lines if ln not in own), Decimal(0))
    assert spent <= abs(pay.target) + brought
    # detailed entries: per entry they sum to the change of its remaining; G/L balances
    sums: dict[int, Decimal] = {}
    for dl in plan.detailed_lines():
        sums[dl.ledger_entry_no] = sums.get(dl.ledger_entry_no, Decimal(0)) + dl.amount
    assert sums.get(pay.entry_no, Decimal(0)) == used
    for ln in plan.lines:
        assert sums.get(ln.entry_no, Decimal(0)) == -ln.closed
    assert sum((g.amount for g in plan.gl_lines()), Decimal(0)) == 0
    total_adj = sum((a.amount for a in plan.adjustments), Decimal(0))
    assert sum((ln.closed for ln in plan.lines), Decimal(0)) == used + total_adj


@settings(max_examples=400, deadline=None)
@given(scenarios())
def test_plans_keep_the_books_right(
    scenario: tuple[OpenEntry, list[OpenEntry], ToleranceSetup, Decisions],
) -> None:
    pay, docs, setup, decisions = scenario
    plan = plan_application(pay, docs, max(pay.posting_date, BASE), setup, decisions)
    _check(plan, pay, docs)


def test_a_credit_memo_is_never_used_beyond_its_amount_to_apply() -> None:
    """Found by the property above: a -0.04 payment on an invoice of 0.06 (tolerance
    0.06) with a credit memo of -0.11 limited to -0.04 by its Amount to Apply, inside its
    late-discount grace period. The plan took -0.05 of the credit memo (the late
    discount's full close, then the shortfall); it takes -0.04 at most, and no discount
    on an entry it does not close."""
    def entry(no: int, kind: str, remaining: str, **more: object) -> OpenEntry:
        return OpenEntry(entry_no=no, party_type="customer", document_type=kind,
                         posting_date=BASE, remaining=Decimal(remaining), party_no="P",
                         document_no="", document_date=BASE, due_date=None,
                         amount=Decimal(remaining), **more)  # type: ignore[arg-type]

    pay = OpenEntry(entry_no=99, party_type="customer", document_type="payment",
                    posting_date=date(2003, 1, 18), remaining=Decimal("-0.04"),
                    party_no="P", document_no="")
    docs = [entry(1, "invoice", "0.06", remaining_pmt_disc_possible=Decimal("0.00"),
                  pmt_discount_date=BASE, pmt_disc_tolerance_date=BASE,
                  max_payment_tolerance=Decimal("0.06")),
            entry(2, "credit_memo", "-0.11", remaining_pmt_disc_possible=Decimal("-0.01"),
                  pmt_discount_date=date(2003, 1, 17),
                  pmt_disc_tolerance_date=date(2003, 1, 18),
                  amount_to_apply=Decimal("-0.04")),
            entry(3, "credit_memo", "-0.01")]
    setup = ToleranceSetup(payment_tolerance_warning=False, pmt_disc_tolerance_warning=False,
                           payment_tolerance_posting=AccountKind.PAYMENT_DISCOUNT,
                           pmt_disc_tolerance_posting=AccountKind.PAYMENT_DISCOUNT,
                           tolerance_allowed=True)
    plan = plan_application(pay, docs, date(2003, 1, 18), setup, Decisions())
    (memo,) = [ln for ln in plan.lines if ln.entry_no == 2]
    assert abs(memo.closed) <= Decimal("0.04")
    assert memo.pmt_disc_tolerance == 0 and memo.pmt_discount == 0
