"""Acceptance tests of the application calculation: bc-spec §15.1, §15.2, §15.3, §15.6.

Every row is checked for customers and, mirrored (all signs flipped), for vendors.
Each plan is turned into detailed ledger entries and G/L lines by ``book`` below,
written independently of the core so the convention itself is under test: the sum of
each entry's detailed entries must equal the remaining the plan announces, and the G/L
lines must balance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from core.application import (
    AccountKind,
    AdjustmentKind,
    ApplicationPlan,
    Decisions,
    LateDiscountWarning,
    OpenEntry,
    PaymentToleranceWarning,
    ToleranceSetup,
    apply_entries_totals,
    default_amount_received,
    max_payment_tolerance,
    plan_application,
    pmt_disc_tolerance_date,
    registration_remaining,
    share_tolerance,
)
from core.kernel.errors import ApplicationError

D = Decimal
PARTIES = {"customer": 1, "vendor": -1}  # sign of an invoice for the party type


def d(month: int, day: int) -> date:
    return date(2003, month, day)


# --- helpers -----------------------------------------------------------------------------


def invoice(no: int, amount: str, disc: str, disc_date: date, tol_date: date, party: str,
            tol: str = "5", doc: str = "invoice") -> OpenEntry:
    s = PARTIES[party] * (1 if doc == "invoice" else -1)
    return OpenEntry(
        entry_no=no, party_type=party, document_type=doc, posting_date=d(1, 1),
        remaining=D(amount) * s, party_no="C1", document_no=f"D{no}", document_date=d(1, 1),
        due_date=d(1, 31), remaining_pmt_disc_possible=D(disc) * s,
        pmt_discount_date=disc_date, pmt_disc_tolerance_date=tol_date,
        max_payment_tolerance=D(tol) * s,
    )


def payment(no: int, amount: str, on: date, party: str, doc: str = "payment") -> OpenEntry:
    s = -PARTIES[party] * (1 if doc == "payment" else -1)
    return OpenEntry(no, party, doc, on, D(amount) * s, party_no="C1", document_no=f"P{no}")


@dataclass
class Books:
    """Detailed entries per ledger entry and G/L lines, built from a plan's fields."""

    detailed: dict[int, list[tuple[str, Decimal]]]
    gl: list[tuple[str, Decimal]]

    def remaining(self, entry_no: int) -> Decimal:
        return sum((amt for _, amt in self.detailed[entry_no]), D(0))

    def gl_total(self, account: str) -> Decimal:
        return sum((amt for acc, amt in self.gl if acc == account), D(0))

    def detailed_total(self, entry_no: int, entry_type: str) -> Decimal:
        return sum((a for t, a in self.detailed[entry_no] if t == entry_type), D(0))


def book(plan: ApplicationPlan, applying: OpenEntry, applied: list[OpenEntry],
         setup: ToleranceSetup) -> Books:
    """Post the plan per the lead's convention (see module docstring)."""
    det: dict[int, list[tuple[str, Decimal]]] = {
        applying.entry_no: [("initial", applying.remaining)]
    }
    for e in applied:
        det[e.entry_no] = [("initial", e.remaining)]
    gl: list[tuple[str, Decimal]] = []
    a = applying.entry_no
    for ln in plan.lines:
        if ln.closed == 0:
            assert (ln.pmt_discount, ln.pmt_disc_tolerance, ln.pmt_tolerance) == (0, 0, 0)
            continue
        det[ln.entry_no].append(("application", -ln.closed))
        for kind, amount, account in (
            ("payment_tolerance", ln.pmt_tolerance, setup.payment_tolerance_posting),
            ("payment_discount", ln.pmt_discount, AccountKind.PAYMENT_DISCOUNT),
            ("payment_discount_tolerance", ln.pmt_disc_tolerance, setup.pmt_disc_tolerance_posting),
        ):
            if amount:
                det[a].append((kind, -amount))
                gl += [(f"{kind}@{account}", amount), ("control", -amount)]
        det[a].append(("application", ln.closed))
    books = Books(det, gl)
    # The invariants every posting must keep.
    assert books.remaining(a) == plan.applying_remaining_after
    for ln in plan.lines:
        assert books.remaining(ln.entry_no) == ln.remaining_after
    assert sum((amt for _, amt in gl), D(0)) == 0
    core: dict[int, Decimal] = {}
    for line in plan.detailed_lines():
        core[line.ledger_entry_no] = core.get(line.ledger_entry_no, D(0)) + line.amount
    for no, rows in det.items():
        assert core.get(no, D(0)) == sum((amt for t, amt in rows if t != "initial"), D(0))
    assert sorted((g.account, g.amount) for g in plan.gl_lines()) == sorted(
        (acc.split("@")[-1], amt) for acc, amt in gl
    )
    return books


