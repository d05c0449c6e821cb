"""Post Application on posted entries: marking, the Apply Entries view, discounts,
credit memos, BC's refusals and two clerks applying the same entry at once."""

from __future__ import annotations

import multiprocessing as mp
import os
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import SQLModel, select

import core.tables  # noqa: F401
from core.application import Decisions, LateDiscountWarning
from core.application.service import ApplicationService
from core.kernel.errors import ApplicationError, BlockedError, ConflictError
from core.ledger.check import run_check
from core.ledger.models import GLEntry, LedgerEntry, Party
from core.ledger.setup import create_company
from data.engine import SqlStore, make_engine
from tests import conftest
from tests.helpers import invoice, payment, seed_basics


def _entries(store, party_no="C001"):  # type: ignore[no-untyped-def]
    with store.read() as s:
        return {e.document_no: e for e in s.exec(
            select(LedgerEntry).where(LedgerEntry.party_no == party_no)
            .order_by(LedgerEntry.entry_no)).all()}


def _pay_entry(result) -> int:  # type: ignore[no-untyped-def]
    return int(result.ledger_entries[0].entry_no)


def _gl(store, account: str) -> int:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return sum(g.amount for g in s.exec(select(GLEntry).where(
            GLEntry.gl_account_no == account)).all())


def test_payment_to_two_invoices_with_discount(store, day):
    a = invoice(store, "C001", "1000", day)
    b = invoice(store, "C001", "500", day)
    pay = _pay_entry(payment(store, "C001", "1470", day + timedelta(days=5)))
    e = _entries(store)
    service = ApplicationService(store, user="clerk")
    service.set_applies_to_id(pay, [e[a].entry_no, e[b].entry_no])
    view = service.apply_entries_view(pay)
    assert [r.marked for r in view.entries] == [True, True]
    assert view.totals.pmt_disc_amount == Decimal("-30.00")
    assert view.totals.balance == 0
    result = service.post_application(pay)
    e = _entries(store)
    assert all(not x.open and x.remaining_amount == 0 for x in e.values())
    assert e[a].closed_by_entry_no == pay and e["PAY1"].closed_at_date == day + timedelta(5)
    assert e[a].applies_to_id == "" and e[a].amount_to_apply == 0
    assert _gl(store, "6810") == 3000
    assert len(result.detailed_entries) == 6 and result.register_no == 4
    assert run_check(store).ok


def test_credit_memo_to_invoice(store, day):
    inv = invoice(store, "C001", "1000", day)
    cm = invoice(store, "C001", "300", day + timedelta(days=1), doc_type="credit_memo")
    e = _entries(store)
    ApplicationService(store).post_application(e[cm].entry_no, [e[inv].entry_no])
    e = _entries(store)
    assert (e[inv].remaining_amount, e[inv].open) == (70000, True)
    assert (e[cm].remaining_amount, e[cm].open) == (0, False)
    assert e[cm].closed_at_date == day + timedelta(days=1)  # latest posting date
    assert run_check(store).ok


def test_amount_to_apply_limits_the_application(store, day):
    inv = invoice(store, "C001", "1000", day)
    pay = _pay_entry(payment(store, "C001", "1000", day + timedelta(days=20)))
    e = _entries(store)
    service = ApplicationService(store)
    service.set_applies_to_id(pay, [e[inv].entry_no], {e[inv].entry_no: Decimal("400")})
    service.post_application(pay)
    e = _entries(store)
    assert e[inv].remaining_amount == 60000 and e["PAY1"].remaining_amount == -60000
    assert run_check(store).ok


def test_set_applies_to_id_replaces_marks_and_checks_versions(store, day):
    a = invoice(store, "C001", "1000", day)
    b = invoice(store, "C001", "500", day)
    pay = _pay_entry(payment(store, "C001", "1470", day))
    e = _entries(store)
    service = ApplicationService(store)
    service.set_applies_to_id(pay, [e[a].entry_no, e[b].entry_no])
    service.set_applies_to_id(pay, [e[b].entry_no])
    view = service.apply_entries_view(pay)
    assert {r.document_no: r.marked for r in view.entries} == {a: False, b: True}
    stale = {e[b].entry_no: e[b].version}  # read before the two markings
    with pytest.raises(ConflictError, match="changed by someone else"):
        service.set_applies_to_id(pay, [e[a].entry_no], versions=stale)
    with pytest.raises(ConflictError, match="changed by someone else"):
        service.post_application(pay, [e[b].entry_no], versions=stale)


