"""Apply Automatically through the service: BC worked cases M1-M9 (bc-spec §15.4) end to
end from staged statement lines, manual/accepted lines kept on re-run, text mappings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from core.kernel.store import Store
from core.ledger.models import BankAccount
from core.reconciliation.service import ReconciliationService
from core.reconciliation.setup import MatchingSetupService
from tests.helpers import invoice
from tests.recon_support import SL, auto, stage

INV_DAY = date(2025, 1, 10)
LATE = date(2025, 2, 3)  # after the 2 % discount date (+ grace): full amounts match


def one(svc: ReconciliationService, journal_id: int, n: int = 0):  # type: ignore[no-untyped-def]
    return svc.lines(journal_id)[n]


def test_m1_high_p4(store: Store) -> None:
    doc = invoice(store, "C001", "1000", INV_DAY)
    svc, jid = auto(store, [SL("1000", f"Payment from Adatum Corporation inv {doc}", LATE)])
    v = one(svc, jid)
    assert (v.confidence, v.score, v.review_required) == ("high", 3996, False)
    assert (v.account_type, v.account_no, v.difference) == ("customer", "C001", D("0.00"))
    assert [(a.document_no, a.applied_amount) for a in v.applications] == [(doc, D("1000.00"))]
    assert any("unique" in d for d in v.details)


def test_m2_medium_absmin_then_m3_tolerance(store: Store) -> None:
    setup = MatchingSetupService(store, user="clerk")
    setup.save_settings(replace(setup.settings(), apply_underpayments=False))
    doc = invoice(store, "C001", "1000", INV_DAY)
    svc, jid = auto(store, [SL("990", f"Payment from Adatum Corporation inv {doc}", LATE)])
    v = one(svc, jid)
    assert (v.confidence, v.score, v.review_required) == ("medium", 2998, True)
    assert v.applications[0].applied_amount == D("990.00") and v.difference == 0
    assert svc.review_queue(jid) == [v.id]
    with store.write() as s:
        bank = s.get(BankAccount, "BANK1")
        assert bank is not None
        bank.match_tolerance_value = "10"
    view = svc.apply_automatically(jid)
    v = one(svc, jid)
    assert (v.confidence, v.score) == ("high", 3996)
    assert view.lines_to_review == 0 and svc.review_queue(jid) == []


def test_m4_amount_only_low_and_m5_nothing(store: Store) -> None:
    invoice(store, "C002", "777.77", INV_DAY)
    svc, jid = auto(store, [SL("777.77", "Fee", LATE), SL("123.45", "Lottery win", LATE)])
    low, none = svc.lines(jid)
    assert (low.confidence, low.score, low.review_required) == ("low", 1996, True)
    assert low.account_no == "C002"
    assert (none.confidence, none.score, none.applications) == ("none", 0, ())
    assert none.difference == D("123.45") and none.account_type is None
    view = svc.journal(jid)
    assert (view.lines_to_review, view.lines_with_difference) == (1, 1)
    assert view.message == "" and "1 payment lines out of 2" in svc.apply_automatically(
        jid).message


def test_m7_iban_normalised(store: Store) -> None:
    invoice(store, "C001", "640", INV_DAY)
    svc, jid = auto(store, [SL("640", "Transfer", LATE, iban="de02 1203-0000 0000 2020 51")])
    v = one(svc, jid)
    assert (v.account_no, v.score) == ("C001", 3991)
    assert any("bank account" in d for d in v.details)


def test_m8_listed_documents_group_in_due_date_order(store: Store) -> None:
    late_doc = invoice(store, "C001", "400", date(2025, 1, 12))
    early_doc = invoice(store, "C001", "600", date(2025, 1, 5))
    svc, jid = auto(store, [SL("1000", f"INV {late_doc} {early_doc}", LATE)])
    v = one(svc, jid)
    assert (v.confidence, v.score) == ("high", 3990)
    assert [a.document_no for a in v.applications] == [early_doc, late_doc]
    assert v.difference == 0


def test_m9_text_mapping_then_rerun(store: Store) -> None:
    svc, jid = auto(store, [SL("-25", "MyBank fee March", LATE)])
    v = one(svc, jid)
    assert v.confidence == "none"
    svc.map_text_to_account(v.id, "MyBank", debit_acc_no="6400", credit_acc_no="6400")
    svc.apply_automatically(jid)
    v = one(svc, jid)
    assert (v.confidence, v.score) == ("high_text_mapping", 3007)
    assert (v.account_type, v.account_no, v.difference) == ("gl_account", "6400", 0)
    assert v.applied_amount == D("-25.00")


def test_mapping_text_unique_and_validated(store: Store) -> None:
    svc, jid = auto(store, [SL("-25", "MyBank fee March", LATE)])
    line_id = one(svc, jid).id
    svc.map_text_to_account(line_id, "MyBank", credit_acc_no="6400")
    with pytest.raises(Exception, match=r"Entry with Mapping Text='MYBANK' already exists"):
        svc.map_text_to_account(line_id, "MYBANK", credit_acc_no="6400")
    with pytest.raises(Exception, match=r"Debit Acc. No. or a Credit Acc. No."):
        svc.map_text_to_account(line_id, "Other")
    with pytest.raises(Exception, match=r"does not exist"):
        svc.map_text_to_account(line_id, "Other", credit_acc_no="9999")


def test_rerun_keeps_manual_and_accepted(store: Store) -> None:
    a = invoice(store, "C001", "300", INV_DAY)
    b = invoice(store, "C002", "300", INV_DAY)
    svc, jid = auto(store, [SL("300", "payment", LATE), SL("300", "payment 2", LATE),
                            SL("990", "unknown", LATE)])
    first, second, third = svc.lines(jid)
    svc.remove_applications([first.id, second.id])
    manual = svc.apply_manually(first.id, [(2, None)])  # entry 2 = invoice b (C002)
    assert (manual.confidence, manual.account_no) == ("manual", "C002")
    svc.transfer_difference(third.id, "gl_account", "4900", "Other income")
    accepted = svc.accept([third.id])[0]
    assert accepted.confidence == "accepted"
    svc.apply_automatically(jid)
    first, second, third = svc.lines(jid)
    assert (first.confidence, first.applications[0].document_no) == ("manual", b)
    assert third.confidence == "accepted" and third.account_no == "4900"
    # The manual line reserves invoice b: the matcher may only propose invoice a.
    assert all(x.document_no == a for x in second.applications)


def test_open_journal_takes_new_lines_once(store: Store) -> None:
    stage(store, [SL("10", "a"), SL("20", "b")], closing="30")
    svc = ReconciliationService(store, user="clerk")
    j = svc.open_journal("BANK1")
    assert (j.line_count, j.statement_no, j.statement_ending_balance) == (2, "1", D("30.00"))
    again = svc.open_journal("BANK1")
    assert again.id == j.id and again.line_count == 2
    stage(store, [SL("5", "c")])
    assert svc.open_journal("BANK1").line_count == 3
    with pytest.raises(Exception, match=r"already has an open"):
        svc.create_journal_by_hand("BANK1")