SETUPS = {
    # warnings off: late discounts and tolerances are accepted without asking
    "warnings_off": ToleranceSetup(
        payment_tolerance_warning=False, pmt_disc_tolerance_warning=False
    ),
    # warnings on, the clerk answers every question (answers given per row)
    "answered": ToleranceSetup(payment_tolerance_warning=True, pmt_disc_tolerance_warning=True),
    # late-discount warning on and not answered: BC's default "Do Not Accept"
    "default": ToleranceSetup(payment_tolerance_warning=False, pmt_disc_tolerance_warning=True),
}


def decisions_for(mode: str, late: dict[int, bool]) -> Decisions:
    if mode == "answered":
        return Decisions(late_discount=late, accept_tolerance=True)
    return Decisions()


# --- §15.1 Example 1: one invoice ------------------------------------------------------
# Invoice 1,000, discount 20 until 01/15, grace 5D -> tolerance date 01/20, max tol. 5.
# Columns: row, payment dates, payment, late-discount answer (A accept / B decline /
# None = not offered), all closed, leftover and where, PDT G/L, PT G/L.
# Rows 7-9 carry no letter in the docs; their values (PDT 20/-20) are those of an
# accepted late discount, so they run as A; 7B-9B are the declined counterparts,
# derived (15, 20, 25 stay on the invoice, as in rows 13-15).
# Row 3 prints "c" for the tolerance date: a typo for 01/20/03.

ON_TIME, GRACE, LATE = (d(1, 10), d(1, 15)), (d(1, 16), d(1, 20)), (d(1, 21), d(2, 15))

EXAMPLE_1 = [
    ("1", ON_TIME, "985", None, True, "0", None, "0", "-5"),
    ("2", ON_TIME, "980", None, True, "0", None, "0", "0"),
    ("3", ON_TIME, "975", None, True, "0", None, "0", "5"),
    ("4A", GRACE, "1005", True, False, "25", "payment", "20", "0"),
    ("5A", GRACE, "1000", True, False, "20", "payment", "20", "0"),
    ("6A", GRACE, "995", True, False, "15", "payment", "20", "0"),
    ("4B", GRACE, "1005", False, True, "0", None, "0", "-5"),
    ("5B", GRACE, "1000", False, True, "0", None, "0", "0"),
    ("6B", GRACE, "995", False, True, "0", None, "0", "5"),
    ("7", GRACE, "985", True, True, "0", None, "20", "-5"),
    ("8", GRACE, "980", True, True, "0", None, "20", "0"),
    ("9", GRACE, "975", True, True, "0", None, "20", "5"),
    ("7B", GRACE, "985", False, False, "15", "invoice", "0", "0"),
    ("8B", GRACE, "980", False, False, "20", "invoice", "0", "0"),
    ("9B", GRACE, "975", False, False, "25", "invoice", "0", "0"),
    ("10", LATE, "1005", None, True, "0", None, "0", "-5"),
    ("11", LATE, "1000", None, True, "0", None, "0", "0"),
    ("12", LATE, "995", None, True, "0", None, "0", "5"),
    ("13", LATE, "985", None, False, "15", "invoice", "0", "0"),
    ("14", LATE, "980", None, False, "20", "invoice", "0", "0"),
    ("15", LATE, "975", None, False, "25", "invoice", "0", "0"),
]


