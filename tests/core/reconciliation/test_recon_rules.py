"""Matching setup (core.reconciliation.setup): rules, settings, bank match tolerance and
text mappings are validated, audited, guarded against two clerks editing at once, and
change the next Apply Automatically."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import col, select

from core.application.service import ApplicationService
from core.audit.models import AuditEntry
from core.kernel.errors import ConflictError, LettrageError
from core.kernel.store import Store
from core.ledger.models import BankAccount, BankLedgerEntry, LedgerEntry
from core.matching import MatchRule, MatchSettings, default_rules
from core.reconciliation.index import closing_document_nos, load_bank_entries
from core.reconciliation.setup import (
    ApplicationSettings,
    MatchingSetupService,
    match_settings,
    rule_label,
)
from core.reconciliation.types import MappingView
from tests.helpers import invoice, payment
from tests.recon_support import SL, auto

ADATUM_IBAN = "DE02120300000000202051"


def setup(store: Store, user: str = "clerk") -> MatchingSetupService:
    return MatchingSetupService(store, user=user)


def trail(store: Store, entity: str) -> list[AuditEntry]:
    with store.read() as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.entity == entity)
                           .order_by(col(AuditEntry.id))).all())


def rule(svc: MatchingSetupService, confidence: str, priority: int) -> MatchRule:
    return next(r for r in svc.rules() if (r.confidence, r.priority) == (confidence, priority))


def test_defaults_are_inserted_best_first(store: Store) -> None:
    rules = setup(store).rules()
    assert len(rules) == len(default_rules()) == 25
    assert [r.score for r in rules] == sorted((r.score for r in rules), reverse=True)
    assert rule_label(rules[0]) == "High P1"


def test_update_is_audited_with_before_and_after(store: Store) -> None:
    svc = setup(store)
    before = rule(svc, "medium", 3)
    svc.update_rule(before, replace(before, review_required=False, amount="one"))
    assert rule(svc, "medium", 3).amount == "one"
    [entry] = trail(store, "payment_application_rule")
    assert (entry.action, entry.record_key, entry.user) == ("update", "medium:3", "clerk")
    assert json.loads(entry.changes) == {"amount": ["multiple", "one"],
                                         "review_required": [True, False]}


def test_changing_the_key_moves_the_rule(store: Store) -> None:
    svc = setup(store)
    before = rule(svc, "low", 5)
    svc.update_rule(before, replace(before, priority=40))
    keys = {(r.confidence, r.priority) for r in svc.rules()}
    assert ("low", 40) in keys and ("low", 5) not in keys
    assert json.loads(trail(store, "payment_application_rule")[0].changes) == {
        "priority": [5, 40]}


def test_duplicates_and_invalid_values_are_refused(store: Store) -> None:
    svc = setup(store)
    before = rule(svc, "low", 5)
    with pytest.raises(LettrageError, match="already a rule Low P4"):
        svc.update_rule(before, replace(before, priority=4))
    with pytest.raises(LettrageError, match="already a rule High P2"):
        svc.add_rule(MatchRule("high", 2))
    with pytest.raises(LettrageError, match="between 1 and 999"):
        svc.add_rule(MatchRule("high", 1000))
    with pytest.raises(LettrageError, match="not a valid doc no"):
        svc.add_rule(MatchRule("high", 50, doc_no="maybe"))  # type: ignore[arg-type]
    with pytest.raises(LettrageError, match="not a valid confidence"):
        svc.add_rule(MatchRule("none", 50))
    assert trail(store, "payment_application_rule") == []


def test_add_and_delete(store: Store) -> None:
    svc = setup(store)
    new = MatchRule("low", 6, related_party="no", doc_no="no", amount="none",
                    review_required=True)
    svc.add_rule(new)
    assert rule(svc, "low", 6) == new
    svc.delete_rule(new)
    assert all((r.confidence, r.priority) != ("low", 6) for r in svc.rules())
    actions = [(e.action, e.record_key) for e in trail(store, "payment_application_rule")]
    assert actions == [("insert", "low:6"), ("delete", "low:6")]


def test_two_clerks_editing_the_same_rule(store: Store) -> None:
    anna, ben = setup(store, "anna"), setup(store, "ben")
    seen = rule(anna, "medium", 1)
    assert rule(ben, "medium", 1) == seen
    anna.update_rule(seen, replace(seen, review_required=False))
    with pytest.raises(ConflictError, match="Medium P1 was changed by someone else"):
        ben.update_rule(seen, replace(seen, amount="one"))
    with pytest.raises(ConflictError, match="Medium P1 was changed"):
        ben.delete_rule(seen)
    anna.delete_rule(rule(anna, "medium", 1))
    with pytest.raises(ConflictError, match="Medium P1 was deleted"):
        ben.update_rule(seen, replace(seen, amount="one"))


def test_reset_to_defaults_audits_what_changed(store: Store) -> None:
    svc = setup(store)
    seen = svc.rules()
    svc.delete_rule(rule(svc, "high", 11))
    with pytest.raises(ConflictError, match="reload before resetting"):
        svc.reset_rules(seen)
    svc.add_rule(MatchRule("low", 9))
    assert len(svc.reset_rules(svc.rules())) == 25
    assert set(svc.rules()) == set(default_rules())
    reset = [(e.action, e.record_key) for e in trail(store, "payment_application_rule")
             if e.note]
    assert reset == [("insert", "high:11"), ("delete", "low:9")]


def test_rule_edits_change_the_next_apply_automatically(store: Store) -> None:
    doc = invoice(store, "C001", "300", date(2025, 1, 10))
    recon, jid = auto(store, [SL("300", f"Invoice {doc}", name="Adatum Corporation",
                                  iban=ADATUM_IBAN)])
    first = recon.lines(jid)[0]
    assert (first.confidence, first.review_required) == ("high", False)
    svc = setup(store)
    for key in (("high", 4), ("high", 5)):
        seen = rule(svc, *key)
        svc.update_rule(seen, replace(seen, review_required=True))
    recon.apply_automatically(jid)
    again = recon.lines(jid)[0]
    assert (again.confidence, again.review_required) == ("high", True)
    for r in [r for r in svc.rules() if r.confidence == "high"]:
        svc.delete_rule(r)
    recon.apply_automatically(jid)
    assert recon.lines(jid)[0].confidence == "medium"


def test_settings_are_saved_audited_and_used(store: Store) -> None:
    doc = invoice(store, "C001", "300", date(2025, 1, 10))
    recon, jid = auto(store, [SL("300", f"Invoice {doc}", name="Adatum Corporation",
                                  iban=ADATUM_IBAN)])
    assert recon.lines(jid)[0].account_no == "C001"
    svc = setup(store)
    seen = svc.settings()
    assert seen == ApplicationSettings()
    saved = svc.save_settings(replace(seen, customer_matching=False,
                                      name_matching="exact_with_permutations"))
    assert saved.version == 1 and not saved.customer_matching
    recon.apply_automatically(jid)
    assert recon.lines(jid)[0].account_no is None
    with pytest.raises(ConflictError, match="settings were changed"):
        svc.save_settings(replace(seen, vendor_matching=False))
    with pytest.raises(LettrageError, match="not a related-party name matching"):
        svc.save_settings(replace(saved, name_matching="fuzzy"))
    [entry] = trail(store, "payment_application_settings")
    assert json.loads(entry.changes) == {
        "customer_matching": [True, False],
        "name_matching": ["string_nearness", "exact_with_permutations"]}


def test_closing_doc_no_match_setting_finds_the_bank_entry_by_the_closed_invoice(
        store: Store) -> None:
    doc = invoice(store, "C001", "300", date(2025, 1, 10))
    # A cash receipt posted to the bank and applied to the invoice: the bank entry PAY0042
    # stays open until the statement reconciles it; the invoice is closed.
    payment(store, "C001", "300", date(2025, 1, 15), applies_to=doc, doc_no="PAY0042")
    recon, jid = auto(store, [SL("300", f"Settlement {doc}")])
    off = recon.lines(jid)[0]
    # BC default: the bank entry's own numbers only -> No / No / One Match = Low P4.
    assert (off.account_type, off.confidence, off.score) == ("bank_account", "low", 1996)
    assert not any(doc in d for d in off.details)
    svc = setup(store)
    svc.save_settings(replace(svc.settings(), bank_closing_doc_no_match=True))
    recon.apply_automatically(jid)
    on = recon.lines(jid)[0]
    # Doc. No. matched through the invoice the payment closed: No / Yes / One = Medium P6.
    assert (on.account_type, on.confidence, on.score) == ("bank_account", "medium", 2994)
    assert [a.document_no for a in on.applications] == ["PAY0042"]
    assert any(f"names document {doc}, which the posting of open bank entry" in d
               for d in on.details)


def test_closing_document_nos_are_the_closed_documents_of_the_bank_entrys_posting(
        store: Store) -> None:
    paid = invoice(store, "C001", "300", date(2025, 1, 10))
    open_doc = invoice(store, "C001", "200", date(2025, 1, 10))
    payment(store, "C001", "300", date(2025, 1, 15), applies_to=paid, doc_no="PAY0042")
    payment(store, "C001", "200", date(2025, 1, 15), doc_no="PAY0044")  # not applied
    payment(store, "C001", "50", date(2025, 1, 16), applies_to=open_doc, doc_no="PAY0045")
    with store.read() as s:
        bank = {b.document_no: b.entry_no for b in s.exec(select(BankLedgerEntry)).all()}
        found = closing_document_nos(s, "BANK1")
        loaded = {b.document_no: b.closing_document_nos
                  for b in load_bank_entries(s, "BANK1", {}, closing_doc_nos=True)}
        default = {b.closing_document_nos for b in load_bank_entries(s, "BANK1", {})}
    # Only the invoice the payment closed; a partly paid invoice is still open (BC).
    assert found == {bank["PAY0042"]: (paid,)}
    assert loaded == {"PAY0042": (paid,), "PAY0044": (), "PAY0045": ()}
    assert default == {()}
    with store.read() as s:
        entry_no = s.exec(select(LedgerEntry.entry_no).where(
            LedgerEntry.document_no == paid)).one()
    ApplicationService(store).unapply(entry_no)
    with store.read() as s:
        assert closing_document_nos(s, "BANK1") == {}  # unapplied: not closed by it now


def test_apply_immediately_setting_stops_the_search_after_a_customer_hit(
        store: Store) -> None:
    doc = invoice(store, "C001", "300", date(2025, 1, 10))
    # An unapplied cash receipt of the same customer left an open bank entry of 300,
    # and a vendor credit memo of 300 is open: both are candidates for the line.
    payment(store, "C001", "300", date(2025, 1, 15), doc_no="PAY0043")
    invoice(store, "V001", "300", date(2025, 1, 10), party_type="vendor",
            doc_type="credit_memo")
    recon, jid = auto(store, [SL("300", f"Invoice {doc} PAY0043", iban=ADATUM_IBAN)])
    off = recon.lines(jid)[0]
    # BC default: the invoice and the bank entry are both High P4: equally good, review.
    assert (off.confidence, off.score, off.review_required) == ("medium", 3996, True)
    assert {a.summary.split(" ")[0] for a in off.alternatives} == {"open", "vendor"}
    svc = setup(store)
    svc.save_settings(replace(svc.settings(), apply_immediately=True))
    recon.apply_automatically(jid)
    on = recon.lines(jid)[0]
    assert (on.confidence, on.score, on.review_required) == ("high", 3996, False)
    assert (on.account_no, [a.document_no for a in on.applications]) == ("C001", [doc])
    assert on.alternatives == ()
    assert any(d.startswith("Apply immediately: vendor and bank ledger entries were not "
                            f"searched (invoice {doc} of customer C001 hit rule High P4")
               for d in on.details)


def test_bank_match_tolerance(store: Store) -> None:
    doc = invoice(store, "C002", "400", date(2025, 1, 10))
    svc = setup(store)
    seen = svc.tolerance("BANK1")
    assert (seen.tolerance_type, seen.tolerance_value) == ("amount", Decimal("0"))
    with pytest.raises(LettrageError, match="cannot be negative"):
        svc.set_tolerance("BANK1", "amount", "-1", seen.version)
    with pytest.raises(LettrageError, match="cannot exceed 100"):
        svc.set_tolerance("BANK1", "percentage", "101", seen.version)
    recon, jid = auto(store, [SL("399.50", "Trey Research payment", name="Trey Research")])
    assert recon.lines(jid)[0].confidence == "low"  # Fully, no doc. no., No Matches
    saved = svc.set_tolerance("BANK1", "amount", "1", seen.version)
    assert saved.tolerance_value == Decimal("1.00")
    with pytest.raises(ConflictError, match="Bank account BANK1 was changed"):
        svc.set_tolerance("BANK1", "percentage", "1", seen.version)
    recon.apply_automatically(jid)
    line = recon.lines(jid)[0]
    assert (line.confidence, line.account_no) == ("high", "C002")  # One Match now
    assert line.applications[0].document_no == doc
    [entry] = trail(store, "bank_account")
    assert json.loads(entry.changes) == {"match_tolerance_value": ["0", "1.00"]}


def test_text_mappings(store: Store) -> None:
    svc = setup(store)
    fee = svc.add_mapping(MappingView(0, "Kontofuehrung", "", "6400", "gl_account", ""))
    with pytest.raises(LettrageError, match="already exists"):
        svc.add_mapping(MappingView(0, "kontofuehrung", "", "6400", "gl_account", ""))
    with pytest.raises(LettrageError, match=r"Debit Acc\. No\. or a Credit"):
        svc.update_mapping(fee, replace(fee, credit_acc_no=""))
    edited = svc.update_mapping(fee, replace(fee, debit_acc_no="4900"))
    assert svc.mappings() == [edited]
    with pytest.raises(ConflictError, match="was changed by someone else"):
        svc.delete_mapping(fee)
    svc.delete_mapping(edited)
    assert svc.mappings() == []
    actions = [(e.action, json.loads(e.changes).get("debit_acc_no"))
               for e in trail(store, "text_to_account_mapping")]
    # a field left blank on insert is not in the trail
    assert actions == [("insert", None), ("update", ["", "4900"]),
                       ("delete", ["4900", None])]


def test_every_stored_setting_reaches_the_matching_engine(store: Store) -> None:
    """Each setting the screen saves is a field of the engine's MatchSettings and is
    passed through: none is saved and then ignored."""
    engine_fields = {f.name for f in fields(MatchSettings)}
    stored = [f.name for f in fields(ApplicationSettings) if f.name != "version"]
    assert set(stored) <= engine_fields
    svc = MatchingSetupService(store, user="anna")
    seen = svc.settings()
    flipped = replace(seen, **{name: "disabled" if name == "name_matching"
                               else not getattr(seen, name) for name in stored})
    svc.save_settings(flipped)
    with store.read() as s:
        bank = s.get(BankAccount, "BANK1")
        assert bank is not None
        engine = match_settings(s, bank)
    assert {name: getattr(engine, name) for name in stored} == {
        name: getattr(flipped, name) for name in stored}