def test_late_discount_warning_and_decision(store, day):
    inv = invoice(store, "C001", "1000", day)
    late = day + timedelta(days=13)  # after the discount date, within the 5-day grace
    pay = _pay_entry(payment(store, "C001", "980", late))
    no = _entries(store)[inv].entry_no
    service = ApplicationService(store)
    (warning,) = service.preview_warnings(pay, [no])
    assert isinstance(warning, LateDiscountWarning) and not warning.answered
    service.post_application(pay, [no], decisions=Decisions(late_discount={no: True}))
    e = _entries(store)
    assert not e[inv].open and not e["PAY1"].open
    assert run_check(store).ok


@pytest.mark.parametrize(("setup", "error", "text"), [
    ("blocked_all", BlockedError, "blocked with type All"),
    ("privacy", BlockedError, "blocked for privacy"),
    ("other_party", ApplicationError, "different parties"),
    ("same_sign", ApplicationError, "same sign"),
    ("nothing", ApplicationError, "nothing to apply"),
    ("closed", ApplicationError, "is closed"),
    ("self", ApplicationError, "itself"),
    ("early_date", ApplicationError, "must not be before"),
])
def test_post_application_refusals(store, day, setup, error, text):
    inv = invoice(store, "C001", "1000", day)
    inv2 = invoice(store, "C001", "200", day)
    other = invoice(store, "C002", "100", day)
    pay = _pay_entry(payment(store, "C001", "1000", day + timedelta(days=1)))
    e = {**_entries(store), **_entries(store, "C002")}
    targets = [e[inv].entry_no]
    posting_date = None
    if setup in ("blocked_all", "privacy"):
        with store.write() as s:
            party = s.get(Party, ("customer", "C001"))
            assert party is not None
            party.blocked = "all" if setup == "blocked_all" else ""
            party.privacy_blocked = setup == "privacy"
    elif setup == "other_party":
        targets = [e[other].entry_no]
    elif setup == "same_sign":
        pay, targets = e[inv].entry_no, [e[inv2].entry_no]
    elif setup == "nothing":
        targets = []
    elif setup == "closed":
        ApplicationService(store).post_application(pay, [e[inv].entry_no])
        pay2 = _pay_entry(payment(store, "C001", "5", day, doc_no="PAY2"))
        pay = pay2
    elif setup == "self":
        targets = [pay]
    elif setup == "early_date":
        posting_date = day - timedelta(days=1)
    with pytest.raises(error, match=text):
        ApplicationService(store).post_application(pay, targets, posting_date)
    assert run_check(store).ok


# --- two clerks at once ------------------------------------------------------------------

RESULT_OK, RESULT_CONFLICT = 0, 3


def _clerk(url: str, applying: int, target: int, version: int | None, barrier) -> None:  # type: ignore[no-untyped-def]
    store = SqlStore(make_engine(url))
    service = ApplicationService(store, user=f"clerk{applying}")
    barrier.wait(60)
    try:
        service.post_application(applying, [target],
                                 versions=None if version is None else {target: version})
    except ConflictError:
        os._exit(RESULT_CONFLICT)
    except ApplicationError:  # "is closed": lost cleanly as well
        os._exit(RESULT_CONFLICT)


def _url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'apply.db'}"
        SQLModel.metadata.create_all(make_engine(url))
        return url
    return conftest.fresh_pg_url()


@pytest.mark.parametrize("with_versions", [True, False])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_clerks_apply_the_same_invoice(backend: str, with_versions: bool,
                                           tmp_path: Path) -> None:
    url = _url(backend, tmp_path)
    store = SqlStore(make_engine(url))
    create_company(store, "Conc AG")
    seed_basics(store)
    day = date(2025, 1, 10)
    inv = invoice(store, "C001", "1000", day)
    p1 = _pay_entry(payment(store, "C001", "1000", day + timedelta(days=20), doc_no="P1"))
    p2 = _pay_entry(payment(store, "C001", "1000", day + timedelta(days=20), doc_no="P2"))
    target = _entries(store)[inv]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    version = target.version if with_versions else None
    procs = [ctx.Process(target=_clerk, args=(url, p, target.entry_no, version, barrier))
             for p in (p1, p2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    codes = sorted(p.exitcode or 0 for p in procs)
    assert codes == [RESULT_OK, RESULT_CONFLICT]
    e = _entries(store)
    assert e[inv].remaining_amount == 0 and not e[inv].open
    assert sorted([e["P1"].open, e["P2"].open]) == [False, True]
    report = run_check(store)
    assert report.ok, report
    store.engine.dispose()