def _example_1_cases() -> list[Any]:
    cases = []
    for row in EXAMPLE_1:
        late = row[3]
        modes = ["warnings_off", "answered"] if late in (True, None) else ["answered", "default"]
        for on in row[1]:
            for mode in modes:
                for party in PARTIES:
                    cases.append(pytest.param(row, on, mode, party,
                                              id=f"{row[0]}-{on:%m%d}-{mode}-{party}"))
    return cases


@pytest.mark.parametrize(("row", "on", "mode", "party"), _example_1_cases())
def test_example_1_single_document(row: tuple, on: date, mode: str, party: str) -> None:
    _, _, amount, late, all_closed, leftover, where, pdt_gl, pt_gl = row
    s = PARTIES[party]
    inv = invoice(1, "1000", "20", d(1, 15), d(1, 20), party)
    pay = payment(2, amount, on, party)
    setup = SETUPS[mode]
    plan = plan_application(pay, [inv], on, setup, decisions_for(mode, {1: bool(late)}))
    books = book(plan, pay, [inv], setup)

    assert (set(plan.closed_entry_nos) == {1, 2}) is all_closed
    assert books.remaining(1) == (D(leftover) * s if where == "invoice" else 0)
    assert books.remaining(2) == (-D(leftover) * s if where == "payment" else 0)
    # PDT: G/L on the discount account, C/L (detailed entry on the payment) opposite.
    assert books.gl_total("payment_discount_tolerance@payment_discount_accounts") == D(pdt_gl) * s
    assert books.detailed_total(2, "payment_discount_tolerance") == -D(pdt_gl) * s
    assert books.gl_total("payment_tolerance@payment_tolerance_accounts") == D(pt_gl) * s
    on_time = on <= d(1, 15) and books.remaining(1) == 0
    expected_discount = D(20) * s if on_time else 0
    assert books.gl_total("payment_discount@payment_discount_accounts") == expected_discount


# --- §15.2 Example 2: two invoices -----------------------------------------------------
# Inv1 1,000, discount 60 until 01/15 (tolerance date 01/20); Inv2 1,000, discount 30
# until 01/17 (tolerance date 01/22); max tolerance 5 each. Every row closes all
# entries. Letters: A accept both late discounts, B decline both, C accept the first
# only, D accept the second only.
# Books-correct readings of the printed inconsistencies:
#  * 7A-9A print "60/60" and 25A-27A "30/30": a late discount is always a debit on the
#    discount account and a credit on the customer (as every other row prints), so the
#    C/L side is -60 / -30.
#  * 9A prints one PDT value: Inv1 60/-60 (late, accepted); Inv2's 30 is an ordinary
#    on-time discount on 01/16-01/17, so its PDT is 0/0 as in 7A and 8A.
#  * 28-30 print one value: after 01/22 nothing is discounted and the 10 difference is
#    shared 5 + 5, so each invoice gets the printed value (-5 / 0 / 5).
#  * 16D-18D are labelled D but their values (PDT 60 on Inv1, none on Inv2; 1,940 =
#    940 + 1,000 needed) are those of C; they run as C.

W1, W2, W3, W4, W5 = ((d(1, 10), d(1, 15)), (d(1, 16), d(1, 17)), (d(1, 18), d(1, 20)),
                      (d(1, 21), d(1, 22)), (d(1, 23), d(2, 28)))
LETTERS = {"A": (True, True), "B": (False, False), "C": (True, False), "D": (False, True),
           None: (False, False)}

