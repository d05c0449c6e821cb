"""Review actions: Apply Manually (bounds, one account, no over-application across
lines), candidates, Accept (overpayment on account), Remove, Transfer Difference."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from core.kernel.errors import ApplicationError, ConflictError, LettrageError
from core.kernel.store import Store
from tests.helpers import invoice
from tests.recon_support import SL, auto

INV_DAY = date(2025, 1, 10)
EARLY = date(2025, 1, 15)  # within C001's 2 % discount period
LATE = date(2025, 2, 3)


def test_apply_manually_bounds_and_suggestion(store: Store) -> None:
    invoice(store, "C001", "1000", INV_DAY)  # entry 1
    svc, jid = auto(store, [SL("700", "no idea", LATE)])
    line = svc.lines(jid)[0]
    v = svc.apply_manually(line.id, [(1, None)])
    assert v.applications[0].applied_amount == D("700.00")  # AbsMin(1000, 700)
    assert (v.confidence, v.difference) == ("manual", D("0.00"))
    with pytest.raises(ApplicationError, match=r"cannot exceed 1,000\.00"):
        svc.apply_manually(line.id, [(1, D("1000.01"))])
    with pytest.raises(ApplicationError, match=r"sign"):
        svc.apply_manually(line.id, [(1, D("-5"))])
    v = svc.apply_manually(line.id, [(1, D("650"))])
    assert v.difference == D("50.00") and v.needs_review
    v = svc.apply_manually(line.id, [(1, D("0"))])
    assert v.applications == () and v.account_no is None and v.confidence == "none"


def test_discount_suggested_within_discount_period(store: Store) -> None:
    invoice(store, "C001", "1000", INV_DAY)
    svc, jid = auto(store, [SL("980", "no idea", EARLY)])
    line = svc.lines(jid)[0]
    v = svc.apply_manually(line.id, [(1, None)])
    app = v.applications[0]
    assert (app.applied_amount, app.pmt_discount, v.difference) == (D("1000.00"), D("20.00"),
                                                                    D("0.00"))
    v = svc.apply_manually(line.id, [(1, D("980"))])  # the cash amount: discount granted
    assert v.applications[0].pmt_discount == D("20.00") and v.difference == 0
    cands = svc.candidates(line.id, "customer", "C001")
    assert cands[0].applied and cands[0].remaining_incl_discount == D("980.00")


def test_one_account_per_line(store: Store) -> None:
    invoice(store, "C001", "100", INV_DAY)  # entry 1
    invoice(store, "C002", "100", INV_DAY)  # entry 2
    svc, jid = auto(store, [SL("200", "two customers", LATE)])
    line = svc.lines(jid)[0]
    svc.apply_manually(line.id, [(1, None)])
    with pytest.raises(ApplicationError, match=r"You cannot apply to Customer C002 because the "
                       r"statement line already contains an application to Customer C001"):
        svc.apply_manually(line.id, [(2, None)], replace=False)
    with pytest.raises(ApplicationError, match=r"already contains an application"):
        svc.apply_manually(line.id, [(1, None), (2, None)])


def test_no_over_application_across_lines(store: Store) -> None:
    invoice(store, "C001", "1000", INV_DAY)
    svc, jid = auto(store, [SL("600", "part one", LATE), SL("600", "part two", LATE)])
    a, b = svc.lines(jid)
    svc.remove_applications([a.id, b.id])
    svc.apply_manually(a.id, [(1, None)])
    v = svc.apply_manually(b.id, [(1, None)])
    assert v.applications[0].applied_amount == D("400.00") and v.difference == D("200.00")
    with pytest.raises(ApplicationError, match=r"cannot exceed 400.00.*other statement lines "
                       r"is 600.00"):
        svc.apply_manually(b.id, [(1, D("401"))])
    cand = svc.candidates(b.id)[0]
    assert (cand.applied_elsewhere, cand.available) == (D("600.00"), D("400.00"))


def test_accept_overpayment_goes_on_account(store: Store) -> None:
    invoice(store, "C001", "100", INV_DAY)
    svc, jid = auto(store, [SL("130", "Adatum Corporation overpaid", LATE)])
    line = svc.lines(jid)[0]
    v = svc.apply_manually(line.id, [(1, None)])
    assert v.difference == D("30.00")
    v = svc.accept([line.id])[0]
    assert (v.confidence, v.difference) == ("accepted", D("0.00"))
    assert [a.entry_no for a in v.applications] == [1, None]
    with pytest.raises(ConflictError, match=r"changed by someone else"):
        svc.remove_applications([line.id], versions={line.id: line.version})
    v = svc.remove_applications([line.id])[0]
    assert v.applications == () and v.difference == D("130.00")
    with pytest.raises(LettrageError, match=r"no application to accept"):
        svc.accept([line.id])


def test_transfer_difference_split_and_whole(store: Store) -> None:
    invoice(store, "C001", "100", INV_DAY)
    svc, jid = auto(store, [SL("130", "x", LATE), SL("-7.5", "charges", LATE)])
    line, fee = svc.lines(jid)
    svc.apply_manually(line.id, [(1, None)])
    with pytest.raises(LettrageError, match=r"You must choose an account"):
        svc.transfer_difference(line.id, "gl_account", "")
    r = svc.transfer_difference(line.id, "gl_account", "4900", "Overpayment")
    assert r.message == ("The value in the Transaction Amount field has been reduced by 30.00. "
                         "A new line with 30.00 in the Transaction Amount field has been "
                         "created.")
    assert (r.line.amount, r.line.difference) == (D("100.00"), D("0.00"))
    assert r.new_line is not None
    assert (r.new_line.amount, r.new_line.parent_line_no, r.new_line.account_no,
            r.new_line.confidence, r.new_line.text) == (D("30.00"), line.line_no, "4900",
                                                        "manual", "Overpayment")
    whole = svc.transfer_difference(fee.id, "gl_account", "6400")
    assert whole.new_line is None and whole.line.account_no == "6400"
    assert whole.line.difference == 0
    view = svc.journal(jid)
    assert (view.line_count, view.total_amount, view.total_difference) == (3, D("122.50"), 0)