EXAMPLE_2 = [
    ("1", W1, "1920", None, ("0", "0"), ("-5", "-5")),
    ("2", W1, "1910", None, ("0", "0"), ("0", "0")),
    ("3", W1, "1900", None, ("0", "0"), ("5", "5")),
    ("4B", W2, "1980", "B", ("0", "0"), ("-5", "-5")),
    ("5B", W2, "1970", "B", ("0", "0"), ("0", "0")),
    ("6B", W2, "1960", "B", ("0", "0"), ("5", "5")),
    ("7A", W2, "1920", "A", ("60", "0"), ("-5", "-5")),
    ("8A", W2, "1910", "A", ("60", "0"), ("0", "0")),
    ("9A", W2, "1900", "A", ("60", "0"), ("5", "5")),
    ("10B", W3, "2010", "B", ("0", "0"), ("-5", "-5")),
    ("11B", W3, "2000", "B", ("0", "0"), ("0", "0")),
    ("12B", W3, "1990", "B", ("0", "0"), ("5", "5")),
    ("13D", W3, "1980", "D", ("0", "30"), ("-5", "-5")),
    ("14D", W3, "1970", "D", ("0", "30"), ("0", "0")),
    ("15D", W3, "1960", "D", ("0", "30"), ("5", "5")),
    ("16C", W3, "1950", "C", ("60", "0"), ("-5", "-5")),
    ("17C", W3, "1940", "C", ("60", "0"), ("0", "0")),
    ("18C", W3, "1930", "C", ("60", "0"), ("5", "5")),
    ("19A", W3, "1920", "A", ("60", "30"), ("-5", "-5")),
    ("20A", W3, "1910", "A", ("60", "30"), ("0", "0")),
    ("21A", W3, "1900", "A", ("60", "30"), ("5", "5")),
    ("22B", W4, "2010", "B", ("0", "0"), ("-5", "-5")),
    ("23B", W4, "2000", "B", ("0", "0"), ("0", "0")),
    ("24B", W4, "1990", "B", ("0", "0"), ("5", "5")),
    ("25A", W4, "1980", "A", ("0", "30"), ("-5", "-5")),
    ("26A", W4, "1970", "A", ("0", "30"), ("0", "0")),
    ("27A", W4, "1960", "A", ("0", "30"), ("5", "5")),
    ("28", W5, "2010", None, ("0", "0"), ("-5", "-5")),
    ("29", W5, "2000", None, ("0", "0"), ("0", "0")),
    ("30", W5, "1990", None, ("0", "0"), ("5", "5")),
]


def _example_2_cases() -> list[Any]:
    cases = []
    for row in EXAMPLE_2:
        letter = row[3]
        modes = {"A": ["answered", "warnings_off"], "B": ["answered", "default"],
                 "C": ["answered"], "D": ["answered"]}.get(
            letter or "", ["answered", "warnings_off"])
        for on in row[1]:
            for mode in modes:
                for party in PARTIES:
                    cases.append(pytest.param(row, on, mode, party,
                                              id=f"{row[0]}-{on:%m%d}-{mode}-{party}"))
    return cases


@pytest.mark.parametrize(("row", "on", "mode", "party"), _example_2_cases())
def test_example_2_two_documents(row: tuple, on: date, mode: str, party: str) -> None:
    _, _, amount, letter, pdt, pt = row
    s = PARTIES[party]
    inv1 = invoice(1, "1000", "60", d(1, 15), d(1, 20), party)
    inv2 = invoice(2, "1000", "30", d(1, 17), d(1, 22), party)
    pay = payment(3, amount, on, party)
    setup = SETUPS[mode]
    late = dict(zip((1, 2), LETTERS[letter], strict=True))
    plan = plan_application(pay, [inv1, inv2], on, setup, decisions_for(mode, late))
    books = book(plan, pay, [inv1, inv2], setup)

    assert set(plan.closed_entry_nos) == {1, 2, 3}
    lines = {ln.entry_no: ln for ln in plan.lines}
    for no, exp_pdt, exp_pt in ((1, pdt[0], pt[0]), (2, pdt[1], pt[1])):
        assert lines[no].pmt_disc_tolerance == D(exp_pdt) * s
        assert lines[no].pmt_tolerance == D(exp_pt) * s
    assert lines[1].pmt_discount == (D(60) * s if on <= d(1, 15) else 0)
    assert lines[2].pmt_discount == (D(30) * s if on <= d(1, 17) else 0)
    assert books.detailed_total(3, "payment_discount_tolerance") == -D(pdt[0]) * s - D(pdt[1]) * s
    if mode == "answered":
        windows = ((1, d(1, 15), d(1, 20)), (2, d(1, 17), d(1, 22)))
        in_grace = {no for no, start, end in windows if start < on <= end}
        offered = {w.entry_no for w in plan.warnings if isinstance(w, LateDiscountWarning)}
        assert offered == in_grace
        has_pt = any(isinstance(w, PaymentToleranceWarning) for w in plan.warnings)
        assert has_pt is (pt != ("0", "0"))
        assert plan.pending_warnings == ()


# --- warnings and answers ----------------------------------------------------------------


def test_warnings_flow_asks_late_discount_then_tolerance() -> None:
    """The UI plans with no answers, asks, and plans again, as BC asks before posting."""
    inv = invoice(1, "1000", "20", d(1, 15), d(1, 20), "customer")
    pay = payment(2, "977", d(1, 18), "customer")
    setup = SETUPS["answered"]
    first = plan_application(pay, [inv], d(1, 18), setup)
    assert [type(w) for w in first.pending_warnings] == [LateDiscountWarning]
    late = first.pending_warnings[0]
    assert isinstance(late, LateDiscountWarning)
    assert (late.entry_no, late.pmt_discount, late.accepted) == (1, D(20), False)
    # default answer: no late discount; 977 of 1,000 is 23 short > 5, no tolerance
    assert first.lines[0].remaining_after == D(23)

    second = plan_application(pay, [inv], d(1, 18), setup, Decisions(late_discount={1: True}))
    tol = second.pending_warnings
    assert len(tol) == 1 and isinstance(tol[0], PaymentToleranceWarning)
    assert (tol[0].amount, tol[0].applied_amount, tol[0].balance) == (D(-977), D(980), D(3))
    # Tolerance declined ("Leave the Balance as Remaining Amount"): the late discount is
    # granted and the 3 stay on the invoice; the payment never turns positive.
    assert second.lines[0].remaining_after == D(3)
    assert second.applying_remaining_after == 0
    assert second.lines[0].pmt_disc_tolerance == D(20)

    final = plan_application(pay, [inv], d(1, 18), setup,
                             Decisions(late_discount={1: True}, accept_tolerance=True))
    assert final.pending_warnings == ()
    assert final.closed_entry_nos == (2, 1)
    assert (final.lines[0].pmt_disc_tolerance, final.lines[0].pmt_tolerance) == (D(20), D(3))


def test_tolerance_posting_options_choose_account_kinds() -> None:
    inv = invoice(1, "1000", "20", d(1, 15), d(1, 20), "customer")
    pay = payment(2, "975", d(1, 18), "customer")
    setup = ToleranceSetup(False, False, payment_tolerance_posting=AccountKind.PAYMENT_DISCOUNT,
                           pmt_disc_tolerance_posting=AccountKind.PAYMENT_TOLERANCE)
    plan = plan_application(pay, [inv], d(1, 18), setup)
    kinds = {(a.kind, a.account, a.amount) for a in plan.adjustments}
    assert kinds == {
        (AdjustmentKind.PAYMENT_TOLERANCE, AccountKind.PAYMENT_DISCOUNT, D(5)),
        (AdjustmentKind.PMT_DISC_TOLERANCE, AccountKind.PAYMENT_TOLERANCE, D(20)),
    }
    book(plan, pay, [inv], setup)


def test_blocked_tolerance_keeps_only_on_time_discount() -> None:
    """Block Payment Tolerance / Apply to Oldest: no tolerance, no late discount."""
    setup = ToleranceSetup(False, False, tolerance_allowed=False)
    inv = invoice(1, "1000", "20", d(1, 15), d(1, 20), "customer")
    short = plan_application(payment(2, "975", d(1, 15), "customer"), [inv], d(1, 15), setup)
    assert (short.lines[0].remaining_after, short.lines[0].pmt_discount) == (D(25), D(0))
    exact = plan_application(payment(2, "980", d(1, 15), "customer"), [inv], d(1, 15), setup)
    assert exact.lines[0].pmt_discount == D(20) and exact.lines[0].is_closed
    late = plan_application(payment(2, "980", d(1, 18), "customer"), [inv], d(1, 18), setup)
    assert (late.lines[0].remaining_after, late.warnings) == (D(20), ())


# --- credit memos, partial and multiple applications ------------------------------------


def _plain(no: int, amount: str, doc: str = "invoice", **kw: object) -> OpenEntry:
    return OpenEntry(no, "customer", doc, d(1, 1), D(amount), party_no="C1", **kw)  # type: ignore[arg-type]


def test_credit_memo_used_first_when_payment_alone_is_short() -> None:
    inv, cm = _plain(1, "1000"), _plain(2, "-120", "credit_memo")
    pay = _plain(3, "-880", "payment")
    plan = plan_application(pay, [inv, cm], d(1, 5), ToleranceSetup(False, False))
    assert [ln.entry_no for ln in plan.lines] == [2, 1]
    assert set(plan.closed_entry_nos) == {1, 2, 3}
    book(plan, pay, [inv, cm], ToleranceSetup())


def test_credit_memo_left_open_when_payment_covers() -> None:
    inv, cm = _plain(1, "1000"), _plain(2, "-100", "credit_memo")
    pay = _plain(3, "-1000", "payment")
    plan = plan_application(pay, [inv, cm], d(1, 5))
    assert set(plan.closed_entry_nos) == {1, 3}
    assert {ln.entry_no: ln.remaining_after for ln in plan.lines} == {1: 0, 2: D(-100)}


def test_large_credit_memo_covers_invoice_and_rest_stays_on_credit_memo() -> None:
    """Only what the invoice still needs is taken from the credit memo; its surplus stays
    on it, so no entry's remaining grows beyond its own amount (BC would leave the
    invoice part-paid; see plan.py)."""
    inv, cm = _plain(1, "500"), _plain(2, "-600", "credit_memo")
    pay = _plain(3, "-100", "payment")
    plan = plan_application(pay, [inv, cm], d(1, 5))
    assert set(plan.closed_entry_nos) == {3, 1}
    assert plan.applying_remaining_after == 0
    assert {ln.entry_no: ln.remaining_after for ln in plan.lines}[2] == D(-200)
    book(plan, pay, [inv, cm], ToleranceSetup())


def test_credit_memo_discount_reduces_what_is_due() -> None:
    inv = _plain(1, "1000", remaining_pmt_disc_possible=D(20), pmt_discount_date=d(1, 15))
    cm = _plain(2, "-100", "credit_memo", remaining_pmt_disc_possible=D(-2),
                pmt_discount_date=d(1, 15))
    pay = _plain(3, "-882", "payment")
    plan = plan_application(pay, [inv, cm], d(1, 10), ToleranceSetup(False, False))
    assert set(plan.closed_entry_nos) == {1, 2, 3}
    assert sum((a.amount for a in plan.adjustments), D(0)) == D(18)
    book(plan, pay, [inv, cm], ToleranceSetup())


def test_payment_runs_out_part_way() -> None:
    invs = [_plain(1, "300"), _plain(2, "300"), _plain(3, "300")]
    pay = _plain(4, "-450", "payment")
    plan = plan_application(pay, invs, d(1, 5))
    assert [ln.remaining_after for ln in plan.lines] == [0, D(150), D(300)]
    assert plan.closed_entry_nos == (4, 1)


def test_amounts_to_apply_limit_both_sides() -> None:
    inv = _plain(1, "1000", amount_to_apply=D(400))
    pay = _plain(2, "-1000", "payment", amount_to_apply=D(-700))
    plan = plan_application(pay, [inv], d(1, 5))
    assert (plan.lines[0].closed, plan.applying_remaining_after) == (D(400), D(-600))
    pay2 = _plain(2, "-1000", "payment", amount_to_apply=D(-300))
    plan2 = plan_application(pay2, [inv], d(1, 5))
    assert (plan2.lines[0].closed, plan2.applying_remaining_after) == (D(300), D(-700))


def test_partial_amount_to_apply_gets_no_tolerance() -> None:
    inv = invoice(1, "1000", "0", d(1, 15), d(1, 20), "customer")
    inv = OpenEntry(**{**inv.__dict__, "amount_to_apply": D(500)})
    plan = plan_application(payment(2, "497", d(1, 5), "customer"), [inv], d(1, 5),
                            ToleranceSetup(False, False))
    assert (plan.lines[0].closed, plan.lines[0].pmt_tolerance) == (D(497), D(0))


def test_part_payment_keeps_proportional_discount() -> None:
    inv = invoice(1, "1000", "20", d(1, 15), d(1, 20), "customer")
    plan = plan_application(payment(2, "500", d(1, 10), "customer"), [inv], d(1, 10))
    assert plan.lines[0].remaining_after == D(500)
    assert plan.lines[0].remaining_pmt_disc_possible_after == D(10)


def test_refund_and_credit_memo_take_tolerance() -> None:
    cm = invoice(1, "1000", "0", d(1, 15), d(1, 20), "customer", doc="credit_memo")
    refund = payment(2, "997", d(1, 5), "customer", doc="refund")
    plan = plan_application(refund, [cm], d(1, 5), ToleranceSetup(False, False))
    assert plan.lines[0].pmt_tolerance == D(-3) and plan.lines[0].is_closed
    book(plan, refund, [cm], ToleranceSetup())


def test_invoice_applying_to_payment_gets_no_discount() -> None:
    """BC grants discounts and tolerances only when a payment or refund applies."""
    inv = invoice(1, "1000", "20", d(1, 15), d(1, 20), "customer")
    pay = payment(2, "980", d(1, 10), "customer")
    applying_inv = OpenEntry(**{**inv.__dict__, "posting_date": d(1, 10)})
    plan = plan_application(applying_inv, [pay], d(1, 10), ToleranceSetup(False, False))
    assert plan.adjustments == () and plan.applying_remaining_after == D(20)


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("applied", "applying", "when", "message"),
    [
        ([_plain(1, "-5", "credit_memo")], _plain(9, "-10", "payment"), d(1, 5), "same sign"),
        ([_plain(1, "0")], _plain(9, "-10", "payment"), d(1, 5), "closed"),
        ([_plain(1, "10", amount_to_apply=D(11))], _plain(9, "-10", "payment"), d(1, 5),
         "larger than"),
        ([_plain(1, "10", amount_to_apply=D(-1))], _plain(9, "-10", "payment"), d(1, 5),
         "same sign as"),
        ([_plain(1, "10", amount_to_apply=D(0))], _plain(9, "-10", "payment"), d(1, 5),
         "must not be 0"),
        ([OpenEntry(1, "customer", "invoice", d(1, 1), D(10), party_no="C2")],
         _plain(9, "-10", "payment"), d(1, 5), "belongs to"),
        ([OpenEntry(1, "vendor", "invoice", d(1, 1), D(-10), party_no="C1")],
         _plain(9, "-10", "payment"), d(1, 5), "belongs to"),
        ([_plain(1, "10")], _plain(9, "-10", "payment"), date(2002, 12, 31), "posting date"),
        ([_plain(1, "10"), _plain(1, "10")], _plain(9, "-10", "payment"), d(1, 5), "twice"),
        ([_plain(9, "10")], _plain(9, "-10", "payment"), d(1, 5), "itself"),
        ([], _plain(9, "-10", "payment"), d(1, 5), "at least one"),
    ],
)
def test_refused_applications(applied: list[OpenEntry], applying: OpenEntry, when: date,
                              message: str) -> None:
    with pytest.raises(ApplicationError, match=message):
        plan_application(applying, applied, when)


# --- tolerance sharing, Apply Entries totals -------------------------------------------


def test_share_tolerance_never_passes_an_entry_cap() -> None:
    # BC would give 1000/4000 x 8 = 2 to the first and the remaining 6 (> 5) to the last.
    assert share_tolerance(D(8), [D(1000), D(3000)], [D(5), D(5)]) == [D(3), D(5)]
    assert share_tolerance(D("-0.01"), [D(1), D(1)], [D(5), D(5)]) == [D("-0.01"), D(0)]
    assert share_tolerance(D(10), [D(1), D(2), D(3)], [D(5), D(5), D(5)]) == [
        D("1.67"), D("3.33"), D(5)]
    assert share_tolerance(D(1), [D(1), D(1), D(1)], [D(5), D(5), D(5)]) == [
        D("0.34"), D("0.33"), D("0.33")]


def test_apply_entries_totals_match_the_page() -> None:
    inv = invoice(1, "1000", "20", d(1, 15), d(1, 20), "customer")
    pay = payment(2, "980", d(1, 10), "customer")
    t = apply_entries_totals(pay, [inv])
    assert (t.amount_to_apply, t.pmt_disc_amount, t.rounding, t.applied_amount,
            t.available_amount, t.balance) == (D(1000), D(-20), 0, D(980), D(-980), 0)
    late = payment(2, "980", d(1, 18), "customer")
    assert apply_entries_totals(late, [inv]).balance == D(20)
    assert apply_entries_totals(late, [inv], {1: True}).balance == 0
    short = apply_entries_totals(payment(2, "500", d(1, 10), "customer"), [inv])
    assert (short.pmt_disc_amount, short.balance) == (0, D(500))
    inv2 = _plain(3, "300")
    cm = _plain(4, "-100", "credit_memo")
    two = apply_entries_totals(pay, [cm, inv, inv2])
    assert (two.amount_to_apply, two.applied_amount, two.balance) == (D(1200), D(1180), D(200))


# --- §15.3 payment registration, §15.6 max tolerance, tolerance date ---------------------


@pytest.mark.parametrize(
    ("received", "on", "disc_date", "remaining", "credit", "partial_notice"),
    [
        ("980", d(1, 10), d(1, 15), "0", "0", False),  # case 1: discount taken
        ("980", d(1, 20), d(1, 15), "20", "0", True),  # case 2: late, part payment
        ("980", d(1, 20), d(1, 20), "0", "0", False),  # case 2 after moving the date
        ("500", d(1, 10), d(1, 15), "500", "0", False),  # case 3
        ("1010", d(1, 10), d(1, 15), "0", "30", False),  # case 4: 30 left as credit
    ],
)
def test_payment_registration(received: str, on: date, disc_date: date, remaining: str,
                              credit: str, partial_notice: bool) -> None:
    res = registration_remaining(D(1000), D(980), disc_date, on, D(received), due_date=d(1, 31))
    assert (res.remaining, res.credit_left) == (D(remaining), D(credit))
    assert any("partial payment" in n for n in res.notices) is partial_notice
    assert not any("overdue" in n for n in res.notices)


def test_payment_registration_defaults_and_overdue() -> None:
    assert default_amount_received(D(1000), D(980), d(1, 15), d(1, 10)) == D(980)
    assert default_amount_received(D(1000), D(980), d(1, 15), d(1, 16)) == D(1000)
    res = registration_remaining(D(1000), D(980), d(1, 15), d(2, 5), D(1000), due_date=d(1, 31))
    assert res.remaining == 0 and res.notices[0].startswith("The payment is overdue")


@pytest.mark.parametrize(
    ("amount", "pct", "cap", "expected"),
    [
        ("1000", "0.5", "5", "5.00"), ("2000", "0.5", "5", "5"), ("400", "0.5", "5", "2.00"),
        ("1000", "0", "5", "5"), ("1000", "1", "0", "10"), ("-1000", "1", "0", "-10"),
        ("3", "0", "5", "3"), ("1000", "0", "0", "0"), ("333.33", "1", "0", "3.33"),
        ("0.50", "1", "0", "0.01"),
    ],
)
def test_max_payment_tolerance(amount: str, pct: str, cap: str, expected: str) -> None:
    assert max_payment_tolerance(D(amount), D(pct), D(cap)) == D(expected)


def test_pmt_disc_tolerance_date() -> None:
    assert pmt_disc_tolerance_date(d(1, 15), d(1, 1), 5) == d(1, 20)
    assert pmt_disc_tolerance_date(d(1, 15), d(1, 15), 5) == d(1, 15)
    assert pmt_disc_tolerance_date(None, d(1, 1), 5) is None
    assert pmt_disc_tolerance_date(d(1, 30), None, 5) == d(2, 4)
